import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
setup(sys.argv[1])
from models.resnext_block import GroupConv2D

g = GroupConv2D(input_channels=8, output_channels=8, kernel_size=(3, 3), padding="same", groups=4)
x = tf.random.normal([1, 5, 5, 2]); x = tf.concat([x, x, x, x], axis=-1)  # identical groups
y = g(x)
kern = [w for w in g.trainable_weights if "kernel" in w.name]
same = all(bool(tf.reduce_all(tf.abs(y[..., 0:2] - y[..., 2*i:2*i+2]) < 1e-6)) for i in range(1, 4))
print("kernels:", len(kern), [tuple(k.shape) for k in kern], "| identical outputs for identical groups:", same)
