# kynk94/TF2-Image-Generation 24a1741 ("fix nontrainable bug in use_weight_scaling"): with
# use_weight_scaling=True, build() replaced the layer's kernel (embeddings) variable by a tensor,
# kernel * runtime_coef, computed once at build time: the variable stays in trainable_variables but
# no call reads it, so its gradient is None and it never trains; the fix scales it inside call().
# usage: kynk_weight_scaling.py {dense|embedding} TREE. GAN/layers/<file>.py is loaded alone (tf_keras).
# The fixed dense.py imports tensorflow.python.keras.layers.ops.core, which TF 2.21 no longer has: a
# stand-in dense() (matmul, bias, activation; no variable) is given under that name.
import os, sys, types, importlib.util
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403
import numpy as np
kind, tree = sys.argv[1], sys.argv[2]
ops = types.ModuleType("tensorflow.python.keras.layers.ops.core")
def _dense(inputs, kernel, bias=None, activation=None, dtype=None):
    out = tf.matmul(tf.cast(inputs, kernel.dtype), kernel)
    if bias is not None: out = tf.nn.bias_add(out, bias)
    return activation(out) if activation is not None else out
ops.dense = _dense
for name in ("tensorflow.python.keras", "tensorflow.python.keras.layers", "tensorflow.python.keras.layers.ops"):
    sys.modules.setdefault(name, types.ModuleType(name))
sys.modules["tensorflow.python.keras.layers.ops"].core = ops; sys.modules[ops.__name__] = ops
spec = importlib.util.spec_from_file_location("layer_" + kind, os.path.join(tree, "GAN/layers", kind + ".py"))
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
tf.random.set_seed(0)
if kind == "dense":
    layer = mod.Dense(4, use_weight_scaling=True); x = tf.random.normal([3, 5])
else:
    layer = mod.Embedding(10, 4, use_weight_scaling=True); x = tf.constant([[1, 2], [3, 4]])
layer(x)  # build
before = [v.numpy().copy() for v in layer.trainable_variables]
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.square(layer(x)))
grads = tape.gradient(loss, layer.trainable_variables)
opt = tf.keras.optimizers.SGD(0.1)
opt.apply_gradients([(g, v) for g, v in zip(grads, layer.trainable_variables) if g is not None])
moved = [v.name.split("/")[-1].split(":")[0] for b, v in zip(before, layer.trainable_variables) if not np.allclose(b, v.numpy())]
print(f"variables of {type(layer).__name__}(use_weight_scaling=True): "
      + ", ".join(f"{v.name.split('/')[-1].split(':')[0]} gradient {'None' if g is None else 'present'}" for g, v in zip(grads, layer.trainable_variables))
      + f"; one SGD step moves: {', '.join(moved) or 'nothing'}")
