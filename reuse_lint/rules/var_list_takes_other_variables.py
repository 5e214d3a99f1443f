from __future__ import annotations

import ast
import re
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic, Edit, Fix
from reuse_lint.engine.events import Selection
from reuse_lint.engine.queries import tape_findings, wrongly_trained
from reuse_lint.engine.queries import creation_of
from reuse_lint.rules.base import Rule, RuleContext, char_column


class VarListTakesOtherVariables(Rule):
    """
    ## What it does
    Finds a selection of variables that also takes another model's variables:
    `tf.get_collection(..., scope="disc")`, `tf.trainable_variables("disc")` or
    `tf.global_variables(scope)` where the scope string is also a prefix of another scope
    (`"disc"` matches `disc_aux/`, `"worker_1"` matches `worker_10/`, `"resnet50"` matches
    `resnet50_1/`), and `tf.trainable_variables()` with no scope used as one model's
    `var_list` when another step trains some of those variables as its own, and the
    `as scope` object of a finished `with variable_scope(...)` block used to select the
    variables of a later scope (a target network whose "own" list is the online
    network's). It reports the scope argument. In TF2 it finds a `tape.gradient` whose list
    takes a model that ran only before the `GradientTape` opened (outside its `with`
    block): the tape never saw it, so its gradients are None; it reports the gradient.

    ## Why is this bad?
    TensorFlow selects by `re.match(scope, variable.name)`, a prefix test, so `"disc"`
    silently takes `disc_aux/...` too. The discriminator's optimizer then also trains the
    auxiliary network, a `Saver` saves the wrong model, a target-network copy assigns the
    wrong weights, and nothing fails. In TF2 a model applied outside the tape gets None
    gradients: TF warns "Gradients do not exist for variables", and `apply_gradients`
    raises "No gradients provided for any variable" when all are None. In the reference GAN's `prefix-var-list` variant,
    `scope="g"` also takes `global_discriminator/`: every generator step also trains the
    discriminator to call the fakes real, and the generator covers no mode at all.

    ## Example
    ```python
    d_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="disc")
    ```

    Use instead:
    ```python
    d_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="disc/")
    ```

    ## Fix safety
    Adding the trailing `/` to a literal scope string is safe: the selection keeps exactly
    the variables under that scope and drops the others it took by accident. Other forms
    (a scope held in a variable, an unscoped list) have no automatic fix.
    """

    CODE = "RL108"
    NAME = "var-list-takes-other-variables"
    FIXABLE = True
    VALID = (
        # A finished block's scope selected from a scope that only applies weights made
        # earlier: the list is exactly that network's.
        """
import tensorflow.compat.v1 as tf
with tf.variable_scope("params"):
    with tf.variable_scope("enc") as enc_scope:
        w_enc = tf.get_variable("w", [4, 4])
    with tf.variable_scope("dec") as dec_scope:
        w_dec = tf.get_variable("w", [4, 4])
x = tf.zeros([2, 4])
with tf.variable_scope("forward"):
    loss = tf.reduce_mean(tf.matmul(tf.matmul(x, w_enc), w_dec))
with tf.variable_scope("backward"):
    dec_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, dec_scope.name)
    enc_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, enc_scope.name)
""",
        # A model built inside `train/` saves `train/params/`, a finished block's scope that
        # its constructor filled: the scope is below the one being built, so it is its own
        # (a VQ-VAE's training script and model class, in two modules).
        """
import tensorflow.compat.v1 as tf


class VQVAE:
    def __init__(self, x, param_scope):
        with tf.variable_scope(param_scope):
            w = tf.get_variable("w", [4, 4])
        with tf.variable_scope("forward"):
            self.loss = tf.reduce_mean(tf.matmul(x, w))
        save_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, param_scope.name)
        self.saver = tf.train.Saver(var_list=save_vars)


with tf.variable_scope("train"):
    with tf.variable_scope("params") as params:
        pass
    net = VQVAE(tf.zeros([2, 4]), params)
""",
        """
import tensorflow as tf
with tf.variable_scope("disc"):
    w = tf.get_variable("w", [1])
with tf.variable_scope("disc_aux"):
    a = tf.get_variable("a", [1])
d_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="disc/")
""",
        # Each worker selects its scope while the loop builds it: worker_10/ is not there yet.
        """
import tensorflow as tf
for i in range(12):
    with tf.variable_scope("worker_{}".format(i)):
        out = tf.layers.dense(tf.zeros([1, 2]), 1)
    local_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, "worker_{}".format(i))
""",
        # Ten workers: no other worker's name starts with worker_1.
        """
import tensorflow as tf
for i in range(10):
    with tf.variable_scope("worker_{}".format(i)):
        out = tf.layers.dense(tf.zeros([1, 2]), 1)
for i in range(10):
    local_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, "worker_{}".format(i))
""",
        # A prefix that is no scope of its own gathers several scopes on purpose.
        """
import tensorflow as tf
for name in ["tower_0", "tower_1"]:
    with tf.variable_scope(name):
        w = tf.get_variable("w", [1])
tower_vars = tf.trainable_variables("tower")
""",
    )
    VALID = VALID + (
        # TF2: a persistent tape records both models; each gradient takes its own.
        """
import tensorflow as tf
gen = tf.keras.Sequential([tf.keras.layers.Dense(8)])
disc = tf.keras.Sequential([tf.keras.layers.Dense(1)])
g_opt, d_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
def step(z, x):
    with tf.GradientTape(persistent=True) as tape:
        fake = gen(z)
        g_loss = -tf.reduce_mean(disc(fake))
        d_loss = tf.reduce_mean(disc(fake)) - tf.reduce_mean(disc(x))
    g_opt.apply_gradients(zip(tape.gradient(g_loss, gen.trainable_variables), gen.trainable_variables))
    d_opt.apply_gradients(zip(tape.gradient(d_loss, disc.trainable_variables), disc.trainable_variables))
""",
    )
    VALID = VALID + (
        # TF2: a helper we cannot see runs inside the tape; it may apply the generator again.
        """
import tensorflow as tf
from losses import adversarial_loss
gen = tf.keras.Sequential([tf.keras.layers.Dense(8)])
disc = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
def step(z):
    fake = gen(z)
    with tf.GradientTape() as tape:
        loss = adversarial_loss(gen, disc, z) + tf.reduce_mean(disc(fake))
    grads = tape.gradient(loss, gen.trainable_variables)
    opt.apply_gradients(zip(grads, gen.trainable_variables))
""",
    )
    VALID = VALID + (
        # A seq2seq model's one hand-built step over every variable: there is no other model.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 4])
with tf.variable_scope("encoder"):
    h = tf.layers.dense(x, 8)
with tf.variable_scope("decoder"):
    y = tf.layers.dense(h, 4)
loss = tf.reduce_mean(tf.square(x - y))
tvars = tf.trainable_variables()
grads, _ = tf.clip_by_global_norm(tf.gradients(loss, tvars), 5.0)
train_step = tf.train.AdamOptimizer().apply_gradients(zip(grads, tvars))
""",
    )
    VALID = VALID + (
        # Networks from a config's builder: a `train` block selects the finished `model`
        # scope to take its gradients; it builds no copy of the model (no common builder).
        """
import tensorflow as tf
from netlib import builders
class Network(object):
    def __init__(self, builder, x):
        self.out = builder(x)
def loss_of(net):
    return tf.reduce_mean(net.out)
def build(config):
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("model") as scope:
        net = Network(builders[config], x)
    with tf.variable_scope("train"):
        params = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope=scope.name)
        grads = tf.gradients(loss_of(net), params)
    return grads
