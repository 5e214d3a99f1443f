"""RNN cells: a cell object owns its variables, made the first time an RNN runner
(`dynamic_rnn`, `static_rnn`...) runs it or it is called; `MultiRNNCell([cell] * n)` repeats
one cell, which then shares (or clashes on) its weights across layers. A wrapper
(`DropoutWrapper(cell)`) runs on the weights of the cell it wraps.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.callers import passed, plain_parameter
from reuse_lint.engine.events import CellRun, Site
from reuse_lint.engine.syntax import positional_names
from reuse_lint.engine.tfapi import TFMethod, attributes, callable_values, register, register_family
from reuse_lint.engine.tfapi.core import open_layer_scope, record, reuse_value
from reuse_lint.engine.tfapi.scopes import enter_implicit, exit_implicit, project_calls
from reuse_lint.engine.values import (
    AUTO, EMPTY_TENSOR, UNKNOWN, Cell, ClassVal, Const, DictVal, FuncVal, Instance, KerasObject, ListVal, ModuleState, ScopeVal, Tensor,
    deps, truthy,
)


@register_family(tfnames.is_rnn_cell)
def _cell(interp, canon, node, args, kwargs, module) -> Any:
    if tfnames.rnn_cell_kind(canon) == "wrapper":
        inner = args[0] if args else kwargs.get("cell", UNKNOWN)
        return Cell(canon, node, inner if isinstance(inner, (Cell, Instance)) else None)
    known = tfnames.BUILTIN_RNN_CELLS.get(canon.rsplit(".", 1)[-1])
    options = {}
    if known is not None and len(args) <= len(known[2]):
        options = dict(zip(known[2], args)) | kwargs
    return Cell(canon, node, options=options)


@attributes(Cell)
def _cell_attribute(cell: Cell, attr: str) -> Any:
    if attr == "zero_state":
        return TFMethod(_zero_state, cell)
    return UNKNOWN


def _zero_state(interp, cell: Cell, node, module, args, kwargs) -> Any:
    return EMPTY_TENSOR  # zeros of the state's shape: no variable, nothing looked up


@register(*tfnames.MULTI_RNN_CELL)
def _multi_rnn_cell(interp, canon, node, args, kwargs, module) -> Any:
    cells = args[0] if args else kwargs.get("cells", UNKNOWN)
    if not (interp.funcs and _dropped(interp.funcs[-1].node, node)):
        _check_repeated_cells(interp, cells, node, module)
    return Cell(canon, node, layers=cells)


# Calls that can read a function's locals by name, unseen.
_INTROSPECTION = frozenset({"locals", "vars", "eval", "exec"})


def _dropped(func: ast.AST, call: ast.Call) -> bool:
    """The stack made by `call` goes nowhere, so its layers are never built: its statement is
    the call alone, or binds it only to names of `func`'s own that nothing in `func` reads
    (a stack built, then the single cell run instead). A stack returned, stored on an object,
    passed on, bound at module level (another module may import it) or read in any way the
    syntax shows counts as used."""
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    names = _bound_names(func, call)
    if names is None:
        return False
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load):
            return False
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id in names:
            return False
        if isinstance(node, (ast.Global, ast.Nonlocal)) and names.intersection(node.names):
            return False
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _INTROSPECTION:
            return False
    return True


def _bound_names(func: ast.AST, call: ast.Call) -> set[str] | None:
    """The names the statement `call` stands in binds (none for an expression statement);
    None when the call is part of a larger expression or binds anything but plain names.
    Nested functions and classes are not entered: their bindings are not `func`'s locals."""
    todo = list(ast.iter_child_nodes(func))
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Expr) and node.value is call:
            return set()
        if isinstance(node, ast.Assign) and node.value is call:
            if all(isinstance(t, ast.Name) for t in node.targets):
                return {t.id for t in node.targets}
            return None
        if isinstance(node, ast.AnnAssign) and node.value is call:
            return {node.target.id} if isinstance(node.target, ast.Name) else None
        todo.extend(ast.iter_child_nodes(node))
    return None


