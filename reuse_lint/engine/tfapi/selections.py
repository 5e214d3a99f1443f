"""Variable lists: `tf.trainable_variables(scope)`, `tf.get_collection(key, scope)` and
their slim forms select the variables created so far whose names `re.match` the scope; a
list comprehension or `filter` over one (`[v for v in tvars if 'd_' in v.name]`) keeps the
names its test accepts. Each is a `Selection` the var_list rules judge against what the graph
holds.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.events import Selection, Site, ZippedLists
from reuse_lint.engine.tfapi import NOT_SPECIAL, attributes, builtin, register
from reuse_lint.engine.values import (
    UNKNOWN, ClassVal, Const, FuncVal, KeyedVars, ListVal, ScopeName, ScopeVal, TFRef, VarList, VarRef, truthy,
)


class VarOp:
    """`v.op` of a variable while a name filter looks at it: `v.op.name` has no `:0`."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


@attributes(VarRef)
def _variable_attribute(base: VarRef, attr: str) -> Any:
    return Const(f"{base.name}:0") if attr == "name" else (VarOp(base.name) if attr == "op" else UNKNOWN)


@attributes(VarOp)
def _op_attribute(base: VarOp, attr: str) -> Any:
    return Const(base.name) if attr == "name" else UNKNOWN


@register(*tfnames.SELECTORS)
def _select(interp, canon: str, node: ast.Call, args, kwargs, module) -> Any:
    if canon == "tf.get_collection":
        key = args[0] if args else kwargs.get("key", UNKNOWN)
        scope = args[1] if len(args) > 1 else kwargs.get("scope", Const(None))
        key_name = tfnames.canonical(key.qualname) if isinstance(key, TFRef) else getattr(key, "value", None)
        if key_name in tfnames.TRAINABLE_KEYS:
            trainable = True
        elif key_name in tfnames.GLOBAL_KEYS:
            trainable = False
        else:
            return UNKNOWN
    else:
        trainable = canon in tfnames.TRAINABLE_SELECTORS
        scope = args[0] if args else kwargs.get("scope", Const(None))
    graph = interp.tf.graph
    stale = None
    if isinstance(scope, ScopeName):
        scope = scope.scope
    if isinstance(scope, ScopeVal):
        outer = interp.tf.prefix()
        if (scope.node is not None and all(scope is not f for f in interp.tf.scopes) and outer
                and scope.name is not None and not outer.startswith(scope.name)
                and not scope.name.startswith(outer + "/")
                and (any(n.startswith(outer + "/") for n in graph.variables)
                     or (graph.opaque and _parallel_build(interp, scope, module)))):
            # The `as scope` of a finished block, used while building another scope that
            # has variables of its own (a target network's): the list is not the new one's.
            # A scope that only applies weights made earlier (a `backward/` block) has none,
            # and one below the scope being built (`train/params` in `train/`) is its own.
            stale = (Site(scope.path or module.path, scope.node), outer)
        scope = Const(scope.name) if scope.name is not None else UNKNOWN
    if not isinstance(scope, Const) or not (scope.value is None or isinstance(scope.value, str)):
        return UNKNOWN
    available = tuple(n for n, c in graph.variables.items() if c.trainable or not trainable)
    pattern = scope.value
    names = available if pattern is None else tuple(n for n in available if _re_match(pattern, n))
    arg = _scope_argument(node)
    selection = Selection(
        site=Site(module.path, arg if arg is not None else node), how="all" if pattern is None else "scope",
        pattern=pattern, names=names, available=available, graph=graph.gid, trace=interp.trace,
        complete=graph.fresh and not graph.unnamed and not graph.opaque and not (graph.unnamed_frozen and not trainable),
        trainable_only=trainable,
    )
    selection.stale = stale
    selection.loops = tuple(interp.loops)
    interp.analysis.selections.append(selection)
    return VarList(names, selection)


