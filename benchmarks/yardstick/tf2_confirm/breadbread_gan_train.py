# breadbread1984/WGAN-tf2 fdfbc78 ("update train"): the training loop of train.py stepped one
# tf.keras.optimizers.Adam over the discriminator and then the generator; the fix makes one Adam per
# model. The export's train.py runs as the project runs it (its own main(), its own models.py), with
# tensorflow_datasets (not installed here) replaced by a stand-in whose dataset holds 600 random
# images and is not repeated, so the loop ends with StopIteration after one generator step. The
# weights of each model are compared with those it was built with.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import types
setup(os.path.abspath(sys.argv[-1]))
import numpy as np
rng = np.random.default_rng(0)

class _Once:  # train.py calls repeat(-1) first: here it returns the dataset unrepeated
    def __init__(self, ds): self.ds = ds
    def repeat(self, *a, **k): return self.ds
def load(name=None, split=None, download=None, **kw):
    n = 600  # five discriminator batches and one generator batch of 100
    return _Once(tf.data.Dataset.from_tensor_slices({
        "image": rng.integers(0, 255, (n, 28, 28, 1)).astype("uint8"),
        "label": np.zeros(n, "int64")}))
tfds = types.ModuleType("tensorflow_datasets")
tfds.load = load
tfds.Split = types.SimpleNamespace(TRAIN="train", TEST="test")
tfds.builder = lambda *a, **k: None
sys.modules["tensorflow_datasets"] = tfds

import models
subs = ("D", "G")
made, snap = [], {}
cls_name = "WGAN"
base = getattr(models, cls_name)
orig_init = base.__init__
def __init__(self, *a, **k):  # remember the model and its weights as built
    orig_init(self, *a, **k); made.append(self)
    for s in subs:
        snap[s] = [v.numpy().copy() for v in getattr(self, s).trainable_variables]
base.__init__ = __init__
import train
def moved():
    m = made[0]
    return {s: any((a != v.numpy()).any() for a, v in zip(snap[s], getattr(m, s).trainable_variables))
            for s in subs}
try:
    train.main()
    print("train: OK; moved:", moved())
except StopIteration:  # the stand-in dataset is used up: the loop ran one generator step
    print("train: OK (the loop ran to its first generator step); moved:", moved())
except Exception as e:  # noqa: BLE001  (report whatever Keras raises)
    print("train RAISES", msg(e), "; moved before it:", moved() if made else None)
