# thushv89/attention_keras ae4b7ce: `AttentionLayer.call` makes the dummy initial states it hands
# to `K.rnn` with `K.zeros(shape=(batch, dim))`, and Keras' `K.zeros` of a fully known shape makes
# a variable. layers/attention.py is loaded from the export (its tensorflow.python.keras imports,
# which TF 2.21 no longer fills, pointed at tf_keras); the layer is called twice eagerly on an
# encoder and a decoder sequence, counting the variables each call makes, and a fresh instance is
# called twice under tf.function.
import os, sys, importlib.util; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import tf_keras
for sub in ("", ".layers", ".backend"):
    sys.modules["tensorflow.python.keras" + sub] = eval("tf_keras" + sub)
path = sys.argv[1] if sys.argv[1].endswith(".py") else os.path.join(sys.argv[1], "layers", "attention.py")
spec = importlib.util.spec_from_file_location("attention", path); mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
enc, dec = tf.random.normal([2, 5, 4]), tf.random.normal([2, 3, 4])
a = mod.AttentionLayer(); f = lambda: a([enc, dec])
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
b = mod.AttentionLayer()
try:
    g = tf.function(lambda e, d: b([e, d])); g(enc, dec); g(enc, dec); print("tf.function OK")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    line = next((l.strip() for l in str(e).splitlines() if "cannot be accessed" in l or "singleton" in l), msg(e))
    print("tf.function RAISES", type(e).__name__ + ":", line[:150])
