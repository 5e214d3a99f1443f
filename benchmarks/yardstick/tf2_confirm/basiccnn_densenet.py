import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
setup(sys.argv[1])
from models.densenet import DenseBlock

b = DenseBlock(num_layers=2, growth_rate=4, drop_rate=0.1)
x = tf.random.normal([2, 8, 8, 6])
f = lambda: b(x, training=True)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
b2 = DenseBlock(num_layers=2, growth_rate=4, drop_rate=0.1)
print(try_tf_function(lambda t: b2(t, training=True), x))
