# usage: pyod_alad.py TREE  (tf_keras)
# Loads TREE/pyod/models/alad.py with stand-ins for the scikit-learn, pandas and pyod-base imports
# that _build_model and train_step do not use, builds the five models, runs train_step twice.
# The version stand-in says TF 2.11, the first whose Keras optimizers know only the variables of
# their first step: the fixed file then takes its `optimizers.legacy` branch.
import os, sys, types, importlib.util; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
tree = sys.argv[1]
def stand_in(name, **kw):
    m = types.ModuleType(name); m.__dict__.update(kw); m.__path__ = []; sys.modules[name] = m
class BaseDetector:
    def __init__(self, contamination=0.1): self.contamination = contamination
for name in ("pandas", "sklearn", "pyod", "pyod.models", "pyod.utils"): stand_in(name)
stand_in("sklearn.preprocessing", StandardScaler=object); stand_in("sklearn.utils", check_array=lambda x: x)
stand_in("sklearn.utils.validation", check_is_fitted=lambda *a: None)
stand_in("pyod.models.base", BaseDetector=BaseDetector); stand_in("pyod.models.base_dl", _get_tensorflow_version=lambda: 211)
stand_in("pyod.utils.utility", check_parameter=lambda *a, **k: True)
spec = importlib.util.spec_from_file_location("pyod.models.alad", tree + "/pyod/models/alad.py")
alad = importlib.util.module_from_spec(spec); spec.loader.exec_module(alad)
det = alad.ALAD(epochs=2, dec_layers=[4], enc_layers=[4], disc_xx_layers=[4], disc_zz_layers=[4], disc_xz_layers=[4])
det.n_samples_, det.n_features_ = 8, 3
det._build_model()
print("optimizer:", type(det.dec.optimizer).__module__, "| one object for dec and enc:", det.dec.optimizer is det.enc.optimizer)
x = np.random.normal(size=(8, 3)).astype("float32"); z = np.random.normal(size=(8, 2)).astype("float32")
before = [v.numpy().copy() for v in det.enc.trainable_variables]
try:
    det.train_step((x, z)); det.train_step((x, z))
    print("train_step x2 runs; encoder moved:", any(not np.allclose(b, v.numpy()) for b, v in zip(before, det.enc.trainable_variables)))
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("train_step RAISES", msg(e))
