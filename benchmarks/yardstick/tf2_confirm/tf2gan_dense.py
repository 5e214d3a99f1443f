import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
setup(sys.argv[1])
from gan.model import Generator

g = Generator(); z = tf.random.normal([4, 100]); g(z)
opt = tf.keras.optimizers.Adam(1e-2)
w0 = g.dense_1.kernel.numpy().copy()
with tf.GradientTape() as t:
    loss = tf.reduce_mean(g(z) ** 2)
grads = t.gradient(loss, g.trainable_variables)
print("None gradients:", [v.name for gr, v in zip(grads, g.trainable_variables) if gr is None])
opt.apply_gradients([(gr, v) for gr, v in zip(grads, g.trainable_variables) if gr is not None])
print("dense_1 changed by a generator step:", not np.allclose(w0, g.dense_1.kernel.numpy()))
