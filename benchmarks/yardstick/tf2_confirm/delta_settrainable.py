# nasa/delta 9ba72e0 (PR #63): the SetTrainable callback unfroze a layer at a given epoch by setting
# `trainable` on the model's layers from on_epoch_begin and recompiling the model inside fit. The fix
# raises ContinueTrainingException instead; train() catches it, recompiles and restarts fit for the
# remaining epochs. SetTrainable and ContinueTrainingException are taken from the commit with ast
# (compile_model: model.compile with an optimizer and loss, as the project's helper does), on a
# small model whose first layer starts frozen and is unfrozen at epoch 1 of a 3-epoch fit; the loop
# around fit is the commit's train() loop. Prints whether the unfrozen layer moved after the
# callback ran. tf_keras (KERAS3=1 for Keras 3: the same).
import os, sys, ast
if os.environ.get("KERAS3"): os.environ["TF_USE_LEGACY_KERAS"] = "0"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np

root = sys.argv[-1]
ns = {"tensorflow": tf}
def take(path, names):
    t = ast.parse(open(path).read())
    body = [n for n in t.body if isinstance(n, (ast.ClassDef, ast.FunctionDef)) and n.name in names]
    exec(compile(ast.Module(body=body, type_ignores=[]), path, "exec"), ns)
take(os.path.join(root, "delta/ml/train.py"), {"ContinueTrainingException"})
ns.setdefault("ContinueTrainingException", type("NotInThisCommit", (Exception,), {}))
def compile_model(model, spec=None):
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    return model
class _Config:
    class train:
        @staticmethod
        def spec(): return None
ns["compile_model"], ns["config"] = compile_model, _Config
take(os.path.join(root, "delta/extensions/callbacks.py"), {"SetTrainable"})

tf.random.set_seed(0); np.random.seed(0)
inp = tf.keras.Input((4,))
first = tf.keras.layers.Dense(4, name="encoder")
model = tf.keras.Model(inp, tf.keras.layers.Dense(1, name="head")(first(inp)))
first.trainable = False
compile_model(model)
x, y = np.random.randn(32, 4).astype("float32"), np.random.randn(32, 1).astype("float32")
class Snap(tf.keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 1 and not hasattr(self, "w"): self.w = first.kernel.numpy().copy()
snap = Snap()
callbacks = [snap, ns["SetTrainable"]("encoder", 1, True)]
epochs, done, restarts = 3, False, 0
try:
    while not done:  # the commit's train() loop around fit
        try:
            model.fit(x, y, epochs=epochs, batch_size=8, callbacks=callbacks, verbose=0)
            done = True
        except ns["ContinueTrainingException"] as cte:
            restarts += 1
            epochs -= cte.completed_epochs
            if cte.recompile_model:
                model = compile_model(model)
    print(f"fit: restarts={restarts}; encoder kernel moved after the unfreeze = "
          f"{not np.allclose(snap.w, first.kernel.numpy())}")
except Exception as e:  # noqa: BLE001
    print("fit RAISES", msg(e), f"(encoder kernel moved after the unfreeze = "
          f"{not np.allclose(snap.w, first.kernel.numpy())})")