def select_by_name(interp, node, env, module, elts, source: Any) -> Any:
    """`[v for v in tvars if 'd_' in v.name]`: run the filter on every variable name. None
    when the comprehension is not one over a variable list."""
    gens = node.generators
    if len(gens) != 1 or len(elts) != 1 or not isinstance(elts[0], ast.Name):
        return None
    gen = gens[0]
    if not (isinstance(gen.target, ast.Name) and gen.target.id == elts[0].id):
        return None
    if not isinstance(source, VarList):
        return None
    kept = _filter_names(interp, source, [(gen.target.id, cond) for cond in gen.ifs], env, module)
    if kept is None:
        return UNKNOWN
    return _derived_selection(interp, source, kept, Site(module.path, node))


def key_by_variable(interp, node: ast.DictComp, env, module, source: Any) -> Any:
    """`{v.op.name: v for v in tvars if ...}`, a Saver's var_list by checkpoint name: its
    values are what the same list comprehension keeps. The key is not run: it reads the
    variable's name (`v.op.name`, `ema.average_name(v)`) and makes nothing. None when the
    comprehension is not one over a variable list."""
    selected = select_by_name(interp, node, env, module, [node.value], source)
    return KeyedVars(selected) if isinstance(selected, VarList) else selected


class LoopUse:
    """The body of `for v in tvars: if <test of v.name>: ...`: it runs on the variables
    the test keeps (copies them, saves them, assigns to them)."""

    method = "loop"
    loss = None

    def __init__(self, site: Site, var_list: VarList) -> None:
        self.site, self.var_list = site, var_list


def loop_over(interp, stmt: ast.For, iterable: Any, env, module) -> list[tuple[ast.AST, Any]]:
    """A `for` over a variable list: the selection its first `if` makes (see loop_filter),
    and what each list its body appends the variables to holds after it (see loop_appends),
    as (the list's expression, its value) for the interpreter to bind once the loop ran."""
    filtered = loop_filter(interp, stmt, iterable, env, module)
    return loop_appends(interp, stmt, iterable, env, module, filtered)


def loop_filter(interp, stmt: ast.For, iterable: Any, env, module) -> VarList | None:
    """`for var in tf.trainable_variables(): if var.name.startswith('vae'): ...`: the `if`
    that opens the body filters the list as a comprehension would."""
    if not isinstance(iterable, VarList) or not isinstance(stmt.target, ast.Name) or not stmt.body:
        return None
    test = stmt.body[0]
    if not isinstance(test, ast.If) or test.orelse or stmt.target.id not in {
            n.id for n in ast.walk(test.test) if isinstance(n, ast.Name)}:
        return None
    kept = _filter_names(interp, iterable, [(stmt.target.id, test.test)], env, module)
    if kept is None:
        return None
    selected = _derived_selection(interp, iterable, kept, Site(module.path, test.test))
    selected.selection.used_by.append(LoopUse(Site(module.path, stmt), selected))
    return selected


