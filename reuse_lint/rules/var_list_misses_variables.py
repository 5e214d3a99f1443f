from __future__ import annotations

import ast
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.events import Selection, Site
from reuse_lint.engine.queries import (
    builder_call, compatible, creation_of, crossed_pairings, made_during, model_parts, model_scope_of, model_scopes_of,
    on_its_path, part_pairings, reached_models, reached_unscoped, tape_findings,
)
from reuse_lint.engine.values import Const, KerasObject, VarList

# The lists Keras makes from the `trainable` flag: a frozen model's are empty. (`weights`
# and `variables` hold its variables all the same, and a tape watches them.)
_TRAINABLE_LISTS = frozenset({"trainable_variables", "trainable_weights"})
_FLAG_WRITES = frozenset({"freeze", "freeze-layers", "freeze-unknown"})
FALSE = Const(False)
from reuse_lint.rules.base import Rule, RuleContext


class VarListMissesVariables(Rule):
    """
    ## What it does
    Finds an optimizer's variable list that leaves out some of its model's variables, so
    that no optimizer ever trains them: typically a name filter such as
    `[v for v in tvars if "d_" in v.name]` while some of the discriminator's layers were
    built under scopes that do not carry the prefix (`discriminator/bn1/`). Also finds a
    selection that matches nothing at all when it runs (the variables are built later, or
    the scope is misspelled). A model need not have a scope: the variables made during one
    call of a builder (`generator(z)`, a network class's constructor) are one model when no
    other list takes any of them, so a filter that takes some of them leaves out the rest.
    A model built again under a second outer scope (the discriminator applied to fakes
    under `variable_scope("fake_loss")`, beside the generator) is such a part: the copy is
    in no list, and the call that made it is shown. A step need not be an optimizer's: the
    gradients of a list taken with `tf.gradients` and applied by the code itself (TRPO's
    flat gradient, an MPI Adam's assign ops) train that list. Gradients clipped on the way to
    `apply_gradients` (`clip_by_global_norm`, a comprehension, a loop that appends each one
    clipped, or its pair, to a new list) are still the step's over its list.

    A graph's only optimizer may leave a part out on purpose (a pretrained backbone under
    the head it fine-tunes), so its list is judged only on a head: whole variable scopes
    of its model that one term of a summed loss is scored on (`loss + 0.4 * aux_loss`),
    fed by listed layers that another term trains without them. The head stays random
    while its loss shapes the layers under it.

    ## Why is this bad?
    The missed variables keep their initial values for the whole run: batch-norm scales stay
    1, a layer stays random, and the model trains worse with no error. An empty list fails
    in `minimize` (`ValueError: No variables to optimize.`) and in a `Saver` (`No variables
    to save`, also when the Saver is given it as a dict by checkpoint name, `{v.op.name: v
    for v in ...}`); a loop or a copy op over it silently does nothing (a world-models VAE
    whose parameters were saved as an empty list). The name-filter form was common in
    DCGAN-style code.

    In TF2 it finds `tape.gradient(loss, generator.trainable_variables)` where the loss also
    flows through a model upstream of the listed one (an encoder, a critic's shared
    encoder) whose variables are in no gradient list at all: that model keeps its random
    weights; or through a head applied on the listed model's output (a projection head in
    contrastive pretraining, a pretrainer's own heads run by `self(data)` in its
    `train_step`) that no list holds. A model whose class overrides `__call__` instead of
    `call` (early TF2 code) is applied all the same. When the step zips its gradients with a
    longer list that holds the model (`zip(tape.gradient(loss, g.trainable_variables),
    g.trainable_variables + e.trainable_variables)`: zip stops at the shorter), that step is
    the one reported. It stays silent when the model is frozen (`trainable = False`), detached
    (`tf.stop_gradient`), in another step's list, or has weights that other code loads,
    sets or copies (a target network's polyak update, `load_weights`, `fit`). It also finds a
    list that leaves out a model another step trains when the loss flows through it into
    the listed models alone, each run here only on its output: SAC-AE's critic reading the
    encoder its autoencoder step trains, while the critic step never shapes it. A
    discriminator that also sees real data (or two models' outputs) is not such a head, and
    a step on the same loss that lists the model (an autoencoder whose encoder and decoder
    each have a tape and an optimizer on one reconstruction loss) trains it with this one.
    Nor is a model whose own output is also a term of the loss (`mse(h[:, 1:],
    supervisor(h)[:, :-1])`): that output is the loss's target, which the step holds while
    the listed model learns to predict it. TimeGAN's supervisor phase is this shape, and TF
    shows nothing lost there: the step moves the supervisor and leaves the embedder, which
    its own phase trains (the joint phase on this same supervised loss). SAC-AE's critic
    reads the encoder's features only through the Q networks, so it is still found.

    It also finds gradients taken with respect to one model's variables and zipped with
    another's (`zip(tape.gradient(d_loss, g.trainable_variables), d.trainable_variables)`),
    when every model, stage and attribute of both is known and the two share no layer (an
    object of a class the linter does not read, such as teachers imported from another
    project's folder put on `sys.path`, is a model of its own class that holds none of the
    program's layers when none was given to it; two objects of one class, an A3C worker's
    local and global networks, are not told apart): each gradient lands on a variable it is
    not for (`No gradients provided for any variable` when the loss does not reach the first
    model; a shape error, or silent nonsense, when it does), and the model the step updates
    is never trained on its own gradients. The same when the zipped list is a part of the
    gradient list that does not start it: a later model of a summed list
    (`zip(tape.gradient(loss, enc.trainable_variables + dec.trainable_variables),
    dec.trainable_variables)`), or the variables a name test keeps of it (`[v for v in
    model.trainable_variables if pattern in v.name]`, fine-tuning some layers, also when a
    setting chooses between that filter and the whole list): zip pairs the first gradients
    with the part's variables (a shape error, or a step on another variable's gradient). A
    filter that happens to keep exactly the first variables pairs them right; the linter does
    not know the variables' order, and reports it all the same.

    And it finds a step's list taken from a Keras model the code froze (`d.trainable =
    False`, as the Keras 2 GAN recipe does before compiling the combined model) and did not
    set back to `True` on the way: Keras makes `trainable_variables` from the flag as it is
    when read, so the list is empty. Keras 3 raises in `apply_gradients` (`ValueError: not
    enough values to unpack (expected 2, got 0)`); tf_keras applies nothing, silently, and
    the discriminator keeps its initial weights. Only a step's first run is judged (a
    `tf.function` reads the list when it is traced). Not reported: a flag set again before
    the read (the toggle recipe, `d.trainable = True; d_step(); d.trainable = False`, also
    by a helper over its layers), a list taken before the freeze (it holds the variables,
    and a step on it trains them), a freeze on an `if` arm the step may run without, another
    model than the frozen one, and a step in a method no code of the file calls (its caller
    may unfreeze the model first).

    ## Example
    ```python
    tvars = tf.trainable_variables()
    d_vars = [v for v in tvars if "d_" in v.name]  # misses discriminator/bn1/*
    ```

    Use instead:
    ```python
    d_vars = tf.trainable_variables("discriminator/")
    ```

    ## Fix safety
    No automatic fix: whether to widen the filter or rename the layers is the author's choice.
    """

    CODE = "RL114"
    NAME = "var-list-misses-variables"
    VALID = (
        # A Keras GAN whose discriminator step makes its fakes under the tape and joins them
        # with the real batch along the batch axis: the discriminator sees data, so the step
        # leaves the generator out on purpose (the generator step trains it).
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
    def train_step(self, real_images):
        z = tf.random.normal((8, 4))
        labels = tf.concat([tf.ones((8, 1)), tf.zeros((8, 1))], axis=0)
        with tf.GradientTape() as tape:
            combined = tf.concat([self.generator(z), real_images], axis=0)
            d_loss = tf.reduce_mean(tf.square(labels - self.discriminator(combined)))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        with tf.GradientTape() as tape:
            g_loss = tf.reduce_mean(tf.square(self.discriminator(self.generator(z))))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        return {"d_loss": d_loss, "g_loss": g_loss}
gan = GAN(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]),
          keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)]))
gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
gan.fit(tf.zeros((8, 2)), epochs=1)
""",
        # A3C: a worker's gradients, taken on its local copy of a network class of a library
        # the linter does not read, applied to the global network of that class (then copied
        # back): two objects of one class pair variable for variable.
        """
import tensorflow as tf
from a3c_lib.nets import ActorCritic
class Worker:
    def __init__(self, global_net, opt):
        self.global_net = global_net
        self.local_net = ActorCritic(n_actions=4)
        self.opt = opt
    def work(self, batches):
        for x in batches:
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(self.local_net(x))
            grads = tape.gradient(loss, self.local_net.trainable_variables)
            self.opt.apply_gradients(zip(grads, self.global_net.trainable_variables))
            self.local_net.set_weights(self.global_net.get_weights())
def main(batches):
    Worker(ActorCritic(n_actions=4), tf.keras.optimizers.Adam()).work(batches)
""",
        # An autoencoder stepped by two optimizers, each on its own tape of one loss: the
        # encoder's step is on this same loss, so the decoder's list need not hold it.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(4)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(8)])
enc_opt = tf.keras.optimizers.Adam()
dec_opt = tf.keras.optimizers.Adam()
def train_step(x):
    with tf.GradientTape() as enc_tape, tf.GradientTape() as dec_tape:
        loss = tf.reduce_mean(tf.square(decoder(encoder(x)) - x))
    enc_grads = enc_tape.gradient(loss, encoder.trainable_variables)
    dec_grads = dec_tape.gradient(loss, decoder.trainable_variables)
    enc_opt.apply_gradients(zip(enc_grads, encoder.trainable_variables))
    dec_opt.apply_gradients(zip(dec_grads, decoder.trainable_variables))
""",
        """
import tensorflow as tf
def g(z):
    with tf.variable_scope("generator"):
        return tf.layers.dense(z, 2, name="g_out")
def d(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.layers.dense(x, 8, name="d_h0")
        return tf.layers.dense(h, 1, name="d_out")
fake = g(tf.random.normal([8, 4]))
d_real = d(tf.placeholder(tf.float32, [None, 2]))
d_fake = d(fake, reuse=True)
tvars = tf.trainable_variables()
d_vars = [v for v in tvars if "d_" in v.name]
g_vars = [v for v in tvars if "g_" in v.name]
d_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(d_fake - d_real), var_list=d_vars)
g_step = tf.train.AdamOptimizer().minimize(-tf.reduce_mean(d_fake), var_list=g_vars)
""",
    )
    VALID = VALID + (
        # Variables from tf.Variable: the collection is not known to be empty.
        """
import tensorflow as tf
w = tf.Variable(tf.zeros([2, 1]))
loss = tf.reduce_sum(w)
grads = list(zip(tf.gradients(loss, tf.trainable_variables()), tf.trainable_variables()))
step = tf.train.GradientDescentOptimizer(0.1).apply_gradients(grads_and_vars=grads)
""",
    )
    VALID = VALID + (
        # A Saver's dict by checkpoint name over the scope the model opened; and one over an
        # empty selection that the global step is added to before the Saver takes it.
        """
import tensorflow as tf
with tf.variable_scope("seq_encoder"):
    h = tf.layers.dense(tf.zeros([1, 2]), 2, name="proj")
transfer = {v.op.name: v for v in tf.global_variables("seq_encoder/")}
saver = tf.train.Saver(transfer)
step = tf.train.get_or_create_global_step()
extra = {v.op.name: v for v in tf.global_variables("ema/")}
extra["global_step"] = step
step_saver = tf.train.Saver(extra)
""",
        # Part of a builder call's variables restored from a checkpoint by a Saver of their
        # own and left out of every list on purpose: a pretrained encoder.
        """
import tensorflow as tf
def model(x):
    enc_w = tf.get_variable("enc_w", [2, 4])
    head_w = tf.get_variable("head_w", [4, 1])
    return tf.matmul(tf.matmul(x, enc_w), head_w)
def critic(x):
    q_w = tf.get_variable("q_w", [2, 1])
    return tf.matmul(x, q_w)
x = tf.placeholder(tf.float32, [None, 2])
out, q = model(x), critic(x)
tvars = tf.trainable_variables()
restorer = tf.train.Saver(var_list=[v for v in tvars if "enc_" in v.name])
head_vars = [v for v in tvars if "head_" in v.name]
q_vars = [v for v in tvars if "q_" in v.name]
head_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(out), var_list=head_vars)
q_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(q), var_list=q_vars)
""",
        # One builder call made both networks: it is no model, and what its lists leave out
        # is not known to be a part of either (a discriminator's unnamed helper variable).
        """
import tensorflow as tf
def build_model(x):
    g_w = tf.get_variable("g_w", [2, 2])
    fake = tf.matmul(x, g_w)
    d_w = tf.get_variable("d_w", [2, 1])
    scale = tf.get_variable("scale", [1])
    return tf.matmul(fake, d_w) * scale, tf.matmul(x, d_w)
d_fake, d_real = build_model(tf.placeholder(tf.float32, [None, 2]))
tvars = tf.trainable_variables()
g_vars = [v for v in tvars if "g_" in v.name]
d_vars = [v for v in tvars if "d_" in v.name]
g_step = tf.train.AdamOptimizer().minimize(-tf.reduce_mean(d_fake), var_list=g_vars)
d_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(d_fake - d_real), var_list=d_vars)
""",
    )
    VALID = VALID + (
        # An empty filter that is only a part of the list the optimizer takes.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 2])
with tf.variable_scope("generator"):
    y = tf.layers.dense(x, 2)
tvars = tf.trainable_variables()
extra = [v for v in tvars if "BatchNorm" in v.name]
step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(y), var_list=extra + tvars)
""",
    )
    VALID = VALID + (
        # A frozen part of a builder call, behind tf.stop_gradient: no gradient reaches it.
        """