@register(*tfnames.RNN_RUNNERS)
def _run_rnn(interp, canon, node, args, kwargs, module) -> Any:
    cell = args[0] if args else kwargs.get("cell", kwargs.get("cell_fw", UNKNOWN))
    backward = None
    if canon in tfnames.BIDIRECTIONAL_RUNNERS:
        backward = args[1] if len(args) > 1 else kwargs.get("cell_bw", UNKNOWN)
    if isinstance(cell, Cell):
        interp.analysis.cell_uses.append(
            (cell.owner, Site(module.path, node), interp.tf.prefix(), interp.tf.graph.gid, interp.trace, tuple(interp.conds),
             _cell_run(canon, cell, backward, args, kwargs)))
    if backward is not None:
        if isinstance(cell, Cell) and isinstance(backward, Cell) and cell.owner is backward.owner:
            interp.analysis.repeated_cells.append((Site(module.path, node), cell.owner, "directions"))
    _run_own_cells(interp, canon, node, args, kwargs, module)
    interp.tf.graph.cell_events += 1
    interp.tf.graph.ran_cells(_cell_scope(interp, kwargs))
    result = deps(args, kwargs)
    return replace(result, runs=result.runs | {id(node)})


def _cell_run(canon: str, cell: Cell, backward: Any, args: list, kwargs: dict) -> CellRun:
    """What one runner call ran its cells on: the cell objects by role (forward, backward),
    the runner calls whose outputs or states flow into anything else it is given (inputs,
    initial states, lengths), and whether its inputs and initial states are all tensors whose
    ancestry is known (an input the analysis lost cannot be told from another run's output)."""
    cells = 2 if backward is not None else 1
    owners = (cell.owner, backward.owner if isinstance(backward, Cell) else None)[:cells]
    fed = list(args[cells:]) + [v for k, v in kwargs.items() if k not in ("cell", "cell_fw", "cell_bw")]
    inputs = args[cells] if len(args) > cells else kwargs.get("inputs", UNKNOWN)
    states = [v for k, v in kwargs.items() if k.startswith("initial_state")]
    tensors = deps(fed, {})
    known = not tensors.partial and all(_all_tensors(v) for v in [inputs, *states])
    return CellRun(canon, owners, tensors.runs, known, tensors.reversed)


def _all_tensors(value: Any) -> bool:
    """A tensor, or a list or tuple (`static_rnn`'s inputs, an LSTM state) of tensors only."""
    if isinstance(value, Tensor):
        return not value.partial
    if isinstance(value, ListVal):
        return bool(value.items) and all(_all_tensors(v) for v in value.items)
    return False


# Each runner's default scope and the position of its `scope` parameter: TF (1.0 on) opens
# `variable_scope(scope or default)` and calls the cell inside it (the bidirectional ones
# each direction under `fw`/`bw` below that). TF 0.x's `tf.nn.rnn` and `bidirectional_rnn`
# named theirs `RNN` and `BiRNN/FW` and are left out: no TensorFlow we can run has them.
_RUNNER_SCOPES = {
    "tf.nn.dynamic_rnn": ("rnn", 8), "tf.nn.static_rnn": ("rnn", 5), "contrib.rnn.static_rnn": ("rnn", 5),
    "tf.nn.bidirectional_dynamic_rnn": ("bidirectional_rnn", 10),
    "tf.nn.static_bidirectional_rnn": ("bidirectional_rnn", 7),
    "contrib.rnn.static_bidirectional_rnn": ("bidirectional_rnn", 7),
}


