"""Variables: `tf.get_variable` (named by the scope stack, shared or not by its reuse flag: a
`Creation`) and `tf.Variable` (always new, named by name scopes the selections cannot see: a
`Build`).
"""

from __future__ import annotations

from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.tfapi import register
from reuse_lint.engine.tfapi.core import build, model_scope, record, variable_tensor
from reuse_lint.engine.values import EMPTY_TENSOR, UNKNOWN, Const, Tensor, truthy


@register(tfnames.GET_VARIABLE)
def _get_variable(interp, canon, node, args, kwargs, module) -> Tensor:
    name = kwargs.get("name", args[0] if args else UNKNOWN)
    outer = interp.tf.prefix()
    if isinstance(name, Const) and isinstance(name.value, str) and outer is not None:
        full = f"{outer}/{name.value}" if outer else name.value
    else:
        full = None
    trainable = truthy(kwargs.get("trainable", Const(True))) is not False
    created = record(interp, full, "get_variable", node, module, trainable=trainable)
    return variable_tensor(created)


@register(*tfnames.VARIABLE)
def _variable(interp, canon, node, args, kwargs, module) -> Any:
    trainable = truthy(kwargs.get("trainable", Const(True))) is not False
    build(interp, "variable", canon, node, module).trainable = trainable
    # Named by name_scope, which selections cannot see here.
    if trainable:
        interp.tf.graph.unnamed = True
    else:
        interp.tf.graph.unnamed_frozen = True
    model = model_scope(interp)
    return Tensor(scopes=frozenset({model})) if trainable and model else EMPTY_TENSOR
