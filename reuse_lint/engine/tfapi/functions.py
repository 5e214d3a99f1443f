"""`tf.function`: as a call on a function or as a decorator, it marks the function as traced,
so what it builds may be built again on each trace (see `Build.in_tf_function`).
"""

from __future__ import annotations

from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.tfapi import NOT_SPECIAL, register
from reuse_lint.engine.values import FuncVal, TFRef


@register(*tfnames.TF_FUNCTION)
def _tf_function(interp, canon, node, args, kwargs, module) -> Any:
    if args and isinstance(args[0], FuncVal):
        return args[0].bound(args[0].bound_self, True)
    return NOT_SPECIAL


def traces(decorator: Any) -> bool:
    """A decorator that makes the function a `tf.function`."""
    return isinstance(decorator, TFRef) and tfnames.canonical(decorator.qualname) in tfnames.TF_FUNCTION
