# ZermZhang/DeepCTR-tf2 8c403cf3 ("fix the mlp code that cannot backprop under @tf.function"):
# MLP.call built a new feature encoder per feature per call through
# EncodedFeatureBuilder.build_encoded_features, whose FeatureBaseBuilder.__call__ makes a new
# layers.Embedding each time; the fix makes one StaticEncodedFeatureBuilder (with its Embedding) per
# feature in MLP.__init__. The project's MLP is imported from the export with a two-feature config
# (a hashed string with an `embed_config`, which takes the first `Embedding` line of
# FeatureBaseBuilder.__call__, and a discretized number without one, which takes the second), called
# twice eagerly while the
# variables each call creates are counted, and a fresh one is called twice inside tf.function.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
setup(os.path.abspath(sys.argv[1]))
from models.subclassing import mlp
config = {"h": {"type": "hashing", "config": {"num_bins": 10},
                "embed_config": {"input_dim": 10, "output_dim": 4}},
          "n": {"type": "numerical", "config": {"bin_boundaries": [0.0, 1.0, 2.0]}}}
x = {"h": tf.constant([["a"], ["b"]]), "n": tf.constant([[0.5], [1.5]])}
m = mlp.MLP(config)
f = lambda: m(x)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
print("MLP trainable variables after two calls:", len(m.trainable_variables))
m2 = mlp.MLP(config)
print(try_tf_function(lambda h, n: m2({"h": h, "n": n}), x["h"], x["n"]))
