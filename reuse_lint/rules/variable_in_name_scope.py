from __future__ import annotations

from typing import Iterable

import ast

from reuse_lint.diagnostics import Diagnostic, Edit, Fix
from reuse_lint.engine.queries import Clash, clashes
from reuse_lint.rules.base import Rule, RuleContext


class VariableInNameScope(Rule):
    """
    ## What it does
    Finds a variable created twice in one graph where the two creations sit under different
    `tf.name_scope`s but the same variable scope: `get_variable` (or a layer with an
    explicit name) inside `name_scope` alone.

    ## Why is this bad?
    `tf.name_scope` prefixes the names of operations, not of variables made by
    `get_variable`. Code that relies on `name_scope("tower_1")` to keep two copies apart
    gets `ValueError: Variable w already exists, disallowed.` on the second one; if it meant
    the copies to be shared, it needed `reuse`.

    ## Example
    ```python
    with tf.name_scope("encoder"):
        w = tf.get_variable("w", [10, 10])
    with tf.name_scope("decoder"):
        w = tf.get_variable("w", [10, 10])  # also named `w`
    ```

    Use instead:
    ```python
    with tf.variable_scope("encoder"):
        w = tf.get_variable("w", [10, 10])
    with tf.variable_scope("decoder"):
        w = tf.get_variable("w", [10, 10])
    ```

    ## Fix safety
    The fix turns the two `tf.name_scope`s that differ into `tf.variable_scope`s, which
    gives the variables different names and removes the clash. It is unsafe: if the two
    creations were meant to share one variable, the fix makes two; and the variables' names
    change, so existing checkpoints no longer match.
    """

    CODE = "RL104"
    NAME = "variable-in-name-scope"
    FIXABLE = True
    VALID = (
        """
import tensorflow as tf
with tf.variable_scope("encoder"):
    a = tf.get_variable("w", [1])
with tf.variable_scope("decoder"):
    b = tf.get_variable("w", [1])
""",
        # Auto-named layers at the root get distinct names (dense, dense_1).
        """
import tensorflow as tf
with tf.name_scope("a"):
    h = tf.layers.dense(tf.zeros([1, 2]), 2)
with tf.name_scope("b"):
    h = tf.layers.dense(h, 2)
""",
    )
    INVALID = (
        """
import tensorflow as tf
with tf.name_scope("encoder"):
    a = tf.get_variable("w", [1])
with tf.name_scope("decoder"):
    b = tf.get_variable("w", [1])  # expect: RL104
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for clash in clashes(ctx.analysis):
            if clash.first.name_scopes == clash.second.name_scopes:
                continue
            name = clash.second.name
            yield from ctx.report(
                self,
                clash.site,
                f"Variable `{name}` is created again: `tf.name_scope` does not prefix variable names",
                related=[ctx.related(clash.related, f"`{name}` is first created here, under another name_scope")],
                help="use tf.variable_scope to give the variables different names, or reuse=True to share them",
                fix=self._fix(ctx, clash),
            )

    def _fix(self, ctx: RuleContext, clash: Clash) -> Fix | None:
        first, second = clash.first.name_scope_sites, clash.second.name_scope_sites
        differing = [s for s in first + second if not any(s.node is o.node for o in (second if s in first else first))]
        edits = []
        for site in differing:
            func = getattr(site.node, "func", None)
            if site.path != clash.site.path or not isinstance(func, ast.Attribute) or func.attr != "name_scope":
                return None
            line, _, end_line, end_col = ctx.position(type(site)(site.path, func))
            edits.append(Edit(end_line, end_col - len("name_scope"), end_line, end_col, "variable_scope"))
        if not edits:
            return None
        return Fix("use tf.variable_scope instead of tf.name_scope", tuple(edits), safe=False)
