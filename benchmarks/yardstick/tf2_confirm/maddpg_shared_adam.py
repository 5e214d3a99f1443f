# iminders/maddpg 5b09633: Agent.update_params stepped every agent's critic with one Keras Adam
# (self.critic_optimizer) and every agent's actor with another (self.actor_optimizer).
# update_params' own source, taken from the export with ast, runs eagerly on a stub agent of two
# agents' small Keras models; update_target_variables is the export's own (maddpg/common/tf_utils.py).
import os, sys, time, types; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *; from extract import load
import numpy as np
root = sys.argv[1]
path = root + "/maddpg/agents/maddpg/agent.py"
K = tf.keras
utv = load(root + "/maddpg/common/tf_utils.py", "update_target_variables", {"tf": tf})
logger = types.SimpleNamespace(debug=lambda *a: None, info=lambda *a: None)
update_params = load(path, "Agent.update_params", {"tf": tf, "np": np, "time": time, "logger": logger, "update_target_variables": utv})
N, OBS, ACT, B = 2, 6, 2, 4
def mlp(out, inp):
    m = K.Sequential([K.layers.Dense(8, activation="relu"), K.layers.Dense(out)]); m.build((None, inp)); return m
class Agent: pass
Agent.update_params = update_params
ag = Agent(); ag.n = N; ag.args = types.SimpleNamespace(gamma=0.95, tau=0.01)
ag.actors = [mlp(ACT, OBS) for _ in range(N)]; ag.target_actors = [mlp(ACT, OBS) for _ in range(N)]
ag.critics = [mlp(1, OBS + ACT) for _ in range(N)]; ag.target_critics = [mlp(1, OBS + ACT) for _ in range(N)]
# give the agent the optimizers its own __init__ makes on this side
src = open(path).read()
if "self.critic_optimizers" in src:
    ag.actor_optimizers = [K.optimizers.Adam(1e-2) for _ in range(N)]; ag.critic_optimizers = [K.optimizers.Adam(1e-2) for _ in range(N)]
else:
    ag.actor_optimizer = K.optimizers.Adam(1e-2); ag.critic_optimizer = K.optimizers.Adam(1e-2)
obs = np.random.randn(B, OBS); nxt = np.random.randn(B, OBS); act = np.random.uniform(-1, 1, (B, N, ACT))
rew = np.random.randn(B, N); done = np.zeros((B, N))
models = ag.critics + ag.actors
before = [[v.numpy().copy() for v in m.trainable_variables] for m in models]
try:
    ag.update_params(obs, act, rew, nxt, done)
    moved = [any(not np.allclose(x, v.numpy()) for x, v in zip(b, m.trainable_variables)) for b, m in zip(before, models)]
    print(f"train: OK, critics moved {moved[:N]}, actors moved {moved[N:]}")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("train RAISES", msg(e))
