# SeldonIO/alibi-detect da95dfbd (PR #739): `OutlierAE.fit` takes
# `optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3)` as a default, made once when the `def`
# runs, and hands it to `trainer`, which steps it on the detector's autoencoder. The modules are
# loaded from the export below the package's __init__ files (which import the drift detectors'
# scipy, scikit-learn and tensorflow_probability; od/ae.py needs none of them, and a stand-in
# BaseEstimator class serves the fix's type tuple); two detectors are
# built from small Sequential encoders/decoders and each is fitted with the defaults, as a user
# fitting two detectors would.
import os, sys, types
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
root = os.path.join(sys.argv[1], "alibi_detect")
for pkg in ("", ".od", ".models", ".models.tensorflow", ".utils", ".utils.tensorflow"):
    m = types.ModuleType("alibi_detect" + pkg); m.__path__ = [root + pkg.replace(".", "/")]
    sys.modules["alibi_detect" + pkg] = m
# the fix's utils/_types.py imports scikit-learn's BaseEstimator for a tuple of types only
sk = types.ModuleType("sklearn"); sk.base = types.ModuleType("sklearn.base"); sk.base.BaseEstimator = type("BaseEstimator", (), {})
sys.modules.setdefault("sklearn", sk); sys.modules.setdefault("sklearn.base", sk.base)
from alibi_detect.od.ae import OutlierAE
keras = tf.keras
def detector():
    enc = keras.Sequential([keras.layers.InputLayer(input_shape=(4,)), keras.layers.Dense(2)])
    dec = keras.Sequential([keras.layers.InputLayer(input_shape=(2,)), keras.layers.Dense(4)])
    return OutlierAE(encoder_net=enc, decoder_net=dec)
X = np.random.default_rng(0).random((32, 4)).astype("float32")
ds = [detector(), detector()]
before = [[w.numpy().copy() for w in d.ae.trainable_variables] for d in ds]
moved = lambda b, d: any((x != y.numpy()).any() for x, y in zip(b, d.ae.trainable_variables))
try:
    for d in ds:
        d.fit(X, epochs=1, batch_size=16, verbose=False)
    print("optimizer default: both fits OK; first AE moved:", moved(before[0], ds[0]), "second AE moved:", moved(before[1], ds[1]))
except Exception as e:  # noqa: BLE001  (report whatever Keras raises)
    print("optimizer default: second fit RAISES" if moved(before[0], ds[0]) else "optimizer default: fit RAISES", msg(e))
