import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
setup(sys.argv[1])
from src.bigacgan.arch_ops import NonLocalBlock

blk = NonLocalBlock("nlb", None)
x = tf.random.normal([2, 4, 4, 16])
made = []
def creator(nc, **kw):
    v = nc(**kw); made.append(v.name); return v
for i in range(2):
    made.clear()
    with tf.variable_creator_scope(creator):
        blk(x)
    print("call", i + 1, "sigma vars created:", sum("sigma" in n for n in made), "kernel vars created:", sum("kernel" in n for n in made))
blk2 = NonLocalBlock("nlb2", None)
print(try_tf_function(lambda t: blk2(t), x))
