# alessiospuriomancini/cosmopower 641c781: `optimizer=tf.keras.optimizers.Adam()` as a constructor default,
# so every emulator built with the defaults steps the one Adam made at import.
# usage: python cosmopower_default_adam.py NN|PCAplusNN EXPORT   (KERAS3=1 for Keras 3; default tf_keras)
# Two emulators built with the constructor's defaults, each given one training_step, as a user
# training several networks in a row does (the PR's scenario).
import os, sys, types, importlib.util
if os.environ.get("KERAS3") != "1":
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.modules["tqdm"] = types.SimpleNamespace(trange=range)  # progress bar only; train() is not run
import numpy as np, tensorflow as tf
which = next(a for a in sys.argv[1:] if a in ("NN", "PCAplusNN"))  # run.sh appends the tree after it
tree = next(a for a in sys.argv[1:] if a != which)
spec = importlib.util.spec_from_file_location("m", f"{tree}/cosmopower/cosmopower_{which}.py")
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
rng = np.random.default_rng(0)
x = tf.constant(rng.random((16, 2)), tf.float32)
def make():
    if which == "NN":
        return m.cosmopower_NN(parameters=["a", "b"], modes=np.arange(4), n_hidden=[8])
    pca = types.SimpleNamespace(parameters=["a", "b"], n_parameters=2, modes=np.arange(4), n_modes=4, n_pcas=3,
        pca_transform_matrix=rng.random((3, 4)).astype("float32"),
        parameters_mean=np.zeros(2), parameters_std=np.ones(2), pca_mean=np.zeros(3), pca_std=np.ones(3),
        features_mean=np.zeros(4), features_std=np.ones(4))
    return m.cosmopower_PCAplusNN(cp_pca=pca, n_hidden=[8])
nets = [make(), make()]
print("optimizer shared by both emulators:", nets[0].optimizer is nets[1].optimizer)
for i, net in enumerate(nets):
    y = tf.constant(rng.random((16, 4 if which == "NN" else 3)), tf.float32)
    before = [v.numpy().copy() for v in net.trainable_variables]
    try:
        net.training_step(x, y)
        print(f"optimizer step of emulator {i + 1}: OK; moved:", any((a != v.numpy()).any() for a, v in zip(before, net.trainable_variables)))
    except Exception as e:  # noqa: BLE001
        print(f"optimizer step of emulator {i + 1}: RAISES", type(e).__name__, str(e).splitlines()[0][:150])
