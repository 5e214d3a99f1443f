# deepchem/deepchem 22885eb74 ("fix optimiser bug in TF tests"): a deepchem GAN trains its
# discriminator and its generator with the one Keras optimizer its KerasModel makes
# (`fit_gan` calls `fit_generator(variables=self.discrim_variables)`, then
# `fit_generator(variables=self.gen_variables)`). keras_model.py and gan.py are loaded from the
# export below the package's __init__ files (which import pandas, scipy, scikit-learn and rdkit
# for the data and featurizer modules); the data, metrics, trans and evaluate modules those two
# files import for names only are given empty stand-ins. The conditional GAN of deepchem's own
# test_gan.py is fitted on 4 batches (tf_keras).
import os, sys, types, importlib.util
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
root = os.path.join(sys.argv[1], "deepchem")
def pkg(name, path=None):
    m = types.ModuleType(name)
    if path: m.__path__ = [path]
    sys.modules[name] = m; return m
dc = pkg("deepchem", root); models = pkg("deepchem.models", root + "/models"); pkg("deepchem.utils", root + "/utils")
stub = lambda name, **kw: pkg(name).__dict__.update(kw)
stub("deepchem.data", Dataset=type("Dataset", (), {}), NumpyDataset=type("NumpyDataset", (), {}))
stub("deepchem.metrics", Metric=type("Metric", (), {}))
stub("deepchem.trans", Transformer=type("Transformer", (), {}), undo_transforms=lambda y, t: y)
stub("deepchem.utils.evaluate", GeneratorEvaluator=object, Evaluator=object)
stub("deepchem.models.layers")   # only the multi-generator path of gan.py uses it
def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    m = importlib.util.module_from_spec(spec); sys.modules[name] = m; spec.loader.exec_module(m); return m
models.KerasModel = load("deepchem.models.keras_model", root + "/models/keras_model.py").KerasModel
dc.models = models
gan_mod = load("deepchem.models.gan", root + "/models/gan.py")
from tensorflow.keras.layers import Input, Concatenate, Dense
class ExampleGAN(gan_mod.GAN):   # deepchem/models/tests/test_gan.py's conditional GAN
    def get_noise_input_shape(self): return (2,)
    def get_data_input_shapes(self): return [(1,)]
    def get_conditional_input_shapes(self): return [(1,)]
    def create_generator(self):
        inputs = [Input(self.get_noise_input_shape()), Input(self.get_conditional_input_shapes()[0])]
        return tf.keras.Model(inputs=inputs, outputs=Dense(1)(Concatenate(axis=1)(inputs)))
    def create_discriminator(self):
        inputs = [Input(self.get_data_input_shapes()[0]), Input(self.get_conditional_input_shapes()[0])]
        h = Dense(10, activation=tf.nn.relu)(Concatenate(axis=1)(inputs))
        return tf.keras.Model(inputs=inputs, outputs=Dense(1, activation=tf.sigmoid)(h))
np.random.seed(0)
gan = ExampleGAN(learning_rate=0.01, batch_size=16)
def batches(n):
    for _ in range(n):
        means = 10 * np.random.random([16, 1]); yield {gan.data_inputs[0]: np.random.normal(means, 2.0), gan.conditional_inputs[0]: means}
try:
    gan._ensure_built()
    g0 = [v.numpy().copy() for v in gan.gen_variables]; d0 = [v.numpy().copy() for v in gan.discrim_variables]
    gan.fit_gan(batches(4), generator_steps=1.0, checkpoint_interval=0)
    moved = lambda b, vs: any((x != v.numpy()).any() for x, v in zip(b, vs))
    print("optimizer (%s): fit_gan OK; discriminator moved: %s generator moved: %s" % (
        type(gan._tf_optimizer).__module__, moved(d0, gan.discrim_variables), moved(g0, gan.gen_variables)))
except Exception as e:  # noqa: BLE001  (report whatever Keras raises)
    print("optimizer: fit_gan RAISES", msg(e))
