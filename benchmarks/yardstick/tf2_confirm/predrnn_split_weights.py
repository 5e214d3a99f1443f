# beekill95/predrnn_tf 9fd7577 ("Fix no gradients for the weights of cell"): SpatialTemporalLSTMCell.build
# made one variable per group of kernels (and biases) and kept the tf.split pieces of it, tensors computed
# once at build time: call() reads only those tensors, so the variables get no gradient and never train;
# the fix makes one variable per kernel. usage: predrnn_split_weights.py TREE. The export's package is
# imported (tf_keras: its 2023 `keras` imports, Keras 2.12, are pointed at tf_keras, and keras.utils.
# conv_utils at tf_keras's own module); the cell is run in a keras RNN over a small sequence and one
# SGD step is taken on tape gradients of the output.
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403
import numpy as np
import tf_keras
from tf_keras.src.utils import conv_utils
tf_keras.utils.conv_utils = conv_utils
sys.modules["keras"] = tf_keras; sys.modules["keras.utils"] = tf_keras.utils; sys.modules["keras.utils.conv_utils"] = conv_utils
setup(sys.argv[1])
from predrnn_tf.layers import SpatialTemporalLSTMCell  # noqa: E402
tf.random.set_seed(0)
cell = SpatialTemporalLSTMCell(4, 3)
rnn = tf_keras.layers.RNN(cell)
x = tf.random.normal([2, 3, 8, 8, 2])
rnn(x)
vs = cell.trainable_variables
before = [v.numpy().copy() for v in vs]
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.square(rnn(x)))
grads = tape.gradient(loss, vs)
tf_keras.optimizers.SGD(0.01).apply_gradients([(g, v) for g, v in zip(grads, vs) if g is not None])
none = [v.name.split("/")[-1].split(":")[0] for g, v in zip(grads, vs) if g is None]
moved = sum(int(not np.allclose(b, v.numpy())) for b, v in zip(before, vs))
print(f"variables of SpatialTemporalLSTMCell(4, 3): {len(vs)}; without a gradient: {len(none)} ({', '.join(none)}); one SGD step moves {moved} of {len(vs)}")
