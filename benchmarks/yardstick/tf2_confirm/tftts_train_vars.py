# TensorSpeech/TensorFlowTTS 1a64f4e: Seq2SeqBasedTrainer took its gradient over
# self._model.trainable_variables but applied it, zipped, to self._trainable_variables, the list that
# compile() filters by the config's var_train_expr. With a filter the two lists differ, so zip pairs
# the first listed variables with the gradients of the model's first variables. The trainer's own
# compile/_train_vars/_check_string_exist/_one_step_forward_per_replica are taken from the commit's
# base_trainer.py with ast and run on a stub trainer: a two-layer model (encoder, decoder),
# var_train_expr = "decoder", one SGD(1.0) step; each variable's move is compared with its own
# gradient. tf_keras (the tf.keras 2 of the 2020 project); Keras 3 names variables without the
# model path, so the name filter selects nothing there.
import os, sys, ast
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import numpy as np

path = os.path.join(sys.argv[-1], "tensorflow_tts/trainers/base_trainer.py")
tree = ast.parse(open(path).read())
cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Seq2SeqBasedTrainer")
wanted = {"_train_vars", "_check_string_exist", "_one_step_forward_per_replica", "compile"}
ns = {"tf": tf}
exec(compile(ast.Module(body=[n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name in wanted],
                        type_ignores=[]), path, "exec"), ns)

class Opt:  # the project's AdamWeightDecay takes a clip norm as second argument
    def __init__(self): self.inner = tf.keras.optimizers.SGD(1.0)
    def apply_gradients(self, gv, *args): self.inner.apply_gradients(list(gv))
class Trainer: pass
for n in wanted: setattr(Trainer, n, ns[n])
Trainer.set_model = lambda self, m: setattr(self, "_model", m)
Trainer.set_optimizer = lambda self, o: setattr(self, "_optimizer", o)
Trainer.get_n_gpus = lambda self: 1
Trainer.update_train_metrics = lambda self, d: None
Trainer.compute_per_example_losses = lambda self, batch, out: (tf.reduce_sum(out ** 2, axis=-1), {})

class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = tf.keras.layers.Dense(3, name="encoder")
        self.decoder = tf.keras.layers.Dense(3, name="decoder")
    def call(self, x, training=False):
        return self.decoder(self.encoder(x))

tf.random.set_seed(0)
net, x = Net(), tf.random.normal([4, 3])
net(x=x)
t = Trainer()
t.config, t._is_mixed_precision = {"var_train_expr": "decoder", "batch_size": 4}, False
t.compile(net, Opt())
print("train_vars listed:", [v.name for v in t._trainable_variables])
before = {v.name: v.numpy().copy() for v in net.trainable_variables}
with tf.GradientTape() as tape:
    loss = tf.nn.compute_average_loss(tf.reduce_sum(net(x) ** 2, axis=-1), global_batch_size=4)
own = dict(zip([v.name for v in net.trainable_variables], tape.gradient(loss, net.trainable_variables)))
try:
    t._one_step_forward_per_replica({"x": x})
except Exception as e:  # noqa: BLE001
    print("RAISES", msg(e))
for v in net.trainable_variables:
    d = before[v.name] - v.numpy()
    moved = not np.allclose(d, 0)
    right = moved and np.allclose(d, own[v.name].numpy(), atol=1e-5)
    print(f"train_vars step: {v.name} moved={moved} by_its_own_gradient={right}")