def _run_own_cells(interp, canon, node, args, kwargs, module) -> None:
    """A cell of the project's own class with a `__call__` of its own (the TF1 way of
    writing a cell: `class LSTMCell(RNNCell): def __call__(self, inputs, state, scope=None)`)
    makes its variables when the runner calls it, `cell(input_t, state)`, under the runner's
    scope: run that `__call__` there, as TF does, also inside a wrapper or a MultiRNNCell
    (`_run_cell`). TF's own cells (`LSTMCell`, `GRUCell`...) make theirs there the same way.
    A scope passed by position, or one that is neither a name nor a scope object, is not
    followed."""
    if canon not in _RUNNER_SCOPES:
        return
    default, position = _RUNNER_SCOPES[canon]
    if len(args) > position:
        return
    scope = kwargs.get("scope", Const(None))
    if isinstance(scope, Const) and scope.value is None:
        scope = Const(default)
    elif not (isinstance(scope, ScopeVal) or isinstance(scope, Const) and isinstance(scope.value, str)):
        return
    if canon in tfnames.BIDIRECTIONAL_RUNNERS:
        names = (("cell_fw", "fw"), ("cell_bw", "bw"))
    else:
        names = (("cell", None),)
    runs = [(args[i] if len(args) > i else kwargs.get(name, UNKNOWN), direction) for i, (name, direction) in enumerate(names)]
    inputs = deps([args[len(names)] if len(args) > len(names) else kwargs.get("inputs", UNKNOWN)], {})
    if not any(_runs_modelled(cell) for cell, _ in runs):
        return
    outer = enter_implicit(interp, scope, node, module)
    try:
        for cell, direction in runs:
            if not _runs_modelled(cell):
                continue
            inner = enter_implicit(interp, Const(direction), node, module) if direction else None
            try:
                _run_cell(interp, cell, [inputs, UNKNOWN], {}, node, module)
            finally:
                if inner is not None:
                    exit_implicit(interp, inner)
    finally:
        exit_implicit(interp, outer)


def _run_cell(interp, cell: Any, args: list, kwargs: dict, node: ast.Call, module: ModuleState) -> None:
    """Run the project's own cells that `cell(*args, **kwargs)` calls, in TF's scopes: a
    wrapper (`DropoutWrapper`, `ResidualWrapper`) calls its cell with the same arguments in
    the same scope; a MultiRNNCell, the first time it runs in a graph, opens its layer scope
    (`scope` when one is passed, else `multi_rnn_cell` under the open one) and calls layer i
    on the first argument under `cell_i`; every later run enters that first scope again with
    reuse, so it makes nothing new (TF 2.21 `tf.compat.v1`)."""
    method = _own_call(cell)
    if method is not None:
        interp.call_function(method.bound(cell), args, kwargs, Site(module.path, node))
        return
    if not isinstance(cell, Cell):
        return
    kind = tfnames.rnn_cell_kind(cell.canon)
    if kind == "wrapper":
        if _passes_through(cell):
            _run_cell(interp, cell.inner, args, kwargs, node, module)
        return
    if kind == "cell":
        _make_weights(interp, cell, args, kwargs, node, module)
        return
    if kind != "multi" or not isinstance(cell.layers, ListVal) or interp.tf.graph.gid in cell.built:
        return
    cell.built.add(interp.tf.graph.gid)
    scope = args[2] if len(args) > 2 else kwargs.get("scope", Const(None))
    if isinstance(scope, Const) and scope.value is None:
        scope = Const("multi_rnn_cell")
    elif not (isinstance(scope, ScopeVal) or isinstance(scope, Const) and isinstance(scope.value, str)):
        return
    inputs = args[0] if args else kwargs.get("inputs", UNKNOWN)
    outer = enter_implicit(interp, scope, node, module)
    try:
        for i, layer in enumerate(cell.layers.items):
            if not _runs_modelled(layer):
                continue
            inner = enter_implicit(interp, Const(f"cell_{i}"), node, module)
            try:
                _run_cell(interp, layer, [deps([inputs], {}), UNKNOWN], {}, node, module)
            finally:
                exit_implicit(interp, inner)
    finally:
        exit_implicit(interp, outer)


