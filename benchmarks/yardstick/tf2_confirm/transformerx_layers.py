"""TransformerX (tensorops/TransformerX): a layer of the package exported from a commit, built
with small arguments, called twice eagerly (variables made by each call), then a fresh one
called twice in a tf.function.
usage: transformerx_layers.py dpa|addnorm TREE"""
import os
import sys

from common import new_vars, setup, tf, try_tf_function

which, tree = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "stubs"))
setup(tree)
if which == "dpa":
    from transformerx.layers.dot_product_attention import DotProductAttention

    make = lambda: DotProductAttention(scaled=True)
    args = (tf.ones((2, 3, 4)), tf.ones((2, 3, 4)), tf.ones((2, 3, 4)))
else:
    from transformerx.layers.addnorm import AddNorm

    make = lambda: AddNorm(norm_type="layer")
    args = (tf.ones((2, 3, 4)), tf.ones((2, 3, 4)))
layer = make()
print("variables made by call 1:", new_vars(layer, *args), "call 2:", new_vars(layer, *args))
fresh = make()
print(try_tf_function(lambda: fresh(*args)))
