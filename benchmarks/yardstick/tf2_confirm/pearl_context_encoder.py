# ainklain/pearl_tf2 a24c6e2: PEARLSoftActorCritic._take_step (rlkit_tf2/tf2/sac/sac.py) stepped the
# context encoder with the gradient of the KL loss alone, although the Q loss flows through task_z.
# _take_step's source (and _min_q's), taken from the export with ast, runs eagerly on a stub PEARL agent
# of small Keras models (the project's agent, encoder and networks are not needed), twice from the same
# start, the second time with qf1's and qf2's output layers negated: if the encoder step ignores the Q
# loss, the encoder moves identically in both runs. Optimizers: the legacy (2019) Keras SGD.
import os, sys, types; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *; from extract import load
import numpy as np
path = os.path.abspath(sys.argv[-1]) + "/rlkit_tf2/tf2/sac/sac.py"
K = tf.keras
T, B, O, A, C, Z = 2, 4, 3, 2, 5, 2
def mlp(out, inp, seed):
    init = K.initializers.GlorotUniform(seed)
    m = K.Sequential([K.layers.Dense(8, activation="relu", kernel_initializer=init), K.layers.Dense(out, kernel_initializer=init)]); m.build((None, inp)); return m
class QNet:
    def __init__(self, seed): self.net = mlp(1, O + A + Z, seed)
    trainable_variables = property(lambda self: self.net.trainable_variables)
    def __call__(self, obs, act, z): return self.net(tf.concat([obs, act, z], 1))
class VNet(QNet):
    def __init__(self, seed): self.net = mlp(1, O + Z, seed)
    def __call__(self, obs, z): return self.net(tf.concat([obs, z], 1))
class Agent:
    def __init__(self):
        self.context_encoder = mlp(2 * Z, C, 1); self.policy = mlp(2 * A, O + Z, 2)
    def __call__(self, obs, context):
        stats = tf.reduce_mean(self.context_encoder(tf.reshape(context, [-1, C])), 0)
        self.z_means, self.z_logvar = stats[:Z], stats[Z:]
        task_z = tf.tile(self.z_means[None], [T * B, 1])
        h = self.policy(tf.concat([tf.reshape(obs, [T * B, -1]), tf.stop_gradient(task_z)], 1))
        mean, log_std = h[:, :A], h[:, A:]
        return (tf.tanh(mean), mean, log_std, -tf.reduce_sum(tf.square(mean), 1, keepdims=True), mean), task_z
    def compute_kl_div(self):
        return 0.5 * tf.reduce_sum(tf.square(self.z_means) + tf.exp(self.z_logvar) - self.z_logvar - 1.0)
rng = np.random.RandomState(0)
data = [tf.constant(rng.randn(T, B, d), tf.float32) for d in (O, A, 1, O)] + [tf.zeros([T, B, 1])]
context = tf.constant(rng.randn(T, 6, C), tf.float32)
def run(flip):
    ns = {"tf": tf, "np": np, "OrderedDict": dict, "create_stats_ordered_dict": lambda *a, **k: {}}
    class Algo: pass
    Algo._take_step = load(path, "PEARLSoftActorCritic._take_step", ns); Algo._min_q = load(path, "PEARLSoftActorCritic._min_q", ns)
    s = Algo(); s.agent = Agent(); s.qf1, s.qf2, s.vf, s.target_vf = QNet(3), QNet(4), VNet(5), VNet(6)
    if flip:
        for q in (s.qf1, s.qf2): q.net.layers[-1].kernel.assign(-q.net.layers[-1].kernel)
    s.sample_data = lambda indices: data; s._update_target_network = lambda: None
    s.vf_criterion = K.losses.MeanSquaredError(); s.use_information_bottleneck = True; s.kl_lambda = 0.1
    s.reward_scale, s.discount, s.batch_size = 1.0, 0.99, B
    s.policy_mean_reg_weight = s.policy_std_reg_weight = s.policy_pre_activation_weight = 1e-3
    s.eval_statistics = {}  # not None: the statistics block is skipped
    s.qf_optimizer = K.optimizers.legacy.SGD(0.0); s.vf_optimizer = K.optimizers.legacy.SGD(0.0); s.policy_optimizer = K.optimizers.legacy.SGD(0.0)
    s.context_optimizer = K.optimizers.legacy.SGD(0.1)
    start = [v.numpy().copy() for v in s.agent.context_encoder.trainable_variables]
    s._take_step(list(range(T)), context)
    return [v.numpy() - x for v, x in zip(s.agent.context_encoder.trainable_variables, start)]
try:
    d1, d2 = run(False), run(True)
    same = all(np.allclose(a, b) for a, b in zip(d1, d2))
    print(f"train: OK, context encoder step |d| {sum(float(np.abs(a).sum()) for a in d1):.4f}; same step with the Q-functions negated: {same}")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("train RAISES", msg(e))
