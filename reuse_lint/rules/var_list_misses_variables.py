from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.events import Selection
from reuse_lint.engine.queries import model_scope_of, model_scopes_of, reached_models, tape_findings
from reuse_lint.engine.values import VarList
from reuse_lint.rules.base import Rule, RuleContext


class VarListMissesVariables(Rule):
    """
    ## What it does
    Finds an optimizer's variable list that leaves out some of its model's variables, so
    that no optimizer ever trains them: typically a name filter such as
    `[v for v in tvars if "d_" in v.name]` while some of the discriminator's layers were
    built under scopes that do not carry the prefix (`discriminator/bn1/`). Also finds a
    selection that matches nothing at all when it runs (the variables are built later, or
    the scope is misspelled).

    ## Why is this bad?
    The missed variables keep their initial values for the whole run: batch-norm scales stay
    1, a layer stays random, and the model trains worse with no error. An empty list fails
    only in `minimize` (`ValueError: No variables to optimize.`); a `Saver` or a copy op
    built on it silently does nothing. The name-filter form was common in DCGAN-style code.

    In TF2 it finds `tape.gradient(loss, generator.trainable_variables)` where the loss also
    flows through a model upstream of the listed one (an encoder, a critic's shared
    encoder) whose variables are in no gradient list at all: that model keeps its random
    weights. It stays silent when the model is frozen (`trainable = False`), detached
    (`tf.stop_gradient`), in another step's list, or has weights that other code loads,
    sets or copies (a target network's polyak update, `load_weights`, `fit`).

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
        # TF2 DCGAN: the discriminator's loss flows through the generator, which its own
        # step trains.
        """
import tensorflow as tf
gen = tf.keras.Sequential([tf.keras.layers.Dense(8)])
disc = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
@tf.function
def train_step(x, z):
    with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
        fake = gen(z)
        g_loss = -tf.reduce_mean(disc(fake))
        d_loss = tf.reduce_mean(disc(fake)) - tf.reduce_mean(disc(x))
    opt.apply_gradients(zip(g_tape.gradient(g_loss, gen.trainable_variables), gen.trainable_variables))
    opt.apply_gradients(zip(d_tape.gradient(d_loss, disc.trainable_variables), disc.trainable_variables))
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
    opt.apply_gradients(zip(tape.gradient(loss, gen.trainable_variables), gen.trainable_variables))
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
    INVALID = (
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
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for sel in ctx.analysis.selections:
            if not sel.used_by:
                continue
            if not sel.names and sel.complete and sel.how != "filter":
                yield from ctx.report(
                    self, sel.site,
                    "This selection is empty when it runs: no variable matches it yet",
                    related=[ctx.related(u.site, "the empty list is used here") for u in sel.used_by[:1]],
                    help="select the variables after the model is built, and check the scope name",
                )
            elif sel.how == "filter":
                yield from self._missed(ctx, sel)
        yield from self._untrained(ctx)

    def _untrained(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        """TF2: a model the loss flows through into a listed model, in no list anywhere."""
        for f in tape_findings(ctx.analysis):
            if f.kind != "untrained":
                continue
            label = ctx.analysis.model_labels.get(id(f.model), "a model")
            yield from ctx.report(
                self, f.gradient.site,
                f"This loss flows through `{label}`, whose variables are in no gradient list: no step ever trains it",
                help=f"add `{label}.trainable_variables` to this list (and to apply_gradients), "
                f"or freeze it (`{label}.trainable = False`, tf.stop_gradient) if it is meant to stay fixed",
            )

    def _missed(self, ctx: RuleContext, sel: Selection) -> Iterable[Diagnostic]:
        uses = [u for u in ctx.analysis.optimizers
                if (u.trace, u.graph) == (sel.trace, sel.graph) and u.method != "compute_gradients"]
        if len(uses) < 2 or not sel.complete:
            return
        covered: set[str] = set()
        for u in uses:
            if u.var_list is None:
                return  # RL109 speaks about that one; coverage is then everything
            if not isinstance(u.var_list, VarList):
                return  # a list we cannot see: no claim
            covered.update(u.var_list.names)
        models = model_scopes_of(ctx.analysis, sel)
        reached = frozenset().union(*(reached_models(u.loss) for u in sel.used_by))
        missed = [
            n for n in sel.available
            if n not in covered and model_scope_of(ctx.analysis, sel.trace, sel.graph, n) in (models & reached)
        ]
        if not missed:
            return
        shown = ", ".join(f"`{n}`" for n in missed[:3]) + (", ..." if len(missed) > 3 else "")
        yield from ctx.report(
            self, sel.site,
            f"This list misses {len(missed)} variable{'s' if len(missed) != 1 else ''} of its model that no optimizer trains: {shown}",
            related=[ctx.related(u.site, "the optimizer that takes this list") for u in sel.used_by[:1]],
            help="select by scope (tf.trainable_variables(\"<scope>/\")) or make the name filter match every layer",
        )
