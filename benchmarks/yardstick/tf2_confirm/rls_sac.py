# StepNeverStop/RLs 1ff6be9: SAC.train stepped the critics (q1, q2, v), the actor and log_alpha
# with one Keras Adam. SAC.train's own source, taken from the export with ast, runs under its
# tf.function on a stub agent of small subclassed Keras models; tensorflow_probability (not
# installed here) is replaced by a Normal of the same methods, which makes no variable.
import os, sys, types; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *; from extract import load
import numpy as np
path = sys.argv[1] + "/Algorithms/tf2algos/sac.py"
K = tf.keras
K.backend.set_floatx("float64")  # train() casts `done` to float64, as the project's models are


class Normal:
    def __init__(self, loc, scale):
        self.loc, self.scale = loc, scale
    def sample(self):
        return self.loc + self.scale * tf.random.normal(tf.shape(self.loc), dtype=self.loc.dtype)
    def log_prob(self, x):
        z = (x - self.loc) / self.scale
        return -0.5 * z * z - tf.math.log(self.scale) - 0.5 * np.log(2 * np.pi)
    def entropy(self):
        return 0.5 + 0.5 * np.log(2 * np.pi) + tf.math.log(self.scale)


tfp = types.SimpleNamespace(distributions=types.SimpleNamespace(Normal=Normal))
train = load(path, "SAC.train", {"tf": tf, "np": np, "tfp": tfp})


class Actor(K.Model):
    def __init__(self):
        super().__init__(); self.mu = K.layers.Dense(2, activation="tanh"); self.sigma = K.layers.Dense(2, activation="softplus")
    def call(self, s, v):
        return self.mu(s), self.sigma(s)
class Q(K.Model):
    def __init__(self):
        super().__init__(); self.d = K.layers.Dense(1)
    def call(self, s, v, a):
        return self.d(tf.concat([s, a], -1))
class V(K.Model):
    def __init__(self):
        super().__init__(); self.d = K.layers.Dense(1)
    def call(self, s, v):
        return self.d(s)
class Agent: pass
Agent.train = train
ag = Agent(); ag.device = "/cpu:0"; ag.gamma = 0.99; ag.a_counts = 2; ag.sigma_offset = np.full([2], 0.01)
ag.auto_adaption = True; ag.log_alpha = tf.Variable(0.0, dtype=tf.float64, name="log_alpha")
ag.actor_net, ag.q1_net, ag.q2_net, ag.v_net, ag.v_target_net = Actor(), Q(), Q(), V(), V()
src = open(path).read()
if "self.optimizer_actor" in src:  # what each side's __init__ made
    ag.optimizer_critic, ag.optimizer_actor, ag.optimizer_alpha = (K.optimizers.Adam(1e-3) for _ in range(3))
else:
    ag.optimizer = K.optimizers.Adam(1e-3)
f64 = tf.float64
s = tf.random.normal([4, 3], dtype=f64); a = tf.random.uniform([4, 2], -1, 1, dtype=f64); r = tf.random.normal([4, 1], dtype=f64)
done = np.zeros([4, 1]); vis = tf.zeros([4, 0], f64)
for m, args in ((ag.actor_net, (s, vis)), (ag.q1_net, (s, vis, a)), (ag.q2_net, (s, vis, a)), (ag.v_net, (s, vis)), (ag.v_target_net, (s, vis))):
    m(*args)  # built up front, as the project's Nn builders do
nets = (ag.q1_net, ag.q2_net, ag.v_net, ag.actor_net)
before = [[v.numpy().copy() for v in n.trainable_variables] for n in nets] + [ag.log_alpha.numpy()]
try:
    ag.train(s, vis, a, r, s, vis, done)
    after = [[v.numpy() for v in n.trainable_variables] for n in nets] + [ag.log_alpha.numpy()]
    moved = [any(not np.allclose(x, y) for x, y in zip(b, c)) for b, c in zip(before[:4], after[:4])] + [before[4] != after[4]]
    print("train: OK, moved (q1, q2, v, actor, log_alpha):", moved)
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("train RAISES", msg(e))
