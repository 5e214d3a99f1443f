# usage: rltf2_ddpg_bn.py {actor|critic} TREE   (uchendui/rl-tf2 fc8f6dc: BatchNormalization made in call)
# ddpg/ddpg.py of the export is loaded as a module (gym, imported at the top but not used by the
# models, is not installed here: an empty stand-in); the Actor or Critic model is called twice
# eagerly while the variables each call creates are counted, then a fresh one twice under tf.function.
import os, sys, types, importlib.util; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
which, tree = sys.argv[1], os.path.abspath(sys.argv[2]); sys.path.insert(0, tree)
sys.modules.setdefault("gym", types.ModuleType("gym"))
spec = importlib.util.spec_from_file_location("ddpg_under_test", tree + "/ddpg/ddpg.py"); mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
s = tf.random.normal([4, 3]); a = tf.random.normal([4, 2])
if which == "actor":
    mk = lambda: mod.Actor(action_dim=2, action_range=np.array([2.0, 2.0], np.float32)); args = (s,)
else:
    mk = lambda: mod.Critic(); args = ([s, a],)
m = mk(); f = lambda: m(*args)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
m2 = mk(); print(try_tf_function(lambda *t: m2(*t), *args))
