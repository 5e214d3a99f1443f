import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *; from extract import extract, load
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
    # the buggy body takes (model, optimizer) arguments; the fixed one loops over self's lists
    if "optimizer" in extract(path, "MPCTrainer._fit_dynamics_body").split(")")[0]:
        for m, o in zip(s._dynamics_models, s._optimizers):  # as fit_dynamics() calls it
            s.body(x, y, m, o)
    else:
        s.body(x, y)
    print("both dynamics models trained: OK")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("RAISES", msg(e))
