# SeldonIO/alibi-detect 98ad0db ("Update GaussianRBF and DeepKernel to init sigma correctly"):
# `GaussianRBF.call` with `infer_sigma=True` (or on the first call of a kernel whose sigma is to be
# inferred) stores `self.log_sigma = tf.Variable(...)`: a new variable on every such call. The fix
# makes the variable in `__init__` and assigns to it. alibi_detect/utils/tensorflow/kernels.py is
# imported from the export below the package __init__ files (scipy, which it imports for
# DeepKernel's `logit`, is given a stand-in; the RBF kernel does not use it); a kernel with
# inferred sigma is called twice eagerly counting variables, and a fresh one inside tf.function.
import os, sys, types, importlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
tree = os.path.abspath(sys.argv[1]); sys.path.insert(0, tree)
sp = types.ModuleType("scipy"); sps = types.ModuleType("scipy.special"); sps.logit = lambda p: float(tf.math.log(p / (1 - p)))
sp.special = sps; sys.modules["scipy"] = sp; sys.modules["scipy.special"] = sps
for name in ("alibi_detect", "alibi_detect.utils", "alibi_detect.utils.tensorflow"):
    m = types.ModuleType(name); m.__path__ = [os.path.join(tree, *name.split("."))]; sys.modules[name] = m
kernels = importlib.import_module("alibi_detect.utils.tensorflow.kernels")
x = tf.random.normal([6, 3]); y = tf.random.normal([5, 3])
k = kernels.GaussianRBF()
f = lambda: k(x, y, infer_sigma=True)
print("variables created by eager call 1, call 2 (infer_sigma=True):", new_vars(f), new_vars(f))
k2 = kernels.GaussianRBF()
print(try_tf_function(lambda a, b: k2(a, b, infer_sigma=True), x, y))
