from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import graph_models, reached_models
from reuse_lint.rules.base import Rule, RuleContext


class MinimizeWithoutVarList(Rule):
    """
    ## What it does
    Finds `optimizer.minimize(loss)` or `optimizer.compute_gradients(loss)` without
    `var_list` where the loss reaches the trainable variables of two or more models (model
    = top-level variable scope). It stays silent where the other model's output reaches the
    loss only through `tf.stop_gradient`, a placeholder or a `trainable=False` target
    network, as in DQN and PPO.

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
    """

    CODE = "RL109"
    NAME = "minimize-without-var-list"
    VALID = (
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
    INVALID = (
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
g_step = tf.train.AdamOptimizer().minimize(g_loss)  # expect: RL109
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for use in ctx.analysis.optimizers:
            if use.method == "apply_gradients" or use.var_list is not None:
                continue
            reached = reached_models(use.loss) & graph_models(ctx.analysis, use)
            if len(reached) < 2:
                continue
            names = ", ".join(f"`{m}/`" for m in sorted(reached))
            yield from ctx.report(
                self, use.site,
                f"`{use.method}` without var_list trains every model its loss reaches: {names}",
                help="pass var_list with this model's own variables, e.g. tf.trainable_variables(\"<scope>/\")",
            )
