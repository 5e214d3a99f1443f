# titu1994/keras-coordconv 6dfb039 (issue #18): `_CoordinateChannel.call` builds its coordinate
# grids from `K.ones(K.stack([batch_shape, dim]), dtype='int32')`; Keras' `K.ones` of a shape
# known at call time makes a variable. coord.py is loaded from the export (its
# `tensorflow.python.keras.layers` import, which TF 2.21 no longer fills, pointed at tf_keras);
# CoordinateChannel2D and CoordinateChannel3D are called twice eagerly, counting the variables
# each call makes, and a fresh instance twice under tf.function.
import os, sys, importlib.util; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import tf_keras
for sub in ("", ".layers"):
    sys.modules["tensorflow.python.keras" + sub] = eval("tf_keras" + sub)
path = sys.argv[1] if sys.argv[1].endswith(".py") else os.path.join(sys.argv[1], "coord.py")
spec = importlib.util.spec_from_file_location("coord", path); mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
for name, shape in (("CoordinateChannel2D", [2, 5, 6, 3]), ("CoordinateChannel3D", [2, 4, 5, 6, 3])):
    C = getattr(mod, name); x = tf.random.normal(shape)
    a = C(); f = lambda: a(x)
    print("variables created by eager call 1, call 2 of %s:" % name, new_vars(f), new_vars(f))
    b = C()
    try:
        tf.function(lambda t: b(t))(x); tf.function(lambda t: b(t))(x); print("tf.function OK (%s)" % name)
    except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
        # the variable K.ones makes is lifted out of the function graph, away from its shape tensor
        line = next((l.strip() for l in str(e).splitlines() if "cannot be accessed" in l or "singleton" in l), msg(e))
        print("tf.function RAISES (%s)" % name, type(e).__name__ + ":", line[:150])
