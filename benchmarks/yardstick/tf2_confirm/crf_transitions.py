import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "stubs")); from common import *
setup(sys.argv[1])
from model import NerModel

m = NerModel(hidden_num=4, vocab_size=10, label_size=3, embedding_size=5)
x = tf.constant([[1, 2, 3, 0]]); y = tf.constant([[0, 1, 2, 0]])
f = lambda: m(x, y, training=True)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
m2 = NerModel(hidden_num=4, vocab_size=10, label_size=3, embedding_size=5)
print(try_tf_function(lambda a, b: m2(a, b, training=True)[2], x, y))
