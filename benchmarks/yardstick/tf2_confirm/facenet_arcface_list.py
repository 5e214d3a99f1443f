# DequanZhu/FaceNet-and-FaceLoss-collections-tensorflow2.0 d866f8f ("Update train.py"):
# `Trainer.train_one_step` differentiates the ArcFace loss over `self.model.trainable_variables`
# only; the loss layer `ArcFaceSoftmaxLinear`, whose class-centre weight is made in its `__init__`
# and used in the loss, is in no list, so it never trains. The fix adds the layer's variables to
# the list `training()` passes to the step. `Trainer.training` and `Trainer.train_one_step` are
# taken from the export's src/train.py with `ast` and run on a stand-in trainer (a small Keras
# backbone, two random batches, stand-ins for the checkpoint, summary writer and progress bar);
# `ArcFaceSoftmaxLinear` is the export's own (src/losses.py, its tensorflow.python.keras imports
# pointed at tf_keras). Prints whether the backbone and the loss layer's weight moved.
import os, sys, types, importlib.util
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
from extract import load
import numpy as np
import tf_keras
tree = os.path.abspath(sys.argv[1])
for n, attrs in (("tensorflow.python.keras", dict(layers=tf_keras.layers, losses=tf_keras.losses)),
                 ("utils", dict(CosMThetaCalculator=object, check_folder=lambda *a: None))):
    m = types.ModuleType(n); m.__dict__.update(attrs); sys.modules[n] = m
spec = importlib.util.spec_from_file_location("facenet_losses", os.path.join(tree, "src/losses.py"))
losses = importlib.util.module_from_spec(spec); spec.loader.exec_module(losses)
made = []
class ArcFace(losses.ArcFaceSoftmaxLinear):
    def __init__(self, *a, **k):
        super().__init__(*a, **k); made.append(self)
class PB:
    def __init__(self, *a, **k): pass
    def start(self): return self
    def __call__(self, it): return it
    def finish(self): pass
ns = dict(tf=tf, ArcFaceSoftmaxLinear=ArcFace, SparseCategoricalCrossentropy=tf_keras.losses.SparseCategoricalCrossentropy,
          SparseCategoricalAccuracy=tf_keras.metrics.SparseCategoricalAccuracy, ProgressBar=PB,
          Percentage=PB, Bar=PB, Timer=PB, ETA=PB)
src = os.path.join(tree, "src/train.py")
T = type("Trainer", (), {"train_one_step": load(src, "Trainer.train_one_step", ns), "training": load(src, "Trainer.training", ns)})
t = T()
t.args = types.SimpleNamespace(nrof_classes=5, embedding_size=8, margin=0.5, feature_scale=64, batch_size=4)
t.model = tf_keras.Sequential([tf_keras.layers.Flatten(), tf_keras.layers.Dense(8)]); t.model.build((None, 6, 6, 1))
t.train_datasets = [(tf.random.normal([4, 6, 6, 1]), tf.constant([0, 1, 2, 3])) for _ in range(2)]; t.nrof_train = 8
t.optimizer = tf_keras.optimizers.Adam(0.01)
t.checkpoint = types.SimpleNamespace(n_iter=tf.Variable(0, dtype=tf.int64), epoch=tf.Variable(0, dtype=tf.int64))
t.train_summary_writer = tf.summary.create_noop_writer()
tf.summary.scalar = lambda *a, **k: None  # TensorBoard is not installed here
t.manager = types.SimpleNamespace(save=lambda: "-")
before = [v.numpy().copy() for v in t.model.trainable_variables]
orig_init = ArcFace.__init__
w0 = {}
def init(self, *a, **k):
    orig_init(self, *a, **k); w0["w"] = self.weight.numpy().copy()
ArcFace.__init__ = init
try:
    t.training(0)
    print("train: OK")
except Exception as e:  # noqa: BLE001
    print("train RAISES", msg(e))
moved = sum(int(not np.allclose(b, v.numpy())) for b, v in zip(before, t.model.trainable_variables))
print("kernels of the backbone moved: %d of %d" % (moved, len(before)))
print("kernels of the ArcFace layer moved: %d of 1" % int(not np.allclose(w0["w"], made[0].weight.numpy())))
