# SeldonIO/alibi-detect a4d4a5bd ("Fixed kernes trainable variables", Dec 2024, the port to Keras 3):
# `GaussianRBF` (a tf.keras.Model) keeps its bandwidth as `self.log_sigma = tf.Variable(...)`;
# Keras 3 does not track a bare tf.Variable set on a model, so a trainable kernel lists no
# trainable variable and a step over `kernel.trainable_variables` (as alibi-detect's trainer
# takes them) never moves sigma. The fix makes it with `self.add_weight`. Run with Keras 3 (the
# Keras of TF 2.21 without TF_USE_LEGACY_KERAS); kernels.py is imported from the export below the
# package __init__ files (a scipy.special stand-in for DeepKernel's `logit`).
import os, sys, types, importlib
os.environ["TF_USE_LEGACY_KERAS"] = "0"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
tree = os.path.abspath(sys.argv[1]); sys.path.insert(0, tree)
sp = types.ModuleType("scipy"); sps = types.ModuleType("scipy.special"); sps.logit = lambda p: float(np.log(p / (1 - p)))
sp.special = sps; sys.modules["scipy"] = sp; sys.modules["scipy.special"] = sps
for name in ("alibi_detect", "alibi_detect.utils", "alibi_detect.utils.tensorflow"):
    m = types.ModuleType(name); m.__path__ = [os.path.join(tree, *name.split("."))]; sys.modules[name] = m
kernels = importlib.import_module("alibi_detect.utils.tensorflow.kernels")
import keras
print("keras", keras.__version__.split(".")[0])
x = tf.random.normal([6, 3]); y = tf.random.normal([5, 3])
for label, kw in (("sigma inferred", {}), ("sigma given", {"sigma": tf.constant([1.0])})):
    k = kernels.GaussianRBF(trainable=True, **kw)
    with tf.GradientTape() as tape:
        loss = -tf.reduce_mean(k(x, y))
    tv = k.trainable_variables
    print("variables listed by the trainable kernel (%s): %d" % (label, len(tv)))
    s0 = float(k.sigma[0])
    if tv:
        keras.optimizers.Adam(0.1).apply_gradients(zip(tape.gradient(loss, tv), tv))
    print("kernels trained (%s): sigma %s" % (label, "moved" if abs(float(k.sigma[0]) - s0) > 1e-6 else "unchanged"))