def _make_weights(interp, cell: Cell, args: list, kwargs: dict, node: ast.Call, module: ModuleState) -> None:
    """TF's own cell makes its weights the first time it runs in a graph, as a TF1 layer
    does: under the scope open then, in a scope of its own named by `name=` or counted from
    its base name (`lstm_cell`, `lstm_cell_1`...; a runner's scope, entered again, restarts
    the count, so a fresh cell run twice under one runner scope asks for `rnn/lstm_cell/kernel`
    twice), or directly in the `scope=` a direct call passes. Every later run enters that
    first scope again with reuse and makes nothing. A cell whose options are not known is
    left to the runner's opacity."""
    names = _weight_names(cell)
    gid = interp.tf.graph.gid
    if names is None or gid in cell.built:
        return
    base, variables = names
    reuse = reuse_value(cell.options.get("reuse", Const(None)))
    scope = args[2] if len(args) > 2 else kwargs.get("scope", Const(None))
    if isinstance(scope, Const) and isinstance(scope.value, str):
        sub, counted = scope.value, False
    elif not (isinstance(scope, Const) and scope.value is None):
        return
    else:
        sub, counted = base, not (reuse == Const(True) or reuse is AUTO)  # a reusing cell takes its bare name
    cell.built.add(gid)
    _, full, extra = open_layer_scope(interp, sub, counted, reuse, node, module)
    for var in variables:
        record(interp, f"{full}/{var}" if full else None, "cell", node, module, extra)


def _weight_names(cell: Cell) -> tuple[str, tuple[str, ...]] | None:
    """The base name and variables of TF's own cell, when its options say what they are."""
    known = tfnames.BUILTIN_RNN_CELLS.get(cell.canon.rsplit(".", 1)[-1])
    if known is None or not cell.options:
        return None
    base, variables, _ = known
    name = cell.options.get("name", Const(None))
    if not isinstance(name, Const) or not (name.value is None or isinstance(name.value, str)):
        return None
    if base == "lstm_cell":
        peepholes = truthy(cell.options.get("use_peepholes", Const(False)))
        projection = cell.options.get("num_proj", Const(None))
        if peepholes is None or not isinstance(projection, Const):
            return None
        variables += tfnames.LSTM_PEEPHOLES if peepholes else ()
        variables += tfnames.LSTM_PROJECTION if projection.value is not None else ()
    return name.value or base, variables


def _runs_modelled(cell: Any) -> bool:
    """Whether running `cell` runs a cell the engine models: a cell class of the project's
    own, or TF's own cell whose weights are known; or a wrapper or MultiRNNCell holding one."""
    if _own_call(cell) is not None:
        return True
    if not isinstance(cell, Cell):
        return False
    if cell.inner is not None:
        return _passes_through(cell) and _runs_modelled(cell.inner)
    if tfnames.rnn_cell_kind(cell.canon) == "cell":
        return _weight_names(cell) is not None
    return isinstance(cell.layers, ListVal) and any(_runs_modelled(layer) for layer in cell.layers.items)


# Wrappers whose `__call__` hands the call to the inner cell in the caller's scope (TF 1.x's
# `__call__(inputs, state, scope)` passing `scope` on, TF 2's `_RNNCellWrapperV1`). The others
# (`OutputProjectionWrapper`, `AttentionCellWrapper`...) run it inside a layer scope of their
# own, which is not modelled.
_PASS_THROUGH = frozenset({"DropoutWrapper", "ResidualWrapper", "DeviceWrapper"})


def _passes_through(cell: Cell) -> bool:
    return cell.canon.rsplit(".", 1)[-1] in _PASS_THROUGH


def _own_call(cell: Any) -> FuncVal | None:
    """The `__call__` a project's cell class defines, when TF's `cell(input_t, state)` can
    call it (two positional arguments after `self`, any others with defaults)."""
    if not isinstance(cell, Instance):
        return None
    method = cell.cls.lookup("__call__")
    if not isinstance(method, FuncVal) or not isinstance(method.node, ast.FunctionDef) or method.node.decorator_list:
        return None
    a = method.node.args
    positional = positional_names(a)[1:]
    required = len(positional) - len(a.defaults)
    takes_two = len(positional) >= 2 or a.vararg is not None
    if not takes_two or required > 2 or any(d is None for d in a.kw_defaults):
        return None
    return method


