# lululxvi/deepxde 8cc7764: DeepONet.merge_branch_trunk, run by every call, made its output bias as a
# new tf.Variable each time; the fix makes the biases once in __init__. deepxde's top-level
# __init__ imports scipy and scikit-learn for geometry and data, which the network does not use, so
# the package is entered below it (deepxde.nn.tensorflow.deeponet, with its own config and backend),
# and tensorflow_probability, which the TF backend imports for a version check only, is a stand-in.
# One DeepONet is called twice eagerly while the variables each call creates are counted, and a
# fresh one twice under tf.function.
import os, sys, types; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
os.environ["DDE_BACKEND"] = "tensorflow"
root = os.path.abspath(sys.argv[1])
tfp = types.ModuleType("tensorflow_probability"); tfp.__version__ = "0.20.0"
sys.modules["tensorflow_probability"] = tfp
pkg = types.ModuleType("deepxde"); pkg.__path__ = [os.path.join(root, "deepxde")]; sys.modules["deepxde"] = pkg
from deepxde.nn.tensorflow import deeponet as D
x = (tf.random.normal([3, 5]), tf.random.normal([3, 1]))
a = D.DeepONet([5, 8, 8], [1, 8, 8], "tanh", "Glorot normal")
f = lambda: a(x)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
b = D.DeepONet([5, 8, 8], [1, 8, 8], "tanh", "Glorot normal")
print(try_tf_function(lambda u, v: b((u, v)), *x))
