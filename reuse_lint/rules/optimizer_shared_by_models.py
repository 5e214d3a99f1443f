from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import compatible, model_key, trained_layers, weight_holders
from reuse_lint.engine.values import KerasObject
from reuse_lint.rules.base import Rule, RuleContext


class OptimizerSharedByModels(Rule):
    """
    ## What it does
    Finds one Keras optimizer object applied first to some models' variables and later to a
    model with weights outside them: `opt.apply_gradients(zip(g, gen.trainable_variables))`
    and later `opt.apply_gradients(zip(d, disc.trainable_variables))`, one optimizer given to
    two models' `compile` and stepped through `model.optimizer` or by their own
    `train_on_batch`/`fit` (the Keras GAN recipe: the discriminator and the combined model
    compiled with one `Adam`), or an encoder's pretraining optimizer reused for the encoder
    with a new head (a Keras layer, or a layer of one's own whose `build` makes its weights
    by `self.add_weight`: a clustering layer's centres). A model's own step takes the weights
    that were not frozen when it was compiled; a subclass with a `train_step` of its own (a GAN
    written as a `keras.Model`) is stepped by that method when `fit` or `train_on_batch` trains
    it, on that very object (its models, its optimizers). Models of the project's own Keras
    subclasses count where their weights are known to differ: the later model holds a layer
    built at a place where nothing the first models hold was built, and everything the first
    models hold is known. The steps are followed through an object the script picks by an
    `if`/`elif` chain (`if loss == "IDEC": trainer = IDEC(...) elif ...`), each object on its
    own arm, and through the models of an architecture picked so (`if arch == "mlp": gen =
    MLP(...) elif ...`, then `gen.get_encoder()`): the script is followed on each arm. Two steps
    on different arms of one `if` belong to different runs and are not compared (unless a loop
    meets the `if` again: the GAN step that alternates `if i % 2:`). Where the program reads saved models back when they exist and builds them otherwise (`if
    os.path.exists(path): d = load_model(path) else: d = build(); d.compile(...)`), the built
    models are the ones followed: a first run has nothing saved.

    It also finds a Keras optimizer made as a parameter's default (`def __init__(self, ...,
    optimizer=tf.keras.optimizers.Adam())`) that the function's object steps: the default is
    made once, when the `def` runs, and every instance built without the argument shares it.
    Reported where the project builds the class (calls the function) at least twice without
    the argument, or nowhere (a library's class, built by its users).

    ## Why is this bad?
    A Keras optimizer (Keras 3, and tf_keras from TF 2.11 on) makes its slots for the
    variables of its first step and knows no others. The second model's step stops:
    `ValueError: Unknown variable ... This optimizer can only be called for the variables
    it was originally built with` (Keras 3), `KeyError: The optimizer cannot recognize
    variable ...` (tf_keras). (In the GAN recipe Keras 3 reads `trainable` at each step, so
    there the discriminator, frozen after its `compile`, is never stepped instead.)

    ## Example
    ```python
    optimizer = tf.keras.optimizers.Adam(1e-4)

    def g_step(z):
        ...
        optimizer.apply_gradients(zip(grads, generator.trainable_variables))

    def d_step(x, z):
        ...
        optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    ```

    Use instead:
    ```python
    g_optimizer = tf.keras.optimizers.Adam(1e-4)
    d_optimizer = tf.keras.optimizers.Adam(1e-4)
    ```

    ## Fix safety
    No automatic fix: sharing one optimizer's state between two models is rarely meant, but
    where it is, `optimizer.build(all_variables)` before the first step is the author's call.
    """

    CODE = "RL124"
    NAME = "optimizer-shared-by-models"
    VALID = (
        # A TF1 program (`tf.Session` under TF's own root exists only in TF 1): Keras 2.2's
        # `Adam` there is what tf_keras now calls `optimizers.legacy.Adam`, which makes slots
        # for any variable it meets. Round 31 (TF2), a relativistic LSGAN: with that Adam in
        # TF 2.21's graph mode both models train, no error.
        """
import numpy as np
import tensorflow as tf
from keras.models import Model
from keras.layers import Input, Dense
from keras.optimizers import Adam
sess = tf.Session(config=tf.ConfigProto())
def train():
    z = Input(shape=(4,))
    x = Input(shape=(4,))
    gene = Model(z, Dense(4)(z))
    disc = Model(x, Dense(1)(x))
    opt = Adam(lr=1e-3)
    gene.trainable = False
    disc_train = Model([z, x], [disc(x), disc(gene(z))])
    disc_train.compile(optimizer=opt, loss=["mse", "mse"])
    gene.trainable = True
    disc.trainable = False
    gene_train = Model(z, disc(gene(z)))
    gene_train.compile(optimizer=opt, loss="mse")
    gene_train.train_on_batch(np.zeros((2, 4)), np.ones((2, 1)))
    disc_train.train_on_batch([np.zeros((2, 4)), np.zeros((2, 4))], [np.ones((2, 1)), np.zeros((2, 1))])
train()
""",
        # The semi-supervised GAN's discriminator: a classifier and a real/fake model over the
        # same layers, the second head a weightless `Lambda`: its variables are the first's.
        """
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Input, Conv2D, Flatten, Dense, Activation, Lambda
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers import Adam
def d_model(n_classes=10):
    img = Input(shape=(8, 8, 3))
    logits = Dense(n_classes)(Flatten()(Conv2D(8, 3)(img)))
    opt = Adam(2e-4, 0.5)
    clf = Model(img, Activation("softmax")(logits))
    clf.compile(loss="sparse_categorical_crossentropy", optimizer=opt)
    disc = Model(img, Lambda(lambda t: K.sum(K.exp(t), -1, keepdims=True))(logits))
    disc.compile(loss="binary_crossentropy", optimizer=opt)
    return clf, disc
clf, disc = d_model()
clf.train_on_batch(np.zeros((4, 8, 8, 3)), np.zeros((4,)))
disc.train_on_batch(np.zeros((4, 8, 8, 3)), np.ones((4, 1)))
""",
        # The combined model first, then the generator it is built of: no new variable.
        """
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(4)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
z = tf.keras.Input([3])
combined = tf.keras.Model(z, d(g(z)))
opt = tf.keras.optimizers.Adam()
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(combined(tf.zeros([2, 3])))
opt.apply_gradients(zip(tape.gradient(loss, combined.trainable_variables), combined.trainable_variables))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(g(tf.zeros([2, 3])))
opt.apply_gradients(zip(tape.gradient(loss, g.trainable_variables), g.trainable_variables))
""",
        # One optimizer for each model.
        """
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(4)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
g_opt, d_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
def g_step(z):
    with tf.GradientTape() as tape:
        loss = -tf.reduce_mean(d(g(z)))
    g_opt.apply_gradients(zip(tape.gradient(loss, g.trainable_variables), g.trainable_variables))
def d_step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(d(x))
    d_opt.apply_gradients(zip(tape.gradient(loss, d.trainable_variables), d.trainable_variables))
g_step(tf.zeros([2, 3]))
d_step(tf.zeros([2, 4]))
""",
        # The optimizer is built for both lists before its first step.
        """
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(4)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
opt.build(g.trainable_variables + d.trainable_variables)
def step(x, model):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x))
    opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(g(tf.zeros([2, 3])))
opt.apply_gradients(zip(tape.gradient(loss, g.trainable_variables), g.trainable_variables))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(d(tf.zeros([2, 4])))
opt.apply_gradients(zip(tape.gradient(loss, d.trainable_variables), d.trainable_variables))
""",
        # The GAN recipe with an optimizer for each compiled model.
        """
import numpy as np
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.Input([2]), tf.keras.layers.Dense(3)])
d = tf.keras.Sequential([tf.keras.Input([3]), tf.keras.layers.Dense(1)])
d.compile(loss="mse", optimizer=tf.keras.optimizers.Adam())
d.trainable = False
z = tf.keras.Input([2])
combined = tf.keras.Model(z, d(g(z)))
combined.compile(loss="mse", optimizer=tf.keras.optimizers.Adam())
for _ in range(2):
    d.train_on_batch(np.zeros((4, 3)), np.ones((4, 1)))
    combined.train_on_batch(np.zeros((4, 2)), np.ones((4, 1)))
""",
        # An actor-critic model of one's own, then the actor it holds: no new variable.
        """
import tensorflow as tf
class Policy(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.out = tf.keras.layers.Dense(2)
    def call(self, s):
        return self.out(s)
class Value(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.q = tf.keras.layers.Dense(1)
    def call(self, s, a):
        return self.q(tf.concat([s, a], -1))
class ActorCritic(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.actor, self.critic = Policy(), Value()
    def call(self, s):
        return self.critic(s, self.actor(s))
net = ActorCritic()
opt = tf.keras.optimizers.Adam()
s = tf.zeros([4, 3])
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(net(s))
opt.apply_gradients(zip(tape.gradient(loss, net.trainable_variables), net.trainable_variables))
with tf.GradientTape() as tape:
    loss = -tf.reduce_mean(net.critic(s, net.actor(s)))
opt.apply_gradients(zip(tape.gradient(loss, net.actor.trainable_variables), net.actor.trainable_variables))
""",
        # A head given the encoder it is built on, then that encoder: no new variable.
        """
import tensorflow as tf
class Head(tf.keras.Model):
    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder
        self.q = tf.keras.layers.Dense(1)
    def call(self, x):
        return self.q(self.encoder(x))
encoder = tf.keras.Sequential([tf.keras.layers.Dense(4)])
head = Head(encoder)
opt = tf.keras.optimizers.Adam()
x = tf.zeros([4, 3])
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(head(x))
opt.apply_gradients(zip(tape.gradient(loss, head.trainable_variables), head.trainable_variables))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(encoder(x))
opt.apply_gradients(zip(tape.gradient(loss, encoder.trainable_variables), encoder.trainable_variables))
""",
        # Two models holding one layer, one of them set by a computed name: not shown apart.
        """
import tensorflow as tf
shared = tf.keras.layers.Dense(4)
class A(tf.keras.Model):
    def __init__(self):
        super().__init__()
        setattr(self, "body" + "", shared)
    def call(self, x):
        return self.body(x)
class B(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.body = shared
    def call(self, x):
        return self.body(x)
a, b = A(), B()
opt = tf.keras.optimizers.Adam()
x = tf.zeros([2, 3])
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(a(x))
opt.apply_gradients(zip(tape.gradient(loss, a.trainable_variables), a.trainable_variables))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(b(x))
opt.apply_gradients(zip(tape.gradient(loss, b.trainable_variables), b.trainable_variables))
""",
        # A list grown in place takes both models: the decoder's step is covered.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(2)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(3)])
opt = tf.keras.optimizers.Adam()
def autoencoder_vars():
    v = encoder.trainable_variables
    v.extend(decoder.trainable_variables)
    return v
def pretrain_step(x):
    v = autoencoder_vars()
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(x - decoder(encoder(x))))
    opt.apply_gradients(zip(tape.gradient(loss, v), v))