@callable_values(Cell)
def _call_cell(interp, cell: Cell, node, args, kwargs, module, site, starred) -> Any:
    if not starred and _runs_modelled(cell):
        _run_cell(interp, cell, args, kwargs, node, module)
        if _fully_followed(cell, args, kwargs):
            # Every variable the call makes was recorded by name (or it made none, built
            # before in this graph): the graph's history stays known, so a later lookup
            # under reuse can still be said to find nothing.
            return deps(args, kwargs)
    interp.tf.graph.cell_events += 1
    # `cell(inputs, state)` makes the cell's variables, TF's way
    interp.tf.graph.ran_cells(_cell_scope(interp, kwargs))
    return deps(args, kwargs)


def _fully_followed(cell: Any, args: list, kwargs: dict) -> bool:
    """Whether `_run_cell` records every variable that `cell(*args, **kwargs)` makes: TF's
    own cells whose weights and reuse are known, called with no scope or a scope named by a string,
    alone, in a pass-through wrapper, or as every layer of a MultiRNNCell. A cell class of the
    project's own is left out: its `__call__` may do anything the interpreter does not follow."""
    if not isinstance(cell, Cell):
        return False
    scope = args[2] if len(args) > 2 else kwargs.get("scope", Const(None))
    named = isinstance(scope, Const) and (scope.value is None or isinstance(scope.value, str))
    kind = tfnames.rnn_cell_kind(cell.canon)
    if kind == "wrapper":
        return _passes_through(cell) and _fully_followed(cell.inner, args, kwargs)
    if kind == "cell":
        # A reuse option not known leaves the cell's scope name (counted or bare) unknown.
        known_reuse = reuse_value(cell.options.get("reuse", Const(None))) is not UNKNOWN
        return named and known_reuse and _weight_names(cell) is not None
    if kind == "multi" and isinstance(cell.layers, ListVal) and cell.layers.items:
        # `_run_cell` runs each layer with the inputs and no scope.
        layers = cell.layers.items
        return (named or isinstance(scope, ScopeVal)) and all(_fully_followed(layer, [UNKNOWN, UNKNOWN], {}) for layer in layers)
    return False


def _cell_scope(interp, kwargs) -> str | None:
    """The scope under which a run makes its cells' variables: the one open, which a
    `scope="encoder"` extends; a scope object handed in may be any (None: not known)."""
    scope = kwargs.get("scope", Const(None))
    if isinstance(scope, Const) and (scope.value is None or isinstance(scope.value, str)):
        return interp.tf.prefix()
    return None


def _check_repeated_cells(interp, cells: Any, node: ast.Call, module: ModuleState) -> None:
    """One cell object at two positions of MultiRNNCell's list: by identity (a wrapper counts
    as the cell it wraps), or by the list's making: `[x] * n` holds one object even when the
    linter cannot tell what `x` is (a cell class passed in, chosen by an `if`, or wrapped on
    one arm of one)."""
    if not isinstance(cells, ListVal):
        return
    arg = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "cells"), node)
    seen = []
    for item in cells.items:
        if isinstance(item, Cell):
            if any(item.owner is other.owner for other in seen):
                interp.analysis.repeated_cells.append((Site(module.path, arg), item, "layers"))
                return
            seen.append(item)
    if cells.repeats and cells.items and not seen and not any(isinstance(i, (Const, ListVal)) for i in cells.items):
        if all(_makes_own_weights(item) for item in cells.items):
            return
        if all(item is UNKNOWN for item in cells.items) and _given_own_cells(interp, arg):
            return
        interp.analysis.repeated_cells.append((Site(module.path, arg), None, "layers"))


