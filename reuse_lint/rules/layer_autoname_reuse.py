from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import TRUE, created_before, is_reuse_variables_call
from reuse_lint.rules.base import Rule, RuleContext


class LayerAutonameReuse(Rule):
    """
    ## What it does
    Finds functional layers without `name=` (`tf.layers.dense(x, 64)`) applied again after
    `scope.reuse_variables()` inside the same entry of the `with tf.variable_scope(...)`
    block.

    ## Why is this bad?
    An unnamed layer takes the next free name in its scope: `dense`, `dense_1`, and after
    `reuse_variables()` `dense_2`, which was never created. The reuse looks it up and
    fails: `ValueError: Variable d/dense_2/kernel does not exist, or was not created with
    tf.get_variable()`. Explicit names, or entering the scope again (which restarts the
    counter), share as intended.

    ## Example
    ```python
    with tf.variable_scope("d") as scope:
        a = tf.layers.dense(x, 1)
        scope.reuse_variables()
        b = tf.layers.dense(y, 1)  # looks for d/dense_1
    ```

    Use instead:
    ```python
    with tf.variable_scope("d") as scope:
        a = tf.layers.dense(x, 1, name="out")
        scope.reuse_variables()
        b = tf.layers.dense(y, 1, name="out")
    ```

    ## Fix safety
    No automatic fix: inventing layer names would rename variables and break checkpoints.
    """

    CODE = "RL112"
    NAME = "layer-autoname-reuse"
    VALID = (
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 2])
with tf.variable_scope("d") as scope:
    a = tf.layers.dense(x, 1, name="out")
    scope.reuse_variables()
    b = tf.layers.dense(x, 1, name="out")
""",
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 2])
with tf.variable_scope("d"):
    a = tf.layers.dense(x, 1)
with tf.variable_scope("d", reuse=True):
    b = tf.layers.dense(x, 1)
""",
        # Issue #16: a sampler analysed alone (nothing in view calls it) looks up the
        # unnamed layers that `generator` made; it creates nothing before its reuse.
        """
import tensorflow as tf
class DCGAN(object):
    def generator(self, z):
        with tf.variable_scope("generator"):
            return tf.layers.dense(tf.layers.dense(z, 4), 2)
    def sampler(self, z):
        with tf.variable_scope("generator") as scope:
            scope.reuse_variables()
            return tf.layers.dense(tf.layers.dense(z, 4), 2)
""",
    )
    INVALID = (
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 2])
with tf.variable_scope("d") as scope:
    a = tf.layers.dense(x, 1)
    scope.reuse_variables()
    b = tf.layers.dense(x, 1)  # expect: RL112
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        seen = set()
        for c in autoname_victims(ctx):
            # TF stops at the first missing variable of a scope entry: report that one.
            key = (id(c.frame_entry), id(c.reuse_site.node))
            if key in seen:
                continue
            seen.add(key)
            yield from ctx.report(
                self, c.stack[-1],
                f"This unnamed layer is looked up as `{c.name}`, which was never created: the layer counter kept counting after reuse_variables()",
                related=[ctx.related(c.reuse_site, "reuse is switched on here, inside the same scope entry")],
                help="give each layer an explicit name=, or re-enter the scope with reuse=True",
            )


def autoname_victims(ctx: RuleContext) -> list:
    existed = created_before(ctx.analysis)
    # Scope entries that created something before their reuse_variables(): the counter
    # moved on in view. Without that, only a graph whose whole history is known can say
    # a name was never created (a `sampler()` analysed alone looks up what another
    # method made).
    creating = {id(c.frame_entry) for c in ctx.analysis.creations if c.reuse != TRUE and c.frame_entry is not None}
    return [
        c for c in ctx.analysis.creations
        if c.kind == "layer" and c.auto_named and c.reuse == TRUE and c.name
        and not existed[id(c)] and is_reuse_variables_call(c.reuse_site)
        and ((c.fresh_graph and not c.opaque_before) or id(c.frame_entry) in creating)
    ]
