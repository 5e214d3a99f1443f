# StepNeverStop/RLs 705595e: DDPG.train stepped the critic and the actor with one Keras Adam.
# DDPG.train's own source, taken from the export with ast, runs under its tf.function on a stub
# agent of two small Keras models (the project's Nn, Policy and ml-agents are not needed).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *; from extract import load
import numpy as np
path = sys.argv[1] + "/Algorithms/tf2algos/ddpg.py"
K = tf.keras
K.backend.set_floatx("float64")  # train() casts `done` to float64, as the project's models are
train = load(path, "DDPG.train", {"tf": tf, "np": np})
class Actor(K.Model):
    def __init__(self):
        super().__init__(); self.d = K.layers.Dense(2, activation="tanh")
    def call(self, s, v):
        return self.d(s)
class Critic(K.Model):
    def __init__(self):
        super().__init__(); self.d = K.layers.Dense(1)
    def call(self, s, v, a):
        return self.d(tf.concat([s, a], -1))
class Agent: pass
Agent.train = train
ag = Agent(); ag.device = "/cpu:0"; ag.gamma = 0.99; ag.action_noise = lambda: np.zeros(2)
ag.actor_net, ag.actor_target_net, ag.q_net, ag.q_target_net = Actor(), Actor(), Critic(), Critic()
lr = 1e-3
# the two sides name their optimizers differently: give the agent what its __init__ made
src = open(path).read()
if "self.actor_optimizer" in src:
    ag.actor_optimizer = K.optimizers.Adam(lr); ag.critic_optimizer = K.optimizers.Adam(lr)
else:
    ag.optimizer = K.optimizers.Adam(lr)
f64 = tf.float64
s = tf.random.normal([4, 3], dtype=f64); a = tf.random.uniform([4, 2], -1, 1, dtype=f64); r = tf.random.normal([4, 1], dtype=f64)
done = np.zeros([4, 1]); vis = tf.zeros([4, 0], f64)
for m, args in ((ag.actor_net, (s, vis)), (ag.actor_target_net, (s, vis)), (ag.q_net, (s, vis, a)), (ag.q_target_net, (s, vis, a))):
    m(*args)  # built up front, as the project's Nn builders do
before = [v.numpy().copy() for v in ag.actor_net.trainable_variables + ag.q_net.trainable_variables]
try:
    ag.train(s, vis, a, r, s, vis, done)
    after = [v.numpy() for v in ag.actor_net.trainable_variables + ag.q_net.trainable_variables]
    moved = [not np.allclose(x, y) for x, y in zip(before, after)]
    print(f"train: OK, critic moved {any(moved[2:])}, actor moved {any(moved[:2])}")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("train RAISES", msg(e))
