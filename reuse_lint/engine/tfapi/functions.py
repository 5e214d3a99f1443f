"""`tf.function`: as a call on a function or as a decorator, it marks the function as traced,
so what it builds may be built again on each trace (see `Build.in_tf_function`).
"""

from __future__ import annotations

from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.tfapi import NOT_SPECIAL, register
from reuse_lint.engine.tfapi.core import graph_program
from reuse_lint.engine.events import Cond, Site
from reuse_lint.engine.values import UNKNOWN, Const, DictVal, FuncVal, ListVal, Partial, Tensor, TFRef, deps


@register(*tfnames.TF_FUNCTION)
def _tf_function(interp, canon, node, args, kwargs, module) -> Any:
    if args and isinstance(args[0], FuncVal):
        return args[0].bound(args[0].bound_self, True)
    return NOT_SPECIAL


@register(*tfnames.TRACED_AT_CALL)
def _traced_at_call(interp, canon, node, args, kwargs, module) -> Any:
    """`tf.map_fn(fn, elems)`, `tf.while_loop(cond, body, vars)`: TF traces each function once
    while building the op, so the variables it makes exist when the call returns. Each is run
    once here, on unknown values (a loop's functions on its tensors, below). The op's value depends on its inputs and on what its function
    returns (a loop body's weights reach the loop's output); a loop's condition only stops it."""
    loop_vars = args[2] if len(args) > 2 else kwargs.get("loop_vars")
    if canon != "tf.while_loop" or not isinstance(loop_vars, ListVal) or loop_vars.sample:
        loop_vars = None
    # A loop's functions take its variables, as tensors: the tensors we know (a TensorArray the
    # body writes), and nothing known of a Python number TF turns into a tensor.
    given = [v if isinstance(v, Tensor) else UNKNOWN for v in loop_vars.items] if loop_vars else []
    results = []
    for position, keyword in tfnames.TRACED_AT_CALL[canon]:
        fn = args[position] if len(args) > position else kwargs.get(keyword)
        if isinstance(fn, FuncVal):
            recurrent = (canon, keyword) in tfnames.RECURRENT_STEPS
            if recurrent:
                interp.tf.recurrences.append((id(node), 0))
            try:
                result = interp.call_function(fn, given, {}, Site(module.path, node), unknown_args=True)
            finally:
                if recurrent:
                    interp.tf.recurrences.pop()
            if keyword != "cond":
                results.append(result)
    made = deps([*args, *results], kwargs)
    if not (made.calls or made.scopes):
        return NOT_SPECIAL
    if loop_vars:
        return ListVal([made for _ in loop_vars.items])  # `_, h = tf.while_loop(...)`: as many as went in
    return made


def run_given_function(interp, func, node, args, kwargs, module, starred) -> Any:
    """`strategy.run(step_fn, args=(x, y))` (also `experimental_run_v2`, `experimental_run`):
    the strategy calls the program's function on each replica with those arguments, so what
    the function builds and takes happens at this call. The strategy is an object the analysis
    does not know (a parameter, the value of an unmodelled TF call), so it is told by the
    method's name and the call's shape: one function of the program's own, only the
    strategy's keywords, and `run` only with `args=`/`kwargs=` when the receiver is not a TF
    value. The call's value is the function's (a per-replica value of it)."""
    attr = getattr(getattr(node, "func", None), "attr", None)
    if attr not in tfnames.STRATEGY_RUNS or starred or len(args) != 1:
        return NOT_SPECIAL
    if not (func is UNKNOWN or isinstance(func, Tensor)) or not set(kwargs) <= tfnames.STRATEGY_RUN_KEYWORDS:
        return NOT_SPECIAL
    if attr == "run" and func is UNKNOWN and not {"args", "kwargs"} & set(kwargs):
        return NOT_SPECIAL
    fn, given, named = args[0], [], {}
    if isinstance(fn, Partial):
        fn, given, named = fn.func, list(fn.args), dict(fn.kwargs)
    if not isinstance(fn, FuncVal):
        return NOT_SPECIAL
    passed, passed_kw = kwargs.get("args"), kwargs.get("kwargs")
    known = True
    if isinstance(passed, ListVal) and not passed.sample and not passed.changed:
        given += passed.items
    elif passed is not None:
        known = False
    if isinstance(passed_kw, DictVal) and not passed_kw.open and all(isinstance(k, str) for k in passed_kw.items):
        named.update(passed_kw.items)
    elif passed_kw is not None and not (isinstance(passed_kw, Const) and passed_kw.value is None):
        known = False
    return interp.call_function(fn, given, named, Site(module.path, node), unknown_args=not known)


@register(*tfnames.TF_COND)
def _cond(interp, canon, node, args, kwargs, module) -> Any:
    """`tf.cond(pred, true_fn, false_fn)`: graph mode builds both branches when the op is
    built, the true one first, so what each makes exists when the call returns and the second
    meets the first's variables (TF 1.x named them `fn1`/`fn2`). Eager TF 2 runs the taken
    branch only: there the two are arms of one `if`, and what each makes is not the other's."""
    true_fn = args[1] if len(args) > 1 else kwargs.get("true_fn", kwargs.get("fn1"))
    false_fn = args[2] if len(args) > 2 else kwargs.get("false_fn", kwargs.get("fn2"))
    _build_branches(interp, (true_fn, false_fn), node, module, exclusive=not _builds_graph(interp))
    return NOT_SPECIAL


def _builds_graph(interp) -> bool:
    """Whether ops are built into a graph here rather than run: inside a traced `tf.function`,
    inside a `variable_scope`, or in a program one of whose modules names a graph-mode-only API
    (`tf.placeholder`, `tf.Session`, `disable_eager_execution`, `get_variable`...)."""
    if interp.tf.tf_functions or interp.tf.scopes:
        return True
    return graph_program(interp)


@register(*tfnames.TF_CASE)
def _case(interp, canon, node, args, kwargs, module) -> Any:
    """`tf.case([(pred, fn), ...], default)`: each pair's function in the list's order, then
    the default, as the nested conds TF makes of it build them. A dict of pairs (keyed by
    tensors, so its order is not seen here) is not followed."""
    pairs = args[0] if args else kwargs.get("pred_fn_pairs")
    default = args[1] if len(args) > 1 else kwargs.get("default")
    if not isinstance(pairs, ListVal) or pairs.sample or pairs.changed:
        return NOT_SPECIAL
    fns = [pair.items[1] if isinstance(pair, ListVal) and len(pair.items) == 2 else None for pair in pairs.items]
    _build_branches(interp, (*fns, default), node, module, exclusive=not _builds_graph(interp))
    return NOT_SPECIAL


def _build_branches(interp, branches, node, module, exclusive: bool = False) -> None:
    """Run each branch function of the program's own once, in order, with no arguments;
    `exclusive`: each on an arm of its own, as the arms of an `if` (one of them runs)."""
    loops = tuple(interp.loops)
    for arm, fn in enumerate(branches):
        args, kwargs = [], {}
        if isinstance(fn, Partial):
            fn, args, kwargs = fn.func, list(fn.args), dict(fn.kwargs)
        if not isinstance(fn, FuncVal):
            continue
        depth = len(interp.conds)
        if exclusive:
            interp.conds.append(Cond(id(node), loops, arm))
        try:
            interp.call_function(fn, args, kwargs, Site(module.path, node))
        finally:
            del interp.conds[depth:]


def traces(decorator: Any) -> bool:
    """A decorator that makes the function a `tf.function`."""
    return isinstance(decorator, TFRef) and tfnames.canonical(decorator.qualname) in tfnames.TF_FUNCTION
