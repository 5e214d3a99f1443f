# breadbread1984/CycleGAN-tf2 ebd855c ("update model"): train.py's main() steps one Adam on DA, DB,
# GA and GB in turn; the commit gives each model its own Adam (and splits the generator loss in two).
# usage: cyclegan_shared_adam.py TREE. The export's train.py and models.py are imported as they are and
# main() run (tf_keras); stand-ins, none of which makes a variable: tensorflow_datasets (its load() gives
# 2 random 1x32x32x3 images, so main()'s endless loop ends at StopIteration at its second pass),
# cv2 (create_dataset imports it, main() does not use it) and tensorflow_addons.layers.
# InstanceNormalization (no build for TF 2.21; tfa's is a GroupNormalization with groups=-1, given here).
import os, sys, types
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403
import numpy as np
setup(sys.argv[1])
class _Fake:
    def __init__(self): self.n = 2
    def __getattr__(self, name): return lambda *a, **k: self
    def __iter__(self): return self
    def __next__(self):
        if self.n == 0: raise StopIteration
        self.n -= 1
        return tf.random.uniform([1, 32, 32, 3]), tf.zeros([1], tf.int64)
tfds = types.ModuleType("tensorflow_datasets"); tfds.load = lambda *a, **k: _Fake()
tfds.Split = types.SimpleNamespace(TRAIN="train", TEST="test"); tfds.builder = lambda *a, **k: None
sys.modules["tensorflow_datasets"] = tfds
sys.modules["cv2"] = types.ModuleType("cv2")
tfa = types.ModuleType("tensorflow_addons")
tfa.layers = types.SimpleNamespace(InstanceNormalization=lambda axis=-1, **k: tf.keras.layers.GroupNormalization(groups=-1, axis=axis, **k))
sys.modules["tensorflow_addons"] = tfa
import models, train  # noqa: E402  (the export's own modules)
made, snap = [], {}
class Recorded(models.CycleGAN):
    def __init__(self, *a, **k):
        super().__init__(*a, **k); made.append(self)
    def __call__(self, *a, **k):
        out = super().__call__(*a, **k)
        if not snap:  # after the first forward pass, before any step
            for n in ("DA", "DB", "GA", "GB"):
                snap[n] = [v.numpy().copy() for v in getattr(self, n).trainable_variables]
        return out
train.CycleGAN = Recorded
tf.random.set_seed(0)
try:
    train.main(); out = "returned"
except StopIteration:
    out = "ran until the data ended"
except Exception as e:  # noqa: BLE001
    out = "RAISES " + msg(e)
m = made[0]
parts = []
for n in ("DA", "DB", "GA", "GB"):
    vs = getattr(m, n).trainable_variables
    parts.append(f"{n} {sum(int(not np.allclose(a, v.numpy())) for a, v in zip(snap.get(n, []), vs))} of {len(vs)}")
print(f"train: {out}; variables moved: " + ", ".join(parts))
