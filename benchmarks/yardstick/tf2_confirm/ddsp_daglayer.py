# ddsp 5a06bce: DAGLayer stored its modules with self.__dict__.update(...), which Keras does not
# track, so the modules' variables are not in the layer's (or its model's) trainable_variables and
# a step over that list never trains them (the commit: "preventing training of Reverb inside of
# ProcessorGroup"). usage: ddsp_daglayer.py TREE   (TREE = the exported commit)
# ddsp/dags.py and ddsp/core.py are loaded from the export; ddsp/__init__.py (which imports every
# submodule) is skipped. gin and scipy.fftpack are not installed here: stand-ins that only return
# what they decorate (core.py uses fftpack in functions this check never calls).
import os, sys, types
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403  (tf with TF_USE_LEGACY_KERAS=1)
import numpy as np
tree = sys.argv[1]
def _deco(*a, **k):
    if len(a) == 1 and callable(a[0]) and not k:
        return a[0]
    return lambda f: f
gin = types.ModuleType("gin"); gin.register = gin.configurable = gin.external_configurable = _deco
sys.modules["gin"] = gin
scipy = types.ModuleType("scipy"); scipy.fftpack = types.ModuleType("scipy.fftpack")
sys.modules["scipy"] = scipy; sys.modules["scipy.fftpack"] = scipy.fftpack
pkg = types.ModuleType("ddsp"); pkg.__path__ = [os.path.join(tree, "ddsp")]; sys.modules["ddsp"] = pkg
from ddsp import dags  # noqa: E402
tf.random.set_seed(0)
x = tf.ones([4, 5])
for how in ("kwarg modules", "dag modules"):
    enc, bot, dec = (tf.keras.layers.Dense(n, name=nm) for n, nm in ((5, "encoder"), (2, "bottleneck"), (5, "decoder")))
    if how == "kwarg modules":
        dag = [("encoder", ["inputs/x"], ["z"]), ("bottleneck", ["encoder/z"], ["zb"]), ("decoder", ["bottleneck/zb"], ["rec"])]
        layer = dags.DAGLayer(dag, encoder=enc, bottleneck=bot, decoder=dec)
    else:
        dag = [(enc, ["inputs/x"], ["z"]), (bot, ["encoder/z"], ["zb"]), (dec, ["bottleneck/zb"], ["rec"])]
        layer = dags.DAGLayer(dag)
    inp = tf.keras.Input([5])
    model = tf.keras.Model(inp, layer({"x": inp})["out"]["rec"])
    before = [k.numpy().copy() for k in (enc.kernel, bot.kernel, dec.kernel)]
    opt = tf.keras.optimizers.SGD(0.1)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - 1.0))
    grads = tape.gradient(loss, model.trainable_variables)
    if model.trainable_variables:
        opt.apply_gradients(zip(grads, model.trainable_variables))
    moved = sum(int(not np.allclose(b, k.numpy())) for b, k in zip(before, (enc.kernel, bot.kernel, dec.kernel)))
    print(f"variables of DAGLayer ({how}): {len(layer.trainable_variables)} of the 6 its 3 Dense modules hold; "
          f"the model's trainable_variables: {len(model.trainable_variables)}; one step over them moves {moved} of 3 kernels")