def decoder_step(z):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(decoder(z))
    opt.apply_gradients(zip(tape.gradient(loss, decoder.trainable_variables), decoder.trainable_variables))
pretrain_step(tf.zeros([2, 3]))
decoder_step(tf.zeros([2, 2]))
""",
        # TensorFlow 2 takes the arm with an optimizer for each model (a test of the version's
        # major part is known; the 1.x arm never runs).
        """
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(4)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
if tf.__version__.startswith("1."):
    g_opt = d_opt = tf.keras.optimizers.Adam()
else:
    g_opt, d_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(g(tf.zeros([2, 3])))
g_opt.apply_gradients(zip(tape.gradient(loss, g.trainable_variables), g.trainable_variables))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(d(tf.zeros([2, 4])))
d_opt.apply_gradients(zip(tape.gradient(loss, d.trainable_variables), d.trainable_variables))
""",
        # A model's `weights`, then its trainable variables: the same model's list; a polyak
        # update reads the weights of both.
        """
import tensorflow as tf
net = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.BatchNormalization(), tf.keras.layers.Dense(1)])
target = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.BatchNormalization(), tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
s = tf.zeros([4, 3])
target(s)
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(net(s, training=True)))
opt.apply_gradients(zip(tape.gradient(loss, net.weights), net.weights))
for w, t in zip(net.weights, target.weights):
    t.assign(0.99 * t + 0.01 * w)
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(net(s, training=True))
opt.apply_gradients(zip(tape.gradient(loss, net.trainable_variables), net.trainable_variables))
""",
        # Resumed or built: each model compiles with an optimizer of its own.
        """
