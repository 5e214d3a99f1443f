# SeldonIO/alibi d801de1942 ("fix @tf.function refit"): the TensorFlow backend's module-level
# `@tf.function def update_actor_critic(encoder, decoder, critic, actor, optimizer_critic,
# optimizer_actor, ...)` is called by every CounterfactualRL explainer's `fit` with that
# explainer's own actor, critic and Adam optimizers (backend get_actor/get_critic/get_optimizer).
# The backend module is loaded from the export below the package __init__ files (which import
# the other explainers' dependencies); two explainers' worth of models and optimizers are made and
# each is stepped as `CounterfactualRLBase.fit` of the same commit steps it: when the export's fit
# calls `self.backend.initialize_actor_critic` and `initialize_optimizers` first (the fix), so
# does this replay. A small built stand-in autoencoder (shared, as a trained one would be) and
# losses of the shapes the function reads.
import os, sys, types, importlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
root = os.path.join(sys.argv[1], "alibi")
for p in ("", ".explainers", ".explainers.backends", ".explainers.backends.tensorflow", ".models", ".models.tensorflow"):
    m = types.ModuleType("alibi" + p); m.__path__ = [root + p.replace(".", "/")]; sys.modules["alibi" + p] = m
B = importlib.import_module("alibi.explainers.backends.tensorflow.cfrl_base")
fit_src = open(os.path.join(root, "explainers", "cfrl_base.py")).read()
fit_initializes = "self.backend.initialize_actor_critic(" in fit_src
keras = tf.keras
rng = np.random.default_rng(0)
n, dx, dz = 8, 4, 3
onehot = lambda: np.eye(2, dtype="float32")[rng.integers(0, 2, n)]
sample = dict(X=rng.random((n, dx), dtype="float32"), X_cf=rng.random((n, dx), dtype="float32"),
              Z=rng.random((n, dz), dtype="float32"), Z_cf_tilde=rng.random((n, dz), dtype="float32"),
              Y_m=onehot(), Y_t=onehot(), C=None, R_tilde=rng.random((n,), dtype="float32"))
# one pretrained (built) autoencoder serves both explainers, as the explainer takes a trained one
encoder, decoder = keras.Sequential([keras.layers.Dense(dz)]), keras.Sequential([keras.layers.Dense(dx)])
decoder(encoder(sample["X"]))
def explainer_params():
    return dict(encoder=encoder, decoder=decoder,
                actor=B.get_actor(hidden_dim=8, output_dim=dz), critic=B.get_critic(hidden_dim=8),
                optimizer_actor=B.get_optimizer(lr=1e-3), optimizer_critic=B.get_optimizer(lr=1e-3),
                sparsity_loss=lambda X_hat_cf, X: {"sparsity_loss": tf.reduce_mean(tf.abs(X_hat_cf - X))},
                consistency_loss=lambda Z_cf_pred, Z_cf_tgt: {"consistency_loss": tf.reduce_mean(tf.square(Z_cf_pred - Z_cf_tgt))},
                coeff_sparsity=0.5, coeff_consistency=0.5)
def fit_steps(params, steps=2):   # the inner update of CounterfactualRLBase.fit, as the export writes it
    initialized = False
    for _ in range(steps):
        if fit_initializes and not initialized:
            B.initialize_actor_critic(**sample, **params); B.initialize_optimizers(**sample, **params); initialized = True
        B.update_actor_critic(**sample, **params)
for k in (1, 2):
    params = explainer_params()
    try:
        fit_steps(params)
        print("optimizer passed to update_actor_critic: explainer %d fit OK (%d actor variables)" % (k, len(params["actor"].trainable_weights)))
    except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
        print("optimizer passed to update_actor_critic: explainer %d fit RAISES %s" % (k, msg(e)))
