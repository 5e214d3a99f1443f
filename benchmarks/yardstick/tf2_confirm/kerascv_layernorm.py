import os, sys, importlib.util; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
spec = importlib.util.spec_from_file_location("m", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
e = m.TransformerEncoder(project_dim=8, intermediate_dim=16, num_heads=2); e(tf.random.normal([2, 5, 8]))
ln = [l for l in e._flatten_layers(include_self=False) if "LayerNormalization" in type(l).__name__]
print("LayerNormalization instances:", len(ln), "| gamma/beta variables:", sum(len(l.weights) for l in ln))