def loop_appends(interp, stmt: ast.For, iterable: Any, env, module, filtered: VarList | None):
    """`for v in tf.trainable_variables(): if 'g_' in v.name: g_vars.append(v)`: each list
    the body appends the loop's variable to (`g_vars = []` before, or a variable list) holds
    afterwards what Python gives it, the variables whose way through the body's `if`/`elif`
    arms reaches the append, in order. The interpreter runs a loop over variables on unknown
    items, so these are bound after it. None is followed when the body may leave early
    (`break`, `continue`), loops again, or binds a name its tests read, or does anything
    else with the list; a test that is not known for some variable leaves them all as the
    interpreter left them."""
    target = stmt.target
    if not isinstance(iterable, VarList) or not isinstance(target, ast.Name) or stmt.orelse:
        return []
    found: list[tuple[ast.Call, tuple]] = []
    if not _append_paths(stmt.body, (), target.id, found) or not found:
        return []
    bound = {n.id for s in stmt.body for n in ast.walk(s)
             if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del))}
    tests = {id(t): t for _, path in found for t, _ in path}
    if target.id in bound or any(isinstance(n, ast.Name) and n.id in bound
                                 for t in tests.values() for n in ast.walk(t)):
        return []
    receivers: dict[str, list] = {}
    for call, path in found:
        receivers.setdefault(_list_key(call.func.value), []).append((call, path))
    uses = Counter(_list_key(n) for s in stmt.body for n in ast.walk(s))
    truth: dict[tuple[int, str], bool] = {}
    for name in iterable.names:
        scope = [{target.id: VarRef(name)}] + env
        for key, test in tests.items():
            value = truthy(interp.eval(test, scope, module))
            if value is None:
                return []
            truth[(key, name)] = value
    after = []
    for text, appends in receivers.items():
        receiver = appends[0][0].func.value
        if text is None or uses[text] != len(appends):
            continue  # read, rebound or grown otherwise in the body: not followed
        before = interp.eval(receiver, env, module)
        if not (isinstance(before, VarList) or (isinstance(before, ListVal) and not before.items
                                                and not before.sample and not before.changed)):
            continue
        kept = []
        for name in iterable.names:
            for _, path in appends:
                if all(truth[(id(t), name)] is want for t, want in path) and name not in kept:
                    kept.append(name)
        paths = {tuple(id(t) for t, _ in path) for _, path in appends}
        if paths == {()}:
            added = iterable  # every variable: a copy of the list
        elif (filtered is not None and paths == {(id(stmt.body[0].test),)}
              and all(want for _, path in appends for _, want in path)):
            added = filtered  # the selection the loop's `if` already made
        else:
            last = appends[0][1][-1][0] if appends[0][1] else stmt.iter
            added = _derived_selection(interp, iterable, kept, Site(module.path, last))
        after.append((receiver, grow(before, added)))
    return after


def _append_paths(body: list[ast.stmt], path: tuple, target: str, found: list) -> bool:
    """The `x.append(target)` calls of a loop body, each with the `if` tests on its way and
    whether each must hold. False when the body has a statement we do not follow there."""
    for stmt in body:
        if isinstance(stmt, ast.If):
            if not (_append_paths(stmt.body, path + ((stmt.test, True),), target, found)
                    and _append_paths(stmt.orelse, path + ((stmt.test, False),), target, found)):
                return False
        elif isinstance(stmt, ast.Expr):
            call = stmt.value
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "append"
                    and len(call.args) == 1 and not call.keywords
                    and isinstance(call.args[0], ast.Name) and call.args[0].id == target):
                found.append((call, path))
            elif any(isinstance(n, (ast.Lambda, ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await))
                     for n in ast.walk(stmt)):
                return False
        elif not isinstance(stmt, (ast.Pass, ast.Assign, ast.AnnAssign, ast.AugAssign)):
            return False  # a nested loop, `break`, `continue`, `return`, `with`, `try`...
    return True


def _list_key(node: ast.AST) -> tuple | None:
    """`g_vars` or `self.g_vars` (read, stored or deleted alike): a list the interpreter can
    bind again. None for anything else."""
    if isinstance(node, ast.Name):
        return (node.id,)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return (node.value.id, node.attr)
    return None


@builtin("filter")
def _filter_builtin(interp, args, node, module) -> Any:
    if len(args) != 2 or not isinstance(args[1], VarList):
        return NOT_SPECIAL
    predicate, source = args
    lam = getattr(predicate, "node", None)
    if not isinstance(lam, ast.Lambda) or len(lam.args.args) != 1:
        return UNKNOWN
    kept = _filter_names(interp, source, [(lam.args.args[0].arg, lam.body)], predicate.closure, predicate.module)
    return UNKNOWN if kept is None else _derived_selection(interp, source, kept, Site(module.path, node))


@builtin("list")
@builtin("sorted")
@builtin("tuple")
def _copy(interp, args, node, module) -> Any:
    return args[0] if len(args) == 1 and isinstance(args[0], VarList) else NOT_SPECIAL


def _filter_names(interp, source: VarList, conds, env, module) -> list[str] | None:
    kept = []
    for name in source.names:
        keep = True
        for var, cond in conds:
            value = truthy(interp.eval(cond, [{var: VarRef(name)}] + env, module))
            if value is None:
                return None
            keep = keep and value
        if keep:
            kept.append(name)
    return kept


