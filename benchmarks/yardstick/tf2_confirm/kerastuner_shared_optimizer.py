# keras-team/keras-tuner e2ced41: the one optimizer object given as `Tuner(optimizer=...)` is
# passed to the `compile` of every trial's model. The package is imported from the export
# (tf_keras; stand-ins for IPython, which keras_tuner.utils imports for notebook display only,
# and for tensorboard's hparams plugin); a RandomSearch of two trials with
# `optimizer=tf.keras.optimizers.Adam(0.01)` is run as the fix's own test does.
import os, sys, types, tempfile
# the export's generated keras_tuner_pb2 (2023) predates protobuf 4's upb parser
os.environ["PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION"] = "python"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
ip = types.ModuleType("IPython"); ip.get_ipython = lambda: None
ip.display = types.ModuleType("IPython.display"); sys.modules["IPython"] = ip; sys.modules["IPython.display"] = ip.display
# tensorboard (not installed) is imported for its hparams plugin, used only with a TensorBoard callback
tb = {n: types.ModuleType(n) for n in ("tensorboard", "tensorboard.plugins", "tensorboard.plugins.hparams",
                                       "tensorboard.plugins.hparams.api")}
tb["tensorboard.plugins.hparams"].api = tb["tensorboard.plugins.hparams.api"]; sys.modules.update(tb)
sys.path.insert(0, sys.argv[1])
import keras_tuner
# tf_keras's deserializer rewrites a module path that starts with "keras" to "tf_keras...", so
# keras_tuner's own hyperparameter classes are looked up as tf_keras_tuner.*: alias those names
for name in [n for n in sys.modules if n.startswith("keras_tuner")]:
    sys.modules["tf_" + name] = sys.modules[name]
keras = tf.keras
models = []
def build_model(hp):
    m = keras.Sequential([keras.layers.Dense(hp.Int("units", 2, 8, step=2), activation="relu", input_shape=(4,)),
                          keras.layers.Dense(1)])
    m.compile(optimizer="sgd", loss="mse")
    models.append(m)
    return m
rng = np.random.default_rng(0)
x, y = rng.random((16, 4)).astype("float32"), rng.random((16, 1)).astype("float32")
opt = keras.optimizers.Adam(0.01)
tuner = keras_tuner.tuners.RandomSearch(build_model, objective="val_loss", max_trials=2, optimizer=opt,
                                        directory=tempfile.mkdtemp(), seed=1)
import io, contextlib
err = io.StringIO()
try:
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(err):
        tuner.search(x, y, epochs=1, validation_data=(x, y), verbose=0)
    trials = list(tuner.oracle.trials.values())
    print("optimizer given to the tuner: trial statuses", [t.status for t in trials],
          "; models compiled with the Adam object given to the tuner:", sum(m.optimizer is opt for m in models), "of", len(models))
    for line in err.getvalue().splitlines():
        if "cannot recognize variable" in line or "Unknown variable" in line:
            print("optimizer: failed trial RAISES", line.strip()[:120]); break
except Exception as e:  # noqa: BLE001  (report whatever Keras raises)
    print("optimizer: search RAISES", msg(e))
