# ADGEfficiency/soft-actor-critic 270899f / 8cacc37: update_qfuncs (qfunc.py) over the two online
# Q-functions. qfunc.py of the export is loaded as a module (with the export's utils.py); two online and
# two target Q-functions are built with its own make_qfunc, update_qfuncs runs once on a random batch
# with a stub actor, given the optimizers main.py gives it on that side (one Adam when the parameter is
# `optimizer`, one Adam per Q-function when it is `optimizers`), and the onlines' weights are compared
# with their starting values.
import os, sys, inspect, importlib.util; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
tree = os.path.abspath(sys.argv[-1]); sys.path.insert(0, tree)
# tensorboard is not installed: the summaries update_qfuncs writes become no-ops (they touch no variable)
tf.summary.scalar = tf.summary.histogram = lambda *a, **k: None
spec = importlib.util.spec_from_file_location("qfunc_under_test", tree + "/qfunc.py"); mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
OBS, ACT, B = 3, 2, 8
onlines = [mod.make_qfunc((OBS,), (ACT,), f"online-{i}") for i in (1, 2)]
targets = [mod.make_qfunc((OBS,), (ACT,), f"target-{i}") for i in (1, 2)]
def actor(obs):
    a = tf.tanh(obs[:, :ACT]); return a, tf.zeros([tf.shape(obs)[0], 1]), a
rng = np.random.RandomState(0)
batch = {"observation": rng.randn(B, OBS).astype("float32"), "action": rng.uniform(-1, 1, (B, ACT)).astype("float32"),
         "reward": rng.randn(B, 1).astype("float32"), "done": np.zeros((B, 1), "float32"), "next_observation": rng.randn(B, OBS).astype("float32")}
params = inspect.signature(mod.update_qfuncs).parameters
args = {"batch": batch, "actor": actor, "onlines": onlines, "targets": targets, "writer": tf.summary.create_noop_writer(),
        "counters": {"qfunc_updates": 0}, "hyp": {"alpha": 0.1, "gamma": 0.99}, "log_alpha": tf.Variable(np.log(0.1), dtype=tf.float32)}
if "optimizers" in params:
    args["optimizers"] = [tf.keras.optimizers.Adam(1e-3) for _ in onlines]
else:
    args["optimizer"] = tf.keras.optimizers.Adam(1e-3)
start = [[w.copy() for w in o.get_weights()] for o in onlines]
try:
    mod.update_qfuncs(**{k: v for k, v in args.items() if k in params})
    moved = [any(not np.allclose(a, b) for a, b in zip(s, o.get_weights())) for s, o in zip(start, onlines)]
    print(f"train: OK, onlines moved {moved}")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("train RAISES", msg(e))
