# adalca/neurite df34cbb ("avoiding creation of new vol in tf.function"): `perlin_vol` starts its
# sum from `vol = K.zeros(vol_shape)`, and Keras' `K.zeros` of a fully known shape makes a
# variable. neurite/tf/utils/utils.py is loaded from the export (pystrum, which it imports for
# other functions, is given an empty stand-in; `ne.utils` is pointed at the loaded module itself,
# as the package would); perlin_vol is called eagerly and inside a tf.function, as a data
# augmentation step run by tf.data or a Keras layer calls it.
import os, sys, types, importlib.util
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
for n in ("pystrum", "pystrum.pynd", "pystrum.pynd.ndutils"):
    sys.modules[n] = types.ModuleType(n)
ne = types.ModuleType("neurite"); sys.modules["neurite"] = ne
spec = importlib.util.spec_from_file_location("neurite_tf_utils", os.path.join(sys.argv[1], "neurite/tf/utils/utils.py"))
utils = importlib.util.module_from_spec(spec); ne.utils = utils; spec.loader.exec_module(utils)
shape = [8, 8]
print("variables perlin_vol eager call:", new_vars(utils.perlin_vol, shape))
print(try_tf_function(lambda: utils.perlin_vol(shape)))
