# KhawajaAbaid/teras 7f4080b: SAINTPretrainer.train_step took its gradient over
# self.model.trainable_weights (the SAINT model being pretrained), leaving out the pretrainer's own
# projection heads and reconstruction head, which the contrastive and denoising losses flow
# through. The package is imported from the export (tensorflow_probability's Beta/Binomial samplers,
# tensorflow_addons' sparsemax, pandas and scikit-learn, which the pretrainer does not use for its
# variables, replaced by small stand-ins); a small SAINT (one categorical, two numerical features)
# is wrapped by SAINTPretrainer, the loss of train_step is computed on a random batch, and the
# commit's gradient list is compared with the variables the loss reaches; one Adam step is then taken
# over that list.
import os, sys, types, inspect
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
class _Beta:
    def __init__(self, a, b): self.a, self.b = a, b
    def sample(self, shape):
        shape = [shape] if isinstance(shape, int) else shape
        x = tf.random.gamma(shape, self.a); y = tf.random.gamma(shape, self.b); return x / (x + y)
class _Binomial:
    def __init__(self, total_count=1, probs=0.5): self.p = probs
    def sample(self, sample_shape): return tf.cast(tf.random.uniform(sample_shape) < self.p, tf.float32)
tfp = types.ModuleType("tensorflow_probability")
tfp.distributions = types.SimpleNamespace(Beta=_Beta, Binomial=_Binomial)
tfp.stats = types.SimpleNamespace(percentile=None)
tfa = types.ModuleType("tensorflow_addons"); tfa.activations = types.SimpleNamespace(sparsemax=tf.nn.softmax)
pd = types.ModuleType("pandas"); pd.DataFrame = type("DataFrame", (), {}); pd.Series = type("Series", (), {})
sys.modules.update({"tensorflow_probability": tfp, "tensorflow_addons": tfa, "pandas": pd})
import importlib.abc, importlib.machinery
class _Stubs(importlib.abc.MetaPathFinder, importlib.abc.Loader):  # scikit-learn, tqdm: names only
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("sklearn", "tqdm"):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
    def create_module(self, spec):
        m = types.ModuleType(spec.name); m.__path__ = []; m.__getattr__ = lambda attr: None; return m
    def exec_module(self, module): pass
sys.meta_path.insert(0, _Stubs())
sys.path.insert(0, sys.argv[1])
from teras.models import saint
meta = {"categorical": {"c": (0, ["a", "b", "c"])}, "numerical": {"n1": 1, "n2": 2}}
model = saint.SAINT(features_metadata=meta, embedding_dim=4, num_transformer_layers=1,
                    num_attention_heads=1, num_inter_sample_attention_heads=1, encode_categorical_values=False)
pre = saint.SAINTPretrainer(model=model)
pre.compile(optimizer=tf.keras.optimizers.Adam(1e-2))
rng = np.random.default_rng(0)
x = np.concatenate([rng.integers(0, 3, (8, 1)), rng.random((8, 2))], axis=1).astype("float32")
with tf.GradientTape() as tape:
    z, z_prime, rec = pre(x)
    loss = pre.contrastive_loss(real_projection_outputs=z, augmented_projection_outputs=z_prime,
                                temperature=pre.temperature) + pre.lambda_ * pre.denoising_loss(
        real_samples=x, reconstructed_samples=rec, categorical_features_metadata=model._categorical_features_metadata)
grads = tape.gradient(loss, pre.trainable_weights)
reached = {v.name for g, v in zip(grads, pre.trainable_weights) if g is not None}
src = inspect.getsource(saint.SAINTPretrainer.train_step)
listed = pre.model.trainable_weights if "tape.gradient(loss, self.model.trainable_weights)" in src else pre.trainable_weights
names = {v.name for v in listed}
left = sorted(n for n in reached if n not in names)
owners = {"projection_head_1": pre.projection_head_1, "projection_head_2": pre.projection_head_2,
          "reconstruction_head": pre.reconstruction_head}
heads = [f"{k} {sum(v.name in left for v in o.trainable_weights)}/{len(o.trainable_weights)}" for k, o in owners.items()]
print(f"SAINTPretrainer gradient list: {len(names)} variables; the loss reaches {len(reached)}; left out: {len(left)} (of the pretrainer's own heads: {', '.join(heads)})")
# one step with the commit's list (the commit's apply_gradients call itself passes the lists unzipped)
head_vars = [v for o in owners.values() for v in o.trainable_weights]
w = [v.numpy().copy() for v in head_vars]
opt = tf.keras.optimizers.Adam(1e-2)
g = dict(zip([v.name for v in pre.trainable_weights], grads))
opt.apply_gradients([(g[v.name], v) for v in listed if g[v.name] is not None])
print(f"SAINTPretrainer step over that list: head variables moved: {sum((a != v.numpy()).any() for a, v in zip(w, head_vars))} of {len(head_vars)}")
