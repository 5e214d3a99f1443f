"""Variables: `tf.get_variable` (named by the scope stack, shared or not by its reuse flag: a
`Creation`) and `tf.Variable` (always new, named by name scopes the selections cannot see: a
`Build`).
"""

from __future__ import annotations

import ast
from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.tfapi import register
from reuse_lint.engine.tfapi.core import build, model_scope, record, variable_tensor
from reuse_lint.engine.values import EMPTY_TENSOR, UNKNOWN, Const, Tensor, deps, truthy


@register(tfnames.GET_VARIABLE)
def _get_variable(interp, canon, node, args, kwargs, module) -> Tensor:
    name = kwargs.get("name", args[0] if args else UNKNOWN)
    outer = interp.tf.prefix()
    if isinstance(name, Const) and isinstance(name.value, str) and outer is not None:
        full = f"{outer}/{name.value}" if outer else name.value
    else:
        full = None
    trainable = truthy(_trainable(canon, args, kwargs)) is not False
    created = record(interp, full, "get_variable", node, module, trainable=trainable)
    created.initialized = "initializer" in kwargs or len(args) > _INITIALIZER_POSITION
    return variable_tensor(created)


_INITIALIZER_POSITION = 3  # get_variable(name, shape, dtype, initializer, ...)


@register(*tfnames.VARIABLE, *tfnames.FILLED_VARIABLES)  # `K.zeros((4, 8))` is a tf.Variable too
def _variable(interp, canon, node, args, kwargs, module) -> Any:
    flag = truthy(_trainable(canon, args, kwargs))
    trainable = flag is not False
    made = build(interp, "variable", canon, node, module)
    made.trainable, made.trainable_unknown = trainable, flag is None
    owner = interp.funcs[-1].node if interp.funcs else module.tree
    key = ("updated in place", id(owner))
    if key not in interp._loaded_cache:
        interp._loaded_cache[key] = _updated_in_place(owner)
    made.state = id(node) in interp._loaded_cache[key]
    # Named by name_scope, which selections cannot see here.
    if trainable:
        interp.tf.graph.unnamed = True
    else:
        interp.tf.graph.unnamed_frozen = True
    model = model_scope(interp)
    return Tensor(scopes=frozenset({model})) if trainable and model else EMPTY_TENSOR


def _trainable(canon: str, args, kwargs) -> Any:
    """The `trainable` a variable call passes, by keyword or by position; True by default."""
    position = tfnames.TRAINABLE_POSITION.get(canon)
    if position is not None and len(args) > position:
        return args[position]
    return kwargs.get("trainable", Const(True))


@register(tfnames.ASSIGN_MOVING_AVERAGE)
def _assign_moving_average(interp, canon, node, args, kwargs, module) -> Any:
    """`moving_averages.assign_moving_average(moving_mean, mean, decay)`: the update of one
    variable. With `zero_debias` TF makes `<variable>/biased` and `<variable>/local_step`, both
    non-trainable, so the trainable collection stays known (it was an unknown call before); a
    lookup of such a name under reuse may find them."""
    zero_debias = kwargs.get("zero_debias", args[3] if len(args) > 3 else Const(True))
    if truthy(zero_debias) is not False:
        interp.tf.graph.unnamed_frozen = True
        interp.tf.graph.debiased = True
    made = deps(args, kwargs)
    return made if made.calls or made.scopes else made.cut(frozenset({id(node)}))


_IN_PLACE = frozenset({"assign", "assign_add", "assign_sub"})


def _updated_in_place(owner: ast.AST) -> frozenset[int]:
    """The calls in a function (or module) whose result is bound to a name or `obj.attr` that
    the same code then updates with `.assign(...)`, `.assign_add(...)` or `.assign_sub(...)`:
    a counter or an accumulator, state kept per call rather than a weight."""

    def key(target: ast.AST) -> tuple | None:
        if isinstance(target, ast.Name):
            return (target.id,)
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            return (target.value.id, target.attr)
        return None

    bound: dict[tuple, list[int]] = {}
    updated = set()
    for node in ast.walk(owner):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            for target in node.targets:
                if (k := key(target)) is not None:
                    bound.setdefault(k, []).append(id(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _IN_PLACE:
            if (k := key(node.func.value)) is not None:
                updated.add(k)
    return frozenset(call for k, calls in bound.items() if k in updated for call in calls)