import tensorflow as tf
def generator(z):
    enc_w = tf.get_variable("enc_w", [4, 4])
    feat = tf.stop_gradient(tf.matmul(z, enc_w))
    g_w = tf.get_variable("g_w", [4, 2])
    return tf.matmul(feat, g_w)
def discriminator(x):
    d_w = tf.get_variable("d_w", [2, 1])
    return tf.matmul(x, d_w)
logits = discriminator(generator(tf.random.normal([8, 4])))
tvars = tf.trainable_variables()
g_vars = [v for v in tvars if "g_" in v.name]
d_vars = [v for v in tvars if "d_" in v.name]
g_step = tf.train.AdamOptimizer().minimize(-tf.reduce_mean(logits), var_list=g_vars)
d_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(logits), var_list=d_vars)
""",
        # A loop testing for a layer kind this configuration does not build.
        """
import tensorflow as tf
with tf.variable_scope("model"):
    y = tf.layers.dense(tf.zeros([1, 2]), 1)
decay = []
for var in tf.trainable_variables():
    if "BatchNorm" in var.name:
        decay.append(var)
""",
        # A loop whose name test keeps some variables.
        """
import tensorflow as tf
with tf.variable_scope("vae"):
    y = tf.layers.dense(tf.zeros([1, 2]), 1)
params = []
for var in tf.trainable_variables():
    if var.name.startswith("vae"):
        params.append(var)
""",
    )
    VALID = VALID + (
        # TF2 DCGAN: the discriminator's loss flows through the generator, which its own
        # step trains.
        """
import tensorflow as tf
gen = tf.keras.Sequential([tf.keras.layers.Dense(8)])
disc = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
opt2 = tf.keras.optimizers.Adam()  # one optimizer a model
@tf.function
def train_step(x, z):
    with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
        fake = gen(z)
        g_loss = -tf.reduce_mean(disc(fake))
        d_loss = tf.reduce_mean(disc(fake)) - tf.reduce_mean(disc(x))
    opt.apply_gradients(zip(g_tape.gradient(g_loss, gen.trainable_variables), gen.trainable_variables))
    opt2.apply_gradients(zip(d_tape.gradient(d_loss, disc.trainable_variables), disc.trainable_variables))
""",
        # TF2: a frozen pretrained backbone under a trained head.
        """
import tensorflow as tf
backbone = tf.keras.Sequential([tf.keras.layers.Dense(8)])
backbone.trainable = False
head = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.SGD()
def step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(y - head(backbone(x))))
    opt.apply_gradients(zip(tape.gradient(loss, head.trainable_variables), head.trainable_variables))
""",
        # TF2 WGAN-GP: the penalty's gradient is with respect to the mixed images, not a
        # list; every model is in its own step's list.
        """
import tensorflow as tf
gen = tf.keras.Sequential([tf.keras.layers.Dense(8)])
disc = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
opt2 = tf.keras.optimizers.Adam()  # one optimizer a model
def d_step(x, z):
    with tf.GradientTape() as tape:
        fake = gen(z)
        alpha = tf.random.uniform([8, 1])
        mixed = alpha * x + (1 - alpha) * fake
        with tf.GradientTape() as gp_tape:
            gp_tape.watch(mixed)
            pred = disc(mixed)
        slopes = gp_tape.gradient(pred, [mixed])[0]
        loss = tf.reduce_mean(disc(fake)) - tf.reduce_mean(disc(x)) + tf.reduce_mean(tf.square(slopes))
    opt.apply_gradients(zip(tape.gradient(loss, disc.trainable_variables), disc.trainable_variables))
def g_step(z):
    with tf.GradientTape() as tape:
        loss = -tf.reduce_mean(disc(gen(z)))
    opt2.apply_gradients(zip(tape.gradient(loss, gen.trainable_variables), gen.trainable_variables))
""",
        # TF2: an encoder restored from a checkpoint, used as it is under a trained head.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(8)])
tf.train.Checkpoint(encoder=encoder).restore("pretrained/ckpt-1")
head = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.SGD()
def step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(y - head(encoder(x))))
    opt.apply_gradients(zip(tape.gradient(loss, head.trainable_variables), head.trainable_variables))
""",
    )
    VALID = VALID + (
        # TF2 perceptual loss: a functional view of a packaged VGG's layers, frozen. TF 2.21:
        # `features.trainable_variables` is empty (24 variables, none trainable); no list can
        # train it, and its weights came trained.
        """
import tensorflow as tf
vgg = tf.keras.applications.VGG19(include_top=False, weights="imagenet")
vgg.trainable = False
features = tf.keras.Model([vgg.input], [vgg.get_layer(n).output for n in ("block3_conv4", "block4_conv4")])
img = tf.keras.Input((64, 64, 3))
generator = tf.keras.Model(img, tf.keras.layers.Conv2D(3, 3, padding="same")(img))
opt = tf.keras.optimizers.Adam()
def perceptual(a, b):
    fa, fb = features(a), features(b)
    return tf.reduce_mean(tf.abs(fa[0] - fb[0])) + tf.reduce_mean(tf.abs(fa[1] - fb[1]))
@tf.function
def train_step(x, target):
    with tf.GradientTape() as tape:
        loss = perceptual(generator(x, training=True), target)
    grads = tape.gradient(loss, generator.trainable_variables)
    opt.apply_gradients(zip(grads, generator.trainable_variables))
""",
    )
    VALID = VALID + (
        # TF2: one persistent tape, one loss, a gradient per model (tf2rl's SAC-AE encoder step).
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(4)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(6)])
opt = tf.keras.optimizers.Adam()
opt2 = tf.keras.optimizers.Adam()  # one optimizer a model
def ae_step(x):
    with tf.GradientTape(persistent=True) as tape:
        loss = tf.reduce_mean(tf.square(x - decoder(encoder(x))))
    opt.apply_gradients(zip(tape.gradient(loss, encoder.trainable_variables), encoder.trainable_variables))
    opt2.apply_gradients(zip(tape.gradient(loss, decoder.trainable_variables), decoder.trainable_variables))
""",
    )
    VALID = VALID + (
        # TF2 staged training (TimeGAN): the supervisor learns to predict the embedder's next
        # latent step while the embedder is held, its output being the loss's own target; the
        # embedder's phase trains it on that same loss later.
        """
import tensorflow as tf


class Stack(tf.keras.Sequential):
    def __init__(self, units, depth, name):
        super().__init__(name=name)
        for _ in range(depth):
            self.add(tf.keras.layers.GRU(units, return_sequences=True))
        self.add(tf.keras.layers.Dense(units, activation="sigmoid"))


class Embedder(Stack):
    def __init__(self, units):
        super().__init__(units, 3, "embedder")


class Recovery(Stack):
    def __init__(self, units):
        super().__init__(units, 3, "recovery")


class Generator(Stack):
    def __init__(self, units):
        super().__init__(units, 3, "generator")


class Supervisor(Stack):
    def __init__(self, units):
        super().__init__(units, 2, "supervisor")


def step_loss(h, h_next):
    return tf.reduce_mean(tf.square(h[:, 1:] - h_next[:, :-1]))


class StagedGAN:
    def __init__(self, units, features):
        self.embedder, self.recovery = Embedder(units), Recovery(features)
        self.generator, self.supervisor = Generator(units), Supervisor(units)
        self.opt_e0 = tf.keras.optimizers.Adam()
        self.opt_s = tf.keras.optimizers.Adam()
        self.opt_e = tf.keras.optimizers.Adam()

    def fit(self, data):
        @tf.function
        def e0_step(x):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(x - self.recovery(self.embedder(x))))
            vs = self.embedder.trainable_variables + self.recovery.trainable_variables
            self.opt_e0.apply_gradients(zip(tape.gradient(loss, vs), vs))

        @tf.function
        def s_step(x):
            with tf.GradientTape() as tape:
                h = self.embedder(x)
                loss = step_loss(h, self.supervisor(h))
            vs = self.generator.trainable_variables + self.supervisor.trainable_variables
            self.opt_s.apply_gradients(zip(tape.gradient(loss, vs), vs))

        @tf.function
        def e_step(x):
            with tf.GradientTape() as tape:
                h = self.embedder(x)
                loss = tf.reduce_mean(tf.square(x - self.recovery(h))) + 0.1 * step_loss(h, self.supervisor(h))
            vs = self.embedder.trainable_variables + self.recovery.trainable_variables
            self.opt_e.apply_gradients(zip(tape.gradient(loss, vs), vs))

        for x in data:
            e0_step(x)
        for x in data:
            s_step(x)
        for x in data:
            e_step(x)
""",
    )
    VALID = VALID + (
        # TF2 linear probe: the encoder, trained by its own step, runs with training=False
        # under a classifier that is meant to train alone.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(4)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(6)])
probe = tf.keras.Sequential([tf.keras.layers.Dense(3)])
ae_opt, probe_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
def ae_step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(x - decoder(encoder(x))))
    ae_vars = encoder.trainable_variables + decoder.trainable_variables
    ae_opt.apply_gradients(zip(tape.gradient(loss, ae_vars), ae_vars))
def probe_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(y - probe(encoder(x, training=False))))
    probe_opt.apply_gradients(zip(tape.gradient(loss, probe.trainable_variables), probe.trainable_variables))
""",
    )
    VALID = VALID + (
        # Hand-built steps (clipped compute_gradients pairs, tf.gradients with a global norm)
        # whose filters take every layer.
        """
import tensorflow as tf
def g(z):
    with tf.variable_scope("generator"):
        return tf.layers.dense(z, 2, name="g_out")
def d(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.layers.batch_normalization(tf.layers.dense(x, 8, name="d_h0"), name="d_bn1")
        return tf.layers.dense(h, 1, name="d_out")
fake = g(tf.random.normal([8, 4]))
d_real = d(tf.placeholder(tf.float32, [None, 2]))
d_fake = d(fake, reuse=True)
tvars = tf.trainable_variables()
d_vars = [v for v in tvars if "d_" in v.name]
g_vars = [v for v in tvars if "g_" in v.name]
opt = tf.train.AdamOptimizer()
gvs = opt.compute_gradients(tf.reduce_mean(d_fake - d_real), var_list=d_vars)
d_step = opt.apply_gradients([(tf.clip_by_value(grad, -1.0, 1.0), var) for grad, var in gvs])
g_grads, _ = tf.clip_by_global_norm(tf.gradients(-tf.reduce_mean(d_fake), g_vars), 5.0)
g_step = opt.apply_gradients(zip(g_grads, g_vars))
""",
        # The pairs pass through a test of the variable: what the step takes is not known.
        """
import tensorflow as tf
with tf.variable_scope("discriminator"):
    h = tf.layers.batch_normalization(tf.layers.dense(tf.zeros([8, 2]), 8, name="d_h0"), name="bn1")
    logits = tf.layers.dense(h, 1, name="d_out")
with tf.variable_scope("generator"):
    out = tf.layers.dense(tf.zeros([8, 2]), 2, name="g_out")
tvars = tf.trainable_variables()
d_vars = [v for v in tvars if "d_" in v.name]
opt = tf.train.AdamOptimizer()
gvs = opt.compute_gradients(tf.reduce_mean(logits), var_list=tvars)
d_step = opt.apply_gradients([(g, v) for g, v in gvs if v in d_vars or "bn1" in v.name])
g_step = opt.minimize(tf.reduce_mean(out), var_list=[v for v in tvars if "g_" in v.name])
""",
    )
    VALID = VALID + (
        # HAN: the layers are made in methods behind the project's own caching property,
        # read in `__init__` for the side effect; reading one runs code we do not follow, so
        # the graph is not known to be empty when the step selects `tf.trainable_variables()`.
        """
import functools
import tensorflow as tf
def lazy_property(func):
    attribute = "_cache_" + func.__name__
    @property
    @functools.wraps(func)
    def decorator(self):
        if not hasattr(self, attribute):
            setattr(self, attribute, func(self))
        return getattr(self, attribute)
    return decorator
class HAN(object):
    def __init__(self):
        self.x = tf.placeholder(tf.float32, [None, 3])
        self.__loss = self.loss
    @lazy_property
    def logits(self):
        return tf.layers.dense(self.x, 2, name="out")
    @lazy_property
    def loss(self):
        return tf.reduce_mean(self.logits)
def get_optimization(han):
    grads = tf.gradients(han.loss, tf.trainable_variables())
    clipped, _ = tf.clip_by_global_norm(grads, 5.0)
    return tf.train.AdamOptimizer(0.01).apply_gradients(zip(clipped, tf.trainable_variables()))
def main(_):
    with tf.Graph().as_default():
        han = HAN()
        train_op = get_optimization(han)
tf.app.run()
""",
        # The same with a plain `@property` that builds the layer when read.
        """
import tensorflow as tf
class Model(object):
    def __init__(self):
        self.x = tf.placeholder(tf.float32, [None, 3])
    @property
    def loss(self):
        return tf.reduce_mean(tf.layers.dense(self.x, 1, name="out"))
with tf.Graph().as_default():
    model = Model()
    loss = model.loss
    step = tf.train.AdamOptimizer().minimize(loss, var_list=tf.trainable_variables())
""",
    )
    VALID = VALID + (
        # A MAML-style learner: the inner loss, whose weights it makes, is mapped over the
        # tasks. TF traces the mapped function when the op is built, so the list read after
        # it holds them; so does a `tf.while_loop` body.
        """
import tensorflow as tf
class Learner(object):
    def task_loss(self, task, reuse=None):
        x, y = task
        with tf.variable_scope("theta", reuse=reuse):
            w = tf.get_variable("w", [3, 1])
        return tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    def meta_loss(self, xs, ys, training):
        train_fn = lambda task: self.task_loss(task, reuse=False)
        test_fn = lambda task: self.task_loss(task, reuse=True)
        fn = train_fn if training else test_fn
        losses = tf.map_fn(fn, elems=(xs, ys), dtype=tf.float32)
        net = {}
        net["loss"] = tf.reduce_mean(losses)
        net["weights"] = tf.trainable_variables()
        return net
xs = tf.placeholder(tf.float32, [4, None, 3])
ys = tf.placeholder(tf.float32, [4, None, 1])
learner = Learner()
net = learner.meta_loss(xs, ys, True)
test_net = learner.meta_loss(xs, ys, False)
step = tf.train.AdamOptimizer().minimize(net["loss"], var_list=net["weights"])
saver = tf.train.Saver(tf.trainable_variables())
""",
        """
import tensorflow as tf
def g_step(i, h):
    w = tf.get_variable("g_w", [4, 4])
    return i + 1, tf.tanh(tf.matmul(h, w))
_, h = tf.while_loop(lambda i, h: i < 3, g_step, [tf.constant(0), tf.zeros([2, 4])])
step = tf.train.AdamOptimizer().minimize(tf.reduce_sum(h), var_list=tf.trainable_variables())
""",
        # Gradients for a model's variables zipped with the list of a model built around it
        # (its only stage): the same variables, in the same order.
        """
import tensorflow as tf
body = tf.keras.Sequential([tf.keras.layers.Dense(4)])
x = tf.keras.Input([3])
wrapped = tf.keras.Model(x, body(x))
opt = tf.keras.optimizers.Adam()
@tf.function
def step(batch):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(wrapped(batch) ** 2)
    grads = tape.gradient(loss, body.trainable_variables)
    opt.apply_gradients(zip(grads, wrapped.trainable_variables))
""",
    )
    VALID = VALID + (
        # The one optimizer's list, its gradients also taken by hand for a norm summary: one
        # step, which trains the head alone on purpose (the body is fine-tuned elsewhere).
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 4])
with tf.variable_scope("net"):
    h = tf.layers.dense(x, 8, name="body")
    out = tf.layers.dense(h, 1, name="head")
