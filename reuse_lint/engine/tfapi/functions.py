"""`tf.function`: as a call on a function or as a decorator, it marks the function as traced,
so what it builds may be built again on each trace (see `Build.in_tf_function`).
"""

from __future__ import annotations

from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.tfapi import NOT_SPECIAL, register
from reuse_lint.engine.events import Site
from reuse_lint.engine.values import UNKNOWN, FuncVal, ListVal, Tensor, TFRef, deps


@register(*tfnames.TF_FUNCTION)
def _tf_function(interp, canon, node, args, kwargs, module) -> Any:
    if args and isinstance(args[0], FuncVal):
        return args[0].bound(args[0].bound_self, True)
    return NOT_SPECIAL


@register(*tfnames.TRACED_AT_CALL)
def _traced_at_call(interp, canon, node, args, kwargs, module) -> Any:
    """`tf.map_fn(fn, elems)`, `tf.while_loop(cond, body, vars)`: TF traces each function once
    while building the op, so the variables it makes exist when the call returns. Each is run
    once here, on unknown values. The op's value depends on its inputs and on what its function
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
            result = interp.call_function(fn, given, {}, Site(module.path, node), unknown_args=True)
            if keyword != "cond":
                results.append(result)
    made = deps([*args, *results], kwargs)
    if not (made.calls or made.scopes):
        return NOT_SPECIAL
    if loop_vars:
        return ListVal([made for _ in loop_vars.items])  # `_, h = tf.while_loop(...)`: as many as went in
    return made


def traces(decorator: Any) -> bool:
    """A decorator that makes the function a `tf.function`."""
    return isinstance(decorator, TFRef) and tfnames.canonical(decorator.qualname) in tfnames.TF_FUNCTION