def _given_own_cells(interp, listed: ast.expr) -> bool:
    """`[single_cell] * n` on a parameter of the running function that the analysis does not
    know (a helper run on its own, its callers in other files), where every call the project
    makes of it, read from the syntax, passes a new object of a cell class this module
    binds whose own `__call__` makes its weights by name and whose `__init__` keeps nothing
    made on the object: each layer's weights are its own, as for such a cell seen passed
    (`_makes_own_weights`). Anything else passed (a TF cell, a cell bound to a name first,
    a class not found here) leaves the list reported."""
    name = _repeated_name(listed)
    if name is None or not interp.funcs:
        return False
    func = interp.funcs[-1]
    if not isinstance(func.node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not plain_parameter(func.node, name):
        return False
    given = passed(func.node, func.owner is not None and not func.static, name, project_calls(interp, func))
    if not given:
        return False
    for expr in given:
        callee = expr.func if isinstance(expr, ast.Call) else None
        cls_name = callee.id if isinstance(callee, ast.Name) else callee.attr if isinstance(callee, ast.Attribute) else None
        cls = func.module.globals.get(cls_name) if cls_name else None
        if not isinstance(cls, ClassVal) or not _makes_own_weights(Instance(cls)) or not _init_keeps_nothing_made(cls):
            return False
    return True


def _repeated_name(listed: ast.expr) -> str | None:
    """The one name `[x] * n`, `n * [x]` or `[x for _ in range(n)]` repeats."""
    if isinstance(listed, ast.ListComp) and isinstance(listed.elt, ast.Name):
        return listed.elt.id
    if isinstance(listed, ast.BinOp) and isinstance(listed.op, ast.Mult):
        side = listed.left if isinstance(listed.left, ast.List) else listed.right
        if isinstance(side, ast.List) and side.elts and all(isinstance(e, ast.Name) for e in side.elts):
            names = {e.id for e in side.elts}
            return names.pop() if len(names) == 1 else None
    return None


def _init_keeps_nothing_made(cls: ClassVal) -> bool:
    """The `__init__` of `cls` and of its project bases, read from the syntax, store on the
    object only values no call made (`self._num_units = num_units`), never call a method of
    the object or of what it holds (`self._build()`, `self.cells.append(...)`), and set no
    attribute by name (`setattr`, `__dict__`): no weight, layer or cell is kept for every
    layer to share. A base's `__init__` called through `super()` is read as its own."""
    seen: set[int] = set()
    todo = [cls]
    while todo:
        here = todo.pop()
        if id(here) in seen:
            continue
        seen.add(id(here))
        todo.extend(b for b in here.bases if isinstance(b, ClassVal))
        init = here.attrs.get("__init__")
        if init is None:
            continue
        if not isinstance(init, FuncVal) or not isinstance(init.node, ast.FunctionDef):
            return False
        params = positional_names(init.node.args)
        if not params:
            return False
        me = params[0]
        for node in ast.walk(init.node):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                on_self = any(_rooted_at(n, me) for t in targets for n in ast.walk(t) if isinstance(n, (ast.Attribute, ast.Subscript)))
                if on_self and node.value is not None and any(isinstance(n, ast.Call) for n in ast.walk(node.value)):
                    return False
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _rooted_at(node.func.value, me):
                return False
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "vars"):
                return False
            if isinstance(node, ast.Attribute) and node.attr == "__dict__":
                return False
    return True


def _rooted_at(node: ast.AST, name: str) -> bool:
    """`self`, `self.a`, `self.a[0].b`... for `name` `self`."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return isinstance(node, ast.Name) and node.id == name


def _makes_own_weights(item: Any) -> bool:
    """A cell of the project's own class with a `__call__` of its own that holds no weights
    on the object: MultiRNNCell calls layer i under `cell_i`, so what that `__call__` makes
    by name (`get_variable` under `variable_scope(scope or type(self).__name__)`) is each
    layer's own (TF 2.21 `tf.compat.v1`: `cell_0/MyGRU/w`, `cell_1/MyGRU/w`). Weights, layers
    or TF cells kept on the object (made in `__init__`) are one set for every layer."""
    if _own_call(item) is None:
        return False
    return not any(_holds_weights(value) for value in item.attrs.values())


def _holds_weights(value: Any) -> bool:
    if isinstance(value, ListVal):
        return any(_holds_weights(v) for v in value.items)
    if isinstance(value, DictVal):
        return True  # not looked into
    if isinstance(value, Tensor):
        # A variable reaches a model scope (or is one made at the root: no scope, no op); a
        # tensor ops computed from data only (a graph cell's sparse supports, appended in
        # `__init__`) reaches none, and every layer reads it without sharing weights.
        return bool(value.scopes or value.models or not value.calls)
    return isinstance(value, (Cell, KerasObject, Instance))