import os
import numpy as np
import tensorflow as tf
def build(path):
    if os.path.exists(path):
        d = tf.keras.models.load_model(path)
    else:
        d = tf.keras.Sequential([tf.keras.Input([3]), tf.keras.layers.Dense(1)])
        d.compile(loss="mse", optimizer=tf.keras.optimizers.Adam())
    g = tf.keras.Sequential([tf.keras.Input([2]), tf.keras.layers.Dense(3)])
    d.trainable = False
    z = tf.keras.Input([2])
    combined = tf.keras.Model(z, d(g(z)))
    combined.compile(loss="mse", optimizer=tf.keras.optimizers.Adam())
    return d, combined
d, combined = build("d.h5")
combined.train_on_batch(np.zeros((4, 2)), np.ones((4, 1)))
d.train_on_batch(np.zeros((4, 3)), np.ones((4, 1)))
""",
        # A perceptual loss's VGG, frozen layer by layer, and an Adam for each compiled model.
        """
import numpy as np
import tensorflow as tf
vgg = tf.keras.applications.VGG19(include_top=False, weights=None, input_shape=(32, 32, 3))
for layer in vgg.layers:
    layer.trainable = False
def perceptual(y_true, y_pred):
    return tf.reduce_mean(tf.square(vgg(y_true) - vgg(y_pred)))
g = tf.keras.Sequential([tf.keras.Input([32, 32, 3]), tf.keras.layers.Conv2D(3, 3, padding="same")])
d = tf.keras.Sequential([tf.keras.Input([32, 32, 3]), tf.keras.layers.Flatten(), tf.keras.layers.Dense(1)])
d.compile(loss="mse", optimizer=tf.keras.optimizers.Adam())
d.trainable = False
x = tf.keras.Input([32, 32, 3])
combined = tf.keras.Model(x, [g(x), d(g(x))])
combined.compile(loss=[perceptual, "mse"], optimizer=tf.keras.optimizers.Adam())
d.train_on_batch(np.zeros((2, 32, 32, 3)), np.ones((2, 1)))
combined.train_on_batch(np.zeros((2, 32, 32, 3)), [np.zeros((2, 32, 32, 3)), np.ones((2, 1))])
""",
        # A constructor's default optimizer, the class built once: one object, one model.
        """