def _derived_selection(interp, source: VarList, kept: list[str], site: Site) -> VarList:
    parent = source.selection
    selection = Selection(
        site=site, how="filter", pattern=None, names=tuple(kept),
        available=parent.available if parent else source.names, graph=interp.tf.graph.gid,
        trace=interp.trace, complete=parent.complete if parent else False,
        trainable_only=parent.trainable_only if parent else True, loops=tuple(interp.loops),
        texts=tuple(n.value for n in ast.walk(site.node) if isinstance(n, ast.Constant) and isinstance(n.value, str)),
    )
    interp.analysis.selections.append(selection)
    return VarList(tuple(kept), selection)


def _parallel_build(interp, finished: ScopeVal, module) -> bool:
    """Where the networks are built by code the interpreter cannot see into (a builder taken
    from a config): did the finished scope's `with` block and the one being built now call
    the same project class or function (`NeuralNetwork(...)` in `training/`, then in
    `target/`)? Then the block being built makes a copy of the finished one's variables."""
    current = interp.tf.scopes[-1].node if interp.tf.scopes else None
    root = interp.funcs[-1].node if interp.funcs else module.tree
    if current is None or current is finished.node:
        return False
    before, now = _with_body(root, finished.node), _with_body(root, current)
    if before is None or now is None:
        return False
    return bool(_project_callees(before, module) & _project_callees(now, module))


def _with_body(root: ast.AST, call: ast.AST) -> list[ast.stmt] | None:
    for node in ast.walk(root):
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(i.context_expr is call for i in node.items):
            return node.body
    return None


def _project_callees(body: list[ast.stmt], module) -> set[str]:
    """The project's classes and functions a block calls by a global name."""
    names = set()
    for stmt in body:
        for node in ast.walk(stmt):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and isinstance(module.globals.get(node.func.id), (ClassVal, FuncVal))):
                names.add(node.func.id)
    return names


def _re_match(pattern: str, name: str) -> bool:
    """TF's get_collection(scope=...) keeps items whose name `re.match`es the scope."""
    try:
        return re.match(pattern, name) is not None
    except re.error:
        return False


def _scope_argument(node: ast.Call) -> ast.AST | None:
    """The expression that gave a selection its scope (where RL108 points)."""
    for kw in node.keywords:
        if kw.arg == "scope":
            return kw.value
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    index = 1 if name == "get_collection" else 0
    return node.args[index] if len(node.args) > index else None


def binary(op: ast.operator, left: Any, right: Any) -> Any:
    """`d_vars + g_vars`: one list, each name once."""
    if isinstance(op, ast.Add) and isinstance(left, VarList) and isinstance(right, VarList):
        return VarList(left.names + tuple(n for n in right.names if n not in left.names), left.selection)
    return NOT_SPECIAL


def note_zipped(interp, args, node: ast.Call, module) -> None:
    """`zip(target_vars, online_vars)` over variable lists alone: the pairs it makes are the
    lists' items position by position, up to the shortest list. `zip(..., strict=True)`
    raises on lists of different lengths, so it is not recorded."""
    if len(args) < 2 or not all(isinstance(a, VarList) for a in args):
        return
    if any(kw.arg == "strict" for kw in node.keywords) or any(isinstance(a, ast.Starred) for a in node.args):
        return
    interp.analysis.zipped_lists.append(
        ZippedLists(Site(module.path, node), tuple(args), interp.tf.graph.gid, interp.trace))


def changed(value: Any) -> Any:
    """`g_vars.append(bn_beta)` after a filter or a loop that filled it: the list no longer
    holds just the names it picked, and what it holds is not followed."""
    return UNKNOWN if isinstance(value, (VarList, KeyedVars)) else NOT_SPECIAL


def grow(left: Any, right: Any) -> Any:
    """`g_vars += tf.get_collection(...)`: the names of both (`g_vars = []` first: of the one)."""
    if isinstance(left, ListVal) and not (left.items or left.sample) and isinstance(right, VarList):
        return VarList(right.names, right.selection)
    return binary(ast.Add(), left, right)
