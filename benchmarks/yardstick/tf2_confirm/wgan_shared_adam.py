# breadbread1984/WGAN-tf2 fdfbc78 ("update train"): train.py's main() steps one Adam on the critic
# (wgan.D, five steps) and then on the generator (wgan.G); the fix gives each its own Adam.
# usage: wgan_shared_adam.py TREE [KERAS3]. The export's train.py and models.py are imported as they
# are and main() run; tensorflow_datasets (not installed) is replaced by a stand-in whose load() gives
# 8 random 28x28x1 batches of 4 images, so main()'s endless loop ends at StopIteration in its second
# pass (after the first generator step).
import os, sys, types
if len(sys.argv) > 2 and sys.argv[2] == "KERAS3":
    os.environ["TF_USE_LEGACY_KERAS"] = "0"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403
import numpy as np
setup(sys.argv[1])
class _Fake:
    def __init__(self): self.n = 8
    def __getattr__(self, name): return lambda *a, **k: self
    def __iter__(self): return self
    def __next__(self):
        if self.n == 0: raise StopIteration
        self.n -= 1
        return tf.random.uniform([4, 28, 28, 1]), tf.zeros([4], tf.int64)
tfds = types.ModuleType("tensorflow_datasets"); tfds.load = lambda *a, **k: _Fake()
tfds.Split = types.SimpleNamespace(TRAIN="train", TEST="test"); sys.modules["tensorflow_datasets"] = tfds
import models, train  # noqa: E402  (the export's own modules)
made = []
_WGAN = models.WGAN
class Recorded(_WGAN):
    def __init__(self, *a, **k):
        super().__init__(*a, **k); made.append(self)
train.WGAN = Recorded
tf.random.set_seed(0)
snap = {}
_orig_call = Recorded.__call__
def first_call(self, *a, **k):  # the weights before any step (the first forward pass builds nothing new)
    if not snap:
        snap["D"] = [v.numpy().copy() for v in self.D.trainable_variables]
        snap["G"] = [v.numpy().copy() for v in self.G.trainable_variables]
    return _orig_call(self, *a, **k)
Recorded.__call__ = first_call
try:
    train.main(); out = "returned"
except StopIteration:
    out = "ran until the data ended"
except Exception as e:  # noqa: BLE001
    out = "RAISES " + msg(e)
w = made[0]
moved = lambda k, vs: sum(int(not np.allclose(a, v.numpy())) for a, v in zip(snap[k], vs))
print(f"train: {out}; critic variables moved {moved('D', w.D.trainable_variables)} of {len(w.D.trainable_variables)}, "
      f"generator variables moved {moved('G', w.G.trainable_variables)} of {len(w.G.trainable_variables)}")