import tensorflow as tf
class Emulator(tf.keras.Model):
    def __init__(self, n_modes, optimizer=tf.keras.optimizers.Adam()):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(8, activation="tanh")
        self.out = tf.keras.layers.Dense(n_modes)
        self.optimizer = optimizer
    def call(self, x):
        return self.out(self.hidden(x))
    def training_step(self, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return loss
emulator = Emulator(4)
emulator.training_step(tf.zeros([4, 3]), tf.ones([4, 4]))
""",
        # Every construction passes an optimizer of its own: the default is never used.
        """
import tensorflow as tf
class Emulator(tf.keras.Model):
    def __init__(self, n_modes, optimizer=tf.keras.optimizers.Adam()):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(8, activation="tanh")
        self.out = tf.keras.layers.Dense(n_modes)
        self.optimizer = optimizer
    def call(self, x):
        return self.out(self.hidden(x))
    def training_step(self, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return loss
tt = Emulator(4, optimizer=tf.keras.optimizers.Adam())
te = Emulator(6, tf.keras.optimizers.Adam(1e-4))
""",
        # The default is `None` and each object without one makes its own Adam.
        """
import tensorflow as tf
class Emulator(tf.keras.Model):
    def __init__(self, n_modes, optimizer=None):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(8, activation="tanh")
        self.out = tf.keras.layers.Dense(n_modes)
        self.optimizer = optimizer or tf.keras.optimizers.Adam()
    def call(self, x):
        return self.out(self.hidden(x))
    def training_step(self, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return loss
""",
        # The default is a learning rate; the Adam is made in the body, once per object.
        """
import tensorflow as tf
class Emulator(tf.keras.Model):
    def __init__(self, n_modes, learning_rate=1e-3):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(8, activation="tanh")
        self.out = tf.keras.layers.Dense(n_modes)
        self.optimizer = tf.keras.optimizers.Adam(learning_rate)
    def call(self, x):
        return self.out(self.hidden(x))
    def training_step(self, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return loss
tt, te = Emulator(4), Emulator(6)
""",
        # The Keras guide's GAN subclass given an Adam for each model, trained by `fit`.
        """
import tensorflow as tf
from tensorflow import keras
class GAN(keras.Model):
    def __init__(self, discriminator, generator):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
    def train_step(self, real):
        with tf.GradientTape() as tape:
            d_loss = tf.reduce_mean(self.discriminator(real))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        with tf.GradientTape() as tape:
            g_loss = -tf.reduce_mean(self.discriminator(self.generator(tf.random.normal((8, 4)))))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        return {"d_loss": d_loss}
gan = GAN(keras.Sequential([keras.layers.Dense(1)]), keras.Sequential([keras.layers.Dense(6)]))
gan.compile(d_optimizer=keras.optimizers.Adam(), g_optimizer=keras.optimizers.Adam())
gan.fit(tf.zeros((16, 6)), epochs=1)
""",
        # A clustering layer whose centres are not trained (`trainable=False`): the second list adds nothing.
        """
import tensorflow as tf
class Centres(tf.keras.layers.Layer):
    def build(self, shape):
        self.mu = self.add_weight(name="mu", shape=(3, shape[-1]), trainable=False)
    def call(self, z):
        return tf.reduce_sum(tf.square(z[:, None] - self.mu), -1)
encoder = tf.keras.Sequential([tf.keras.layers.Dense(2)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(3)])
centres = Centres()
opt = tf.keras.optimizers.Adam()
x = tf.zeros([4, 3])
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(x - decoder(encoder(x))))
v = encoder.trainable_variables + decoder.trainable_variables
opt.apply_gradients(zip(tape.gradient(loss, v), v))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(centres(encoder(x)))
v = encoder.trainable_variables + centres.trainable_variables
opt.apply_gradients(zip(tape.gradient(loss, v), v))
""",
        # The trainer an `if` chain picks makes a second optimizer for its encoder and new head.
        """
import os
import tensorflow as tf
class Pretrained:
    def __init__(self, encoder, optimizer=None):
        self.encoder = encoder
        self.optimizer = optimizer
    def initialize(self):
        if self.optimizer is None:
            self.optimizer = tf.keras.optimizers.Adam()
        self.head = tf.keras.layers.Dense(3)
        self.head_optimizer = tf.keras.optimizers.Adam()
    def step(self, x, variables, optimizer):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(self.head(self.encoder(x)))
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    def fit(self, x):
        self.step(x, self.encoder.trainable_variables, self.optimizer)
        self.step(x, self.encoder.trainable_variables + self.head.trainable_variables, self.head_optimizer)
class Frozen(Pretrained):
    pass
encoder = tf.keras.Sequential([tf.keras.Input([3]), tf.keras.layers.Dense(2)])
if os.environ.get("TRAINER", "pretrained") == "pretrained":
    trainer = Pretrained(encoder)
elif os.environ.get("TRAINER") == "frozen":
    trainer = Frozen(encoder)
trainer.initialize()
trainer.fit(tf.zeros([4, 3]))
""",
        # One model per task built by an `if` chain, compiled once after it with one Adam:
        # each run builds, compiles and fits one of them.
        """
import sys
import tensorflow as tf
kind = sys.argv[1]
if kind == "mnist":
    model = tf.keras.Sequential([tf.keras.layers.Dense(4)])
elif kind == "text":
    model = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.Dense(4)])
model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="mse")
if kind == "mnist":
    model.fit(images, labels)
elif kind == "text":
    model.fit(texts, labels)
""",
        # One Adam, and the network a run steps picked by a setting: each run steps one.
        """
import sys
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(4)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
x = tf.zeros([2, 3])
if sys.argv[1] == "g":
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(g(x))
    opt.apply_gradients(zip(tape.gradient(loss, g.trainable_variables), g.trainable_variables))
else:
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(d(x))
    opt.apply_gradients(zip(tape.gradient(loss, d.trainable_variables), d.trainable_variables))
""",
        # The architecture picked by an `if`/`elif` chain, its model stepped by the one Adam:
        # a run builds one of them.
        """
import os
import tensorflow as tf
class MLP:
    def __init__(self):
        self.net = tf.keras.Sequential([tf.keras.layers.Dense(4)])
class Conv:
    def __init__(self):
        self.net = tf.keras.Sequential([tf.keras.layers.Conv1D(4, 3), tf.keras.layers.Flatten()])
opt = tf.keras.optimizers.Adam()
arch = os.environ.get("ARCH", "mlp")
if arch == "mlp":
    generator = MLP()
elif arch == "conv":
    generator = Conv()
net = generator.net
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(net(tf.zeros([2, 5, 1])))
opt.apply_gradients(zip(tape.gradient(loss, net.trainable_variables), net.trainable_variables))
""",
    )
    VALID = VALID + (
        # Written for Keras 1 (`init=`, `Model(input=..., output=...)`): its optimizers make
        # their updates per compiled model, so one Adam serves both.
        """
from keras.models import Model, Sequential
from keras.layers import Input, Dense
from keras.optimizers import Adam
adam = Adam(lr=0.0002, beta_1=0.5)
generator = Sequential()
generator.add(Dense(784, input_dim=100, init="normal", activation="tanh"))
generator.compile(loss="binary_crossentropy", optimizer=adam)
discriminator = Sequential()
discriminator.add(Dense(1, input_dim=784, init="normal", activation="sigmoid"))
discriminator.compile(loss="binary_crossentropy", optimizer=adam)
discriminator.trainable = False
noise = Input(shape=(100,))
gan = Model(input=noise, output=discriminator(generator(noise)))
gan.compile(loss="binary_crossentropy", optimizer=adam)
def train_batch(images, labels, z, ones):
    discriminator.trainable = True
    discriminator.train_on_batch(images, labels)
    discriminator.trainable = False
    gan.train_on_batch(z, ones)
