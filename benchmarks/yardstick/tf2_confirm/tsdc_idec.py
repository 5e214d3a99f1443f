# blafabregue/TimeSeriesDeepClustering 208fac0: IDEC pre-trains the autoencoder and then trains
# the encoder with a clustering head through one optimizer object (IDEC.initialize_model makes
# it, Trainer.pretrain_encoder and IDEC._run_training step it). The project's own modules run
# (mlp_ae.AutoEncoder, EncoderModel, MSELoss, IDEC.clustering) on a small random data set, as
# ucr_experiments.py wires them for `--architecture mlp --clustering_loss IDEC`; scikit-learn and
# the project's utils (logging, metrics, k-means) are stand-ins that touch no variable.
import os, sys, types, tempfile; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
setup(sys.argv[1])


class KMeans:  # stand-in: k-means only seeds the cluster centres and scores the logs
    def __init__(self, n_clusters, **kw):
        self.n = n_clusters
    def fit_predict(self, x):
        self.cluster_centers_ = np.asarray(x)[:self.n].astype("float32")
        return np.arange(len(x)) % self.n


class _Stub(types.ModuleType):  # names of the libraries other architectures import; only KMeans is called
    __path__ = []
    def __getattr__(self, name):
        if name == "KMeans":
            return KMeans
        if name.startswith("__"):
            raise AttributeError(name)
        return _Stub(self.__name__ + "." + name)
    def __call__(self, *a, **k):  # a metric: the logs get 0.0
        return 0.0


class _Finder:
    @staticmethod
    def find_spec(name, path=None, target=None):
        import importlib.machinery
        if name.split(".")[0] in ("sklearn", "scipy", "pandas", "sktime", "tensorflow_addons", "tensorflow_probability"):
            return importlib.machinery.ModuleSpec(name, _Loader())
class _Loader:
    def create_module(self, spec): return _Stub(spec.name)
    def exec_module(self, module): pass
sys.meta_path.insert(0, _Finder())
ut = types.ModuleType("utils"); ut.cluster_acc = lambda *a, **k: 0.0; ut.create_directory = lambda p: os.makedirs(p, exist_ok=True)
sys.modules["utils"] = ut

from networks import mlp_ae
from networks.encoders import EncoderModel
from networks.IDEC import IDEC
from losses.losses import MSELoss

x = np.random.RandomState(0).randn(16, 12, 1).astype("float32"); y = np.arange(16) % 2
gen = mlp_ae.AutoEncoder(x, "mse", layers=[8], latent_dim=3)
autoencoder = gen.get_auto_encoder()
model = EncoderModel(gen.get_encoder(), autoencoder, tf.keras.optimizers.Adam(), MSELoss(autoencoder), "mlp", batch_size=8)
trainer = IDEC("toy", "mlp_IDEC", model, n_clusters=2, batch_size=8)
trainer.initialize_model(x, y)
try:
    trainer.clustering(x, y, nb_steps=2, nb_steps_pretrain=2, save_dir=tempfile.mkdtemp() + "/", verbose=False,
                       x_test=x, y_test=y, stats_dir=tempfile.mkdtemp() + "/")
    print("IDEC clustering: OK (pre-training and clustering steps ran)")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("IDEC clustering RAISES", msg(e))
    if os.environ.get("TB"): raise