loss = tf.reduce_mean(tf.square(out))
head_vars = [v for v in tf.trainable_variables() if "head" in v.name]
grad_norm = tf.global_norm(tf.gradients(loss, head_vars))
step = tf.train.AdamOptimizer().minimize(loss, var_list=head_vars)
""",
        # One step fine-tunes the head over a backbone it leaves out on purpose; a penalty on
        # the head's own weights is a second term of the loss that the backbone is not in,
        # but the head comes after the backbone, not beside it.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 8])
y = tf.placeholder(tf.int32, [None])
with tf.variable_scope("net"):
    with tf.variable_scope("backbone"):
        h = tf.nn.relu(tf.matmul(x, tf.get_variable("w", [8, 16])))
    with tf.variable_scope("head"):
        head_w = tf.get_variable("w", [16, 10])
        logits = tf.matmul(h, head_w)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
loss = loss + 1e-4 * tf.nn.l2_loss(head_w)
head_vars = [v for v in tf.trainable_variables() if "backbone" not in v.name]
step = tf.train.AdamOptimizer().minimize(loss, var_list=head_vars)
""",
        # The same step on one loss: nothing tells a head from a part frozen on purpose.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("net"):
    with tf.variable_scope("body"):
        h = tf.nn.relu(tf.matmul(x, tf.get_variable("w", [8, 16])))
    with tf.variable_scope("aux_head"):
        aux = tf.matmul(h, tf.get_variable("w", [16, 1]))
loss = tf.reduce_mean(tf.square(aux))
body_vars = [v for v in tf.trainable_variables() if "aux_head" not in v.name]
step = tf.train.AdamOptimizer().minimize(loss, var_list=body_vars)
""",
    )
    INVALID = (
        # The encoder is one of two, picked by a setting in `__init__`; either way the
        # step's list, run on `self(x)` in a step of the model's own, leaves it out.
        """
import tensorflow as tf
class Enc(tf.keras.Model):
    def __init__(self, width):
        super().__init__()
        self.fc = tf.keras.layers.Dense(width)
    def call(self, x):
        return self.fc(x)
class Dec(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.fc = tf.keras.layers.Dense(8)
    def call(self, z):
        return self.fc(z)
class AE(tf.keras.Model):
    def __init__(self, wide=False):
        super().__init__()
        if wide:
            self.enc = Enc(16)
        else:
            self.enc = Enc(4)
        self.dec = Dec()
        self.opt = tf.keras.optimizers.Adam()
    def call(self, x):
        return self.dec(self.enc(x))
    def update(self, x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x) - x))
        grads = tape.gradient(loss, self.dec.trainable_variables)  # expect: RL114
        self.opt.apply_gradients(zip(grads, self.dec.trainable_variables))
""",
        # Joined along the feature axis (an encoder's features beside the action), the
        # critic sees no data of its own: its loss should shape the encoder too (SAC-AE).
        """
import tensorflow as tf
from tensorflow import keras
encoder = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])
decoder = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8)])
critic = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1)])
c_opt = keras.optimizers.Adam()
ae_opt = keras.optimizers.Adam()
@tf.function
def step(obs, action, target):
    with tf.GradientTape() as tape:
        q = critic(tf.concat([encoder(obs), action], axis=-1))
        loss = tf.reduce_mean(tf.square(q - target))
    grads = tape.gradient(loss, critic.trainable_variables)  # expect: RL114
    c_opt.apply_gradients(zip(grads, critic.trainable_variables))
    with tf.GradientTape() as tape:
        rec = tf.reduce_mean(tf.square(decoder(encoder(obs)) - obs))
    variables = encoder.trainable_variables + decoder.trainable_variables
    ae_opt.apply_gradients(zip(tape.gradient(rec, variables), variables))
step(tf.zeros((2, 8)), tf.zeros((2, 2)), tf.zeros((2, 1)))
""",
        # TRPO's policy and value steps, by hand: flat gradients of two name filters that the
        # code assigns itself, and logstd, made beside the layers, in neither list.
        """
import tensorflow as tf
def flatgrad(loss, var_list):
    return tf.concat([tf.reshape(g, [-1]) for g in tf.gradients(loss, var_list)], axis=0)
ob = tf.placeholder(tf.float32, [None, 3])
with tf.variable_scope("pi"):
    vpred = tf.layers.dense(ob, 1, name="vffinal")
    mean = tf.layers.dense(ob, 2, name="polfinal")
    logstd = tf.get_variable("logstd", [1, 2])
tvars = tf.trainable_variables("pi")
pol_vars = [v for v in tvars if v.name.split("/")[1].startswith("pol")]  # expect: RL114
vf_vars = [v for v in tvars if v.name.split("/")[1].startswith("vf")]  # expect: RL114
pol_grad = flatgrad(tf.reduce_sum(mean + logstd), pol_vars)
vf_grad = flatgrad(tf.reduce_sum(vpred), vf_vars)
""",
        # The one step's filter leaves out the auxiliary head whose loss it adds: the head is
        # scored but stays random.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 8])
y = tf.placeholder(tf.int32, [None])
with tf.variable_scope("child"):
    with tf.variable_scope("layer_0"):
        h = tf.nn.relu(tf.matmul(x, tf.get_variable("w", [8, 16])))
    with tf.variable_scope("aux_head"):
        aux_logits = tf.matmul(h, tf.get_variable("w", [16, 10]))
    with tf.variable_scope("layer_1"):
        h = tf.nn.relu(tf.matmul(h, tf.get_variable("w", [16, 16])))
    with tf.variable_scope("fc"):
        logits = tf.matmul(h, tf.get_variable("w", [16, 10]))
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
aux_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=aux_logits))
train_loss = loss + 0.4 * aux_loss
tf_variables = [v for v in tf.trainable_variables() if v.name.startswith("child") and "aux_head" not in v.name]  # expect: RL114
step = tf.train.MomentumOptimizer(0.1, 0.9).minimize(train_loss, var_list=tf_variables)
""",
        # The discriminator's gradients taken for the teacher's variables, applied to its own.
        """
import tensorflow as tf
student = tf.keras.Sequential([tf.keras.layers.Dense(8)])
teacher = tf.keras.Sequential([tf.keras.layers.Dense(8)])
critic = tf.keras.Sequential([tf.keras.layers.Dense(1)])
g_opt, d_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
@tf.function
def step(low, high):
    with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
        fake = student(low)
        g_loss = tf.reduce_mean((fake - tf.stop_gradient(teacher(low))) ** 2) - tf.reduce_mean(critic(fake))
        d_loss = tf.reduce_mean(critic(fake)) - tf.reduce_mean(critic(high))
    g_opt.apply_gradients(zip(g_tape.gradient(g_loss, student.trainable_variables), student.trainable_variables))
    d_grads = d_tape.gradient(d_loss, teacher.trainable_variables)  # expect: RL114
    d_opt.apply_gradients(zip(d_grads, critic.trainable_variables))
""",
        # The same crossing over teachers of a project the linter does not read (a folder put on
        # `sys.path`): objects of two of its classes, made from no object of this program.
        """
import tensorflow as tf
from esrgan.lib.model import RRDBNet, VGGArch
class Trainer:
    def __init__(self, teacher, discriminator):
        self.teacher_generator = teacher
        self.teacher_discriminator = discriminator
    def train(self, student, batches):
        d_opt = tf.keras.optimizers.Adam()
        @tf.function
        def step(low, high):
            with tf.GradientTape() as d_tape:
                fake = student(low)
                teacher_fake = self.teacher_generator(low)
                d_loss = tf.reduce_mean(self.teacher_discriminator(fake)) - tf.reduce_mean(self.teacher_discriminator(high))
            d_grads = d_tape.gradient(d_loss, self.teacher_generator.trainable_variables)  # expect: RL114
            d_opt.apply_gradients(zip(d_grads, self.teacher_discriminator.trainable_variables))
            return teacher_fake
        for low, high in batches:
            step(low, high)
def main(batches):
    Trainer(RRDBNet(out_channel=3), VGGArch()).train(tf.keras.Sequential([tf.keras.layers.Dense(3)]), batches)
""",
        # A nested step run only by a distribution strategy (`strategy.run` calls it with its
        # `args=`): the generator's gradient is taken over the discriminator's variables.
        """
import tensorflow as tf
def train(strategy, batches):
    generator = tf.keras.Sequential([tf.keras.layers.Dense(8)])
    discriminator = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    g_opt, d_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
    def g_d_step(real, z):
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = generator(z)
            g_loss = -tf.reduce_mean(discriminator(fake))
            d_loss = tf.reduce_mean(discriminator(fake)) - tf.reduce_mean(discriminator(real))
        g_grads = g_tape.gradient(g_loss, discriminator.trainable_variables)  # expect: RL114
        g_opt.apply_gradients(zip(g_grads, discriminator.trainable_variables))
        d_opt.apply_gradients(zip(d_tape.gradient(d_loss, discriminator.trainable_variables),
                                  discriminator.trainable_variables))
    for real, z in batches:
        strategy.run(g_d_step, args=(real, z))
""",
        # A list display of starred model lists is their sum: the encoder is left out.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(4)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(8)])
opt = tf.keras.optimizers.Adam()
def train_step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(decoder(encoder(x)) - x))
    variables = [*decoder.trainable_variables]
    grads = tape.gradient(loss, variables)  # expect: RL114
    opt.apply_gradients(zip(grads, variables))
""",
        # The same autoencoder with the encoder's step left out: no step trains it.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(4)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(8)])
dec_opt = tf.keras.optimizers.Adam()
def train_step(x):
    with tf.GradientTape() as enc_tape, tf.GradientTape() as dec_tape:
        loss = tf.reduce_mean(tf.square(decoder(encoder(x)) - x))
    dec_grads = dec_tape.gradient(loss, decoder.trainable_variables)  # expect: RL114
    dec_opt.apply_gradients(zip(dec_grads, decoder.trainable_variables))
""",
        # TF2, SAC-AE: the autoencoder step trains the encoder; the critic step, whose loss
        # flows through it into the critic alone, leaves it out.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(4)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(6)])