""",
    )

    INVALID = (
        # The same recipe in a TF2 program that only opens a `tf.compat.v1.Session` (eager
        # execution stays on): Keras steps with its new optimizers.
        """
import numpy as np
import tensorflow as tf
sess = tf.compat.v1.Session()
z = tf.keras.Input(shape=(4,))
x = tf.keras.Input(shape=(4,))
gene = tf.keras.Model(z, tf.keras.layers.Dense(4)(z))
disc = tf.keras.Model(x, tf.keras.layers.Dense(1)(x))
opt = tf.keras.optimizers.Adam(1e-3)
disc.compile(optimizer=opt, loss="mse")
disc.trainable = False
combined = tf.keras.Model(z, disc(gene(z)))
combined.compile(optimizer=opt, loss="mse")
disc.train_on_batch(np.zeros((2, 4)), np.ones((2, 1)))
combined.train_on_batch(np.zeros((2, 4)), np.ones((2, 1)))  # expect: RL124
""",
        # The Keras guide's GAN subclass, handed its models and one Adam for both: `fit` runs
        # its `train_step` on this object.
        """
import tensorflow as tf
from tensorflow import keras
class GAN(keras.Model):
    def __init__(self, discriminator, generator):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
    def train_step(self, real):
        with tf.GradientTape() as tape:
            d_loss = tf.reduce_mean(self.discriminator(real))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        with tf.GradientTape() as tape:
            g_loss = -tf.reduce_mean(self.discriminator(self.generator(tf.random.normal((8, 4)))))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))  # expect: RL124
        return {"d_loss": d_loss}
gan = GAN(keras.Sequential([keras.layers.Dense(1)]), keras.Sequential([keras.layers.Dense(6)]))
opt = keras.optimizers.Adam()
gan.compile(d_optimizer=opt, g_optimizer=opt)
gan.fit(tf.zeros((16, 6)), epochs=1)
""",
        # The same two heads, but the real/fake one adds a `Dense` of its own.
        """
import numpy as np
from tensorflow.keras.layers import Input, Conv2D, Flatten, Dense, Activation
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers import Adam
def d_model(n_classes=10):
    img = Input(shape=(8, 8, 3))
    logits = Dense(n_classes)(Flatten()(Conv2D(8, 3)(img)))
    opt = Adam(2e-4, 0.5)
    clf = Model(img, Activation("softmax")(logits))
    clf.compile(loss="sparse_categorical_crossentropy", optimizer=opt)
    disc = Model(img, Dense(1, activation="sigmoid")(logits))
    disc.compile(loss="binary_crossentropy", optimizer=opt)
    return clf, disc
clf, disc = d_model()
clf.train_on_batch(np.zeros((4, 8, 8, 3)), np.zeros((4,)))
disc.train_on_batch(np.zeros((4, 8, 8, 3)), np.ones((4, 1)))  # expect: RL124
""",
        """
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(4)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
optimizer = tf.keras.optimizers.Adam(1e-4)
def g_step(z):
    with tf.GradientTape() as tape:
        loss = -tf.reduce_mean(d(g(z)))
    grads = tape.gradient(loss, g.trainable_variables)
    optimizer.apply_gradients(zip(grads, g.trainable_variables))
def d_step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(d(x))
    grads = tape.gradient(loss, d.trainable_variables)
    optimizer.apply_gradients(zip(grads, d.trainable_variables))  # expect: RL124
g_step(tf.zeros([2, 3]))
d_step(tf.zeros([2, 4]))
""",
        # The pretraining optimizer reused once a clustering head joins the encoder.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(2)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(3)])
autoencoder = tf.keras.Sequential([encoder, decoder])
head = tf.keras.layers.Dense(4)
inputs = tf.keras.Input([3])
clustering = tf.keras.Model(inputs, head(encoder(inputs)))
opt = tf.keras.optimizers.Adam()
def pretrain_step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(x - autoencoder(x)))
    opt.apply_gradients(zip(tape.gradient(loss, autoencoder.trainable_variables), autoencoder.trainable_variables))
def cluster_step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(clustering(x))
    opt.apply_gradients(zip(tape.gradient(loss, clustering.trainable_variables), clustering.trainable_variables))  # expect: RL124
pretrain_step(tf.zeros([2, 3]))
cluster_step(tf.zeros([2, 3]))
""",
        # The same with the pre-training list grown in place.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(2)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(3)])
head = tf.keras.layers.Dense(4)
opt = tf.keras.optimizers.Adam()
def pretrain_step(x):
    v = encoder.trainable_variables
    v += decoder.trainable_variables
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(x - decoder(encoder(x))))
    opt.apply_gradients(zip(tape.gradient(loss, v), v))
def cluster_step(x):
    v = encoder.trainable_variables + head.trainable_variables
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(head(encoder(x)))
    opt.apply_gradients(zip(tape.gradient(loss, v), v))  # expect: RL124
pretrain_step(tf.zeros([2, 3]))
cluster_step(tf.zeros([2, 3]))
""",
        # One optimizer given to two models' `compile`, stepped through `model.optimizer`.
        """
import tensorflow as tf
class Detector:
    def build(self):
        self.enc = tf.keras.Sequential([tf.keras.layers.Dense(2)])
        self.dec = tf.keras.Sequential([tf.keras.layers.Dense(3)])
        opt = tf.keras.optimizers.Adam()
        self.enc.compile(optimizer=opt)
        self.dec.compile(optimizer=opt)
    def train_step(self, x):
        with tf.GradientTape() as enc_tape, tf.GradientTape() as dec_tape:
            loss = tf.reduce_mean((self.dec(self.enc(x)) - x) ** 2)
        grads = dec_tape.gradient(loss, self.dec.trainable_variables)
        self.dec.optimizer.apply_gradients(zip(grads, self.dec.trainable_variables))
        grads = enc_tape.gradient(loss, self.enc.trainable_variables)
        self.enc.optimizer.apply_gradients(zip(grads, self.enc.trainable_variables))  # expect: RL124
    def fit(self, x):
        self.build()
        self.train_step(x)