""",
    )
    VALID = VALID + (
        # Round 10 (an AC-GAN): D and G each have their own step, and the auxiliary class
        # loss, a head on D's features applied to real and fake images, is meant to train
        # every network: the head has no other step and no other loss runs through it.
        """
import tensorflow as tf
def gen(z, labels):
    with tf.variable_scope("gen", reuse=tf.AUTO_REUSE):
        return tf.layers.dense(tf.concat([z, labels], 1), 6, name="out")
def disc(images):
    with tf.variable_scope("disc", reuse=tf.AUTO_REUSE):
        features = tf.layers.dense(images, 8, activation=tf.nn.relu, name="features")
        return tf.layers.dense(features, 1, name="logit"), features
def class_head(features):
    with tf.variable_scope("aux", reuse=tf.AUTO_REUSE):
        return tf.layers.dense(features, 3, name="classes")
class Model(object):
    def __init__(self):
        self.images = tf.placeholder(tf.float32, [None, 6])
        self.labels = tf.placeholder(tf.float32, [None, 3])
        fakes = gen(tf.random.uniform([16, 4]), self.labels)
        real_logit, real_features = disc(self.images)
        fake_logit, fake_features = disc(fakes)
        xent = tf.nn.softmax_cross_entropy_with_logits
        d_loss = tf.reduce_mean(tf.nn.softplus(fake_logit) + tf.nn.softplus(-real_logit))
        g_loss = tf.reduce_mean(tf.nn.softplus(-fake_logit))
        aux_loss = tf.reduce_mean(xent(labels=self.labels, logits=class_head(real_features))) + \
            tf.reduce_mean(xent(labels=self.labels, logits=class_head(fake_features)))
        all_vars = tf.trainable_variables()
        d_vars = [v for v in all_vars if v.name.startswith("disc/")]
        g_vars = [v for v in all_vars if v.name.startswith("gen/")]
        optimizer = tf.train.AdamOptimizer(2e-4, beta1=0.5)
        self.d_step = optimizer.minimize(d_loss, var_list=d_vars)
        self.g_step = optimizer.minimize(g_loss, var_list=g_vars)
        self.aux_step = optimizer.minimize(aux_loss, var_list=all_vars)
