# stellargraph/stellargraph 2641535 ("Store embeddings statefully in Watch Your Step (#1102)", issue
# #1088): `WatchYourStep.build` makes its left `Embedding`, right `Dense` and `AttentiveWalk` layers
# every time it runs, so two models built from one object have separate weights. The fix makes
# them once in `__init__`. stellargraph/layer/watch_your_step.py is imported from the export
# below the package __init__ files (stand-ins for the mapper's AdjacencyPowerGenerator and the
# core helper require_integer_in_range; K.softmax given back TF 2.0's 1-D case); two models are built from one WatchYourStep object;
# prints how many trainable variables the two share.
import os, sys, types, importlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np, tf_keras as keras
tree = os.path.abspath(sys.argv[1]); sys.path.insert(0, tree)
for name in ("stellargraph", "stellargraph.layer", "stellargraph.core", "stellargraph.mapper"):
    m = types.ModuleType(name); m.__path__ = [os.path.join(tree, *name.split("."))]; sys.modules[name] = m
class AdjacencyPowerGenerator:
    num_powers = 3
    Aadj_T = np.zeros((6, 6))
def stub(name, **kw):
    m = types.ModuleType(name); m.__dict__.update(kw); sys.modules[name] = m
stub("stellargraph.mapper.adjacency_generators", AdjacencyPowerGenerator=AdjacencyPowerGenerator)
stub("stellargraph.core.validation", require_integer_in_range=lambda *a, **k: None)
# TF 2.0's K.softmax took a 1-D tensor (AttentiveWalk's attention weights); tf_keras refuses it.
import tensorflow.keras.backend as tfkb
tfkb.softmax = keras.backend.softmax = lambda x, axis=-1: tf.nn.softmax(x, axis=axis)
wys = importlib.import_module("stellargraph.layer.watch_your_step")
obj = wys.WatchYourStep(AdjacencyPowerGenerator(), embedding_dimension=4)
m1 = keras.Model(*obj.build()); m2 = keras.Model(*obj.build())
v1 = {id(v) for v in m1.trainable_variables}; v2 = {id(v) for v in m2.trainable_variables}
print("kernels WatchYourStep: trainable variables shared by two models of one object: %d of %d" % (len(v1 & v2), len(v1)))
