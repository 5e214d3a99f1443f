"""`tf.function`: as a call on a function or as a decorator, it marks the function as traced,
so what it builds may be built again on each trace (see `Build.in_tf_function`).
"""

from __future__ import annotations

from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.tfapi import NOT_SPECIAL, register
from reuse_lint.engine.events import Site
from reuse_lint.engine.values import FuncVal, TFRef


@register(*tfnames.TF_FUNCTION)
def _tf_function(interp, canon, node, args, kwargs, module) -> Any:
    if args and isinstance(args[0], FuncVal):
        return args[0].bound(args[0].bound_self, True)
    return NOT_SPECIAL


@register(*tfnames.TRACED_AT_CALL)
def _traced_at_call(interp, canon, node, args, kwargs, module) -> Any:
    """`tf.map_fn(fn, elems)`, `tf.while_loop(cond, body, vars)`: TF traces each function once
    while building the op, so the variables it makes exist when the call returns. Each is run
    once here, on unknown values; the op's own value is what any unmodelled op gives."""
    for position, keyword in tfnames.TRACED_AT_CALL[canon]:
        fn = args[position] if len(args) > position else kwargs.get(keyword)
        if isinstance(fn, FuncVal):
            interp.call_function(fn, [], {}, Site(module.path, node), unknown_args=True)
    return NOT_SPECIAL


def traces(decorator: Any) -> bool:
    """A decorator that makes the function a `tf.function`."""
    return isinstance(decorator, TFRef) and tfnames.canonical(decorator.qualname) in tfnames.TF_FUNCTION
