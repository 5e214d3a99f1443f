import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *; from extract import load
import numpy as np
path = sys.argv[1] + "/tf2rl/algos/sac_ae.py"
K = tf.keras
class Enc(K.Model):
    def __init__(s): super().__init__(); s.d = K.layers.Dense(4)
    def call(s, x, stop_q_grad=False):
        f = s.d(x); return tf.stop_gradient(f) if stop_q_grad else f
class Q(K.Model):
    def __init__(s): super().__init__(); s.d = K.layers.Dense(1)
    def call(s, f, a): return tf.squeeze(s.d(tf.concat([f, a], 1)), 1)
class Actor(K.Model):
    def __init__(s): super().__init__(); s.d = K.layers.Dense(2)
    def call(s, f): a = s.d(f); return a, tf.reduce_sum(a, 1)
fn = load(path, "SACAE._update_critic", {"tf": tf, "np": np})
class S: pass
S.upd = fn
self = S(); self.__dict__.update({"device": "/cpu:0", "_encoder": Enc(), "_encoder_target": Enc(), "actor": Actor(), "qf1": Q(), "qf2": Q(),
    "qf1_target": Q(), "qf2_target": Q(), "qf1_optimizer": K.optimizers.Adam(0.1), "qf2_optimizer": K.optimizers.Adam(0.1),
    "alpha": 0.1, "discount": 0.99, "_stop_q_grad": False})
o = tf.random.normal([8, 6]); a = tf.random.normal([8, 2]); r = tf.random.normal([8, 1]); d = tf.zeros([8, 1])
self._encoder(o); self.qf1(self._encoder(o), a); self.qf2(self._encoder(o), a)
before = [v.numpy().copy() for v in self._encoder.trainable_variables]
self.upd(o, a, o, r, d, None)
moved = any(not np.allclose(b, v.numpy()) for b, v in zip(before, self._encoder.trainable_variables))
print("critic step changed the shared encoder:", moved)
