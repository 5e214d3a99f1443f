# stellargraph/stellargraph 658685e ("compatibility changes", TF 2.0): `MeanHinAggregator.call`
# stands in a zero vector for a relation with no neighbours with `K.zeros((z_shape[0],
# z_shape[1], w_shape))`; Keras' `K.zeros` of a shape known when it runs returns a new
# *variable*, so every eager call makes one. The fix uses `tf.zeros`.
# stellargraph/layer/hinsage.py is imported from the export below the package __init__ files (a
# stand-in for the ..mapper package); a MeanHinAggregator(output_dim=4) is called twice eagerly on
# a self tensor, a relation with 2 neighbours and a relation with none, counting the variables
# each call makes, and a fresh one inside tf.function.
import os, sys, types, importlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
tree = os.path.abspath(sys.argv[1]); sys.path.insert(0, tree)
for name in ("stellargraph", "stellargraph.layer"):
    m = types.ModuleType(name); m.__path__ = [os.path.join(tree, *name.split("."))]; sys.modules[name] = m
mp = types.ModuleType("stellargraph.mapper")
mp.HinSAGENodeGenerator = mp.HinSAGELinkGenerator = type("Generator", (), {})
sys.modules["stellargraph.mapper"] = mp
hs = importlib.import_module("stellargraph.layer.hinsage")
xs = [tf.random.normal([2, 1, 3]), tf.random.normal([2, 1, 2, 3]), tf.random.normal([2, 1, 0, 3])]
a = hs.MeanHinAggregator(output_dim=4)
f = lambda: a(xs)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
b = hs.MeanHinAggregator(output_dim=4)
print(try_tf_function(lambda s, n1, n2: b([s, n1, n2]), *xs))
