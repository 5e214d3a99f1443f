from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.rules.base import Rule, RuleContext


class OptimizerSharedByModels(Rule):
    """
    ## What it does
    Finds one Keras optimizer object applied to the variables of two models that share no
    weights: `opt.apply_gradients(zip(g, gen.trainable_variables))` and later
    `opt.apply_gradients(zip(d, disc.trainable_variables))`, or one optimizer given to two
    models' `compile` and stepped through `model.optimizer`.

    ## Why is this bad?
    A Keras optimizer (Keras 3, and tf_keras from TF 2.11 on) makes its slots for the
    variables of its first step and knows no others. The second model's step stops:
    `ValueError: Unknown variable ... This optimizer can only be called for the variables
    it was originally built with` (Keras 3), `KeyError: The optimizer cannot recognize
    variable ...` (tf_keras).

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
    )
    INVALID = (
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
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        first: dict[int, tuple] = {}  # id(optimizer) -> (its first step's models, site)
        reported: set[int] = set()
        for optimizer, var_list, site, _trace in ctx.analysis.keras_optimizer_steps:
            if optimizer.built or "legacy" in optimizer.canon.split(".") or id(optimizer) in reported:
                continue  # legacy optimizers make slots for any variable they meet
            if id(optimizer) not in first:
                first[id(optimizer)] = (var_list.models, site)
                continue
            models, first_site = first[id(optimizer)]
            if _overlap(models, var_list.models):
                continue
            reported.add(id(optimizer))
            name = optimizer.canon.split(".")[-1]
            yield from ctx.report(
                self, site,
                f"this `{name}` optimizer was first applied to other models' variables: a Keras optimizer knows only "
                "the variables of its first step, so TF raises `Unknown variable` (Keras 3) or `The optimizer cannot "
                "recognize variable` (tf_keras) here",
                related=[ctx.related(first_site, "its first step, which fixed its variables"),
                         ctx.related(optimizer.site, "the one optimizer, made here")],
                help="give each model its own optimizer (or `optimizer.build(...)` every list before the first step)",
            )


def _overlap(left: tuple, right: tuple) -> bool:
    """Whether two steps' models may share a weight: one model is the other, or a part of it
    (a combined model built of the generator), or either list's models are unknown."""
    def spread(models: tuple) -> set[int]:
        seen: set[int] = set()
        todo = list(models)
        while todo:
            m = todo.pop()
            if id(m) in seen:
                continue
            seen.add(id(m))
            todo.extend(getattr(m, "parts", ()))
        return seen
    known = all(hasattr(m, "parts") for m in left + right)
    return not known or bool(spread(left) & spread(right))
