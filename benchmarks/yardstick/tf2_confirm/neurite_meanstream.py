# adalca/neurite 7384808 ("fix MeanStream for new tf version"): `MeanStream.call` and
# `CovStream.call` broadcast their output with `z = K.ones(p)`, p the batch size and the statistic's
# shape; Keras' `K.ones` of a shape known when it runs returns a new *variable*, so every eager call
# makes one. neuron/layers.py is imported from the export below the package __init__ (which imports
# every module of the package); the libraries its neuron/utils.py imports for other functions
# (tqdm, pytools, pynd, imp) get empty stand-ins, and its TF-internal imports
# (tensorflow.python.keras.engine.base_layer, tensorflow.python.keras.backend,
# tensorflow.python.roll, gone from TF 2.21) are pointed at tf_keras' and tf's own. Each layer is
# called twice eagerly counting variables, and a fresh one inside tf.function.
import os, sys, types, importlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import tf_keras
tree = os.path.abspath(sys.argv[1]); sys.path.insert(0, tree)
def stub(name, **attrs):
    m = types.ModuleType(name); m.__dict__.update(attrs); sys.modules[name] = m; return m
stub("tqdm", tqdm_notebook=lambda *a, **k: None, tqdm=lambda *a, **k: None)
stub("pytools"); stub("pytools.patchlib"); stub("pytools.timer"); stub("pynd"); stub("pynd.ndutils")
stub("imp", reload=lambda mod: mod)  # utils.py reloads the stand-ins above
import tensorflow.python as tfp
stub("tensorflow.python.keras", backend=tf_keras.backend); stub("tensorflow.python.keras.engine")
stub("tensorflow.python.keras.engine.base_layer", Layer=tf_keras.layers.Layer)
sys.modules["tensorflow.python.keras.backend"] = tf_keras.backend
tfp.roll = tf.roll; sys.modules["tensorflow.python.roll"] = stub("tensorflow.python.roll")
# TF 2.2's Layer.add_update(updates, inputs) took the inputs too; tf_keras takes the updates only.
# The stand-in runs (variable, value) pairs as assignments and drops the inputs; it makes no variable.
def add_update(self, updates, inputs=None):
    for u in updates:
        if isinstance(u, tuple): u[0].assign(tf.reshape(u[1], u[0].shape))
tf_keras.layers.Layer.add_update = add_update
m = types.ModuleType("neuron"); m.__path__ = [os.path.join(tree, "neuron")]; sys.modules["neuron"] = m
layers = importlib.import_module("neuron.layers")
x = tf.random.normal([2, 4])
for cls in ("MeanStream", "CovStream"):
    C = getattr(layers, cls)
    a = C(); f = lambda: a(x)
    print("variables %s eager call 1, call 2:" % cls, new_vars(f), new_vars(f))
    b = C()
    print("tf.function %s:" % cls, try_tf_function(lambda t: b(t), x))
