# revsic/tf-alae 7b2b39a: MlpAlae steps its three variable lists (encoder+discriminator,
# mapper+generator, encoder+generator) with one Adam made in __init__. mlpalae.py and alae.py are
# loaded from the export; a small MlpAlae is built and trainstep runs twice on a random batch.
# tf_keras by default (the Keras 2 of the 2020 project); KERAS3=1 for Keras 3.
import os, sys
if os.environ.get("KERAS3") == "1":
    os.environ["TF_USE_LEGACY_KERAS"] = "0"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np
sys.path.insert(0, sys.argv[1])
import mlpalae
s = mlpalae.MlpAlae.default_setting(z_dim=4, latent_dim=3, output_dim=6)
s.update(f=[8, 3], g=[8, 6], e=[8, 3], d=[8, 1])
m = mlpalae.MlpAlae(s)
lists = {"ed": m.ed_var, "fg": m.fg_var, "eg": m.eg_var}
before = {k: [v.numpy().copy() for v in vs] for k, vs in lists.items()}
x = tf.constant(np.random.default_rng(0).random((5, 6)), tf.float32)
try:
    for _ in range(2):
        m.trainstep(x)
    moved = {k: any((a != v.numpy()).any() for a, v in zip(before[k], vs)) for k, vs in lists.items()}
    print("MlpAlae trainstep: OK; lists moved:", moved)
except Exception as e:  # noqa: BLE001  (report whatever Keras raises)
    print("MlpAlae trainstep RAISES", msg(e))
