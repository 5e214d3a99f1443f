"""Layer functions (`tf.layers.dense`, `slim.conv2d`, `tf.contrib.layers.batch_norm`): each
opens a scope named after it (`dense`, `dense_1`... when no name is given) and requests its
variables there, with the layer's own `reuse` on top of the scope's. `tfnames.LAYER_FUNCTIONS`
lists each one's base name and variables.

A `tf.layers` layer given no name but its own `reuse` that is on skips the counter: TF opens its
bare base name (`dense`), so a second unnamed `dense` of the scope entry requests the first
one's variables. When that argument may be on or off (a builder's parameter), the counter's
name is recorded and the bare name kept beside it as the creation's `reuse_alias`.

A slim / contrib layer runs its `normalizer_fn` (given, or set by an open `slim.arg_scope`) on
its output inside its own scope, so `slim.conv2d(x, 64, scope="d_conv1",
normalizer_fn=slim.batch_norm)` makes `d_conv1/weights` and `d_conv1/BatchNorm/beta` (and no
`biases`) with the layer's reuse: made again, or looked up, as the layer's weights are. A
project function given as `normalizer_fn` or `activation_fn` runs there too.
"""

from __future__ import annotations

from dataclasses import dataclass

from reuse_lint import tfnames
from reuse_lint.engine.tfapi import NOT_SPECIAL, context, register
from reuse_lint.engine.tfapi.core import open_layer_scope, record, reuse_value, variable_tensor
from reuse_lint.engine.values import (
    AUTO, UNKNOWN, Const, DictVal, FuncVal, ListVal, Partial, Tensor, TFRef, deps, truthy,
)


@dataclass(eq=False)
class ArgScope:
    """`slim.arg_scope([slim.conv2d, ...], **defaults)`: the functions it fills in (as
    `tfnames.arg_scope_key` names them) and the keyword arguments it gives them."""

    keys: frozenset
    defaults: dict


@register(*tfnames.ARG_SCOPES)
def _arg_scope(interp, canon, node, args, kwargs, module):
    # One that sets `reuse` (or passes `**kw`) stays the unknown scope it always was.
    if len(args) != 1 or "reuse" in kwargs or any(k.arg is None for k in node.keywords):
        return NOT_SPECIAL
    ops = args[0]
    if not isinstance(ops, ListVal) or ops.sample or not all(isinstance(op, TFRef) for op in ops.items):
        return NOT_SPECIAL
    keys = {tfnames.arg_scope_key(tfnames.canonical(op.qualname)) for op in ops.items}
    return ArgScope(frozenset(keys - {None}), dict(kwargs))


def _enter_arg_scope(interp, scope: ArgScope, module, node):
    interp.tf.arg_scopes.append(scope)
    return UNKNOWN


def _exit_arg_scope(interp, scope: ArgScope) -> None:
    if interp.tf.arg_scopes and interp.tf.arg_scopes[-1] is scope:
        interp.tf.arg_scopes.pop()


context(ArgScope, exit=_exit_arg_scope)(_enter_arg_scope)


def _with_arg_scopes(interp, canon: str, kwargs: dict) -> dict:
    """The call's keyword arguments over those its open arg_scopes give it (inner first)."""
    key = tfnames.arg_scope_key(canon)
    if key is None or not interp.tf.arg_scopes:
        return kwargs
    merged: dict = {}
    for scope in interp.tf.arg_scopes:
        if key in scope.keys:
            merged.update(scope.defaults)
    merged.update(kwargs)
    return merged


@register(*tfnames.LAYER_FUNCTIONS)
def _layer(interp, canon, node, args, kwargs, module) -> Tensor:
    base, variables = tfnames.LAYER_FUNCTIONS[canon]
    kwargs = _with_arg_scopes(interp, canon, kwargs)
    normalizer = kwargs.get("normalizer_fn", Const(None)) if canon in tfnames.NORMALIZED_LAYERS else Const(None)
    if _runs(normalizer, project_only=False):
        variables = tuple(v for v in variables if v != "biases")  # slim adds no bias before a normalizer
    explicit = kwargs.get(tfnames.layer_name_argument(canon), Const(None))
    layer_reuse = reuse_value(kwargs.get("reuse", Const(None)))
    auto = isinstance(explicit, Const) and explicit.value is None
    if auto:
        sub, counted = base, not _skips_counter(canon, layer_reuse)
    else:
        sub, counted = (explicit.value if isinstance(explicit, Const) and isinstance(explicit.value, str) else None), False
    outer, full, extra = open_layer_scope(interp, sub, counted, layer_reuse, node, module)
    trainable = truthy(kwargs.get("trainable", Const(True))) is not False
    alias = _bare_name(canon, outer, full, base, layer_reuse) if auto else None
    result = deps(args, kwargs)
    for var in variables:
        var_trainable = trainable and var not in tfnames.NON_TRAINABLE
        created = record(interp, f"{full}/{var}" if full else None, "layer", node, module, extra,
                         trainable=var_trainable, auto_named=auto,
                         reuse_alias=f"{alias}/{var}" if alias else None)
        result = result | variable_tensor(created)
    if canon in tfnames.NORMALIZED_LAYERS:
        result = _after_weights(interp, node, kwargs, module, extra, normalizer, result)
    return result


def _runs(func, project_only: bool) -> bool:
    """Whether the linter follows a call of `func` given to a layer: a TensorFlow name or a
    project function for a normalizer, only a project function for an activation."""
    if isinstance(func, Partial):
        func = func.func
    return isinstance(func, FuncVal) or (isinstance(func, TFRef) and not project_only)


def _after_weights(interp, node, kwargs, module, extra, normalizer, result) -> Tensor:
    """The normalizer and the activation a slim layer applies in its own scope, with its reuse."""
    activation = kwargs.get("activation_fn", Const(None))
    steps = [(normalizer, _keywords(kwargs.get("normalizer_params", Const(None))))] if _runs(normalizer, False) else []
    if _runs(activation, project_only=True):
        steps.append((activation, {}))
    if not steps:
        return result
    scope, site = extra
    interp.tf.scopes.append(scope)
    interp.tf.scope_sites.append(site)
    try:
        for func, params in steps:
            if params is None:
                continue  # unknown parameters may name its scope: not followed
            out = interp.call(func, [result], params, node, [], module)
            if isinstance(out, Tensor):
                result = result | out
    finally:
        interp.tf.scopes.pop()
        interp.tf.scope_sites.pop()
    return result


def _keywords(params) -> dict | None:
    """`normalizer_params` as keyword arguments (None: not known)."""
    if isinstance(params, Const) and params.value is None:
        return {}
    if isinstance(params, DictVal) and not params.open and all(isinstance(k, str) for k in params.items):
        return dict(params.items)
    return None


def _skips_counter(canon: str, layer_reuse) -> bool:
    return canon.startswith("tf.layers.") and (layer_reuse == Const(True) or layer_reuse is AUTO)


def _bare_name(canon: str, outer: str | None, full: str | None, base: str, layer_reuse) -> str | None:
    """The scope an unnamed `tf.layers` layer opens when its own `reuse` may be on (slim and
    contrib layers refuse `reuse` without a scope instead)."""
    if not canon.startswith("tf.layers.") or layer_reuse == Const(False) or full is None:
        return None
    return f"{outer}/{base}" if outer else base