Detector().fit(tf.zeros([4, 3]))
""",
        # The GAN recipe with one optimizer: the discriminator's step builds it for its own
        # weights; the combined model's brings the generator's.
        """
import numpy as np
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.Input([2]), tf.keras.layers.Dense(3)])
d = tf.keras.Sequential([tf.keras.Input([3]), tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
d.compile(loss="mse", optimizer=opt)
d.trainable = False
z = tf.keras.Input([2])
combined = tf.keras.Model(z, d(g(z)))
combined.compile(loss="mse", optimizer=opt)
for _ in range(2):
    d.train_on_batch(np.zeros((4, 3)), np.ones((4, 1)))
    combined.train_on_batch(np.zeros((4, 2)), np.ones((4, 1)))  # expect: RL124
""",
        # Two models of the project's own subclasses, each making its own layers: the actor's
        # weights are none of the critic's.
        """
import tensorflow as tf
class Policy(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.out = tf.keras.layers.Dense(2)
    def call(self, s):
        return self.out(s)
class Value(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.q = tf.keras.layers.Dense(1)
    def call(self, s, a):
        return self.q(tf.concat([s, a], -1))
actor, critic = Policy(), Value()
opt = tf.keras.optimizers.Adam()
s, a = tf.zeros([4, 3]), tf.zeros([4, 2])
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(critic(s, a)))
opt.apply_gradients(zip(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables))
with tf.GradientTape() as tape:
    loss = -tf.reduce_mean(critic(s, actor(s)))
opt.apply_gradients(zip(tape.gradient(loss, actor.trainable_variables), actor.trainable_variables))  # expect: RL124
""",
        # The networks picked by TensorFlow's version: Keras models on 2.x.
        """
import tensorflow as tf
if tf.__version__ < "2":
    def mlp(units, name):
        return tf.compat.v1.make_template(name, lambda x: tf.compat.v1.layers.dense(x, units))
else:
    def mlp(units, name):
        return tf.keras.Sequential([tf.keras.layers.Dense(units)], name=name)
g, d = mlp(4, "g"), mlp(1, "d")
opt = tf.keras.optimizers.Adam()
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(g(tf.zeros([2, 3])))
opt.apply_gradients(zip(tape.gradient(loss, g.trainable_variables), g.trainable_variables))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(d(tf.zeros([2, 4])))
opt.apply_gradients(zip(tape.gradient(loss, d.trainable_variables), d.trainable_variables))  # expect: RL124
""",
        # The lists read as `weights` and `variables` (the non-trainable moving statistics get
        # no gradient, and the step drops them).
        """
import tensorflow as tf
critic = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.BatchNormalization(), tf.keras.layers.Dense(1)])
actor = tf.keras.Sequential([tf.keras.layers.Dense(2)])
opt = tf.keras.optimizers.Adam()
s = tf.zeros([4, 3])
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(critic(s, training=True)))
opt.apply_gradients(zip(tape.gradient(loss, critic.weights), critic.weights))
with tf.GradientTape() as tape:
    loss = -tf.reduce_mean(actor(s))
opt.apply_gradients(zip(tape.gradient(loss, actor.variables), actor.variables))  # expect: RL124
""",
        # Resumed when saved models exist, built otherwise: a first run builds, and the one
        # Adam stepped on the combined model first does not know the discriminator's weights.
        """
import os
import numpy as np
import tensorflow as tf
def build(path):
    opt = tf.keras.optimizers.Adam()
    if os.path.exists(path):
        d = tf.keras.models.load_model(path)
    else:
        d = tf.keras.Sequential([tf.keras.Input([3]), tf.keras.layers.Dense(1)])
        d.compile(loss="mse", optimizer=opt)
    g = tf.keras.Sequential([tf.keras.Input([2]), tf.keras.layers.Dense(3)])
    d.trainable = False
    z = tf.keras.Input([2])
    combined = tf.keras.Model(z, d(g(z)))
    combined.compile(loss="mse", optimizer=opt)
    return d, combined
d, combined = build("d.h5")
combined.train_on_batch(np.zeros((4, 2)), np.ones((4, 1)))
d.train_on_batch(np.zeros((4, 3)), np.ones((4, 1)))  # expect: RL124
""",
        # The same with one Adam: the VGG frozen in the loss is none of the models' layers, so
        # the combined model's step is followed as before.
        """
import numpy as np
import tensorflow as tf
vgg = tf.keras.applications.VGG19(include_top=False, weights=None, input_shape=(32, 32, 3))
for layer in vgg.layers:
    layer.trainable = False
def perceptual(y_true, y_pred):
    return tf.reduce_mean(tf.square(vgg(y_true) - vgg(y_pred)))
