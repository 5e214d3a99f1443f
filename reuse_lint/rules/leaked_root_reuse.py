from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import TRUE, created_before
from reuse_lint.rules.base import Rule, RuleContext


class LeakedRootReuse(Rule):
    """
    ## What it does
    Finds `tf.get_variable_scope().reuse_variables()` called on the root scope (outside a
    `with tf.variable_scope(...)` of its own) when something is created after it in the same
    graph: optimizer slots, moving averages, batch-norm statistics, another builder's
    variables. It reports the call, with that later creation as the related location.

    ## Why is this bad?
    Reuse on the root scope never ends: every later `get_variable` in the graph only looks
    variables up. Adam's slots then fail with `ValueError: Variable
    discriminator/dense/kernel/Adam/ does not exist, or was not created with
    tf.get_variable()`, far from the line that caused it; an `ExponentialMovingAverage`
    fails the same way (`.../ExponentialMovingAverage/ does not exist`). It is a classic of
    GAN code that switches the discriminator to reuse this way. A leak with nothing created
    after it (a function that builds and ends) is harmless and not reported.

    ## Example
    ```python
    d_real = discriminator(real)
    tf.get_variable_scope().reuse_variables()
    d_fake = discriminator(fake)
    train = tf.train.AdamOptimizer().minimize(loss)  # Adam/ does not exist
    ```

    Use instead:
    ```python
    d_real = discriminator(real)
    d_fake = discriminator(fake, reuse=True)
    train = tf.train.AdamOptimizer().minimize(loss)
    ```

    ## Fix safety
    No automatic fix: the right place for `reuse=True` (which later call should share) cannot be inferred safely.
    """

    CODE = "RL107"
    NAME = "leaked-root-reuse"
    VALID = (
        # The optimizer's slots were made before the leak.
        """
import tensorflow as tf
w = tf.get_variable("w", [3, 4])
train = tf.train.AdamOptimizer().minimize(tf.reduce_sum(w))
tf.get_variable_scope().reuse_variables()
""",
        """
import tensorflow as tf
with tf.variable_scope(tf.get_variable_scope()):
    for i in range(2):
        w = tf.get_variable("w", [1])
        tf.get_variable_scope().reuse_variables()
loss = tf.reduce_sum(w)
train = tf.train.AdamOptimizer().minimize(loss)
""",
        # Nothing is created after the leak.
        """
import tensorflow as tf
w = tf.get_variable("w", [1])
tf.get_variable_scope().reuse_variables()
w2 = tf.get_variable("w", [1])
""",
        # Issue #16: a sampler analysed alone reuses at the scope its caller opened and
        # looks up what another method made: no "does not exist" claim without a history.
        """
import tensorflow as tf
class Model(object):
    def generator(self, z):
        return tf.layers.dense(z, 4, name="g1")
    def sampler(self, z):
        tf.get_variable_scope().reuse_variables()
        return tf.layers.dense(z, 4, name="g1")
""",
    )
    INVALID = (
        """
import tensorflow as tf
def discriminator(x):
    with tf.variable_scope("d"):
        return tf.layers.dense(x, 1)
real = tf.placeholder(tf.float32, [None, 2])
d_real = discriminator(real)
tf.get_variable_scope().reuse_variables()  # expect: RL107
d_fake = discriminator(tf.random.normal([8, 2]))
loss = tf.reduce_mean(d_real - d_fake)
train = tf.train.AdamOptimizer(1e-3).minimize(loss)
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        existed = created_before(ctx.analysis)
        for leak in ctx.analysis.leaks:
            victim = self._first_victim(ctx, leak, existed)
            if victim is None:
                continue
            site, what = victim
            yield from ctx.report(
                self, leak.site,
                f"Reuse is switched on for the whole graph here and never off: {what}",
                related=[ctx.related(site, "created here under the leaked reuse")],
                help="pass reuse=True to the builder call instead, or call reuse_variables() inside a `with tf.variable_scope(...)` block",
            )

    def _first_victim(self, ctx: RuleContext, leak, existed):
        candidates = []
        for c in ctx.analysis.creations:
            if c.seq < leak.seq or (c.trace, c.graph) != (leak.trace, leak.graph):
                continue
            # "does not exist" needs the graph's whole history: an entry point analysed
            # alone (a `sampler()`) may look up what another method made before it.
            if (c.reuse == TRUE and c.name is not None and c.reuse_site is leak.site and not existed[id(c)]
                    and c.fresh_graph and not c.opaque_before):
                candidates.append((c.seq, c.stack[-1], f"`Variable {c.name} does not exist`"))
                break
        for graph, trace, seq, site, what in ctx.analysis.slot_creations:
            if (graph, trace) == (leak.graph, leak.trace) and seq > leak.seq:
                kind = what.split(".")[-1].replace("Optimizer", "")
                candidates.append((seq, site, f"the `{kind}` variables it creates will fail with `Variable .../{kind}/ does not exist`"))
                break
        if not candidates:
            return None
        _, site, what = min(candidates, key=lambda t: t[0])
        return site, what
