from __future__ import annotations

import ast
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic, Edit, Fix
from reuse_lint.engine.events import Site
from reuse_lint.rules.base import Rule, RuleContext, char_column

# `var_list` with its words swapped, run together or pluralised: what a hand types for it.
_MISSPELT = frozenset({"listvar", "listvars", "varlists", "varslist", "varlist", "variablelist", "variableslist"})


class VarListKeywordTypo(Rule):
    """
    ## What it does
    Finds `optimizer.minimize(...)` or `optimizer.compute_gradients(...)` given the
    variable list under a misspelt keyword: `list_var=`, `var_lists=`, `vars_list=`,
    `varlist=`. It reports the keyword.

    ## Why is this bad?
    TensorFlow's optimizers take the list as `var_list` only, so building the step fails
    with `TypeError: compute_gradients() got an unexpected keyword argument 'list_var'`.
    The list it carried (the layers a fine-tuning run means to train) was never used: in
    Tacotron-2 the whole training script stopped there, in every mode, for the sake of
    the freeze-the-encoder option.

    ## Example
    ```python
    grads = optimizer.compute_gradients(loss, list_var=update_vars)
    ```

    Use instead:
    ```python
    grads = optimizer.compute_gradients(loss, var_list=update_vars)
    ```

    ## Fix safety
    Renaming the keyword to `var_list` is unsafe: the step then trains only the listed
    variables, which the code asked for but never ran.
    """

    CODE = "RL122"
    NAME = "var-list-keyword-typo"
    FIXABLE = True
    VALID = (
        """
import tensorflow as tf
w = tf.get_variable("w", [2, 1])
loss = tf.reduce_sum(w)
opt = tf.train.AdamOptimizer()
grads = opt.compute_gradients(loss, var_list=[w])
step = opt.minimize(loss, var_list=[w], name="step")
""",
        # Not a TensorFlow optimizer: its own keywords.
        """
class Solver:
    def minimize(self, loss, list_var=None):
        return loss
Solver().minimize(1.0, list_var=[])
""",
    )
    INVALID = (
        """
import tensorflow as tf
w = tf.get_variable("w", [2, 1])
opt = tf.train.AdamOptimizer()
grads = opt.compute_gradients(tf.reduce_sum(w), list_var=[w])  # expect: RL122
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        seen: set[int] = set()
        for use in ctx.analysis.optimizers:
            node = use.site.node
            if use.method not in ("minimize", "compute_gradients") or not isinstance(node, ast.Call) or id(node) in seen:
                continue
            seen.add(id(node))
            for kw in node.keywords:
                if kw.arg is None or kw.arg == "var_list" or kw.arg.lower().replace("_", "") not in _MISSPELT:
                    continue
                yield from ctx.report(
                    self, Site(use.site.path, kw),
                    f"`{kw.arg}=` is no argument of `{use.method}`: TensorFlow raises TypeError here, and the list is never used",
                    help="pass the list as var_list=",
                    fix=self._fix(ctx, use.site.path, kw),
                )

    def _fix(self, ctx: RuleContext, path: str, kw: ast.keyword) -> Fix | None:
        line = ctx.lines(path)[kw.lineno - 1]
        start = char_column(line, kw.col_offset)
        if line[start - 1:start - 1 + len(kw.arg)] != kw.arg:
            return None
        edit = Edit(kw.lineno, start, kw.lineno, start + len(kw.arg), "var_list")
        return Fix("rename the keyword to `var_list`", (edit,), safe=False)
