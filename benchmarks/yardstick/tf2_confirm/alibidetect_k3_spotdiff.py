# SeldonIO/alibi-detect 728db4f9 ("Fixed trainable vars for spot the diff detector", Dec 2024, the
# port to Keras 3): `SpotTheDiffDriftTF.InterpretableClf` (a tf.keras.Model) keeps its trainable
# diffs, bias and coefficients as bare `tf.Variable`s, which Keras 3 does not track: the
# classifier lists no trainable variable and the drift detector's training never moves them. The
# fix makes them with `self.add_weight`. The class is taken from the export's
# alibi_detect/cd/tensorflow/spot_the_diff.py with `ast` (the module's imports pull scipy and
# scikit-learn through the classifier detector) and run under Keras 3 with a weightless Gaussian
# kernel stand-in; three Adam steps over `clf.trainable_variables` on a classification loss.
import os, sys, ast, textwrap
os.environ["TF_USE_LEGACY_KERAS"] = "0"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np, keras
path = os.path.join(sys.argv[1], "alibi_detect/cd/tensorflow/spot_the_diff.py")
src = open(path).read()
node = next(n for n in ast.walk(ast.parse(src)) if isinstance(n, ast.ClassDef) and n.name == "InterpretableClf")
ns = {"tf": tf, "np": np}
# runs the project's own class source from the exported commit, on purpose
exec(compile(textwrap.dedent("\n".join(src.splitlines()[node.lineno - 1:node.end_lineno])), path, "exec"), ns)  # noqa: S102
class Kernel(keras.Model):
    def call(self, x, y):
        return tf.exp(-tf.reduce_sum(tf.square(x[:, None, :] - y[None, :, :]), -1))
x_ref = np.random.randn(8, 3).astype("float32")
clf = ns["InterpretableClf"](Kernel(), x_ref, np.random.randn(2, 3).astype("float32"))
x = tf.random.normal([6, 3]); labels = tf.constant([0, 1, 1, 1, 0, 1])
tv = clf.trainable_variables
print("variables listed by InterpretableClf: %d" % len(tv))
before = [v.numpy().copy() for v in (clf.diffs, clf.bias, clf.coeffs)]
opt = keras.optimizers.Adam(0.1)
for _ in range(3):  # the diffs get a gradient once the coefficients leave 0
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, clf(x)))
    if tv:
        opt.apply_gradients(zip(tape.gradient(loss, tv), tv))
moved = sum(int(not np.allclose(b, v.numpy())) for b, v in zip(before, (clf.diffs, clf.bias, clf.coeffs)))
print("kernels trained: %d of 3 (diffs, bias, coeffs) moved" % moved)
