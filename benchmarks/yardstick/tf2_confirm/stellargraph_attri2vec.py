# stellargraph/stellargraph cdcde87 ("Store weights statefully in Attri2vec (#1101)", issue #1088):
# `Attri2Vec.__call__` makes new `Dense` layers every time it is applied, so the node model a user
# builds after training the link model (`attri2vec.node_model()`, or `attri2vec(inp)`) has fresh,
# untrained weights. The fix makes the layers once in `__init__`. stellargraph/layer/attri2vec.py
# is imported from the export below the package __init__ files (a stand-in for the ..mapper
# generators), a link model is built with `build()` and trained for a few steps, then a node
# model is built with `node_model()` as the embedding step does; prints how many Dense kernels
# the two models share and whether the node model reproduces the trained source embeddings.
import os, sys, types, importlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np, tf_keras as keras
tree = os.path.abspath(sys.argv[1]); sys.path.insert(0, tree)
for name in ("stellargraph", "stellargraph.layer"):
    m = types.ModuleType(name); m.__path__ = [os.path.join(tree, *name.split("."))]; sys.modules[name] = m
mp = types.ModuleType("stellargraph.mapper")
mp.Attri2VecLinkGenerator = mp.Attri2VecNodeGenerator = type("Generator", (), {})
sys.modules["stellargraph.mapper"] = mp
a2v = importlib.import_module("stellargraph.layer.attri2vec")
a = a2v.Attri2Vec(layer_sizes=[4, 4], bias=True, input_dim=3, node_num=6, multiplicity=2, activation="relu", normalize=None)
x_inp, x_out = a.build()
pred = keras.layers.Lambda(lambda t: tf.sigmoid(tf.reduce_sum(t[0] * t[1], -1, keepdims=True)))(x_out)
link = keras.Model(x_inp, pred); link.compile(keras.optimizers.Adam(0.05), "binary_crossentropy")
feats = np.random.rand(16, 3).astype("float32"); dst = np.random.randint(0, 6, (16, 1)); y = np.random.randint(0, 2, (16, 1))
link.fit([feats, dst], y, epochs=3, verbose=0)
src_emb = keras.Model(x_inp[0], x_out[0]).predict(feats, verbose=0)
n_inp, n_out = a.node_model()
node = keras.Model(n_inp, n_out)
kern = lambda m: {id(v) for v in m.trainable_variables if "kernel" in v.name}
print("kernels of the node model shared with the trained link model: %d of %d" % (len(kern(node) & kern(link)), len(kern(node))))
print("kernels: node_model() embeddings equal the trained ones: %s" % bool(np.allclose(node.predict(feats, verbose=0), src_emb)))
