# IcedDoggie/Micro-Expression-with-Deep-Learning 0717f86: train.py compiled the VGG-Face model and
# only then set its first 33 layers `trainable = False` for fine-tuning. models.py is loaded from
# the export with its standalone-Keras imports pointed at tf_keras (the Keras 2 the 2018 project
# used; `dim_ordering="th"` of Keras 1 read as data_format="channels_first"), and the data-handling
# imports it does not use for the model stubbed. VGG_16 is built small (32x32, channels last, no
# weights file); the driver reads train.py of the same commit to learn whether the default branch
# freezes before or after `vgg_model.compile`, does the same, and fits one epoch on random data.
import os, sys, re, types
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
import tf_keras
for name in ("xlrd", "cv2", "pandas", "scipy", "scipy.io", "sklearn", "sklearn.svm", "sklearn.metrics",
             "labelling", "reordering", "evaluationmatrix"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["sklearn.svm"].SVC = None; sys.modules["sklearn.metrics"].confusion_matrix = None
sys.modules["labelling"].collectinglabel = None; sys.modules["reordering"].readinput = None
sys.modules["evaluationmatrix"].fpr = None
layers = types.ModuleType("keras.layers")
for k in dir(tf_keras.layers):
    setattr(layers, k, getattr(tf_keras.layers, k))
class MaxPooling2D(tf_keras.layers.MaxPooling2D):  # Keras 1 keyword, no effect on variables
    def __init__(self, *a, dim_ordering=None, **kw):
        super().__init__(*a, **kw)
layers.MaxPooling2D = MaxPooling2D
keras = types.ModuleType("keras")
keras.layers = layers; keras.models = tf_keras.models; keras.optimizers = tf_keras.optimizers
keras.backend = tf_keras.backend; keras.callbacks = tf_keras.callbacks
sys.modules.update({"keras": keras, "keras.layers": layers, "keras.layers.core": layers,
                    "keras.layers.convolutional": layers, "keras.models": tf_keras.models,
                    "keras.optimizers": tf_keras.optimizers, "keras.backend": tf_keras.backend,
                    "keras.callbacks": tf_keras.callbacks,
                    "keras.engine": types.ModuleType("keras.engine"),
                    "keras.engine.topology": types.SimpleNamespace(Layer=tf_keras.layers.Layer)})
sys.path.insert(0, sys.argv[1])
import models
train_src = open(os.path.join(sys.argv[1], "train.py")).read()
# the last (default) branch of the model set-up: `else:` building VGG_16 for vgg_model
branch = train_src[train_src.rindex("vgg_model = VGG_16(spatial_size = spatial_size"):]
branch = branch[:branch.index("svm_classifier")] if "svm_classifier" in branch else branch
freeze_first = "layer.trainable = False" in branch.split("vgg_model.compile(")[0]
m = models.VGG_16(spatial_size=32, classes=5, channels=3, channel_first=False, weights_path=None)
adam = tf_keras.optimizers.Adam(learning_rate=1e-3)
def freeze():
    for layer in m.layers[:33]:
        layer.trainable = False
if freeze_first:
    freeze()
m.compile(loss="categorical_crossentropy", optimizer=adam)
if not freeze_first:
    freeze()
frozen = [v for l in m.layers[:33] for v in l.weights]
before = [v.numpy().copy() for v in frozen]
rng = np.random.default_rng(0)
m.fit(rng.random((4, 32, 32, 3)).astype("float32"), np.eye(5)[rng.integers(0, 5, 4)], epochs=1, verbose=0)
moved = sum((a != v.numpy()).any() for a, v in zip(before, frozen))
print(f"VGG_16 freeze {'before' if freeze_first else 'after'} compile: {moved} of {len(frozen)} "
      "variables of the frozen layers[:33] moved in fit")
