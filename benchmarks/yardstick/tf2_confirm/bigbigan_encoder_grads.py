# LEGO999/BigBiGAN-TensorFlow2.0 fe706c3: train_step takes the generator-and-encoder gradient over
# gen.trainable_variables only and zips it with gen + model_en's variables, so zip stops at the
# generator's and the encoder is never stepped. training.py and losses.py are loaded from the
# export (misc.py's plotting is replaced by a stand-in); train_step runs once on small stand-in
# models with the project's call signatures. tf_keras by default; KERAS3=1 for Keras 3.
import os, sys, types
if os.environ.get("KERAS3") == "1":
    os.environ["TF_USE_LEGACY_KERAS"] = "0"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
sys.modules["misc"] = types.SimpleNamespace(get_fixed_random=None, generate_images=None)
sys.path.insert(0, sys.argv[1])
import training
K = tf.keras
class Gen(K.Model):
    def __init__(self): super().__init__(); self.d = K.layers.Dense(6)
    def call(self, z, c, training=False): return self.d(z)
class Enc(K.Model):
    def __init__(self): super().__init__(); self.d = K.layers.Dense(4)
    def call(self, x, training=False): return self.d(x)
class DiscF(K.Model):
    def __init__(self): super().__init__(); self.a = K.layers.Dense(3); self.b = K.layers.Dense(1)
    def call(self, x, c, training=False): h = self.a(x); return h, self.b(h)
class DiscH(K.Model):
    def __init__(self): super().__init__(); self.a = K.layers.Dense(3); self.b = K.layers.Dense(1)
    def call(self, z, training=False): h = self.a(z); return h, self.b(h)
class DiscJ(K.Model):
    def __init__(self): super().__init__(); self.d = K.layers.Dense(1)
    def call(self, f, h, training=False): return self.d(tf.concat([f, h], -1))
gen, enc, df, dh, dj = Gen(), Enc(), DiscF(), DiscH(), DiscJ()
x = tf.random.uniform((4, 6)); z = tf.random.normal((4, 4)); lab = tf.zeros((4,), tf.int32)
gen(z, lab); enc(x); df(x, lab); dh(z); dj(tf.zeros((4, 3)), tf.zeros((4, 3)))  # build weights
class Config:  # absl FLAGS in the project; a plain hashable object here
    device, D_G_ratio = "CPU", 1
config = Config()
w_gen = [v.numpy().copy() for v in gen.trainable_variables]
w_enc = [v.numpy().copy() for v in enc.trainable_variables]
moved = lambda w, m: any((a != v.numpy()).any() for a, v in zip(w, m.trainable_variables))
try:
    training.train_step(x, lab, gen, df, dh, dj, enc, K.optimizers.Adam(1e-2), K.optimizers.Adam(1e-2),
                        K.metrics.Mean(), K.metrics.Mean(), 4, 4, config)
    print("train_step: OK; generator moved:", moved(w_gen, gen), "encoder moved:", moved(w_enc, enc))
except Exception as e:  # noqa: BLE001  (report whatever Keras raises)
    print("train_step RAISES", msg(e))
