# adapt-python/adapt 31cc3fb: MDD and MCD built their discriminator with
# check_network(self.task, copy=self.copy), the call that also builds task_; with copy=False (the
# fix's test) both are the task network itself, so the "two classifiers" whose discrepancy the
# method maximises are one model. The fix forces a copy and perturbs its weights. The class's
# _initialize_networks, _initialize_weights (after only) and train_step and utils' check_network
# are taken from the commit with ast (the package needs scikit-learn, scipy and cvxopt, not
# installed here) and run on a stub holding a small encoder and task, copy=False. tf_keras with a
# legacy SGD: the step applies three lists with one optimizer, which the 2022 Keras allowed.
# usage: adapt_task_as_discriminator.py mdd|mcd TREE
import os, sys, ast, warnings
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
from tf_keras import Model, Input, Sequential, layers
from tf_keras.models import clone_model
from tf_keras.optimizers.legacy import SGD

kind, root = sys.argv[1], sys.argv[-1]
ns = {"tf": tf, "np": np, "Model": Model, "Input": Input, "clone_model": clone_model, "warnings": warnings}
def take(path, names, cls=None):
    body = ast.parse(open(path).read()).body
    if cls:
        body = next(n for n in body if isinstance(n, ast.ClassDef) and n.name == cls).body
    body = [n for n in body if isinstance(n, ast.FunctionDef) and n.name in names]
    exec(compile(ast.Module(body=body, type_ignores=[]), path, "exec"), ns)
    return [n.name for n in body]
take(os.path.join(root, "adapt/utils.py"), {"check_network", "predict"})
got = take(os.path.join(root, f"adapt/feature_based/_{kind}.py"),
           {"_initialize_networks", "_initialize_weights", "train_step"}, cls=kind.upper())
class Stub:
    def __call__(self, x): return self.task_(self.encoder_(x))
for n in got: setattr(Stub, n, ns[n])
tf.random.set_seed(0); np.random.seed(0)
s = Stub()
s.encoder = Sequential([layers.Dense(4, input_shape=(3,))])
s.task = Sequential([layers.Dense(1, input_shape=(4,))])
s.copy, s.gamma, s.lambda_ = False, 4.0, 1.0
s.task_loss_ = lambda a, b: tf.reduce_mean(tf.square(a - b), -1)
s.optimizer = SGD(0.1)
s.compiled_metrics = type("M", (), {"update_state": lambda *a: None})()
s.compiled_loss, s.metrics = (lambda *a: None), []
Xs, Xt = np.random.randn(8, 3).astype("float32"), np.random.randn(8, 3).astype("float32") + 1
ys = np.random.randn(8, 1).astype("float32")
s._unpack_data = lambda data: ([Xs], Xt, [ys], None)
s._initialize_networks()
if "_initialize_weights" in got:
    s._initialize_weights((3,))
shared = {id(v) for v in s.task_.trainable_variables} & {id(v) for v in s.discriminator_.trainable_variables}
print(f"networks: discriminator_ is task_ = {s.discriminator_ is s.task_}; shared variables = {len(shared)}")
with tf.GradientTape() as t:
    e = s.encoder_(Xt)
    d = tf.reduce_mean(s.task_loss_(s.task_(e), s.discriminator_(e)))
g = t.gradient(d, s.discriminator_.trainable_variables)
print(f"discrepancy on target: {float(d):.2e}; its gradient on the discriminator all zero = "
      f"{all(float(tf.reduce_sum(tf.abs(x))) == 0 for x in g)}")
if kind == "mdd":
    print(f"train_step: disc_loss = {float(s.train_step(None)['disc_loss']):.2e}")
