from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.events import Site
from reuse_lint.rules.base import Rule, RuleContext


class ScopeOutsideGraph(Rule):
    """
    ## What it does
    Finds a `tf.variable_scope` that is opened and then, inside it, a new graph made the
    default (`with tf.Graph().as_default():`), where variables are then created. It reports
    the `variable_scope`, with the graph switch as the related location.

    ## Why is this bad?
    Variable scopes belong to a graph. The new graph starts at its root scope, so the
    prefix never applies: variables meant to be `model/dense/kernel` are `dense/kernel`, a
    checkpoint does not match, and every filter by that prefix
    (`tf.trainable_variables("model/")`) selects nothing.

    ## Example
    ```python
    with tf.variable_scope("model"):
        with tf.Graph().as_default():
            y = tf.layers.dense(x, 1)  # dense/kernel, not model/dense/kernel
    ```

    Use instead:
    ```python
    with tf.Graph().as_default():
        with tf.variable_scope("model"):
            y = tf.layers.dense(x, 1)
    ```

    ## Fix safety
    No automatic fix: swapping the nesting of the two `with` blocks moves code between blocks.
    """

    CODE = "RL116"
    NAME = "scope-outside-graph"
    VALID = (
        """
import tensorflow as tf
with tf.Graph().as_default():
    with tf.variable_scope("model"):
        w = tf.get_variable("w", [1])
""",
    )
    INVALID = (
        """
import tensorflow as tf
with tf.variable_scope("model"):  # expect: RL116
    with tf.Graph().as_default():
        w = tf.get_variable("w", [1])
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for scope, switch, graph, trace in ctx.analysis.graph_switches:
            victim = next((c for c in ctx.analysis.creations if (c.graph, c.trace) == (graph, trace)), None)
            if victim is None or scope.node is None:
                continue
            yield from ctx.report(
                self, Site(scope.path or switch.path, scope.node),
                f"This scope does not apply inside the new graph below: `{victim.name or 'its variables'}` is created at the new graph's root",
                related=[ctx.related(switch, "a new graph becomes the default here"),
                         ctx.related(victim.stack[-1], "created without the scope's prefix")],
                help="make the graph the default first, then open the variable_scope inside it",
            )
