# daigo0927/biggan-tensorflow d03385d: ConditionalBatchNorm.call made its moving statistics with
# add_weight under `if not self.initialized:`, a flag only __init__ set (to False), so every call
# made them again; the fix sets the flag after the first creation. The export's ops.py is loaded as
# a module, one layer is called twice eagerly while the variables each call creates are counted, and
# a fresh one is called twice under tf.function.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
setup(sys.argv[1])
import ops
x = tf.random.normal([2, 4, 4, 8]); c = tf.random.normal([2, 5])
a = ops.ConditionalBatchNorm(8)
f = lambda: a(x, c, training=True)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
b = ops.ConditionalBatchNorm(8)
print(try_tf_function(lambda t: b(t, c, training=True), x))