Model()
""",
    )
    INVALID = (
        # TF2: the generator ran before the tape opened.
        """
import tensorflow as tf
gen = tf.keras.Sequential([tf.keras.layers.Dense(8)])
disc = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
def step(z):
    fake = gen(z)
    with tf.GradientTape() as tape:
        loss = -tf.reduce_mean(disc(fake))
    grads = tape.gradient(loss, gen.trainable_variables)  # expect: RL108
    opt.apply_gradients(zip(grads, gen.trainable_variables))
""",
    )
    INVALID = INVALID + (
        # Sixteen workers built by a loop, then selected by name: worker_1 takes worker_10/...
        """
import tensorflow as tf
for i in range(16):
    with tf.variable_scope("worker_{}".format(i)):
        out = tf.layers.dense(tf.zeros([1, 2]), 1)
for i in range(16):
    local_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, "worker_{}".format(i))  # expect: RL108
""",
        # Each network object keeps every trainable variable built so far as its own: the
        # discriminators' list also takes the generator.
        """
import tensorflow as tf
class Net:
    def __init__(self, name):
        self.name = name
    def __call__(self, x):
        with tf.variable_scope(self.name):
            out = tf.layers.dense(x, 1)
        self.variables = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)  # expect: RL108
        return out
G, D_X, D_Y = Net("G"), Net("D_X"), Net("D_Y")
x = tf.placeholder(tf.float32, [None, 1])
fake = G(x)
d_loss = tf.reduce_mean(D_X(tf.concat([x, fake], 0))) + tf.reduce_mean(D_Y(fake))
g_step = tf.train.AdamOptimizer().minimize(-d_loss, var_list=G.variables)
d_step = tf.train.AdamOptimizer().minimize(d_loss, var_list=D_X.variables + D_Y.variables)
""",
        """
import tensorflow as tf
s = tf.placeholder(tf.float32, [None, 3])
with tf.variable_scope("online") as scope:
    q = tf.layers.dense(s, 2)
    online_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope=scope.name)
with tf.variable_scope("target"):
    q_target = tf.layers.dense(s, 2)
    target_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope=scope.name)  # expect: RL108
""",
        """
import tensorflow as tf
with tf.variable_scope("disc"):
    w = tf.get_variable("w", [1])
with tf.variable_scope("disc_aux"):
    a = tf.get_variable("a", [1])
d_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="disc")  # expect: RL108
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
d_real = d(tf.placeholder(tf.float32, [None, 2]))
d_fake = d(fake, reuse=True)
d_loss = tf.reduce_mean(d_fake - d_real)
g_loss = -tf.reduce_mean(d_fake)
d_vars = tf.trainable_variables()  # expect: RL108
d_step = tf.train.AdamOptimizer().minimize(d_loss, var_list=d_vars)
g_step = tf.train.AdamOptimizer().minimize(g_loss, var_list=tf.trainable_variables("generator/"))
""",
    )

    INVALID = INVALID + (
        # Networks from a config's builder (unseen): the target block builds the same
        # network class as the finished `training` block, then selects with its scope.
        """
import tensorflow as tf
from netlib import get_builder
class Network(object):
    def __init__(self, builder, x):
        self.out = builder(x)
class QModel(object):
    def __init__(self, config):
        builder = get_builder(config)
        with tf.variable_scope("training") as scope:
            self.net = Network(builder, tf.placeholder(tf.float32, [None, 3]))
            self.train_vars = tf.contrib.framework.get_variables(scope=scope)
        with tf.variable_scope("target"):
            self.target_net = Network(builder, tf.placeholder(tf.float32, [None, 3]))
            self.target_vars = tf.contrib.framework.get_variables(scope=scope)  # expect: RL108
        self.sync = [t.assign(s) for s, t in zip(self.train_vars, self.target_vars)]
