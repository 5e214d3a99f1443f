# osmoai/kgcnn-keras-unlocked d39811fa ("fix bugs in DAttFP, DGAT EGAT and TransformerGAT"):
# DAttFPLayer.call and DGATLayer.call, when the node features are not `units` wide, made the
# residual projection per call: `input_projection = Dense(units=self.units, use_bias=False)(node_features)`;
# the fix adds the layer's own node_transform output instead. The package is imported from the
# export (tf_keras) and each layer (units 16, one attention head) is called on a batch of two ragged
# graphs with 8-wide node features, once per layer twice eagerly while the variables each call
# creates are counted, and a fresh one twice inside tf.function. Usage: SCRIPT [dattfp|dgat] TREE.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
which = sys.argv[1] if len(sys.argv) > 2 else "dattfp"
setup(os.path.abspath(sys.argv[-1]))
if which == "dattfp":
    from kgcnn.literature.DAttFP._dattfp_conv import DAttFPLayer as L
else:
    from kgcnn.literature.DGAT._dgat_conv import DGATLayer as L
nodes = tf.ragged.constant([[[0.1] * 8] * 3, [[0.2] * 8] * 2], ragged_rank=1)
edges = tf.ragged.constant([[[1.0] * 4] * 3, [[0.5] * 4] * 2], ragged_rank=1)
idx = tf.ragged.constant([[[0, 1], [1, 2], [2, 0]], [[0, 1], [1, 0]]], ragged_rank=1, dtype=tf.int64)
a = L(units=16, attention_heads=1, attention_units=8)
f = lambda: a([nodes, edges, idx])
try:
    print("variables created by eager call 1, call 2 (%s):" % L.__name__, new_vars(f), new_vars(f),
          "; tracked:", len(a.trainable_variables))
except Exception as e:  # noqa: BLE001
    print("variables: eager calls RAISE", msg(e))
b = L(units=16, attention_heads=1, attention_units=8)
print(try_tf_function(lambda: b([nodes, edges, idx])), "(%s)" % L.__name__)
