# stellargraph/stellargraph 7613d9c ("moved embedding initialisation to node2vec.__init__"):
# `Node2Vec.__call__` makes its input and output `Embedding` layers every time it is applied, so
# the node model a user builds after training the link model (`node2vec.node_model()`) has fresh,
# untrained embeddings. The fix makes them once in `__init__`. stellargraph/layer/node2vec.py is
# imported from the export below the package __init__ files (a stand-in for the ..mapper
# generators); a link model from `build()` is trained for a few epochs, then `node_model()` is
# built as the embedding step does; prints how many embedding variables the two share and
# whether the node model reproduces the trained input embeddings.
import os, sys, types, importlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np, tf_keras as keras
tree = os.path.abspath(sys.argv[1]); sys.path.insert(0, tree)
for name in ("stellargraph", "stellargraph.layer"):
    m = types.ModuleType(name); m.__path__ = [os.path.join(tree, *name.split("."))]; sys.modules[name] = m
mp = types.ModuleType("stellargraph.mapper")
mp.Node2VecLinkGenerator = mp.Node2VecNodeGenerator = type("Generator", (), {})
sys.modules["stellargraph.mapper"] = mp
n2v = importlib.import_module("stellargraph.layer.node2vec")
a = n2v.Node2Vec(4, node_num=6, multiplicity=2)
x_inp, x_out = a.build()
pred = keras.layers.Lambda(lambda t: tf.sigmoid(tf.reduce_sum(t[0] * t[1], -1, keepdims=True)))(x_out)
link = keras.Model(x_inp, pred); link.compile(keras.optimizers.Adam(0.05), "binary_crossentropy")
src = np.random.randint(0, 6, (16, 1)); dst = np.random.randint(0, 6, (16, 1)); y = np.random.randint(0, 2, (16, 1))
link.fit([src, dst], y, epochs=3, verbose=0)
ids = np.arange(6).reshape(-1, 1)
trained = keras.Model(x_inp[0], x_out[0]).predict(ids, verbose=0)
n_inp, n_out = a.node_model()
node = keras.Model(n_inp, n_out)
ids_of = lambda m: {id(v) for v in m.trainable_variables}
print("kernels of the node model shared with the trained link model: %d of %d" % (len(ids_of(node) & ids_of(link)), len(ids_of(node))))
print("kernels: node_model() embeddings equal the trained ones: %s" % bool(np.allclose(node.predict(ids, verbose=0), trained)))
