# shenweichen/DeepCTR d0da3eb: `Transformer.call` (positional encoding on, as BST uses it)
# calls the module function `positional_encoding`, which makes its lookup table with
# `K.variable(position_enc)` on every call. deepctr/layers/sequence.py of the export is loaded
# below the package __init__ files, its tensorflow.python.keras imports (not filled by TF 2.21)
# pointed at tf_keras and its contrib RNN imports (used only by DynamicGRU) given empty stand-ins;
# the layer is called twice eagerly, counting variables per call, and a fresh one under tf.function.
import os, sys, types, importlib; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import tf_keras
for sub in ("", ".layers", ".initializers", ".regularizers", ".models", ".backend", ".activations"):
    sys.modules["tensorflow.python.keras" + sub] = eval("tf_keras" + sub)
root = os.path.join(sys.argv[1], "deepctr")
for p in ("", ".layers", ".contrib"):
    m = types.ModuleType("deepctr" + p); m.__path__ = [root + p.replace(".", "/")]; sys.modules["deepctr" + p] = m
for n in ("deepctr.contrib.rnn_v2", "deepctr.contrib.rnn"):
    m = types.ModuleType(n); m.dynamic_rnn = None; sys.modules[n] = m
m = types.ModuleType("deepctr.contrib.utils"); m.QAAttGRUCell = m.VecAttGRUCell = object; sys.modules["deepctr.contrib.utils"] = m
seq = importlib.import_module("deepctr.layers.sequence")
q, k = tf.random.normal([2, 5, 4]), tf.random.normal([2, 5, 4]); ql = kl = tf.constant([[5], [3]])
mk = lambda: seq.Transformer(att_embedding_size=2, head_num=2, use_positional_encoding=True)
a = mk(); f = lambda: a([q, k, ql, kl])
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
b = mk(); print(try_tf_function(lambda *t: b(list(t)), q, k, ql, kl))
