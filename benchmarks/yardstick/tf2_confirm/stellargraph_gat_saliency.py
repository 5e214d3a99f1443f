# stellargraph/stellargraph 7a14c5f ("Updated requirements to tensorflow 2.0.0 and made small
# compatibility fixes"): `GraphAttention.call` with saliency-map support builds its attention
# weights from `K.ones(shape=[N, N])` and `K.eye(N)`; Keras' `K.ones`/`K.eye` of a known shape
# return new *variables*, two per head on every call. The fix uses `tf.ones`/`tf.eye`.
# stellargraph/layer/graph_attention.py is imported from the export below the package __init__
# files (the `..mapper` package, which needs networkx, pandas and scipy, gets a stand-in for the
# generator class the layer file names only in a later class); a GraphAttention(units=4,
# saliency_map_support=True) is called twice eagerly on a 5-node graph counting the variables each
# call makes, and a fresh one inside tf.function.
import os, sys, types, importlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
tree = os.path.abspath(sys.argv[1]); sys.path.insert(0, tree)
for name in ("stellargraph", "stellargraph.layer"):
    m = types.ModuleType(name); m.__path__ = [os.path.join(tree, *name.split("."))]; sys.modules[name] = m
mp = types.ModuleType("stellargraph.mapper"); mp.FullBatchNodeGenerator = type("FullBatchNodeGenerator", (), {})
sys.modules["stellargraph.mapper"] = mp
gat = importlib.import_module("stellargraph.layer.graph_attention")
N, F = 5, 3
X = tf.random.normal([1, N, F]); idx = tf.constant([[0, 1, 2]]); A = tf.eye(N) + tf.cast(tf.random.uniform([N, N]) > 0.5, tf.float32)
A = tf.minimum(A, 1.0)
a = gat.GraphAttention(units=4, saliency_map_support=True)
f = lambda: a([X, idx, A])
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
b = gat.GraphAttention(units=4, saliency_map_support=True)
print(try_tf_function(lambda x, i, adj: b([x, i, adj]), X, idx, A))