g = tf.keras.Sequential([tf.keras.Input([32, 32, 3]), tf.keras.layers.Conv2D(3, 3, padding="same")])
d = tf.keras.Sequential([tf.keras.Input([32, 32, 3]), tf.keras.layers.Flatten(), tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
d.compile(loss="mse", optimizer=opt)
d.trainable = False
x = tf.keras.Input([32, 32, 3])
combined = tf.keras.Model(x, [g(x), d(g(x))])
combined.compile(loss=[perceptual, "mse"], optimizer=opt)
d.train_on_batch(np.zeros((2, 32, 32, 3)), np.ones((2, 1)))
combined.train_on_batch(np.zeros((2, 32, 32, 3)), [np.zeros((2, 32, 32, 3)), np.ones((2, 1))])  # expect: RL124
""",
        # A library's emulator (built nowhere in the project) defaults its optimizer to one
        # Adam, made when the `def` ran: every emulator its users build without one shares it.
        """
import tensorflow as tf
class Emulator(tf.keras.Model):
    def __init__(self, n_modes, optimizer=tf.keras.optimizers.Adam()):  # expect: RL124
        super().__init__()
        self.hidden = tf.keras.layers.Dense(8, activation="tanh")
        self.out = tf.keras.layers.Dense(n_modes)
        self.optimizer = optimizer
    def call(self, x):
        return self.out(self.hidden(x))
    def training_step(self, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return loss
""",
        # The same class built twice with the default.
        """
import tensorflow as tf
class Emulator(tf.keras.Model):
    def __init__(self, n_modes, optimizer=tf.keras.optimizers.Adam()):  # expect: RL124
        super().__init__()
        self.hidden = tf.keras.layers.Dense(8, activation="tanh")
        self.out = tf.keras.layers.Dense(n_modes)
        self.optimizer = optimizer
    def call(self, x):
        return self.out(self.hidden(x))
    def training_step(self, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return loss
tt_emulator = Emulator(4)
te_emulator = Emulator(6)
""",
        # A plain class holding a model it compiles with the default optimizer.
        """
import tensorflow as tf
class Regressor:
    def __init__(self, n_features, optimizer=tf.keras.optimizers.Adam(1e-3)):  # expect: RL124
        self.model = tf.keras.Sequential([tf.keras.Input([n_features]), tf.keras.layers.Dense(8), tf.keras.layers.Dense(1)])
        self.model.compile(optimizer=optimizer, loss="mse")
    def fit(self, x, y, epochs=10):
        self.model.fit(x, y, epochs=epochs, verbose=0)
""",
        # The pre-training optimizer stepped again with a clustering layer of one's own, whose
        # centres `build` makes by `self.add_weight`.
        """
import tensorflow as tf
class Centres(tf.keras.layers.Layer):
    def build(self, shape):
        self.mu = self.add_weight(name="mu", shape=(3, shape[-1]))
    def call(self, z):
        return tf.reduce_sum(tf.square(z[:, None] - self.mu), -1)
encoder = tf.keras.Sequential([tf.keras.layers.Dense(2)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(3)])
centres = Centres()
opt = tf.keras.optimizers.Adam()
x = tf.zeros([4, 3])
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(x - decoder(encoder(x))))
v = encoder.trainable_variables + decoder.trainable_variables
opt.apply_gradients(zip(tape.gradient(loss, v), v))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(centres(encoder(x)))
v = encoder.trainable_variables + centres.trainable_variables
opt.apply_gradients(zip(tape.gradient(loss, v), v))  # expect: RL124
""",
        # The trainer picked by an `if`/`elif` chain (the object its arm made) makes its optimizer
        # when none is given, and steps it on the encoder, then on the encoder and a new head.
        """
import os
import tensorflow as tf
class Pretrained:
    def __init__(self, encoder, optimizer=None):
        self.encoder = encoder
        self.optimizer = optimizer
    def initialize(self):
        if self.optimizer is None:
            self.optimizer = tf.keras.optimizers.Adam()
        self.head = tf.keras.layers.Dense(3)
    def step(self, x, variables):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(self.head(self.encoder(x)))
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))  # expect: RL124
    def fit(self, x):
        self.step(x, self.encoder.trainable_variables)
        self.step(x, self.encoder.trainable_variables + self.head.trainable_variables)
class Frozen(Pretrained):
    pass
encoder = tf.keras.Sequential([tf.keras.Input([3]), tf.keras.layers.Dense(2)])
if os.environ.get("TRAINER", "pretrained") == "pretrained":
    trainer = Pretrained(encoder)
elif os.environ.get("TRAINER") == "frozen":
    trainer = Frozen(encoder)
trainer.initialize()
trainer.fit(tf.zeros([4, 3]))
""",
        # The architecture picked by an `if`/`elif` chain, its models read from the picked
        # generator: on either path the Adam pre-trained on the autoencoder meets the new head.
        """
import os
import tensorflow as tf
class MLP:
    def __init__(self):
        self.encoder = tf.keras.Sequential([tf.keras.layers.Dense(2)])
        self.decoder = tf.keras.Sequential([tf.keras.layers.Dense(3)])
    def get_encoder(self):
        return self.encoder
    def get_decoder(self):
        return self.decoder
class Conv(MLP):
    def __init__(self):
        self.encoder = tf.keras.Sequential([tf.keras.layers.Conv1D(2, 3), tf.keras.layers.Flatten()])
        self.decoder = tf.keras.Sequential([tf.keras.layers.Dense(3)])
arch = os.environ.get("ARCH", "mlp")
if arch == "mlp":
    generator = MLP()
elif arch == "conv":
    generator = Conv()
encoder, decoder = generator.get_encoder(), generator.get_decoder()
head = tf.keras.layers.Dense(3)
opt = tf.keras.optimizers.Adam()
x = tf.zeros([4, 3, 1])
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(decoder(encoder(x)))
v = encoder.trainable_variables + decoder.trainable_variables
opt.apply_gradients(zip(tape.gradient(loss, v), v))
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(head(encoder(x)))
v = encoder.trainable_variables + head.trainable_variables
opt.apply_gradients(zip(tape.gradient(loss, v), v))  # expect: RL124
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        # id(optimizer) -> its first steps, one for each pick arm met and one on each arm of
        # an `if` that a run takes only one of (a script picking its network by a setting):
        # (models, site, pick arms, conds)
        first: dict[int, list] = {}
        reported: set[int] = set()
        steps = [step for step in ctx.analysis.keras_optimizer_steps if not step[6]]
        for optimizer, var_list, site, _trace, own, conds, _legacy in steps:
            # Legacy optimizers make slots for any variable they meet, and in graph mode (a
            # program with a Session or placeholders) Keras steps with its legacy ones, as
            # Keras 1 does (a program written for it runs on no newer Keras).
            if optimizer.built or "legacy" in optimizer.canon.split(".") or id(optimizer) in reported:
                continue
            arms = _Arms(tuple(c for c in conds if c.pick))
            earlier = next(
                (f for f in first.get(id(optimizer), ()) if compatible(f[2], arms) and not _apart(f[3], conds)), None
            )
            if earlier is None:
                # Its first step in this run (an `if` chain's models, each compiled with the
                # optimizer made once for the chain, step it in runs of their own).
                first.setdefault(id(optimizer), []).append((var_list.models, site, arms, conds))
                continue
            models, first_site = earlier[:2]
            if _covered(var_list.models, models, ctx.analysis.unseen_freezing):
                continue
            reported.add(id(optimizer))
            name = optimizer.canon.split(".")[-1]
            # Keras 3 reads `trainable` at each step of `fit`/`train_on_batch`, so a model frozen
            # after its `compile` (the GAN recipe's discriminator) is not stepped there at all.
            raises = (
                "`The optimizer cannot recognize variable` (tf_keras) or `Unknown variable` (Keras 3; or, where a "
                "model was frozen after its `compile`, Keras 3 never steps that model)" if own else
                "`Unknown variable` (Keras 3) or `The optimizer cannot recognize variable` (tf_keras)"
            )
            yield from ctx.report(
                self, site,
                f"this `{name}` optimizer was first applied to a list without some of the weights stepped here: a Keras optimizer knows only "
                f"the variables of its first step, so TF raises {raises} here",
                related=[ctx.related(first_site, "its first step, which fixed its variables"),
                         ctx.related(optimizer.site, "the one optimizer, made here")],
                help="give each model its own optimizer (or `optimizer.build(...)` every list before the first step)",
            )
        stepped = {id(o) for o, *_ in steps}
        for optimizer, site, param, owner, total, left in ctx.analysis.default_optimizers:
            if id(optimizer) not in stepped or "legacy" in optimizer.canon.split(".") or id(optimizer) in reported:
                continue
            # Built once, a single object is harmless; a library's class (built nowhere in the
            # project) is built by its users, who leave the optimizer out as the signature invites.
            if total is None or not (total == 0 or left >= 2):
                continue
            reported.add(id(optimizer))
            name = optimizer.canon.split(".")[-1]
            made = f"`{owner}`" if owner else "the function"
            uses = "every instance" if owner else "every call"
            yield from ctx.report(
                self, optimizer.site,
                f"this `{name}` optimizer, the default of `{param}`, is made once, when the `def` runs, and shared by "
                f"{uses} of {made} made without it: a Keras optimizer knows only the variables of its first step, so "
                "the second one's step raises `The optimizer cannot recognize variable` (tf_keras) or `Unknown variable` (Keras 3)",
                related=[ctx.related(site, "the function whose default it is")],
                help=f"default `{param}` to `None` and make the optimizer in the body (`{param} or tf.keras.optimizers.{name}()`)",
            )


@dataclass(eq=False)
class _Arms:
    """The pick arms a step ran on, as `compatible` reads an event's."""

    conds: tuple


def _apart(first: tuple, later: tuple) -> bool:
    """Whether two steps sit on different arms of one `if`, met in the same loop iterations:
    a run takes one of them, so the later one is no second step of the first one's run. (An
    `if` that a loop meets again may take the other arm next time: the GAN step that
    alternates `if i % 2:` is two steps of one run.)"""
    arms = {(c.if_id, c.loops): c.arm for c in first}
    return any(arms.get((c.if_id, c.loops), c.arm) != c.arm for c in later)


def _covered(later: tuple, first: tuple, unseen_freezing: bool) -> bool:
    """Whether every weight of the later step's models may be among the first step's: each
    layer the later models are made of is one of the first models or a part of them (a
    generator stepped after the combined model built of it). Where an object of the
    program's own Keras subclass is among them, only a layer the later models hold, built
    at a place where nothing the first models hold was built, shows a weight outside: an
    `Actor()` and a `Critic()` that each make their own `Dense` in `__init__`. True when
    that cannot be shown (a layer frozen where we cannot see, an attribute not known)."""
    if all(isinstance(m, KerasObject) for m in later + first):
        return _leaves(later) <= _spread(first)
    held = weight_holders(first)
    if held is None or unseen_freezing:
        return True
    return all(model_key(layer) in held for layer in trained_layers(later))


def _spread(models: tuple) -> set[int]:
    """The models and everything they are made of, as ids."""
    seen: set[int] = set()
    todo = list(models)
    while todo:
        m = todo.pop()
        if id(m) not in seen:
            seen.add(id(m))
            todo.extend(getattr(m, "parts", ()))
    return seen


def _leaves(models: tuple) -> set[int]:
    """The objects that own the weights: what the models are made of, down to the objects
    made of nothing known (a layer; a model whose stages are not known)."""
    out: set[int] = set()
    todo = list(models)
    seen: set[int] = set()
    while todo:
        m = todo.pop()
        if id(m) in seen:
            continue
        seen.add(id(m))
        parts = getattr(m, "parts", ())
        if parts:
            todo.extend(parts)
        elif not (isinstance(m, KerasObject) and m.weightless):
            # A weightless head (`Lambda`, `Activation`) on the first models' layers adds no
            # variable: the semi-supervised GAN's real/fake model over its classifier.
            out.add(id(m))
    return out
