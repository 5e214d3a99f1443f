# whitgroves/pokegan-gsc 31d00df ("v5 fail"): make_discriminator() compiles the model and then sets
# model.trainable = False; the custom tf.function train_step takes the discriminator's gradients over
# discriminator.trainable_variables, which is then empty, so the discriminator never trains.
# usage: pokegan_frozen_disc.py TREE [KERAS3]. v4/dcgan_v5.py's top-level functions and assignments
# are taken from the export with ast and run with small sizes (IMG_SCALE 8, BATCH_SIZE 4, NOISE_DIM 5;
# the script's GPU check, IPython display and plotting calls are left out); two train_step calls.
import os, sys, ast
if len(sys.argv) > 2 and sys.argv[2] == "KERAS3":
    os.environ["TF_USE_LEGACY_KERAS"] = "0"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *  # noqa: F401,F403
import numpy as np
keras = tf.keras
src = open(os.path.join(sys.argv[1], "v4/dcgan_v5.py")).read()
SMALL = {"IMG_SCALE": 8, "BATCH_SIZE": 4, "NOISE_DIM": 5}
ns = dict(tf=tf, keras=keras, os=os, np=np, utils=keras.utils, layers=keras.layers, losses=keras.losses,
          optimizers=keras.optimizers, Sequential=keras.Sequential, **SMALL)
for node in ast.parse(src).body:
    if isinstance(node, ast.FunctionDef) or (isinstance(node, ast.Assign) and not any(
            isinstance(t, ast.Name) and t.id in SMALL for t in node.targets)):
        exec(compile(ast.Module([node], []), "dcgan_v5.py", "exec"), ns)  # the commit's own code
tf.random.set_seed(0)
g, d = ns["make_generator"](), ns["make_discriminator"]()
d0 = [w.numpy().copy() for w in d.weights]; g0 = [w.numpy().copy() for w in g.weights]
images = tf.random.uniform([4, 8, 8, ns["IMG_CHANNELS"]])
try:
    for _ in range(2):
        ns["train_step"](g, d, images)
    out = "ran"
except Exception as e:  # noqa: BLE001
    out = "RAISES " + msg(e)
dm = sum(int(not np.allclose(a, w.numpy())) for a, w in zip(d0, d.weights))
gm = sum(int(not np.allclose(a, w.numpy())) for a, w in zip(g0, g.weights))
print(f"train_step x2 {out}: discriminator.trainable_variables {len(d.trainable_variables)} of {len(d.weights)}; "
      f"discriminator weights moved {dm} of {len(d.weights)}, generator weights moved {gm} of {len(g.weights)}")
