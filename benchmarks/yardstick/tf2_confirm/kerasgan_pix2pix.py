# Keras-GAN pix2pix (eriklindernoren/Keras-GAN f84b58c, in the history of its forks): the combined
# model is compiled while the discriminator is still trainable. Loads pix2pix.py of the exported
# commit with its Keras 2.1 imports pointed at tf_keras (Adam at the legacy Adam, which like
# Keras 2.1's makes slots for whatever variables it meets; the data loader, keras_contrib,
# matplotlib and scipy, which make no variables, as empty stand-ins), then runs one discriminator step and
# one combined (generator) step on random images and prints whether each moved the
# discriminator's weights.
import os, sys, types; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
import tf_keras


def module(name, **attrs):
    m = types.ModuleType(name); m.__dict__.update(attrs); sys.modules[name] = m; return m


sys.modules["keras"] = tf_keras
for sub in ("datasets", "layers", "models"):
    sys.modules["keras." + sub] = getattr(tf_keras, sub)
module("keras.layers.advanced_activations", LeakyReLU=tf_keras.layers.LeakyReLU)
module("keras.layers.convolutional", UpSampling2D=tf_keras.layers.UpSampling2D, Conv2D=tf_keras.layers.Conv2D)
module("keras.optimizers", Adam=tf_keras.optimizers.legacy.Adam)
module("keras_contrib"); module("keras_contrib.layers")
module("keras_contrib.layers.normalization", InstanceNormalization=None)
module("data_loader", DataLoader=lambda **kw: None)
module("matplotlib"); module("matplotlib.pyplot"); module("scipy")
setup(os.path.join(sys.argv[1], "pix2pix"))
import pix2pix

gan = pix2pix.Pix2Pix()
rng = np.random.default_rng(0)
img_A, img_B = (rng.uniform(-1, 1, (1, 256, 256, 3)).astype("float32") for _ in range(2))
valid = np.ones((1,) + gan.disc_patch)
w0 = [w.copy() for w in gan.discriminator.get_weights()]
gan.discriminator.train_on_batch([img_A, img_B], valid)
w1 = [w.copy() for w in gan.discriminator.get_weights()]
gan.combined.train_on_batch([img_A, img_B], [valid, img_A])
w2 = [w.copy() for w in gan.discriminator.get_weights()]
moved = lambda a, b: any(not np.allclose(x, y) for x, y in zip(a, b))
print(f"combined: discriminator step moves D: {moved(w0, w1)}; generator (combined) step moves D: {moved(w1, w2)}; "
      f"combined trainable variables: {len(gan.combined.trainable_variables)} (generator alone: {len(gan.generator.trainable_variables)})")
