from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import TRUE, created_before
from reuse_lint.rules.base import Rule, RuleContext


class ReuseFalseInherited(Rule):
    """
    ## What it does
    Finds `reuse=False` on a `variable_scope` nested inside a scope that reuses, where
    variables that do not exist yet are then created under it.

    ## Why is this bad?
    Reuse is inherited and `reuse=False` cannot switch it off (TensorFlow treats False as
    "inherit"). Everything under the inner scope is still looked up, and new variables fail
    with `ValueError: Variable outer/inner/w does not exist, or was not created with
    tf.get_variable()`. Code that opens a fresh sub-model inside a reusing tower trips on it.

    ## Example
    ```python
    with tf.variable_scope("model", reuse=True):
        with tf.variable_scope("new_head", reuse=False):
            w = tf.get_variable("w", [10])  # does not exist
    ```

    Use instead:
    ```python
    with tf.variable_scope("model", reuse=True):
        ...
    with tf.variable_scope("model/new_head"):
        w = tf.get_variable("w", [10])
    ```

    ## Fix safety
    No automatic fix: moving the new variables out of the reusing scope restructures the code.
    """

    CODE = "RL110"
    NAME = "reuse-false-inherited"
    VALID = (
        # A method run on its own (an entry point, before its caller) reuses what another
        # method creates (UGATIT's discriminate_fake): its graph's history is unknown, so the
        # lookups under the inherited reuse are not called missing.
        """
import tensorflow.compat.v1 as tf


def fully_connected_with_w(x, reuse=False, scope="linear"):
    with tf.variable_scope(scope, reuse=reuse):
        w = tf.get_variable("kernel", [4, 1])
        return tf.matmul(x, w)


class UGATIT:
    def discriminator(self, x, reuse=False, scope="discriminator"):
        with tf.variable_scope(scope, reuse=reuse):
            return fully_connected_with_w(x, scope="CAM_logit")

    def discriminate_real(self, x):
        return self.discriminator(x, scope="discriminator_A")

    def discriminate_fake(self, x):
        return self.discriminator(x, reuse=True, scope="discriminator_A")

    def build_model(self):
        x = tf.zeros([2, 4])
        return self.discriminate_real(x), self.discriminate_fake(x * 2.0)
""",
        """
import tensorflow as tf
with tf.variable_scope("model"):
    with tf.variable_scope("head", reuse=False):
        w = tf.get_variable("w", [1])
with tf.variable_scope("model", reuse=True):
    with tf.variable_scope("head", reuse=False):
        w = tf.get_variable("w", [1])
""",
    )
    INVALID = (
        """
import tensorflow as tf
with tf.variable_scope("model"):
    v = tf.get_variable("v", [1])
with tf.variable_scope("model", reuse=True):
    v = tf.get_variable("v", [1])
    with tf.variable_scope("head", reuse=False):  # expect: RL110
        w = tf.get_variable("w", [1])
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        existed = created_before(ctx.analysis)
        for event in ctx.analysis.reuse_false:
            node = event.scope.node
            victim = next(
                (c for c in ctx.analysis.creations
                 # Only in a graph whose history is known: an entry point's graph may hold
                 # what a caller the linter cannot see created before.
                 # (a get-or-create's caught lookup is the program's own test: not a victim)
                 if c.reuse == TRUE and c.name and c.fresh_graph and not existed[id(c)] and not c.caught
                 and any(n is node for n in c.scope_nodes)),
                None,
            )
            if victim is None:
                continue
            related = [ctx.related(victim.stack[-1], f"`Variable {victim.name} does not exist`: created here under inherited reuse")]
            if event.outer is not None:
                related.insert(0, ctx.related(event.outer, "reuse is switched on here, and inherited"))
            yield from ctx.report(
                self, event.site,
                "reuse=False does not switch off the reuse inherited from the enclosing scope",
                related=related,
                help="open the new variables' scope outside the reusing scope (an absolute scope name works)",
            )


def reuse_false_victims(ctx: RuleContext) -> set[int]:
    """Creations that RL110 explains (so RL102 does not report them again)."""
    nodes = {id(e.scope.node) for e in ctx.analysis.reuse_false}
    return {id(c) for c in ctx.analysis.creations if any(id(n) in nodes for n in c.scope_nodes)}
