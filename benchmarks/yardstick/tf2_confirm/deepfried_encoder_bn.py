# victorialin898/deepfried 897ede7 ("changed conv2d to conv1d, separate batch_norm"): Encoder.call
# applied one BatchNormalization after each of its four Conv1D layers (128, 256, 512 and 512 filters);
# the fix gives each its own. usage: deepfried_encoder_bn.py TREE. model.py is loaded as a module
# (tf_keras; scipy, imported and not used by the Encoder, is not installed: an empty stand-in), and an
# Encoder is called on a batch of two 64-sample mono series.
import os, sys, types, importlib.util
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403
sys.modules.setdefault("scipy", types.ModuleType("scipy"))
spec = importlib.util.spec_from_file_location("deepfried_model", os.path.join(sys.argv[1], "model.py"))
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
tf.random.set_seed(0)
enc = mod.Encoder()
try:
    outs = enc(tf.random.normal([2, 64, 1]))
    bns = sorted({id(l): l for l in enc._flatten_layers(include_self=False) if isinstance(l, tf.keras.layers.BatchNormalization)}.values(), key=lambda l: l.name)
    print(f"Encoder call: runs, outputs {[tuple(o.shape) for o in outs]}; BatchNormalization layers {len(bns)}, gamma widths {[int(l.gamma.shape[0]) for l in bns]}")
except Exception as e:  # noqa: BLE001
    print("Encoder call: RAISES " + msg(e))
