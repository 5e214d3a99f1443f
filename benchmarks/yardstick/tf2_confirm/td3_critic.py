# CUN-bjy/gym-td3-keras 956a932: TD3's two critics stepped by one Adam made in CriticNet.__init__.
# agent/critic.py is loaded from the export and CriticNet.train runs as td3.py calls it, on random
# batches. The file imports standalone `keras`; under tf_keras (this harness's default) those
# names are pointed at tf_keras, with KERAS3=1 the file's own imports give Keras 3.
import os, sys
if os.environ.get("KERAS3") == "1":
    os.environ["TF_USE_LEGACY_KERAS"] = "0"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import importlib.util
import numpy as np
if os.environ.get("KERAS3") != "1":
    import tf_keras
    sys.modules["keras"] = tf_keras
    for m in ("backend", "initializers", "models", "optimizers", "regularizers", "layers"):
        sys.modules["keras." + m] = getattr(tf_keras, m)
spec = importlib.util.spec_from_file_location("critic", sys.argv[1] + "/agent/critic.py")
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
c = mod.CriticNet((3,), 1, 1e-3, 0.005, 0.99)
w1 = [w.numpy().copy() for w in c.network_1.trainable_variables]
w2 = [w.numpy().copy() for w in c.network_2.trainable_variables]
rng = np.random.default_rng(0)
obs, act, tgt = (rng.random((8, n)).astype("float32") for n in (3, 1, 1))
moved = lambda before, net: any((a != b.numpy()).any() for a, b in zip(before, net.trainable_variables))
try:
    for _ in range(2):
        c.train(obs, act, tgt)
    print("critic train: OK; network_1 moved:", moved(w1, c.network_1), "network_2 moved:", moved(w2, c.network_2))
except Exception as e:  # noqa: BLE001  (report whatever Keras raises)
    print("critic train RAISES", msg(e))
