import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *; from extract import load
import numpy as np
path = sys.argv[1] + "/tf2rl/experiments/mpc_trainer.py"
K = tf.keras
fn = load(path, "MPCTrainer._fit_dynamics_body", {"tf": tf, "np": np})
class S: pass
S.body = fn
s = S(); s._dynamics_models = [K.Sequential([K.layers.Dense(3)]) for _ in range(2)]
s._optimizers = [K.optimizers.Adam(1e-3) for _ in range(2)]; s._n_dynamics_model = 2
x = tf.random.normal([4, 5]); y = tf.random.normal([4, 3])
for m in s._dynamics_models: m(x)  # built up front, as __init__ does: only optimizer slots are created in the body
try:
    if fn.__code__.co_argcount == 5 if hasattr(fn, "__code__") else "dynamics_model" in open(path).read().split("def _fit_dynamics_body")[1].split(")")[0]:
        for m, o in zip(s._dynamics_models, s._optimizers):  # as fit_dynamics() calls it
            s.body(x, y, m, o)
    else:
        s.body(x, y)
    print("both dynamics models trained: OK")
except Exception as e:
    print("RAISES", msg(e))
