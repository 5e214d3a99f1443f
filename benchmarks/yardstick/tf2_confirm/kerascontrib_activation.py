# usage: kerascontrib_activation.py FILE CLASS
# load keras-contrib's advanced_activations.py (2018, standalone Keras 2) on tf_keras:
# `keras` and the package's relative imports point at tf_keras's own modules
import os, sys, types, importlib.util
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
import numpy as np
import tf_keras
eng = types.ModuleType("keras.engine"); eng.Layer = tf_keras.layers.Layer; eng.InputSpec = tf_keras.layers.InputSpec
gu = types.ModuleType("keras.utils.generic_utils"); gu.get_custom_objects = tf_keras.utils.get_custom_objects
sys.modules.update({"keras": tf_keras, "keras.engine": eng, "keras.utils": tf_keras.utils, "keras.utils.generic_utils": gu})
pkg = types.ModuleType("kc"); pkg.__path__ = []; sys.modules["kc"] = pkg
sub = types.ModuleType("kc.layers"); sub.__path__ = []; sys.modules["kc.layers"] = sub
for n, m in (("initializers", tf_keras.initializers), ("regularizers", tf_keras.regularizers), ("constraints", tf_keras.constraints), ("backend", tf_keras.backend)):
    sys.modules["kc." + n] = m; setattr(pkg, n, m)
spec = importlib.util.spec_from_file_location("kc.layers.aa", sys.argv[1]); mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
mod.np = np  # both sides lack `import numpy` (added later, in af3eeed)
C = getattr(mod, sys.argv[2])
x = tf.random.normal([2, 5])
a = C(); f = lambda: a(x)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
b = C(); print(try_tf_function(lambda t: b(t), x))
m = tf_keras.Sequential([tf_keras.layers.Dense(4, input_shape=(5,)), C(), tf_keras.layers.Dense(1)]); m.compile("adam", "mse")
try:
    m.fit(np.zeros((8, 5)), np.zeros((8, 1)), epochs=1, verbose=0); print("fit OK")
except Exception as e: print("fit RAISES", msg(e))
