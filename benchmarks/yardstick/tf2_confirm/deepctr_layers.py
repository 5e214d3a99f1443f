# usage: deepctr_layers.py TREE   (TREE holds the deepctr package of one commit)
# DeepCTR's layers of 2018-2019 import tensorflow.python.keras, which TF 2.21 no longer fills:
# those names are pointed at tf_keras. Each layer is called twice eagerly (variables each call
# creates) and a fresh instance twice under tf.function.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import tf_keras
for sub in ("", ".layers", ".initializers", ".regularizers", ".models", ".backend", ".activations"):
    sys.modules["tensorflow.python.keras" + sub] = eval("tf_keras" + sub)
sys.path.insert(0, os.path.abspath(sys.argv[1]))
def run(name, mk, *args, **kw):
    a = mk(); f = lambda: a(*args, **kw)
    print(name, "variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
    b = mk(); print(name, try_tf_function(lambda *t: b(*t, **kw), *args))
if os.path.isdir(os.path.join(sys.argv[1], "deepctr", "layers")):      # v0.4 (b787cdf and its parent)
    from deepctr.layers.core import DNN, LocalActivationUnit
    run("DNN(use_bn=True)", lambda: DNN((4, 4), use_bn=True), tf.random.normal([2, 8]), training=True)
    run("LocalActivationUnit", lambda: LocalActivationUnit(hidden_units=(4,)),
        [tf.random.normal([2, 1, 8]), tf.random.normal([2, 5, 8])], training=True)
    tf.compat.v1.disable_v2_tensorshape()  # FGCNNLayer reads Dimension.value
    from deepctr.layers.interaction import FGCNNLayer
    run("FGCNNLayer", lambda: FGCNNLayer(filters=(2,), kernel_width=(2,), new_maps=(2,), pooling_width=(2,)),
        tf.random.normal([2, 4, 3]))
else:                                                                    # v0.2 (82efc6f and its parent)
    import deepctr.layers as L
    L.tf = tf.compat.v1  # 2018 code: keep_dims=, softmax(dim=), dropout(x, keep_prob)
    run("AFMLayer", lambda: L.AFMLayer(attention_factor=3), [tf.random.normal([2, 1, 4]) for _ in range(3)])
    run("MLP(use_bn=False)", lambda: L.MLP([4, 4], "relu", 0.0, 1.0, False, 1024), tf.random.normal([2, 6]))
