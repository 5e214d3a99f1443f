from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import tape_findings, wrongly_trained
from reuse_lint.rules.base import Rule, RuleContext


class MinimizeWithoutVarList(Rule):
    """
    ## What it does
    Finds `optimizer.minimize(loss)` or `optimizer.compute_gradients(loss)` without
    `var_list` whose loss reaches the trainable variables of another model (model =
    top-level variable scope) that has a training step of its own: a GAN's generator step
    reaching the discriminator, a DDPG critic step reaching the actor. It stays silent where
    the other model's output reaches the loss only through `tf.stop_gradient`, a
    placeholder or a `trainable=False` target network (DQN, PPO), and where one loss is
    meant to train several scopes together (a VAE's encoder and decoder, an A3C trunk, an
    adversarial autoencoder's reconstruction step, whose encoder another step also trains
    without that step's loss ever passing through the decoder).
    In TF2 it finds the same bug as `tape.gradient(g_loss, self.trainable_variables)` in a
    Keras model holding a GAN: the whole model's list takes the discriminator's variables,
    which another step trains as its own.

    ## Why is this bad?
    Without `var_list` the optimizer takes every trainable variable. In a GAN the
    generator's step then also moves the discriminator towards being fooled (the reference
    GAN's `generator-trains-discriminator` variant collapses to no mode at all); in an
    actor-critic the critic's step also moves the actor. Nothing fails.

    ## Example
    ```python
    g_step = tf.train.AdamOptimizer().minimize(g_loss)
    ```

    Use instead:
    ```python
    g_vars = tf.trainable_variables("generator/")
    g_step = tf.train.AdamOptimizer().minimize(g_loss, var_list=g_vars)
    ```

    ## Fix safety
    No automatic fix: which variables are this step's own is a modelling decision; the help line shows the usual form.
    """

    CODE = "RL109"
    NAME = "minimize-without-var-list"
    VALID = (
        # The same VAE-GAN as the project wrote it: each adversarial loss comes from a loss
        # object made in `compile`, which the analysis does not follow; the generator step's
        # loss, unknown, cannot tell whether the decoder is a critic there: nothing is claimed.
        """
import tensorflow as tf
from tensorflow import keras

class VAE(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = keras.Sequential([keras.layers.Dense(2)])
        self.decoder = keras.Sequential([keras.layers.Dense(4)])

class VAEGAN(keras.Model):
    def __init__(self):
        super().__init__()
        self.vae = VAE()
        self.discriminator = keras.Sequential([keras.layers.Dense(1)])
        self.vae_optimizer = keras.optimizers.Adam()
        self.d_optimizer = keras.optimizers.Adam()

    def compile(self):
        super().compile(run_eagerly=True)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    def train_step(self, x):
        with tf.GradientTape() as tape:
            d_loss = self.loss_fn(tf.ones((4, 1)), self.discriminator(self.vae.decoder(tf.random.normal((4, 2))))) + self.loss_fn(tf.zeros((4, 1)), self.discriminator(x))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        with tf.GradientTape() as tape:
            vae_loss = tf.reduce_mean(tf.square(x - self.vae.decoder(self.vae.encoder(x))))
        grads = tape.gradient(vae_loss, self.vae.trainable_weights)
        self.vae_optimizer.apply_gradients(zip(grads, self.vae.trainable_weights))
        with tf.GradientTape() as tape:
            g_loss = self.loss_fn(tf.zeros((4, 1)), self.discriminator(self.vae.decoder(tf.random.normal((4, 2)))))
        grads = tape.gradient(g_loss, self.vae.decoder.trainable_weights)
        self.vae_optimizer.apply_gradients(zip(grads, self.vae.decoder.trainable_weights))
        return {"d": d_loss, "vae": vae_loss, "g": g_loss}
""",
        # A VAE-GAN (round 31, TF2): the VAE's step takes the whole VAE for its reconstruction
        # loss, and the generator step trains the decoder again under the discriminator. In
        # its own step the decoder feeds another model: a generator, trained by two
        # objectives by design (TF 2.21: the VAE step moves encoder and decoder only).
        """
import tensorflow as tf
from tensorflow import keras
class VAE(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = keras.Sequential([keras.layers.Dense(2)])
        self.decoder = keras.Sequential([keras.layers.Dense(4)])
class VAEGAN(keras.Model):
    def __init__(self):
        super().__init__()
        self.vae = VAE()
        self.discriminator = keras.Sequential([keras.layers.Dense(1)])
        self.vae_optimizer = keras.optimizers.Adam()
        self.d_optimizer = keras.optimizers.Adam()
    def train_step(self, x):
        with tf.GradientTape() as tape:
            d_loss = tf.reduce_mean(self.discriminator(self.vae.decoder(tf.random.normal((4, 2))))) - tf.reduce_mean(self.discriminator(x))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        with tf.GradientTape() as tape:
            vae_loss = tf.reduce_mean(tf.square(x - self.vae.decoder(self.vae.encoder(x))))
        grads = tape.gradient(vae_loss, self.vae.trainable_weights)
        self.vae_optimizer.apply_gradients(zip(grads, self.vae.trainable_weights))
        with tf.GradientTape() as tape:
            g_loss = -tf.reduce_mean(self.discriminator(self.vae.decoder(tf.random.normal((4, 2)))))
        grads = tape.gradient(g_loss, self.vae.decoder.trainable_weights)
        self.vae_optimizer.apply_gradients(zip(grads, self.vae.decoder.trainable_weights))
        return {"d": d_loss, "vae": vae_loss, "g": g_loss}
""",
        # DQN: the target network's values come through stop_gradient.
        """
import tensorflow as tf
def q(s, scope):
    with tf.variable_scope(scope):
        return tf.layers.dense(s, 4)
s = tf.placeholder(tf.float32, [None, 3])
online = q(s, "online")
target = tf.stop_gradient(q(s, "target"))
loss = tf.reduce_mean(tf.square(online - target))
train = tf.train.AdamOptimizer().minimize(loss)
""",
    )
    VALID = VALID + (
        # A VAE: one loss, one optimizer, encoder and decoder trained together.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 4])
with tf.variable_scope("encoder"):
    z = tf.layers.dense(x, 2)
with tf.variable_scope("decoder"):
    x_hat = tf.layers.dense(z, 4)
train = tf.train.AdamOptimizer().minimize(tf.reduce_mean(tf.square(x - x_hat)))
""",
    )
    VALID = VALID + (
        # A3C: two heads on one trunk, both steps meant to train the trunk.
        """
import tensorflow as tf
s = tf.placeholder(tf.float32, [None, 4])
with tf.variable_scope("shared"):
    h = tf.layers.dense(s, 16)
with tf.variable_scope("policy_net"):
    logits = tf.layers.dense(h, 4)
with tf.variable_scope("value_net"):
    v = tf.layers.dense(h, 1)
opt = tf.train.RMSPropOptimizer(1e-3)
pg = opt.compute_gradients(tf.reduce_mean(logits))
vg = opt.compute_gradients(tf.reduce_mean(v))
""",
    )
    VALID = VALID + (
        # An adversarial autoencoder: the reconstruction step trains encoder and decoder;
        # the encoder's own step (against the discriminator) never meets the decoder.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 4])
prior = tf.placeholder(tf.float32, [None, 2])
with tf.variable_scope("Encoder"):
    z = tf.layers.dense(x, 2)
with tf.variable_scope("Decoder"):
    x_hat = tf.layers.dense(z, 4)
with tf.variable_scope("Discriminator", reuse=tf.AUTO_REUSE):
    d_fake = tf.layers.dense(z, 1)
    d_real = tf.layers.dense(prior, 1)
en_var = [v for v in tf.trainable_variables() if "Encoder" in v.name]
dc_var = [v for v in tf.trainable_variables() if "Discriminator" in v.name]
a_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(tf.square(x - x_hat)))
d_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(d_fake - d_real), var_list=dc_var)
g_step = tf.train.AdamOptimizer().minimize(-tf.reduce_mean(d_fake), var_list=en_var)
""",
    )
    VALID = VALID + (
        # TF2: a Keras model's train_step trains all of it on one loss.
        """
import tensorflow as tf
class AutoEncoder(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.enc = tf.keras.Sequential([tf.keras.layers.Dense(2)])
        self.dec = tf.keras.Sequential([tf.keras.layers.Dense(4)])
    def train_step(self, x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(x - self.dec(self.enc(x))))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}
""",
    )
    VALID = VALID + (
        # InfoGAN: D and G each have their own step; the mutual-information loss, through G
        # and the Q head inside D's scope, is meant to train both (and D's shared trunk).
        """
import tensorflow as tf
def generator(z):
    with tf.variable_scope("generator"):
        return tf.layers.dense(z, 4, name="g_out")
def discriminator_and_q(x, reuse=None):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.layers.dense(x, 8, name="d_h")
        q = tf.layers.dense(h, 3, name="q_cat_recognition")
        return tf.layers.dense(h, 1, name="d_out"), q
z_c = tf.placeholder(tf.float32, [None, 5])
c = tf.placeholder(tf.float32, [None, 3])
fake = generator(z_c)
d_real, _ = discriminator_and_q(tf.placeholder(tf.float32, [None, 4]))
d_fake, q_fake = discriminator_and_q(fake, reuse=True)
d_loss = tf.reduce_mean(d_fake) - tf.reduce_mean(d_real)
g_loss = -tf.reduce_mean(d_fake)
q_loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=c, logits=q_fake))
vars_D = [v for v in tf.trainable_variables() if "discriminator" in v.name]
vars_G = [v for v in tf.trainable_variables() if "generator" in v.name]
opt_D = tf.train.AdamOptimizer().minimize(d_loss, var_list=vars_D)
opt_G = tf.train.AdamOptimizer().minimize(g_loss, var_list=vars_G)
opt_Q = tf.train.AdamOptimizer().minimize(q_loss)
""",
    )
    VALID = VALID + (
        # One step, built one way or another by a setting (a text classifier's
        # `add_train_op(lr, loss, clip)`): the two arms are one step, not two.
        """
import tensorflow as tf
class Model:
    def add_train_op(self, lr, loss, clip=-1):
        optimizer = tf.train.AdamOptimizer(lr)
        if clip > 0:
            grads, vs = zip(*optimizer.compute_gradients(loss))
            grads, _ = tf.clip_by_global_norm(grads, clip)
            self.train_op = optimizer.apply_gradients(zip(grads, vs))
        else:
            self.train_op = optimizer.minimize(loss)
    def build(self, clip):
        x = tf.placeholder(tf.float32, [None, 4])
        with tf.variable_scope("words"):
            h = tf.layers.dense(x, 8)
        with tf.variable_scope("proj"):
            logits = tf.layers.dense(h, 2)
        self.add_train_op(1e-3, tf.reduce_mean(logits), clip)
""",
    )

    INVALID = (
        # TF2: the generator's step takes the whole GAN model's variables.
        """
import tensorflow as tf
class GAN(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.gen = tf.keras.Sequential([tf.keras.layers.Dense(8)])
        self.disc = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        self.g_opt = tf.keras.optimizers.Adam()
        self.d_opt = tf.keras.optimizers.Adam()
    def train_step(self, data):
        z = tf.random.normal([8, 4])
        with tf.GradientTape() as d_tape:
            d_loss = tf.reduce_mean(self.disc(self.gen(z))) - tf.reduce_mean(self.disc(data))
        d_grads = d_tape.gradient(d_loss, self.disc.trainable_variables)
        self.d_opt.apply_gradients(zip(d_grads, self.disc.trainable_variables))
        with tf.GradientTape() as g_tape:
            g_loss = -tf.reduce_mean(self.disc(self.gen(z)))
        g_grads = g_tape.gradient(g_loss, self.trainable_variables)  # expect: RL109
        self.g_opt.apply_gradients(zip(g_grads, self.trainable_variables))
        return {"d": d_loss, "g": g_loss}
""",
        """
import tensorflow as tf
def g(z):
    with tf.variable_scope("generator"):
        return tf.layers.dense(z, 2)
def d(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(x, 1)
fake = g(tf.random.normal([8, 4]))
d_fake = d(fake)
g_loss = -tf.reduce_mean(d_fake)
d_loss = tf.reduce_mean(d_fake)
d_step = tf.train.AdamOptimizer().minimize(d_loss, var_list=tf.trainable_variables("discriminator/"))
g_step = tf.train.AdamOptimizer().minimize(g_loss)  # expect: RL109
""",
        # DDPG: the critic's loss takes the actor's action tensor directly.
        """
import tensorflow as tf
s = tf.placeholder(tf.float32, [None, 3])
with tf.variable_scope("actor"):
    a = tf.layers.dense(s, 1)
with tf.variable_scope("critic"):
    q = tf.layers.dense(tf.concat([s, a], 1), 1)
y = tf.placeholder(tf.float32, [None, 1])
actor_step = tf.train.AdamOptimizer().minimize(-tf.reduce_mean(q), var_list=tf.trainable_variables("actor/"))
critic_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(tf.square(y - q)))  # expect: RL109
""",
        # The actor trained through apply_gradients(zip(grads, actor_vars)).
        """
import tensorflow as tf
s = tf.placeholder(tf.float32, [None, 3])
with tf.variable_scope("Actor"):
    a = tf.layers.dense(s, 1)
actor_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Actor/")
with tf.variable_scope("Critic"):
    q = tf.layers.dense(tf.concat([s, a], 1), 1)
grads = tf.gradients(a, actor_vars, grad_ys=tf.gradients(q, a)[0])
actor_step = tf.train.AdamOptimizer().apply_gradients(zip(grads, actor_vars))
y = tf.placeholder(tf.float32, [None, 1])
critic_step = tf.train.RMSPropOptimizer(1e-3).minimize(tf.reduce_mean(tf.square(y - q)))  # expect: RL109
""",
    )

    INVALID = INVALID + (
        # Both players have their own steps, and a second generator step on the same loss
        # forgets its list: it trains the discriminator on the generator's objective.
        """
import tensorflow as tf
def g(z):
    with tf.variable_scope("generator"):
        return tf.layers.dense(z, 2)
def d(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(x, 1)
fake = g(tf.random.normal([8, 4]))
d_real = d(tf.placeholder(tf.float32, [None, 2]))
d_fake = d(fake, reuse=True)
g_loss = -tf.reduce_mean(d_fake)
d_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(d_fake - d_real), var_list=tf.trainable_variables("discriminator/"))
g_step = tf.train.AdamOptimizer().minimize(g_loss, var_list=tf.trainable_variables("generator/"))
g_extra = tf.train.AdamOptimizer().minimize(g_loss)  # expect: RL109
""",
        # pix2pix's shape: the generator's loss grows by `+=` under a setting the analysis
        # does not know, and a helper picks the optimizer's class by name, raising on others.
        """
import os
import tensorflow as tf
def make_optimizer(name):
    if name == "adam":
        return tf.train.AdamOptimizer(2e-4, beta1=0.5)
    elif name == "sgd":
        return tf.train.GradientDescentOptimizer(2e-4)
    raise ValueError(name)
def g(z):
    with tf.variable_scope("generator"):
        return tf.layers.dense(z, 2)
def d(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(x, 1)
real = tf.placeholder(tf.float32, [None, 2])
fake = g(tf.random.normal([8, 4]))
d_real, d_fake = d(real), d(fake, reuse=True)
g_loss = -tf.reduce_mean(d_fake)
if float(os.environ.get("L1_WEIGHT", "100")) > 0:
    g_loss += 100.0 * tf.reduce_mean(tf.abs(fake - real))
opt_name = "adam"
d_step = make_optimizer(opt_name).minimize(tf.reduce_mean(d_fake - d_real), var_list=tf.trainable_variables("discriminator/"))
g_step = make_optimizer(opt_name).minimize(g_loss)  # expect: RL109
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for f in tape_findings(ctx.analysis):
            if f.kind == "wide":
                label = ctx.analysis.model_labels.get(id(f.model), "a model")
                yield from ctx.report(
                    self, f.gradient.site,
                    f"This list is the whole model's: it also trains `{label}`, which another step trains as its own",
                    help="take the gradient of this step's own model only, e.g. self.generator.trainable_variables",
                )
        for use in ctx.analysis.optimizers:
            if use.method == "apply_gradients" or use.var_list is not None:
                continue
            wrong = wrongly_trained(ctx.analysis, use)
            if not wrong:
                continue
            names = ", ".join(f"`{m}/`" for m in sorted(wrong))
            yield from ctx.report(
                self, use.site,
                f"`{use.method}` without var_list also trains {names}, which another step trains as its own",
                help="pass var_list with this model's own variables, e.g. tf.trainable_variables(\"<scope>/\")",
            )