""",
    )

    INVALID = INVALID + (
        # The discriminator's step built by hand over every variable also trains the generator.
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
d_vars = tf.trainable_variables()  # expect: RL108
d_grads, _ = tf.clip_by_global_norm(tf.gradients(tf.reduce_mean(d_fake - d_real), d_vars), 5.0)
d_step = tf.train.AdamOptimizer().apply_gradients(zip(d_grads, d_vars))
g_vars = tf.trainable_variables("generator/")
g_step = tf.train.AdamOptimizer().apply_gradients(zip(tf.gradients(-tf.reduce_mean(d_fake), g_vars), g_vars))
""",
    )

    INVALID = INVALID + (
        # A VAE-GAN's encoder step over every variable: the encoder is no head of its own
        # objective (the decoder's loss runs through it too), so this step trains D and G
        # on the encoder's loss.
        """
import tensorflow as tf
def encoder(x):
    with tf.variable_scope("enc"):
        return tf.layers.dense(x, 4)
def decoder(z, reuse=False):
    with tf.variable_scope("dec", reuse=reuse):
        return tf.layers.dense(z, 6)
def critic(x, reuse=False):
    with tf.variable_scope("critic", reuse=reuse):
        h = tf.layers.dense(x, 8, name="h")
        return tf.layers.dense(h, 1, name="out"), h
x = tf.placeholder(tf.float32, [None, 6])
z = encoder(x)
rebuilt = decoder(z)
sampled = decoder(tf.random.normal([16, 4]), reuse=True)
real_logit, real_h = critic(x)
fake_logit, fake_h = critic(rebuilt, reuse=True)
sample_logit, _ = critic(sampled, reuse=True)
feature_loss = tf.reduce_mean(tf.square(real_h - fake_h))
d_loss = tf.reduce_mean(fake_logit + sample_logit - 2 * real_logit)
g_loss = feature_loss - tf.reduce_mean(fake_logit + sample_logit)
e_loss = feature_loss + tf.reduce_mean(tf.square(z))
d_step = tf.train.AdamOptimizer().minimize(d_loss, var_list=tf.trainable_variables("critic/"))
g_step = tf.train.AdamOptimizer().minimize(g_loss, var_list=tf.trainable_variables("dec/"))
e_vars = tf.trainable_variables()  # expect: RL108
e_step = tf.train.AdamOptimizer().minimize(e_loss, var_list=e_vars)
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for sel in ctx.analysis.selections:
            if sel.how == "scope" and sel.stale is not None:
                yield from self._stale_scope(ctx, sel)
            elif sel.how == "scope":
                yield from self._prefix_clash(ctx, sel)
                yield from self._later_loop_copies(ctx, sel)
            elif sel.how == "all":
                yield from self._everything(ctx, sel)
        yield from self._untaped(ctx)

    def _untaped(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        """TF2: a listed model the tape never saw applied."""
        for f in tape_findings(ctx.analysis):
            if f.kind != "untaped":
                continue
            label = ctx.analysis.model_labels.get(id(f.model), "a model")
            yield from ctx.report(
                self, f.gradient.site,
                f"This list takes `{label}`'s variables, but `{label}` ran outside the GradientTape: "
                "their gradients are None (apply_gradients raises when all are)",
                help=f"call `{label}` inside the `with tf.GradientTape()` block",
            )

    def _prefix_clash(self, ctx: RuleContext, sel: Selection) -> Iterable[Diagnostic]:
        pattern = sel.pattern or ""
        if pattern.endswith("/") or not pattern:
            return
        own = [n for n in sel.names if n.startswith(pattern + "/")]
        others = [n for n in sel.names if not n.startswith(pattern + "/")]
        if not own or not others or _only_unique_copies(ctx, pattern, others):
            return
        # The scope the prefix ran into: as many levels as the pattern has, plus the clash.
        depth = pattern.count("/") + 1
        other_scope = "/".join(others[0].split("/")[:depth])
        yield from ctx.report(
            self, sel.site,
            f"Scope `{pattern}` also selects `{other_scope}/` (`{others[0]}`): TensorFlow matches the scope as a prefix",
            related=[],
            help=f"end the scope with a slash: \"{pattern}/\"",
            fix=self._fix(ctx, sel),
        )

    def _later_loop_copies(self, ctx: RuleContext, sel: Selection) -> Iterable[Diagnostic]:
        """`scope="worker_1"` after a loop of known length made `worker_0` ... `worker_11`:
        the interpreter follows a loop's first iterations only, so `worker_10/` is not among
        the variables it saw, but the loop makes it before the selection runs."""
        pattern = sel.pattern or ""
        digits = re.search(r"\d+$", pattern)
        if digits is None or not sel.complete or not sel.names:
            return
        if any(not n.startswith(pattern + "/") for n in sel.names):
            return  # a clash already seen: _prefix_clash reports it
        base, index = pattern[:digits.start()], int(digits.group())
        if digits.group() != str(index):
            return  # `worker_01`: zero-padded names do not run into each other
        own = creation_of(ctx.analysis, sel.trace, sel.graph, sel.names[0])
        inside = {loop for loop, _ in sel.loops}
        for loop, iteration in own.loops if own is not None else ():
            length = ctx.analysis.loop_lengths.get(loop)
            if length is None or loop in inside:
                continue
            offset = index - iteration
            if not _named_by_iteration(ctx, sel, loop, base, offset):
                continue
            later = [f"{base}{k + offset}" for k in range(length) if k + offset != index
                     and str(k + offset).startswith(str(index))]
            if not later:
                continue
            shown = ", ".join(f"`{n}/`" for n in later[:3]) + (", ..." if len(later) > 3 else "")
            yield from ctx.report(
                self, sel.site,
                f"Scope `{pattern}` also selects {shown}: the loop makes {length} such scopes before this runs, and TensorFlow matches the scope as a prefix",
                related=[ctx.related(ctx.analysis.loops[loop], "the loop that names the scopes")],
                help=f"end the scope with a slash: \"{pattern}/\"",
                fix=self._fix(ctx, sel),
            )
            return

    def _stale_scope(self, ctx: RuleContext, sel: Selection) -> Iterable[Diagnostic]:
        scope_site, building = sel.stale
        yield from ctx.report(
            self, sel.site,
            f"This selects `{sel.pattern}/`, the scope of a finished `with` block, while `{building}/` is being built: its list is the other network's",
            related=[ctx.related(scope_site, f"`{sel.pattern}` is the scope bound here")],
            help=f"select by the scope being built: tf.get_variable_scope().name or \"{building}/\"",
        )

    def _everything(self, ctx: RuleContext, sel: Selection) -> Iterable[Diagnostic]:
        for use in sel.used_by:
            wrong = (wrongly_trained(ctx.analysis, use) if use.method != "apply_gradients" or use.by_hand
                     else frozenset())
            if not wrong:
                continue
            names = ", ".join(sorted(f"`{m}/`" for m in wrong))
            yield from ctx.report(
                self, sel.site,
                f"Every trainable variable is this optimizer's list, so its step also trains {names}, which another step trains as its own",
                related=[ctx.related(use.site, "the optimizer that takes this list")],
                help="select this model's own variables: tf.trainable_variables(\"<scope>/\")",
            )
            return

    def _fix(self, ctx: RuleContext, sel: Selection) -> Fix | None:
        node = sel.site.node
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or node.lineno != node.end_lineno:
            return None
        line = ctx.lines(sel.site.path)[node.lineno - 1]
        raw = line.encode("utf-8")[node.col_offset:node.end_col_offset].decode("utf-8")
        quote = raw[-1]
        if quote not in "'\"" or raw.endswith(quote * 3) or raw[:1].lower() in "fb":
            return None
        column = char_column(line, node.end_col_offset) - 1
        return Fix("end the scope with `/`", (Edit(node.lineno, column, node.lineno, column, "/"),), safe=True)


def _named_by_iteration(ctx: RuleContext, sel: Selection, loop: int, base: str, offset: int) -> bool:
    """Did each iteration of `loop` that the interpreter followed make variables under
    `base` + (its iteration + offset), and at least two of them?"""
    seen: set[int] = set()
    for c in ctx.analysis.creations:
        if (c.trace, c.graph) != (sel.trace, sel.graph) or c.name is None:
            continue
        iteration = dict(c.loops).get(loop)
        if iteration is not None and c.name.startswith(f"{base}{iteration + offset}/"):
            seen.add(iteration)
    return len(seen) >= 2


def _only_unique_copies(ctx: RuleContext, pattern: str, others: list[str]) -> bool:
    """The other scopes are `pattern_1/`... that a default-name scope made: RL105 names that
    cause, and fixing it removes these variables from the selection too."""
    copies = {b.name for b in ctx.analysis.builds if b.kind == "default_scope" and b.name}
    return all(n.split("/")[0] in copies and n.split("/")[0].startswith(pattern + "_") for n in others)
