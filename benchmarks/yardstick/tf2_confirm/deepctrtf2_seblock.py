# ZermZhang/DeepCTR-tf2 ebc19ff1 ("fix the input dim of the SE block"): SeBlockLayer.call made its
# two Dense layers per call (`tf.keras.layers.Dense(self.mid_dim)(se_inputs)`, then
# `Dense(self.out_dim)`); the fix makes them once in __init__. The export's custom_layers.py is
# imported and one SeBlockLayer called twice eagerly on three 2-D feature embeddings while the
# variables each call creates are counted, then a fresh one twice inside tf.function. The layer also
# appends to `self.avg_weights` on every call and never empties it (a second bug neither commit
# touches, still at HEAD), so the second call's input to the first Dense is twice as wide; each
# check is run as is and with `avg_weights` emptied before every call, which isolates the per-call
# layers.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
setup(os.path.abspath(sys.argv[1]))
from custom_utils import custom_layers as cl
embs = [tf.random.normal([2, 4]), tf.random.normal([2, 6]), tf.random.normal([2, 3])]
for reset in (False, True):
    tag = "avg_weights emptied per call" if reset else "as is"
    a = cl.SeBlockLayer(3, ratio=2)
    def f(layer=a):
        if reset:
            layer.avg_weights = []
        return layer(embs)
    try:
        n1 = new_vars(f); n2 = new_vars(f)
        print("variables created by eager call 1, call 2 (%s):" % tag, n1, n2,
              "; tracked:", len(a.trainable_variables))
    except Exception as e:  # noqa: BLE001
        print("variables: eager calls (%s) RAISE" % tag, msg(e))
    b = cl.SeBlockLayer(3, ratio=2)
    def g(x, y, z, layer=b):
        if reset:
            layer.avg_weights = []
        return layer([x, y, z])
    print(try_tf_function(g, *embs), "(%s)" % tag)