critic = tf.keras.Sequential([tf.keras.layers.Dense(1)])
ae_opt, q_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
def critic_step(obs, target_q):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(target_q - critic(encoder(obs))))
    grads = tape.gradient(loss, critic.trainable_variables)  # expect: RL114
    q_opt.apply_gradients(zip(grads, critic.trainable_variables))
def ae_step(obs):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(obs - decoder(encoder(obs))))
    ae_vars = encoder.trainable_variables + decoder.trainable_variables
    ae_opt.apply_gradients(zip(tape.gradient(loss, ae_vars), ae_vars))
""",
        # TF2: the encoder the generator's loss flows through is in no list.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(4)])
generator = tf.keras.Sequential([tf.keras.layers.Dense(8)])
opt = tf.keras.optimizers.Adam()
@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(y - generator(encoder(x))))
    grads = tape.gradient(loss, generator.trainable_variables)  # expect: RL114
    opt.apply_gradients(zip(grads, generator.trainable_variables))
""",
        # The scope was opened outside the model's graph: the loop's test keeps nothing.
        """
import tensorflow as tf
def build():
    g = tf.Graph()
    with g.as_default():
        y = tf.layers.dense(tf.zeros([1, 2]), 1)
        step = tf.Variable(0, name="global_step", trainable=False)
    return g
with tf.variable_scope("vae"):
    graph = build()
params = []
with graph.as_default():
    for var in tf.trainable_variables():
        if var.name.startswith("vae"):  # expect: RL114
            params.append(var)
""",
        # A Saver on a name filter that keeps nothing saves nothing.
        """
import tensorflow as tf
with tf.variable_scope("generator"):
    y = tf.layers.dense(tf.zeros([1, 2]), 2)
saver = tf.train.Saver(var_list=[v for v in tf.global_variables() if v.name.startswith("gen/")])  # expect: RL114
""",
        # A name filter over known variables that keeps none of them.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 2])
with tf.variable_scope("generator"):
    y = tf.layers.dense(x, 2)
g_vars = [v for v in tf.trainable_variables() if v.name.startswith("gen/")]  # expect: RL114
step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(y), var_list=g_vars)
""",
        # Models built by plain functions, no scope: bn1 was made during generator(z).
        """
import tensorflow as tf
def generator(z):
    g_w1 = tf.get_variable("g_w1", [4, 8])
    g1 = tf.layers.batch_normalization(tf.matmul(z, g_w1), name="bn1")
    g_w2 = tf.get_variable("g_w2", [8, 2])
    return tf.matmul(g1, g_w2)
def discriminator(x):
    d_w = tf.get_variable("d_w", [2, 1])
    return tf.matmul(x, d_w)
logits = discriminator(tf.concat([tf.placeholder(tf.float32, [None, 2]), generator(tf.random.normal([8, 4]))], 0))
tvars = tf.trainable_variables()
d_vars = [v for v in tvars if "d_" in v.name]
g_vars = [v for v in tvars if "g_" in v.name]  # expect: RL114
d_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(logits), var_list=d_vars)
g_step = tf.train.AdamOptimizer().minimize(-tf.reduce_mean(logits), var_list=g_vars)
""",
        """
import tensorflow as tf
def g(z):
    with tf.variable_scope("generator"):
        return tf.layers.dense(z, 2, name="g_out")
def d(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.layers.dense(x, 8, name="d_h0")
        h = tf.layers.batch_normalization(h, name="bn1")
        return tf.layers.dense(h, 1, name="d_out")
fake = g(tf.random.normal([8, 4]))
d_real = d(tf.placeholder(tf.float32, [None, 2]))
d_fake = d(fake, reuse=True)
tvars = tf.trainable_variables()
d_vars = [v for v in tvars if "d_" in v.name]  # expect: RL114
g_vars = [v for v in tvars if "g_" in v.name]
d_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(d_fake - d_real), var_list=d_vars)
g_step = tf.train.AdamOptimizer().minimize(-tf.reduce_mean(d_fake), var_list=g_vars)
""",
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 2])
d_vars = tf.trainable_variables("discriminator/")  # expect: RL114
with tf.variable_scope("discriminator"):
    logits = tf.layers.dense(x, 1)
step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(logits), var_list=d_vars)
""",
        # A Saver on a misspelled scope saves nothing, and says nothing.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 2])
with tf.variable_scope("generator"):
    y = tf.layers.dense(x, 2)
saver = tf.train.Saver(var_list=tf.trainable_variables("genrator/"))  # expect: RL114
""",
        # A Saver's dict by checkpoint name over a scope nothing opened: `No variables to save`.
        """
import tensorflow as tf
with tf.variable_scope("seq_encoder"):
    h = tf.layers.dense(tf.zeros([1, 2]), 2, name="proj")
transfer = {v.op.name: v for v in tf.global_variables("encoder")}  # expect: RL114
saver = tf.train.Saver(transfer)
""",
    )

    INVALID = INVALID + (
        # Hand-built steps: clipped compute_gradients pairs and tf.gradients with a global
        # norm; the "d_" filter misses bn1 as it would in minimize(var_list=d_vars).
        """
import tensorflow as tf
def g(z):
    with tf.variable_scope("generator"):
        return tf.layers.dense(z, 2, name="g_out")
def d(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.layers.batch_normalization(tf.layers.dense(x, 8, name="d_h0"), name="bn1")
        return tf.layers.dense(h, 1, name="d_out")
fake = g(tf.random.normal([8, 4]))
d_real = d(tf.placeholder(tf.float32, [None, 2]))
d_fake = d(fake, reuse=True)
tvars = tf.trainable_variables()
d_vars = [v for v in tvars if "d_" in v.name]  # expect: RL114
g_vars = [v for v in tvars if "g_" in v.name]
opt = tf.train.AdamOptimizer()
gvs = opt.compute_gradients(tf.reduce_mean(d_fake - d_real), var_list=d_vars)
d_step = opt.apply_gradients([(tf.clip_by_value(grad, -1.0, 1.0), var) for grad, var in gvs])
g_grads, _ = tf.clip_by_global_norm(tf.gradients(-tf.reduce_mean(d_fake), g_vars), 5.0)
g_step = opt.apply_gradients(zip(g_grads, g_vars))
""",
    )

    INVALID = INVALID + (
        # The discriminator built under two outer scopes, one for each loss: the copy that
        # scores the fakes is in no list, so nothing trains it. The user name read from
        # `getpass` and the moving averages read back with `ema.average` make no variable.
        """
import getpass
import tensorflow as tf
data_dir = "/home/%s/data" % getpass.getuser()
train = tf.placeholder(tf.bool)
def generator(z):
    with tf.variable_scope("Generator"):
        return tf.layers.dense(z, 4, name="out")
def discriminator(x):
    with tf.variable_scope("Discriminator"):
        h = tf.layers.dense(x, 4, name="h")
        mean, var = tf.nn.moments(h, [0])
        ema = tf.train.ExponentialMovingAverage(0.9)
        def update():
            with tf.control_dependencies([ema.apply([mean, var])]):
                return tf.identity(mean), tf.identity(var)
        mean, var = tf.cond(train, update, lambda: (ema.average(mean), ema.average(var)))
        return tf.layers.dense(tf.nn.batch_normalization(h, mean, var, None, None, 1e-5), 1, name="out")
real = tf.placeholder(tf.float32, [None, 4])
with tf.variable_scope("real_loss"):
    d_real = discriminator(real)
with tf.variable_scope("fake_loss"):
    d_fake = discriminator(generator(tf.random_normal([8, 2])))
def step(loss, prefix):
    var_list = [v for v in tf.trainable_variables() if v.name.startswith(prefix)]  # expect: RL114
    return tf.train.AdamOptimizer().minimize(loss, var_list=var_list)
g_step = step(-tf.reduce_mean(d_fake), "fake_loss/Generator")
d_step = step(tf.reduce_mean(d_fake - d_real), "real_loss/Discriminator")
""",
    )
    VALID = VALID + (
        # The same discriminator built once and reused for the fakes under one outer scope.
        """
import getpass
import tensorflow as tf
data_dir = "/home/%s/data" % getpass.getuser()
def generator(z):
    with tf.variable_scope("Generator"):
        return tf.layers.dense(z, 4, name="out")
def discriminator(x):
    with tf.variable_scope("Discriminator"):
        return tf.layers.dense(tf.layers.dense(x, 4, name="h"), 1, name="out")
real = tf.placeholder(tf.float32, [None, 4])
with tf.variable_scope("Loss") as scope:
    d_real = discriminator(real)
    fake = generator(tf.random_normal([8, 2]))
    scope.reuse_variables()
    d_fake = discriminator(fake)
def step(loss, prefix):
    var_list = [v for v in tf.trainable_variables() if v.name.startswith(prefix)]
    return tf.train.AdamOptimizer().minimize(loss, var_list=var_list)
g_step = step(-tf.reduce_mean(d_fake), "Loss/Generator")
d_step = step(tf.reduce_mean(d_fake - d_real), "Loss/Discriminator")
""",
    )

    INVALID = INVALID + (
        # The selection is taken before the model (and its property) is built: still empty.
        """
import tensorflow as tf
class Model(object):
    def __init__(self):
        self.x = tf.placeholder(tf.float32, [None, 3])
        self.loss
    @property
    def loss(self):
        return tf.reduce_mean(tf.layers.dense(self.x, 1, name="out"))
with tf.Graph().as_default():
    tvars = tf.trainable_variables()  # expect: RL114
    model = Model()
    step = tf.train.AdamOptimizer().minimize(model.loss, var_list=tvars)
""",
    )

    INVALID = INVALID + (
        # A script reads its data list, then filters the variables before building the net.
        """
import tensorflow as tf
data = open("train_list.txt")
names = [line.strip() for line in data.readlines()]
data.close()
enc_vars = [v for v in tf.trainable_variables() if any(k in v.name for k in ["enc_", "encoder"])]  # expect: RL114
h = tf.layers.dense(tf.placeholder(tf.float32, [None, 4]), 2, name="enc_fc")
step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h), var_list=enc_vars)
""",
        # Each network's list filled by `.append` in a loop over the variables: the
        # generator's batch norm carries no "g_" and lands in neither list.
        """
import tensorflow as tf
def g_net(z):
    with tf.variable_scope("generator"):
        h = tf.layers.batch_normalization(tf.layers.dense(z, 8, name="g_h0"), name="bn0")
        return tf.layers.dense(h, 2, name="g_out")
def d_net(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(x, 1, name="d_out")
d_fake = d_net(g_net(tf.random.normal([8, 4])))
d_real = d_net(tf.placeholder(tf.float32, [None, 2]), reuse=True)
g_vars, d_vars = [], []
for v in tf.trainable_variables():
    if "g_" in v.name:  # expect: RL114
        g_vars.append(v)
    elif "d_" in v.name:
        d_vars.append(v)
g_step = tf.train.AdamOptimizer().minimize(-tf.reduce_mean(d_fake), var_list=g_vars)
d_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(d_fake - d_real), var_list=d_vars)
""",
    )

    VALID = VALID + (
        # The same loop when every generator layer carries its prefix.
        """
import tensorflow as tf
def g_net(z):
    with tf.variable_scope("generator"):
        h = tf.layers.batch_normalization(tf.layers.dense(z, 8, name="g_h0"), name="g_bn0")
        return tf.layers.dense(h, 2, name="g_out")
def d_net(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(x, 1, name="d_out")
d_fake = d_net(g_net(tf.random.normal([8, 4])))
d_real = d_net(tf.placeholder(tf.float32, [None, 2]), reuse=True)
g_vars, d_vars = [], []
for v in tf.trainable_variables():
    if "g_" in v.name:
        g_vars.append(v)
    elif "d_" in v.name:
        d_vars.append(v)
g_step = tf.train.AdamOptimizer().minimize(-tf.reduce_mean(d_fake), var_list=g_vars)
d_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(d_fake - d_real), var_list=d_vars)
""",
        # A filtered list grown afterwards by `.append`: what it holds is not followed, and
        # here it takes the batch norm the filter left out.
        """
import tensorflow as tf
def g_net(z):
    with tf.variable_scope("generator"):
        h = tf.layers.batch_normalization(tf.layers.dense(z, 8, name="g_h0"), name="bn0")
        return tf.layers.dense(h, 2, name="g_out")
def d_net(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(x, 1, name="d_out")
d_fake = d_net(g_net(tf.random.normal([8, 4])))
d_real = d_net(tf.placeholder(tf.float32, [None, 2]), reuse=True)
tvars = tf.trainable_variables()
g_vars = [v for v in tvars if "g_" in v.name]
d_vars = [v for v in tvars if "d_" in v.name]
norm = [v for v in tvars if "bn0" in v.name]
g_vars.append(norm[0])
g_vars.append(norm[1])
g_step = tf.train.AdamOptimizer().minimize(-tf.reduce_mean(d_fake), var_list=g_vars)
d_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(d_fake - d_real), var_list=d_vars)
""",
        # A loop that prints the matching variables before any exists trains nothing wrong.
        """
