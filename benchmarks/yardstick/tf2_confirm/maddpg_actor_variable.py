# iminders/maddpg 7ad4ec1: inside the actor's GradientTape, Agent.update_params copies the joint
# action into a new tf.Variable and assigns the actor's action into its slice, so the critic term
# of the actor loss has no gradient path to the actor. update_params' own source, taken from the
# export with ast, runs eagerly on a stub agent of two agents' small Keras models, twice from the same
# start with the critics' output layer negated the second time: if the actor step ignores the
# critic, the actor moves identically in both runs.
import os, sys, time, types, inspect; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *; from extract import load
import numpy as np
root = sys.argv[1]
path = root + "/maddpg/agents/maddpg/agent.py"
K = tf.keras
utv = load(root + "/maddpg/common/tf_utils.py", "update_target_variables", {"tf": tf})
logger = types.SimpleNamespace(debug=lambda *a: None, info=lambda *a: None)
update_params = load(path, "Agent.update_params", {"tf": tf, "np": np, "time": time, "logger": logger, "update_target_variables": utv})
per_agent_obs = "obs_n" in inspect.signature(update_params).parameters  # the fix passes one observation per agent
N, OBS, ACT, B = 2, 6, 2, 8
CIN = (N * OBS if per_agent_obs else OBS) + N * ACT
def mlp(out, inp, seed):
    init = K.initializers.GlorotUniform(seed)
    m = K.Sequential([K.layers.Dense(8, activation="relu", kernel_initializer=init), K.layers.Dense(out, kernel_initializer=init)]); m.build((None, inp)); return m
rng = np.random.RandomState(0)
obs = rng.randn(B, N, OBS) if per_agent_obs else rng.randn(B, OBS)
nxt = rng.randn(*obs.shape); act = rng.uniform(-1, 1, (B, N, ACT)); rew = rng.randn(B, N); done = np.zeros((B, N))
class Agent: pass
Agent.update_params = update_params
def run(flip):
    ag = Agent(); ag.n = N; ag.args = types.SimpleNamespace(gamma=0.95, tau=0.01)
    ag.actors = [mlp(ACT, OBS, 1 + i) for i in range(N)]; ag.target_actors = [mlp(ACT, OBS, 11 + i) for i in range(N)]
    ag.critics = [mlp(1, CIN, 21 + i) for i in range(N)]; ag.target_critics = [mlp(1, CIN, 31 + i) for i in range(N)]
    if flip:
        for c in ag.critics:
            c.layers[-1].kernel.assign(-c.layers[-1].kernel)
    ag.actor_optimizers = [K.optimizers.SGD(0.1) for _ in range(N)]; ag.critic_optimizers = [K.optimizers.SGD(0.0) for _ in range(N)]
    start = [v.numpy().copy() for v in ag.actors[0].trainable_variables]
    ag.update_params(obs, act, rew, nxt, done)
    return [v.numpy() - s for v, s in zip(ag.actors[0].trainable_variables, start)]
try:
    d1, d2 = run(False), run(True)
    same = all(np.allclose(a, b) for a, b in zip(d1, d2))
    print(f"train: OK, actor 0 step |d| {sum(float(np.abs(a).sum()) for a in d1):.4f}; same step with the critic negated: {same}")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("train RAISES", msg(e))
