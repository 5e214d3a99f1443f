# rickstaa/LAC-TF2-TORCH-translation 4b18fb3: LAC.learn (LAC_CLEAN-tf2-eager-improved/lac.py) ran the
# actor on the next state and the Lyapunov critic (lya_a_ = self.ga(bs_); self.l_delta = ...) before
# and outside the actor's GradientTape, so the Lyapunov term of the actor loss gives the actor no
# gradient. learn's own source (with its @tf.function), taken from the export with ast, runs on a
# stub agent of small Keras models (a deterministic actor returning (a, mu, log_pi): the project's
# SquashedGaussianActor needs tensorflow_probability), twice from the same start, the second time
# with the Lyapunov critic's output layer negated: if the actor step ignores the critic, the actor
# moves identically in both runs.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *; from extract import load
import numpy as np
path = sys.argv[1] + "/LAC_CLEAN-tf2-eager-improved/lac.py"
K = tf.keras
ALG = {"gamma": 0.99, "alpha3": 0.2}
S, A, B = 3, 2, 8
def dense_stack(out, seed):
    init = K.initializers.GlorotUniform(seed)
    return [K.layers.Dense(8, activation="relu", kernel_initializer=init), K.layers.Dense(out, kernel_initializer=init)]
class Actor(K.Model):
    def __init__(self, seed):
        super().__init__(); self.l1, self.mu = dense_stack(A, seed)
    def call(self, s):
        mu = self.mu(self.l1(s)); a = tf.tanh(mu)
        return a, mu, -tf.reduce_sum(tf.square(mu), axis=1)  # a log-probability stand-in that depends on the actor
class Lyapunov(K.Model):
    def __init__(self, seed):
        super().__init__(); self.l1, self.out = dense_stack(1, seed)
    def call(self, inp):
        return tf.square(self.out(self.l1(tf.concat(inp, axis=1))))
rng = np.random.RandomState(0)
batch = {"s": tf.constant(rng.randn(B, S), tf.float32), "a": tf.constant(rng.uniform(-1, 1, (B, A)), tf.float32),
         "r": tf.constant(rng.randn(B, 1), tf.float32), "terminal": tf.zeros((B, 1)), "s_": tf.constant(rng.randn(B, S), tf.float32)}
def run(flip):
    learn = load(path, "LAC.learn", {"tf": tf, "ALG_PARAMS": ALG})  # a fresh tf.function per agent
    class Agent:
        labda = property(lambda self: tf.exp(self.log_labda)); alpha = property(lambda self: tf.exp(self.log_alpha))
        def update_target(self): pass
    Agent.learn = learn
    ag = Agent(); ag.ga, ag.ga_ = Actor(1), Actor(2); ag.lc, ag.lc_ = Lyapunov(3), Lyapunov(4)
    for m in (ag.ga, ag.ga_): m(batch["s"])
    for m in (ag.lc, ag.lc_): m([batch["s"], batch["a"]])
    if flip:
        ag.lc.out.kernel.assign(-2.0 * ag.lc.out.kernel)
    ag.log_labda = tf.Variable(0.0); ag.log_alpha = tf.Variable(np.log(0.01), dtype=tf.float32); ag.target_entropy = -A
    ag.a_train = K.optimizers.SGD(0.1); ag.l_train = K.optimizers.SGD(0.0); ag.lambda_train = K.optimizers.SGD(0.0); ag.alpha_train = K.optimizers.SGD(0.0)
    start = [v.numpy().copy() for v in ag.ga.trainable_variables]
    ag.learn(1e-3, 1e-3, 1e-3, batch)
    return [v.numpy() - s for v, s in zip(ag.ga.trainable_variables, start)]
try:
    d1, d2 = run(False), run(True)
    same = all(np.allclose(a, b) for a, b in zip(d1, d2))
    print(f"train: OK, actor step |d| {sum(float(np.abs(a).sum()) for a in d1):.4f}; same step with the Lyapunov critic changed: {same}")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("train RAISES", msg(e))