import tensorflow as tf
for v in tf.trainable_variables():
    if "enc_" in v.name:
        print(v.name)
h = tf.layers.dense(tf.placeholder(tf.float32, [None, 4]), 2, name="enc_fc")
enc_vars = [v for v in tf.trainable_variables() if "enc_" in v.name]
step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(h), var_list=enc_vars)
""",
    )

    VALID = VALID + (
        # Both models' lists spliced into one display: every model the loss reaches is trained.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(4)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(8)])
opt = tf.keras.optimizers.Adam()
def train_step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(decoder(encoder(x)) - x))
    variables = [*encoder.trainable_variables, *decoder.trainable_variables]
    opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
""",
        # The cell's variables are made by a runner reached through TF's implementation
        # modules (a TF 0.x-era seq2seq): the list taken after it is not empty.
        """
import tensorflow as tf
from tensorflow.python.ops import rnn, rnn_cell
def build(inputs):
    cell = rnn_cell.BasicLSTMCell(4)
    outputs, state = rnn.static_rnn(cell, inputs, dtype=tf.float32)
    params = tf.trainable_variables()
    gradients = tf.gradients(tf.reduce_sum(outputs[-1]), params)
    return tf.train.AdamOptimizer(0.1).apply_gradients(zip(gradients, params))
build([tf.placeholder(tf.float32, [None, 3]) for _ in range(3)])
""",
    )

    VALID = VALID + (
        # NNCLR's linear probe (Ishansh-Sharma/SSVL_Implementation, round 21 of TRIAGE.md):
        # the images pass through an augmentation Sequential before the probe's step, made
        # of layers with no trainable weight and a keras_cv layer we cannot see into; TF
        # builds it with 0 weights, so there is nothing of it for a list to leave out.
        """
import keras
import keras_cv
import tensorflow as tf
from keras import layers
def augmenter(brightness, name):
    return keras.Sequential([
        layers.Input(shape=(32, 32, 3)),
        layers.Rescaling(1 / 255),
        layers.RandomFlip("horizontal"),
        keras_cv.layers.RandomBrightness(factor=brightness, value_range=(0.0, 1.0)),
    ], name=name)
class NNCLR(keras.Model):
    def __init__(self):
        super().__init__()
        self.contrastive_augmenter = augmenter(0.5, "contrastive_augmenter")
        self.classification_augmenter = augmenter(0.2, "classification_augmenter")
        self.encoder = keras.Sequential([layers.Conv2D(16, 3), layers.GlobalAveragePooling2D()])
        self.projection_head = keras.Sequential([layers.Dense(16)])
        self.linear_probe = keras.Sequential([layers.Dense(10)])
        self.probe_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    def compile(self, contrastive_optimizer, probe_optimizer, **kwargs):
        super().compile(**kwargs)
        self.contrastive_optimizer = contrastive_optimizer
        self.probe_optimizer = probe_optimizer
    def train_step(self, data):
        (unlabeled, _), (labeled, labels) = data
        views = self.contrastive_augmenter(unlabeled), self.contrastive_augmenter(unlabeled)
        with tf.GradientTape() as tape:
            p1, p2 = (self.projection_head(self.encoder(v)) for v in views)
            contrastive_loss = tf.reduce_mean(tf.square(p1 - p2))
        weights = self.encoder.trainable_weights + self.projection_head.trainable_weights
        self.contrastive_optimizer.apply_gradients(zip(tape.gradient(contrastive_loss, weights), weights))
        images = self.classification_augmenter(labeled)
        with tf.GradientTape() as tape:
            probe_loss = self.probe_loss(labels, self.linear_probe(self.encoder(images)))
        gradients = tape.gradient(probe_loss, self.linear_probe.trainable_weights)
        self.probe_optimizer.apply_gradients(zip(gradients, self.linear_probe.trainable_weights))
        return {"p_loss": probe_loss}
""",
    )
    INVALID = INVALID + (
        # The same augmentation stages ahead of a Dense in one Sequential: its kernel is
        # trainable and no list takes it.
        """
import keras
import tensorflow as tf
from keras import layers
stem = keras.Sequential([layers.Rescaling(1 / 255), layers.RandomFlip("horizontal"), layers.Dense(8)])
head = keras.Sequential([layers.Dense(1)])
opt = keras.optimizers.Adam()
def step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(y - head(stem(x))))
    grads = tape.gradient(loss, head.trainable_variables)  # expect: RL114
    opt.apply_gradients(zip(grads, head.trainable_variables))
""",
        # An encoder whose class overrides `__call__` (early TF2 code) is applied all the same;
        # its gradients are the generator's alone, zipped with a list that holds it too: zip
        # stops at the generator's, and this step, the one meant to train it, is named.
        """
import tensorflow as tf
class Encoder(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(4)
    def __call__(self, x, training=False):
        return self.d(x)
gen = tf.keras.Sequential([tf.keras.layers.Dense(8)])
enc = Encoder()
disc = tf.keras.Sequential([tf.keras.layers.Dense(1)])
d_opt, g_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
def train_step(x, z):
    with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
        real = disc(tf.concat([x, enc(x, training=True)], 1))
        fake = disc(tf.concat([gen(z, training=True), z], 1))
        d_loss = tf.reduce_mean(fake - real)
    d_grads = d_tape.gradient(d_loss, disc.trainable_variables)
    d_opt.apply_gradients(zip(d_grads, disc.trainable_variables))
    g_grads = g_tape.gradient(-d_loss, gen.trainable_variables)  # expect: RL114
    g_opt.apply_gradients(zip(g_grads, gen.trainable_variables + enc.trainable_variables))
""",
        # A projection head on the listed encoder's output, in no list: it stays random.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(8)])
head = tf.keras.Sequential([tf.keras.layers.Dense(4)])
opt = tf.keras.optimizers.Adam()
def pretrain_step(x, x_aug):
    with tf.GradientTape() as tape:
        loss = -tf.reduce_mean(head(encoder(x)) * head(encoder(x_aug)))
    grads = tape.gradient(loss, encoder.trainable_weights)  # expect: RL114
    opt.apply_gradients(zip(grads, encoder.trainable_weights))
""",
    )
    INVALID = INVALID + (
        # `self(data)` in a pretrainer's own train_step runs its `call`: the wrapped model, then
        # the pretrainer's head, which the list (the wrapped model's) leaves out.
        """
import tensorflow as tf
class Pretrainer(tf.keras.Model):
    def __init__(self, model):
        super().__init__()
        self.model = model
        self.head = tf.keras.Sequential([tf.keras.layers.Dense(4)])
    def call(self, inputs):
        return self.head(self.model(inputs))
    def train_step(self, data):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(data)))
        grads = tape.gradient(loss, self.model.trainable_weights)  # expect: RL114
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_weights))
        return {"loss": loss}
pre = Pretrainer(tf.keras.Sequential([tf.keras.layers.Dense(8)]))
pre.compile(optimizer=tf.keras.optimizers.Adam())
pre.train_step(tf.zeros([2, 3]))
""",
    )
    INVALID = INVALID + (
        # One helper's blocks in the encoder and in the discriminator: the discriminator's are
        # trained, the encoder's (other objects) are not.
        """
import tensorflow as tf
def down(units):
    return tf.keras.Sequential([tf.keras.layers.Dense(units)])
encoder = tf.keras.Sequential([down(8), down(4)])
generator = tf.keras.Sequential([tf.keras.layers.Dense(8)])
discriminator = tf.keras.Sequential([down(8), tf.keras.layers.Dense(1)])
g_opt, d_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
def train_step(x):
    with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
        fake = generator(encoder(x))
        d_loss = tf.reduce_mean(discriminator(fake)) - tf.reduce_mean(discriminator(x))
        g_loss = -tf.reduce_mean(discriminator(fake))
    g_grads = g_tape.gradient(g_loss, generator.trainable_variables)  # expect: RL114
    g_opt.apply_gradients(zip(g_grads, generator.trainable_variables))
    d_grads = d_tape.gradient(d_loss, discriminator.trainable_variables)
    d_opt.apply_gradients(zip(d_grads, discriminator.trainable_variables))
""",
    )
    VALID = VALID + (
        # A GAN model whose `call` is its generator: `self(z)` in its train_step flows into the
        # discriminator, and each step lists a part; the container holds nothing else.
        """
import tensorflow as tf
class GAN(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.generator = tf.keras.Sequential([tf.keras.layers.Dense(6)])
        self.discriminator = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    def call(self, z):
        return self.generator(z)
    def train_step(self, data):
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = self(tf.random.normal([16, 4]))
            d_loss = tf.reduce_mean(self.discriminator(fake)) - tf.reduce_mean(self.discriminator(data))
            g_loss = -tf.reduce_mean(self.discriminator(fake))
        d_grads = d_tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_opt.apply_gradients(zip(d_grads, self.discriminator.trainable_weights))
        g_grads = g_tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_opt.apply_gradients(zip(g_grads, self.generator.trainable_weights))
        return {"d_loss": d_loss}
gan = GAN()
gan.d_opt, gan.g_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
gan.train_step(tf.zeros([16, 6]))
""",
        # Blocks of one class with a `__call__` of its own inside both networks (BigBiGAN's
        # ops.py): they are each network's weights, not one model two steps share.
        """
import tensorflow as tf
class Block(tf.keras.Model):
    def __init__(self, units):
        super().__init__()
        self.d = tf.keras.layers.Dense(units)
    def __call__(self, x, training=False):
        return tf.nn.relu(self.d(x))
class Generator(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.block = Block(8)
        self.out = tf.keras.layers.Dense(8)
    def __call__(self, z, training=False):
        return self.out(self.block(z))
class Discriminator(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.block = Block(8)
        self.out = tf.keras.layers.Dense(1)
    def __call__(self, x, training=False):
        return self.out(self.block(x))
gen, disc = Generator(), Discriminator()
g_opt, d_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
def train_step(x, z):
    with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
        fake = disc(gen(z, training=True), training=True)
        real = disc(x, training=True)
        d_loss = tf.reduce_mean(fake - real)
        g_loss = -tf.reduce_mean(fake)
    d_grads = d_tape.gradient(d_loss, disc.trainable_variables)
    d_opt.apply_gradients(zip(d_grads, disc.trainable_variables))
    g_grads = g_tape.gradient(g_loss, gen.trainable_variables)
    g_opt.apply_gradients(zip(g_grads, gen.trainable_variables))
""",
        # A classifier on the generator's output, applied as a fixed judge (`training=False`):
        # the step trains the generator to please it, not the classifier.
        """
import tensorflow as tf
generator = tf.keras.Sequential([tf.keras.layers.Dense(8)])
classifier = tf.keras.Sequential([tf.keras.layers.Dense(10)])
opt = tf.keras.optimizers.Adam()
def step(z, labels):
    with tf.GradientTape() as tape:
        logits = classifier(generator(z, training=True), training=False)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    grads = tape.gradient(loss, generator.trainable_variables)
    opt.apply_gradients(zip(grads, generator.trainable_variables))
""",
    )
    INVALID = INVALID + (
        # The one step's gradients clipped one by one by a loop: still the step over the
        # filter that leaves the auxiliary head out.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 8])
y = tf.placeholder(tf.int32, [None])
with tf.variable_scope("child"):
    with tf.variable_scope("layer_0"):
        h = tf.nn.relu(tf.matmul(x, tf.get_variable("w", [8, 16])))
    with tf.variable_scope("aux_head"):
        aux_logits = tf.matmul(h, tf.get_variable("w", [16, 10]))
    with tf.variable_scope("fc"):
        logits = tf.matmul(h, tf.get_variable("w", [16, 10]))
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
aux_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=aux_logits))
tf_variables = [v for v in tf.trainable_variables() if "aux_head" not in v.name]  # expect: RL114
clipped = []
for g in tf.gradients(loss + 0.4 * aux_loss, tf_variables):
    clipped.append(tf.clip_by_norm(g, 5.0))
step = tf.train.MomentumOptimizer(0.1, 0.9).apply_gradients(zip(clipped, tf_variables))
""",
        # Each GAN step's pairs capped in a loop that skips None gradients: the two filters
        # still leave the discriminator's batch norm out.
        """
import tensorflow as tf
def generator(z):
    with tf.variable_scope("generator"):
        return tf.layers.dense(z, 2, name="g_out")
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.layers.batch_normalization(tf.layers.dense(x, 8, name="d_h0"), name="bn1")
        return tf.layers.dense(h, 1, name="d_out")
fake = generator(tf.random.normal([8, 4]))
d_real = discriminator(tf.placeholder(tf.float32, [None, 2]))
d_fake = discriminator(fake, reuse=True)
tvars = tf.trainable_variables()
d_vars = [v for v in tvars if "d_" in v.name]  # expect: RL114
g_vars = [v for v in tvars if "g_" in v.name]
def step(loss, var_list):
    opt = tf.train.AdamOptimizer(1e-4)
    capped = []
    for grad, var in opt.compute_gradients(loss, var_list=var_list):
        if grad is None:
            continue
        capped.append((tf.clip_by_value(grad, -1.0, 1.0), var))
    return opt.apply_gradients(capped)
d_step = step(tf.reduce_mean(d_fake - d_real), d_vars)
g_step = step(-tf.reduce_mean(d_fake), g_vars)
""",
    )
    VALID = VALID + (
        # The same loop-clipped step over the whole model, head included.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 8])
y = tf.placeholder(tf.int32, [None])
with tf.variable_scope("child"):
    with tf.variable_scope("layer_0"):
        h = tf.nn.relu(tf.matmul(x, tf.get_variable("w", [8, 16])))
    with tf.variable_scope("aux_head"):
        aux_logits = tf.matmul(h, tf.get_variable("w", [16, 10]))
    with tf.variable_scope("fc"):
        logits = tf.matmul(h, tf.get_variable("w", [16, 10]))
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
aux_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=aux_logits))
num_params = len([v for v in tf.trainable_variables() if "aux_head" not in v.name])
tf_variables = [v for v in tf.trainable_variables() if v.name.startswith("child")]
clipped = []
for g in tf.gradients(loss + 0.4 * aux_loss, tf_variables):
    clipped.append(tf.clip_by_norm(g, 5.0))
step = tf.train.MomentumOptimizer(0.1, 0.9).apply_gradients(zip(clipped, tf_variables))
""",
    )

    VALID = VALID + (
        # The Keras 2 GAN recipe with the toggle around the discriminator's own step.
        """
import tensorflow as tf
class GAN:
    def __init__(self):
        self.g = tf.keras.Sequential([tf.keras.layers.Dense(4)])
        self.d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        self.d.compile(optimizer="adam", loss="mse")
        self.d.trainable = False
        self.combined = tf.keras.Sequential([self.g, self.d])
        self.combined.compile(optimizer="adam", loss="mse")
        self.opt = tf.keras.optimizers.Adam()
    @tf.function
    def d_step(self, real):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(self.d(real))
        grads = tape.gradient(loss, self.d.trainable_variables)
        self.opt.apply_gradients(zip(grads, self.d.trainable_variables))
    def train(self, data, noise, ones):
        for x in data:
            self.d.trainable = True
            self.d_step(x)
            self.d.trainable = False
            self.combined.train_on_batch(noise, ones)
GAN().train(data, noise, ones)
""",
        # Unfrozen by a helper over its layers before the step.
        """
import tensorflow as tf
def make_trainable(net, flag):
    for layer in net.layers:
        layer.trainable = flag
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
d.trainable = False
opt = tf.keras.optimizers.Adam()
def d_step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(d(x))
    grads = tape.gradient(loss, d.trainable_variables)
    opt.apply_gradients(zip(grads, d.trainable_variables))
for x in data:
    make_trainable(d, True)
    d_step(x)
    make_trainable(d, False)
""",
        # Frozen on one arm for the combined model, stepped by hand on the other.
        """
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(4)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
if args.keras_recipe:
    d.trainable = False
    gan = tf.keras.Sequential([g, d])
    gan.compile(optimizer="adam", loss="mse")
else:
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(d(x))
    grads = tape.gradient(loss, d.trainable_variables)
    opt.apply_gradients(zip(grads, d.trainable_variables))
""",
        # Frozen only when a setting asks: the step may run with the model trainable.
        """
import tensorflow as tf
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
def step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(d(x))
    grads = tape.gradient(loss, d.trainable_variables)
    opt.apply_gradients(zip(grads, d.trainable_variables))
if args.freeze:
    d.trainable = False
step(x)
""",
        # The target network is the frozen one; the critic's list is another model's.
        """
import tensorflow as tf
def build():
    return tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.Dense(1)])
