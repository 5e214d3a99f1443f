# DCtheTall/tf-keras-progressive-gan 5b43958: train() made a new pair of Adam optimizers for every
# resolution and passed them to its @tf.function distributed_train_on_batch(G_optimizer, D_optimizer, ...).
# The functions nested in train() (the optimizers' builders, the losses, train_on_batch and the
# tf.function) are taken from the export's gcp/progan/trainer/model.py with ast and run on small Keras
# models under the default strategy, through two resolutions as train()'s loop drives them on that side
# (before: init_optimizers(resolution) at each resolution; after: init_optimizers() once, then
# reset_optimizers(...) from the second resolution on).
import os, sys, ast, textwrap, inspect; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
K = tf.keras.backend
path = os.path.abspath(sys.argv[-1]) + "/gcp/progan/trainer/model.py"
src = open(path).read(); lines = src.splitlines()
train = next(n for n in ast.walk(ast.parse(src)) if isinstance(n, ast.FunctionDef) and n.name == "train")
B, Z = 4, 6
G_model = tf.keras.Sequential([tf.keras.layers.Dense(4 * 4 * 3), tf.keras.layers.Reshape((4, 4, 3))]); G_model.build((None, Z))
D_model = tf.keras.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense(1)]); D_model.build((None, 4, 4, 3))
# The 2021 project's tf.keras.optimizers.Adam is the optimizer TF 2.21 keeps as
# tf.keras.optimizers.legacy.Adam (reset_optimizers reads get_weights/set_weights/lr, which only it has):
# the nested functions see a tf whose keras.optimizers.Adam is that one, on both sides.
class _Proxy:
    def __init__(self, base, **over): self._base, self._over = base, over
    def __getattr__(self, name): return self._over[name] if name in self._over else getattr(self._base, name)
tf_2021 = _Proxy(tf, keras=_Proxy(tf.keras, optimizers=_Proxy(tf.keras.optimizers, Adam=tf.keras.optimizers.legacy.Adam)))
ns = {"tf": tf_2021, "np": np, "K": K, "strategy": tf.distribute.get_strategy(), "G_model": G_model, "D_model": D_model,
      "G_lod_in": tf.Variable(0.0, trainable=False), "D_lod_in": tf.Variable(0.0, trainable=False), "batch_size": B,
      "latent_size": Z, "gradient_weight": 10.0, "D_repeat": 1, "learning_rate": 1e-3, "learning_rate_decay": 0.8}
for f in train.body:
    if isinstance(f, ast.FunctionDef):
        start = min([d.lineno for d in f.decorator_list] + [f.lineno])
        # runs the project's own nested function source from the exported commit, on purpose
        exec(compile(textwrap.dedent("\n".join(lines[start - 1:f.end_lineno])), path + "::" + f.name, "exec"), ns)  # noqa: S102
per_resolution = "resolution" in inspect.signature(ns["init_optimizers"]).parameters
X = tf.random.normal([B, 4, 4, 3])
res_log2 = None
try:
    if not per_resolution:
        G_opt, D_opt = ns["init_optimizers"]()
    for res_log2 in (2, 3):
        if per_resolution:
            G_opt, D_opt = ns["init_optimizers"](1 << res_log2)
        elif res_log2 > 2:
            ns["reset_optimizers"](G_opt, D_opt, res_log2)
        for _ in range(2):
            ns["distributed_train_on_batch"](G_opt, D_opt, X, lod_in=0.0, print_loss=False)
    print("train: OK, two resolutions of two steps each")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print(f"train RAISES at resolution {1 << res_log2}:", msg(e))
