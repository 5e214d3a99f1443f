from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.rules.base import Rule, RuleContext


class RepeatedRnnCell(Rule):
    """
    ## What it does
    Finds one RNN cell object used for several layers: `MultiRNNCell([cell] * n)`,
    `MultiRNNCell([cell for _ in range(n)])` with `cell` built once, or the same cell object
    passed to two `dynamic_rnn` calls in different scopes. It reports the list (or the
    second use).

    ## Why is this bad?
    A cell object owns one set of weights. Stacked n times, every layer uses the same
    weights (or TensorFlow fails on the second layer when its input size differs:
    `ValueError: Trying to share variable rnn/multi_rnn_cell/cell_0/lstm_cell/kernel, but
    specified shape (256, 512) and found shape (160, 512).`). Seq2seq encoders and stacked
    LSTM language models were often written this way.

    ## Example
    ```python
    cell = tf.nn.rnn_cell.LSTMCell(128)
    stack = tf.nn.rnn_cell.MultiRNNCell([cell] * 3)
    ```

    Use instead:
    ```python
    stack = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(128) for _ in range(3)])
    ```

    ## Fix safety
    No automatic fix: building one cell per layer needs the cell's constructor arguments repeated, which the rule does not rewrite.
    """

    CODE = "RL117"
    NAME = "repeated-rnn-cell"
    VALID = (
        """
import tensorflow as tf
stack = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(8) for _ in range(3)])
""",
    )
    INVALID = (
        """
import tensorflow as tf
cell = tf.nn.rnn_cell.LSTMCell(8)
stack = tf.nn.rnn_cell.MultiRNNCell([cell] * 3)  # expect: RL117
""",
        """
import tensorflow as tf
cell = tf.nn.rnn_cell.GRUCell(8)
layers = 2
stack = tf.nn.rnn_cell.MultiRNNCell([cell for _ in range(layers)])  # expect: RL117
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for site, cell in ctx.analysis.repeated_cells:
            yield from ctx.report(
                self, site,
                f"One `{cell.canon.split('.')[-1]}` object is used for several layers: they share its weights",
                related=[ctx.related(type(site)(site.path, cell.node), "the single cell is built here")],
                help="build a new cell for each layer: [Cell(...) for _ in range(n)]",
            )
        seen: dict[tuple, tuple] = {}
        for cell, site, prefix, graph, trace, _conds in ctx.analysis.cell_uses:
            key = (id(cell), graph, trace)
            if key in seen and seen[key][1] != prefix:
                first_site = seen[key][0]
                yield from ctx.report(
                    self, site,
                    f"This `{cell.canon.split('.')[-1]}` object already ran in another scope: both runs share its weights",
                    related=[ctx.related(first_site, "first used here")],
                    help="build one cell per use",
                )
            seen.setdefault(key, (site, prefix))