critic, target = build(), build()
target.trainable = False
opt = tf.keras.optimizers.Adam()
@tf.function
def step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(critic(x) - tf.stop_gradient(target(x)) - y))
    grads = tape.gradient(loss, critic.trainable_variables)
    opt.apply_gradients(zip(grads, critic.trainable_variables))
step(x, y)
""",
        # The list taken before the freeze holds the variables, and a step on it trains them.
        """
import tensorflow as tf
d = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,)), tf.keras.layers.Dense(1)])
d_vars = d.trainable_variables
d.trainable = False
opt = tf.keras.optimizers.Adam()
@tf.function
def step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(d(x))
    grads = tape.gradient(loss, d_vars)
    opt.apply_gradients(zip(grads, d_vars))
step(x)
""",
        # A library class: nothing in the file calls its step, whose caller may unfreeze.
        """
import tensorflow as tf
class GAN:
    def __init__(self):
        self.d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        self.d.trainable = False
        self.opt = tf.keras.optimizers.Adam()
    def d_step(self, real):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(self.d(real))
        grads = tape.gradient(loss, self.d.trainable_variables)
        self.opt.apply_gradients(zip(grads, self.d.trainable_variables))
""",
    )
    INVALID = INVALID + (
        # A layer of the program's own on a frozen packaged VGG: the view holds its new
        # weights (TF 2.21: `projector.trainable_variables` is the Dense's kernel and bias),
        # and no list trains them.
        """
import tensorflow as tf
vgg = tf.keras.applications.VGG19(include_top=False, weights="imagenet")
vgg.trainable = False
projector = tf.keras.Model(vgg.input, tf.keras.layers.Dense(16)(vgg.output))
img = tf.keras.Input((64, 64, 3))
generator = tf.keras.Model(img, tf.keras.layers.Conv2D(3, 3, padding="same")(img))
opt = tf.keras.optimizers.Adam()
@tf.function
def train_step(x, target):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.abs(projector(generator(x, training=True)) - projector(target)))
    grads = tape.gradient(loss, generator.trainable_variables)  # expect: RL114
    opt.apply_gradients(zip(grads, generator.trainable_variables))
""",
    )
    INVALID = INVALID + (
        # The forward pass written as `model.call(x)`: the encoder's output still flows into
        # the loss, and no list holds it (TF 2.21: after three steps its kernel is unchanged).
        """
import tensorflow as tf
class Encoder(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(8)
    def call(self, x):
        return self.d(x)
class Head(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(1)
    def call(self, x):
        return self.d(x)
encoder, head = Encoder(), Head()
opt = tf.keras.optimizers.Adam()
@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(y - head.call(encoder.call(x))))
    grads = tape.gradient(loss, head.trainable_variables)  # expect: RL114
    opt.apply_gradients(zip(grads, head.trainable_variables))
""",
    )
    INVALID = INVALID + (
        # A Keras 2 optimizer's `minimize` of a loss function (tf_keras; Keras 3 has no
        # `minimize`): Keras records it on a tape of its own and steps `var_list` alone
        # (TF 2.21, tf_keras: after three steps the encoder's kernel is unchanged; the head's moves).
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(8)])
head = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
mse = tf.keras.losses.MeanSquaredError()
def train_step(x, y):
    opt.minimize(lambda: mse(y, head(encoder(x))), var_list=head.trainable_variables)  # expect: RL114
""",
    )
    INVALID = INVALID + (
        # Loss terms kept in a dict and totalled with `sum`: the encoder under the head is in
        # no list (TF 2.21: after three steps its kernel is unchanged; the head's moves).
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(8)])
head = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
mse = tf.keras.losses.MeanSquaredError()
@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        h = encoder(x)
        losses = {"fit": mse(y, head(h)), "size": 0.01 * tf.reduce_mean(tf.square(head(h)))}
        loss = sum(losses.values())
    grads = tape.gradient(loss, head.trainable_variables)  # expect: RL114
    opt.apply_gradients(zip(grads, head.trainable_variables))
""",
    )
    INVALID = INVALID + (
        # A feature-matching loss summed over the pairs of two outputs of a model of the
        # program's own, which no list holds (TF 2.21: after three steps `features` keeps its
        # initial kernel; the generator moves).
        """
import tensorflow as tf
inp = tf.keras.Input((4,))
h = tf.keras.layers.Dense(8)(inp)
features = tf.keras.Model(inp, [h, tf.keras.layers.Dense(8)(h)])
img = tf.keras.Input((4,))
generator = tf.keras.Model(img, tf.keras.layers.Dense(4)(img))
opt = tf.keras.optimizers.Adam()
@tf.function
def train_step(x, target):
    with tf.GradientTape() as tape:
        out = generator(x, training=True)
        loss = tf.add_n([tf.reduce_mean(tf.abs(a - b)) for a, b in zip(features(out), features(target))])
    grads = tape.gradient(loss, generator.trainable_variables)  # expect: RL114
    opt.apply_gradients(zip(grads, generator.trainable_variables))
""",
    )
    INVALID = INVALID + (
        # The Keras 2 recipe's freeze, then a hand-written step over the frozen model.
        """
import tensorflow as tf
import keras
class StyleGAN:
    def __init__(self, latent_dim=16):
        self.latent_dim = latent_dim
        self.generator = keras.Sequential([keras.layers.Dense(32), keras.layers.Dense(4)])
        self.discriminator = keras.Sequential([keras.layers.Dense(32), keras.layers.Dense(1)])
        self.adversarial_model = self.build_adversarial_model()
        self.d_optimizer = keras.optimizers.Adam(2e-4)
        self.g_optimizer = keras.optimizers.Adam(2e-4)
    def build_adversarial_model(self):
        self.discriminator.trainable = False
        z = keras.Input((self.latent_dim,))
        return keras.Model(z, self.discriminator(self.generator(z)))
    def train_step(self, real):
        noise = tf.random.normal([tf.shape(real)[0], self.latent_dim])
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(self.discriminator(self.generator(noise)) - self.discriminator(real))
        grads = tape.gradient(loss, self.discriminator.trainable_variables)  # expect: RL114
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_variables))
        with tf.GradientTape() as tape:
            loss = -tf.reduce_mean(self.discriminator(self.generator(noise)))
        grads = tape.gradient(loss, self.generator.trainable_variables)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))
    def train(self, dataset, epochs):
        for epoch in range(epochs):
            for batch in dataset:
                self.train_step(batch)
if __name__ == "__main__":
    gan = StyleGAN()
    gan.train(dataset, epochs=10)
""",
        # A Keras subclass whose `__init__` freezes the discriminator it is handed, and whose
        # `train_step` (run by `fit`) steps it.
        """
import tensorflow as tf
class GAN(tf.keras.Model):
    def __init__(self, generator, discriminator):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.discriminator.trainable = False
    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
    def train_step(self, real):
        noise = tf.random.normal([tf.shape(real)[0], 8])
        with tf.GradientTape() as tape:
            d_loss = tf.reduce_mean(self.discriminator(self.generator(noise))) - tf.reduce_mean(self.discriminator(real))
        grads = tape.gradient(d_loss, self.discriminator.trainable_variables)  # expect: RL114
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_variables))
        with tf.GradientTape() as tape:
            g_loss = -tf.reduce_mean(self.discriminator(self.generator(noise)))
        grads = tape.gradient(g_loss, self.generator.trainable_variables)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_variables))
        return {"d_loss": d_loss, "g_loss": g_loss}
g = tf.keras.Sequential([tf.keras.layers.Dense(4)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
gan = GAN(g, d)
gan.compile(tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam())
gan.fit(x, epochs=1)
""",
    )

    INVALID = INVALID + (
        # The one step's optimizer wrapped for synchronous replicas when a flag asks: the
        # wrapped Momentum makes the slots and steps the list that leaves the head out.
        """
import sys
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 8])
y = tf.placeholder(tf.int32, [None])
with tf.variable_scope("child"):
    with tf.variable_scope("layer_0"):
        h = tf.nn.relu(tf.matmul(x, tf.get_variable("w", [8, 16])))
    with tf.variable_scope("aux_head"):
        aux_logits = tf.matmul(h, tf.get_variable("w", [16, 10]))
    with tf.variable_scope("fc"):
        logits = tf.matmul(h, tf.get_variable("w", [16, 10]))
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
aux_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=aux_logits))
tf_variables = [v for v in tf.trainable_variables() if "aux_head" not in v.name]  # expect: RL114
grads = tf.gradients(loss + 0.4 * aux_loss, tf_variables)
opt = tf.train.MomentumOptimizer(0.1, 0.9)
if "--sync_replicas" in sys.argv:
    opt = tf.train.SyncReplicasOptimizer(opt, replicas_to_aggregate=2, total_num_replicas=2)
step = opt.apply_gradients(zip(grads, tf_variables), global_step=tf.train.get_or_create_global_step())
""",
        # A GAN's two optimizers, each wrapped for TPU shards when a flag asks: the
        # discriminator's filter still leaves its batch norm out.
        """
import sys
import tensorflow as tf
use_tpu = "--use_tpu" in sys.argv
def generator(z):
    with tf.variable_scope("generator"):
        return tf.layers.dense(z, 2, name="g_out")
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.layers.batch_normalization(tf.layers.dense(x, 8, name="d_h0"), name="bn1")
        return tf.layers.dense(h, 1, name="d_out")
fake = generator(tf.random.normal([8, 4]))
d_real = discriminator(tf.placeholder(tf.float32, [None, 2]))
d_fake = discriminator(fake, reuse=True)
tvars = tf.trainable_variables()
d_vars = [v for v in tvars if "d_" in v.name]  # expect: RL114
g_vars = [v for v in tvars if "g_" in v.name]
def make_optimizer():
    opt = tf.train.AdamOptimizer(1e-4)
    if use_tpu:
        opt = tf.compat.v1.tpu.CrossShardOptimizer(opt)
    return opt
