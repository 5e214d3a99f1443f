"""RNN cells: a cell object owns its variables, made the first time an RNN runner
(`dynamic_rnn`, `static_rnn`...) runs it; `MultiRNNCell([cell] * n)` repeats one cell, which
then shares (or clashes on) its weights across layers.
"""

from __future__ import annotations

import ast
from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.events import Site
from reuse_lint.engine.tfapi import register, register_family
from reuse_lint.engine.values import UNKNOWN, Cell, ListVal, ModuleState, deps


@register_family(tfnames.is_rnn_cell)
def _cell(interp, canon, node, args, kwargs, module) -> Any:
    return Cell(canon, node)


@register(*tfnames.MULTI_RNN_CELL)
def _multi_rnn_cell(interp, canon, node, args, kwargs, module) -> Any:
    cells = args[0] if args else kwargs.get("cells", UNKNOWN)
    _check_repeated_cells(interp, cells, node, module)
    return Cell(canon, node)


@register(*tfnames.RNN_RUNNERS)
def _run_rnn(interp, canon, node, args, kwargs, module) -> Any:
    cell = args[0] if args else kwargs.get("cell", UNKNOWN)
    if isinstance(cell, Cell):
        interp.analysis.cell_uses.append(
            (cell, Site(module.path, node), interp.tf.prefix(), interp.tf.graph.gid, interp.trace, tuple(interp.conds)))
    interp.tf.graph.opaque = True
    return deps(args, kwargs)


def _check_repeated_cells(interp, cells: Any, node: ast.Call, module: ModuleState) -> None:
    if not isinstance(cells, ListVal):
        return
    seen = []
    for item in cells.items:
        if isinstance(item, Cell):
            if any(item is other for other in seen):
                arg = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "cells"), node)
                interp.analysis.repeated_cells.append((Site(module.path, arg), item))
                return
            seen.append(item)