d_step = make_optimizer().minimize(tf.reduce_mean(d_fake - d_real), var_list=d_vars)
g_step = make_optimizer().minimize(-tf.reduce_mean(d_fake), var_list=g_vars)
""",
    )
    VALID = VALID + (
        # The same wrapped steps over whole scopes: every layer of each model trains.
        """
import sys
import tensorflow as tf
use_tpu = "--use_tpu" in sys.argv
def generator(z):
    with tf.variable_scope("generator"):
        return tf.layers.dense(z, 2, name="g_out")
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.layers.batch_normalization(tf.layers.dense(x, 8, name="d_h0"), name="bn1")
        return tf.layers.dense(h, 1, name="d_out")
fake = generator(tf.random.normal([8, 4]))
d_real = discriminator(tf.placeholder(tf.float32, [None, 2]))
d_fake = discriminator(fake, reuse=True)
d_vars = tf.trainable_variables("discriminator/")
g_vars = tf.trainable_variables("generator/")
def make_optimizer():
    opt = tf.train.AdamOptimizer(1e-4)
    if use_tpu:
        opt = tf.compat.v1.tpu.CrossShardOptimizer(opt)
    return opt
d_step = make_optimizer().minimize(tf.reduce_mean(d_fake - d_real), var_list=d_vars)
g_step = make_optimizer().minimize(-tf.reduce_mean(d_fake), var_list=g_vars)
""",
        # The wrapped step over the whole model, head included.
        """
import sys
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 8])
y = tf.placeholder(tf.int32, [None])
with tf.variable_scope("child"):
    with tf.variable_scope("layer_0"):
        h = tf.nn.relu(tf.matmul(x, tf.get_variable("w", [8, 16])))
    with tf.variable_scope("aux_head"):
        aux_logits = tf.matmul(h, tf.get_variable("w", [16, 10]))
    with tf.variable_scope("fc"):
        logits = tf.matmul(h, tf.get_variable("w", [16, 10]))
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
aux_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=aux_logits))
tf_variables = [v for v in tf.trainable_variables() if v.name.startswith("child")]
grads = tf.gradients(loss + 0.4 * aux_loss, tf_variables)
opt = tf.train.MomentumOptimizer(0.1, 0.9)
if "--sync_replicas" in sys.argv:
    opt = tf.train.SyncReplicasOptimizer(opt, replicas_to_aggregate=2, total_num_replicas=2)
step = opt.apply_gradients(zip(grads, tf_variables), global_step=tf.train.get_or_create_global_step())
""",
    )

    INVALID = INVALID + (
        # A trainer's `compile` keeps the variables a setting's pattern names (fine-tuning the
        # decoder), on one arm; the step's gradients are of the whole list, zipped with the kept part.
        """
import json
import tensorflow as tf
class Trainer:
    def __init__(self, config):
        self.config = config
        self._model = None
    def compile(self, model, optimizer):
        self._model, self._optimizer = model, optimizer
        self._train_vars = self._select()
    def _select(self):
        if self.config["var_train_expr"]:
            return [v for v in self._model.trainable_variables if self.config["var_train_expr"] in v.name]
        return self._model.trainable_variables
    def step(self, x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(self._model(x))
        grads = tape.gradient(loss, self._model.trainable_variables)  # expect: RL114
        self._optimizer.apply_gradients(zip(grads, self._train_vars))
model = tf.keras.Sequential([tf.keras.layers.Dense(4, name="encoder"), tf.keras.layers.Dense(2, name="decoder")])
trainer = Trainer(json.load(open("config.json")))
trainer.compile(model, tf.keras.optimizers.Adam())
trainer.step(tf.zeros([2, 3]))
""",
        # The same trainer as a base class: the script's subclass extends `compile` through
        # `super()`, and the step takes its gradients on a mixed-precision arm or a plain one.
        """
import json
import tensorflow as tf
class BaseTrainer:
    def __init__(self, config, mixed):
        self.config, self._mixed = config, mixed
    def compile(self, model, optimizer):
        self._model, self._optimizer = model, optimizer
        if self._mixed:
            self._optimizer = tf.keras.mixed_precision.LossScaleOptimizer(optimizer)
        self._train_vars = [v for v in model.trainable_variables if self.config["train"] in v.name]
    def step(self, x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(self._model(x))
            if self._mixed:
                scaled = self._optimizer.get_scaled_loss(loss)
        if self._mixed:
            grads = self._optimizer.get_unscaled_gradients(tape.gradient(scaled, self._model.trainable_variables))
        else:
            grads = tape.gradient(loss, self._model.trainable_variables)  # expect: RL114
        self._optimizer.apply_gradients(zip(grads, self._train_vars))
class DecoderTrainer(BaseTrainer):
    def compile(self, model, optimizer):
        super().compile(model, optimizer)
        self.mse = tf.keras.losses.MeanSquaredError()
config = json.load(open("config.json"))
trainer = DecoderTrainer(config, config["mixed_precision"])
trainer.compile(tf.keras.Sequential([tf.keras.layers.Dense(4, name="encoder"), tf.keras.layers.Dense(2, name="decoder")]),
                tf.keras.optimizers.Adam())
trainer.step(tf.zeros([2, 3]))
""",
        # The gradients of the encoder's and the decoder's lists, zipped with the decoder's alone.
        """
import tensorflow as tf
enc = tf.keras.Sequential([tf.keras.layers.Dense(4)])
dec = tf.keras.Sequential([tf.keras.layers.Dense(2)])
opt = tf.keras.optimizers.Adam()
@tf.function
def step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(dec(enc(x)))
    grads = tape.gradient(loss, enc.trainable_variables + dec.trainable_variables)  # expect: RL114
    opt.apply_gradients(zip(grads, dec.trainable_variables))
step(tf.zeros([2, 3]))
""",
    )

    VALID = VALID + (
        # A flow makes its weight on first use, in the `except` of a retried `try`: the
        # collection taken after the call holds it (`vi/flow/planar/w`).
        """
import tensorflow as tf
class PlanarFlow(object):
    def __call__(self, z):
        with tf.name_scope("planar"):
            while True:
                try:
                    return z + tf.tanh(tf.matmul(z, self.w))
                except AttributeError:
                    self.w = self.weight([2, 2])
    @staticmethod
    def weight(shape):
        return tf.Variable(tf.truncated_normal(shape, stddev=0.1), name="w")
with tf.variable_scope("vi") as vi:
    x = tf.placeholder(tf.float32, [None, 2])
    with tf.variable_scope("flow"):
        y = PlanarFlow()(x)
    flow_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, vi.name + "/flow")
    step = tf.train.AdamOptimizer().minimize(tf.reduce_sum(y), var_list=flow_vars)
""",
    )

    VALID = VALID + (
        # The kept part is the list the gradients are taken for, and the list they are zipped with.
        """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(4, name="encoder"), tf.keras.layers.Dense(2, name="decoder")])
opt = tf.keras.optimizers.Adam()
train_vars = [v for v in model.trainable_variables if "decoder" in v.name]
@tf.function
def step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x))
    grads = tape.gradient(loss, train_vars)
    opt.apply_gradients(zip(grads, train_vars))
step(tf.zeros([2, 3]))
""",
        # A whole list on both sides; and the first model of a summed list, whose gradients come
        # first: zip pairs them with their own variables and leaves the rest.
        """
import tensorflow as tf
enc = tf.keras.Sequential([tf.keras.layers.Dense(4)])
dec = tf.keras.Sequential([tf.keras.layers.Dense(2)])
opt, enc_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
@tf.function
def step(x):
    with tf.GradientTape(persistent=True) as tape:
        loss = tf.reduce_sum(dec(enc(x)))
    grads = tape.gradient(loss, dec.trainable_variables + enc.trainable_variables)
    opt.apply_gradients(zip(grads, dec.trainable_variables))
    enc_grads = tape.gradient(loss, enc.trainable_variables)
    enc_opt.apply_gradients(zip(enc_grads, enc.trainable_variables))
step(tf.zeros([2, 3]))
""",
        # The first model of the summed list is frozen: its list is empty, and the decoder's
        # gradients are the first ones.
        """
import tensorflow as tf
enc = tf.keras.Sequential([tf.keras.layers.Dense(4)])
dec = tf.keras.Sequential([tf.keras.layers.Dense(2)])
enc.trainable = False
opt = tf.keras.optimizers.Adam()
@tf.function
def step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(dec(enc(x)))
    grads = tape.gradient(loss, enc.trainable_variables + dec.trainable_variables)
    opt.apply_gradients(zip(grads, dec.trainable_variables))
step(tf.zeros([2, 3]))
""",
        # A test that reads no name keeps every variable: the whole list's order is kept.
        """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.Dense(2)])
opt = tf.keras.optimizers.Adam()
@tf.function
def step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, [v for v in model.trainable_variables if v.trainable]))
step(tf.zeros([2, 3]))
""",
        # A filter that is never zipped with the whole list's gradients (a list to log or save).
        """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(4, name="encoder"), tf.keras.layers.Dense(2, name="decoder")])
opt = tf.keras.optimizers.Adam()
kernels = [v for v in model.trainable_variables if "kernel" in v.name]
@tf.function
def step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x)) + 1e-4 * tf.add_n([tf.nn.l2_loss(k) for k in kernels])
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, model.trainable_variables))
step(tf.zeros([2, 3]))
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for sel in ctx.analysis.selections:
            if not sel.used_by:
                if sel.how == "filter" and _by_hand(ctx, sel):
                    yield from self._missed(ctx, sel)
                continue
            if not sel.names and sel.complete and (sel.how != "filter" or _filters_nothing_yet(sel)):
                yield from ctx.report(
                    self, sel.site,
                    "This selection is empty when it runs: no variable matches it yet",
                    related=[ctx.related(u.site, "the empty list is used here") for u in sel.used_by[:1]],
                    help="select the variables after the model is built, and check the scope name",
                )
            elif sel.how == "filter" and not sel.names and sel.complete and sel.available:
                yield from self._matches_nothing(ctx, sel)
            elif sel.how == "filter":
                yield from self._missed(ctx, sel)
        yield from self._untrained(ctx)
        yield from self._crossed(ctx)
        yield from self._part_paired(ctx)
        yield from self._frozen(ctx)

    def _frozen(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        """TF2: a step's gradients taken of `d.trainable_variables` where `d` was frozen
        (`d.trainable = False`) on every path to the read, with no write of its flag since
        (nor of a part's, of a model holding it, of an object not known): Keras makes the list
        from the flag as it is then, and a frozen model's is empty. Only the first run of a
        step is judged: a `tf.function` (and Keras' `train_step`) reads the list when traced,
        and an eager step first run before the freeze may be meant to stop there."""
        analysis = ctx.analysis
        writes = [s for s in analysis.keras_steps if s.kind in _FLAG_WRITES]
        if not any(s.kind == "freeze" and s.value == FALSE for s in writes):
            return
        reads = {id(r.var_list): r for r in analysis.list_reads}
        runs: list = []
        for g in analysis.tape_gradients:
            read = reads.get(id(g.var_list))
            if read is None or read.attr not in _TRAINABLE_LISTS:
                continue
            first = not any(node is g.site.node and r.trace == read.trace and compatible(r, read) for node, r in runs)
            runs.append((g.site.node, read))
            freeze = _frozen_at(analysis, writes, read) if first else None
            if freeze is None:
                continue
            listed = _argument_text(g.site.node, 1, "sources")
            model = ast.unparse(freeze.site.node.value) if isinstance(freeze.site.node, ast.Attribute) else "the model"
            yield from ctx.report(
                self, g.site,
                f"`{listed}` is taken while `{model}` is frozen (`trainable = False`), and a frozen model's "
                "trainable variables are an empty list: this step trains nothing (Keras 3 raises in "
                "apply_gradients, tf_keras applies nothing)",
                related=[ctx.related(freeze.site, f"`{model}` frozen here, and not set back to `True` before the read")],
                help=f"set `{model}.trainable = True` before this step (and back to False after it, if a combined "
                "model is compiled with it frozen)",
            )

    def _crossed(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        """TF2: gradients taken for one model's variables, zipped with another model's."""
        for taken, _paired, site in crossed_pairings(ctx.analysis):
            sources = _argument_text(taken.site.node, 1, "sources")
            applied = _argument_text(site.node, 1, None)
            yield from ctx.report(
                self, taken.site,
                f"These gradients are taken with respect to `{sources}`, but `zip` pairs them with `{applied}`, "
                "another model's variables: each gradient is applied to a variable it is not for, and this step "
                "never trains the variables it applies to on their own gradients",
                related=[ctx.related(site, "the gradients are paired with another model's variables here")],
                help=f"take the gradients with respect to `{applied}` (the variables this step updates)",
            )

    def _part_paired(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        """TF2: gradients of a whole list zipped with a part of it that does not start it."""
        for taken, _paired, site, how in part_pairings(ctx.analysis):
            sources = _argument_text(taken.site.node, 1, "sources")
            applied = _argument_text(site.node, 1, None)
            part = ("the variables a filter keeps of that list" if how == "filter"
                    else "a later part of that list")
            yield from ctx.report(
                self, taken.site,
                f"These gradients are taken with respect to `{sources}`, but `zip` pairs them with `{applied}`, "
                f"{part}: zip pairs by position, so the first gradients of `{sources}` are applied to "
                f"`{applied}`'s variables, and those never get their own",
                related=[ctx.related(site, "the gradients are paired with a part of their list here")],
                help=f"take the gradients with respect to `{applied}` (the variables this step updates)",
            )

    def _untrained(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        """TF2: a model the loss flows through into a listed model, in no list anywhere."""
        for f in tape_findings(ctx.analysis):
            label = ctx.analysis.model_labels.get(id(f.model), "a model")
            if f.kind == "left_out":
                yield from ctx.report(
                    self, f.gradient.site,
                    f"This loss flows through `{label}` into the listed models only, but the list leaves "
                    f"`{label}` out: another step trains it, this one does not",
                    help=f"add `{label}.trainable_variables` to this list (and to apply_gradients), "
                    f"or wrap its output in tf.stop_gradient if this loss is not meant to train it",
                )
                continue
            if f.kind != "untrained":
                continue
            related = []
            if f.paired_at is not None:
                related.append(ctx.related(
                    f.paired_at, f"these gradients are zipped with a longer list that holds `{label}`'s "
                    "variables: zip stops at the shorter one"))
            yield from ctx.report(
                self, f.gradient.site,
                f"This loss flows through `{label}`, whose variables are in no gradient list: no step ever trains it",
                related=related,
                help=f"add `{label}.trainable_variables` to this list (and to apply_gradients), "
                f"or freeze it (`{label}.trainable = False`, tf.stop_gradient) if it is meant to stay fixed",
            )

    def _matches_nothing(self, ctx: RuleContext, sel: Selection) -> Iterable[Diagnostic]:
        """A name filter run over known variables that keeps none of them: the scope it
        looks for was opened outside the graph the model was built in, or is misspelled.
        Only where the empty list itself is what is used (not a part of a longer list)."""
        uses = [u for u in sel.used_by if getattr(getattr(u, "var_list", None), "names", None) == ()]
        # A loop whose body finds nothing fails nowhere; one testing for a layer kind that
        # this configuration leaves out (`'BatchNorm' in v.name`) is no bug. A loop is
        # judged only on a prefix test: the model's own scope, which some variable must carry.
        uses = [u for u in uses if u.method != "loop" or _prefix_test(sel.site.node)]
        if not uses:
            return
        yield from ctx.report(
            self, sel.site,
            f"This name filter matches none of the {len(sel.available)} variables of its graph: the list is empty",
            related=[ctx.related(u.site, "the empty list is used here") for u in uses[:1]],
            help="print the variables' names (tf.trainable_variables()) and filter by what they are",
        )

    def _missed_in_builder(self, ctx: RuleContext, sel: Selection, covered: set[str], missed: set[str]):
        """Variables with no variable scope, made during the same builder call as variables
        of this list (`generator(z)` making `g_w1` and a batch norm's `bn1/beta`), which no
        list takes. The call is one model when it made no variable that another list trains
        (a `build_model()` making both networks is not one)."""
        analysis = ctx.analysis
        selected = [c for n in sel.names if (c := creation_of(analysis, sel.trace, sel.graph, n)) is not None]
        unscoped = [c for c in selected if c.model_scope is None]
        if not unscoped:
            return [], None
        others = [c for n in covered - set(sel.names)
                  if (c := creation_of(analysis, sel.trace, sel.graph, n)) is not None]
        # A list that a Saver restores by scope or name (a pretrained part) is left out on purpose.
        restored = {n for s in analysis.selections if s.how != "all"
                    and any(u.method == "saver" for u in s.used_by) for n in s.names}
        # A variable the list's own loss does not reach (behind tf.stop_gradient) is frozen.
        reached = frozenset().union(*(reached_unscoped(u.loss) for u in sel.used_by + _by_hand(ctx, sel)))
        found, where = [], None
        for n in sel.available:
            if n in covered or n in missed or n in restored or n not in reached:
                continue
            c = creation_of(analysis, sel.trace, sel.graph, n)
            if c is None or not c.trainable or c.model_scope is not None:
                continue
            call = builder_call(c, unscoped)
            if call is None or any(made_during(o, call) for o in others):
                continue
            found.append(n)
            where = where or c.stack[len(call) - 1]
        return found, where

    def _missed(self, ctx: RuleContext, sel: Selection) -> Iterable[Diagnostic]:
        uses = [u for u in ctx.analysis.optimizers
                if (u.trace, u.graph) == (sel.trace, sel.graph) and u.method != "compute_gradients"]
        # A step by hand (`tf.gradients` of a list whose update the code assigns itself, as
        # TRPO's flat gradient and an MPI Adam do) is a step of its own when no other step
        # takes the same variables: the same list's gradients taken again for a KL term, or
        # zipped into `apply_gradients`, is the step already counted.
        for g in ctx.analysis.hand_gradients:
            if (g.trace, g.graph) == (sel.trace, sel.graph) and not any(
                    isinstance(u.var_list, VarList) and set(u.var_list.names) == set(g.var_list.names) for u in uses):
                uses.append(g)
        if not sel.complete or not uses:
            return
        if len(uses) < 2:
            # One optimizer may leave a part out on purpose (a pretrained backbone under the
            # head it fine-tunes): only a head its loss is scored on is no such part.
            if uses[0].method != "gradients":
                yield from self._head_left_out(ctx, sel, uses[0])
            return
        covered: set[str] = set()
        for u in uses:
            if u.var_list is None:
                return  # RL109 speaks about that one; coverage is then everything
            if not isinstance(u.var_list, VarList):
                return  # a list we cannot see: no claim
            covered.update(u.var_list.names)
        models = model_scopes_of(ctx.analysis, sel)
        taking = sel.used_by + _by_hand(ctx, sel)
        reached = frozenset().union(*(reached_models(u.loss) for u in taking))
        missed = [
            n for n in sel.available
            if n not in covered and model_scope_of(ctx.analysis, sel.trace, sel.graph, n) in (models & reached)
        ]
        copy = _copy_call(ctx, sel, missed)
        in_builder, call = self._missed_in_builder(ctx, sel, covered, set(missed))
        missed += in_builder
        if not missed:
            return
        shown = ", ".join(f"`{n}`" for n in missed[:3]) + (", ..." if len(missed) > 3 else "")
        related = [ctx.related(u.site, "the optimizer that takes this list" if u.method != "gradients"
                               else "the gradients of this list are taken here") for u in taking[:1]]
        if call is not None:
            related.append(ctx.related(call, "the builder call that made the variables it misses"))
        elif copy is not None:
            related.append(ctx.related(copy, "the call that made the variables it misses"))
        yield from ctx.report(
            self, sel.site,
            f"This list misses {len(missed)} variable{'s' if len(missed) != 1 else ''} of its model that no optimizer trains: {shown}",
            related=related,
            help="select by scope (tf.trainable_variables(\"<scope>/\")) or make the name filter match every layer",
        )


    def _head_left_out(self, ctx: RuleContext, sel: Selection, use) -> Iterable[Diagnostic]:
        """The graph's one step minimizes a sum (`loss + 0.4 * aux_loss`) and its name filter
        leaves out whole variable scopes of its model that one term is scored on, and that
        another term trains the model without: an auxiliary head, fed by layers the step
        lists, whose own output goes only to the loss. Leaving it out keeps it random while
        its loss shapes the layers under it. A part every term flows through (a frozen
        backbone under the head a step fine-tunes) is never one; nor is a part the other
        term meets only after it (a penalty on the head's weights beside a frozen backbone):
        the shared listed layers must come before the part left out."""
        if use.var_list is None or getattr(use.var_list, "selection", None) is not sel:
            return
        loss = use.loss
        terms = getattr(loss, "terms", frozenset())
        if len(terms) < 2:
            return
        analysis = ctx.analysis
        models = model_scopes_of(analysis, sel) & reached_models(loss)
        restored = {n for s in analysis.selections if s.how != "all"
                    and any(u.method == "saver" for u in s.used_by) for n in s.names}
        listed = [c for n in sel.names if (c := creation_of(analysis, sel.trace, sel.graph, n)) is not None]
        listed_parts = {c.name.rpartition("/")[0] for c in listed}
        first_of: dict[str, int] = {}
        for c in listed:
            part = c.name.rpartition("/")[0]
            first_of[part] = min(first_of.get(part, c.seq), c.seq)
        missed, where = [], None
        for n in sel.available:
            if n in sel.names or n in restored:
                continue
            c = creation_of(analysis, sel.trace, sel.graph, n)
            if c is None or not c.trainable or c.model_scope not in models:
                continue
            part = n.rpartition("/")[0]
            if part in listed_parts:
                continue  # a part of a scope the list takes: a filter on kinds of variable
            scored = [t for t in terms if part in t]
            others = [t for t in terms if part not in t]
            if not scored or not others:
                continue
            # The layers under the head: listed, in both a term that scores the head and one
            # that does not, and made before it.
            if any(first_of.get(p, c.seq) < c.seq for t in scored for o in others for p in t & o):
                missed.append(n)
                where = where or c
        if not missed:
            return
        shown = ", ".join(f"`{n}`" for n in missed[:3]) + (", ..." if len(missed) > 3 else "")
        yield from ctx.report(
            self, sel.site,
            f"This list leaves out {len(missed)} variable{'s' if len(missed) != 1 else ''} of its model that a term "
            f"of the loss is scored on, and no optimizer trains them: {shown}",
            related=[ctx.related(use.site, "the only optimizer of this graph, on a loss that sums that term")],
            help="keep the head's variables in the list: its loss is meant to train it too",
        )


def _frozen_at(analysis, writes: list, read):
    """The freeze (`d.trainable = False`) in force where `read` takes the trainable list of
    the one model `d`: the last write of a flag that can matter to `d` before the read, on a
    path the read can be on, is that freeze, and it was on every path to the read. In a
    function run as an entry, only a freeze within that run counts (what ran before it in
    the program is not known). None otherwise."""
    models = read.var_list.models
    if len(models) != 1 or not isinstance(models[0], KerasObject) or not models[0].model:
        return None
    model = models[0]
    start = analysis.entry_starts.get(read.trace, -1)
    parts = {id(p) for p in model_parts(model)}
    last = None
    for s in writes:
        if s.trace != read.trace or s.seq >= read.seq:
            continue
        # Its own flag, a part's, one of a model holding it (Keras sets its layers'), or
        # an object not known.
        if s.model is None or id(s.model) in parts or any(p is model for p in model_parts(s.model)):
            if compatible(s, read):
                last = s
    if (last is None or last.kind != "freeze" or last.model is not model or last.value != FALSE
            or last.seq <= start or not on_its_path(last, read)):
        return None
    return last


def _by_hand(ctx: RuleContext, sel: Selection) -> list:
    """The `tf.gradients` taken of this very selection."""
    return [g for g in ctx.analysis.hand_gradients if getattr(g.var_list, "selection", None) is sel]


def _copy_call(ctx: RuleContext, sel: Selection, missed: list[str]) -> Site | None:
    """The user call that made the first missed variable and none of the listed ones (a
    discriminator applied again under another outer scope): where the missed copy came from."""
    analysis = ctx.analysis
    first = creation_of(analysis, sel.trace, sel.graph, missed[0]) if missed else None
    if first is None:
        return None
    listed = [c for n in sel.names if (c := creation_of(analysis, sel.trace, sel.graph, n)) is not None]
    shared = len(builder_call(first, listed) or ())
    # The frame past what the list's variables share, when it is a call and not the request.
    return first.stack[shared] if shared < len(first.stack) - 1 else None


def _prefix_test(node) -> bool:
    """`v.name.startswith("vae")`, `re.match("vae/", v.name)`, `"vae/" in v.name`."""
    for sub in ast.walk(node):
        func = getattr(sub, "func", None)
        if isinstance(sub, ast.Call) and isinstance(func, ast.Attribute) and func.attr in ("startswith", "match"):
            return True
        if (isinstance(sub, ast.Compare) and isinstance(sub.left, ast.Constant) and isinstance(sub.left.value, str)
                and sub.left.value.endswith("/") and all(isinstance(op, ast.In) for op in sub.ops)):
            return True
    return False


def _filters_nothing_yet(sel: Selection) -> bool:
    """A name filter over a collection that held no variable when it ran (the list is taken
    before the model is built): empty whatever it tests. Judged only where the list itself is
    trained or saved; a loop over it fails nowhere."""
    return not sel.available and any(getattr(u, "method", None) != "loop" for u in sel.used_by)


def _argument_text(call: ast.AST, position: int, keyword: str | None) -> str:
    """The source of a call's argument (`d.trainable_variables`), for a message."""
    args = getattr(call, "args", [])
    node = args[position] if len(args) > position else next(
        (k.value for k in getattr(call, "keywords", []) if keyword and k.arg == keyword), None)
    try:
        return ast.unparse(node) if node is not None else "the list"
    except (ValueError, TypeError, RecursionError):
        return "the list"
