"""Layer functions (`tf.layers.dense`, `slim.conv2d`, `tf.contrib.layers.batch_norm`): each
opens a scope named after it (`dense`, `dense_1`... when no name is given) and requests its
variables there, with the layer's own `reuse` on top of the scope's. `tfnames.LAYER_FUNCTIONS`
lists each one's base name and variables.

A `tf.layers` layer given no name but its own `reuse` that is on skips the counter: TF opens its
bare base name (`dense`), so a second unnamed `dense` of the scope entry requests the first
one's variables. When that argument may be on or off (a builder's parameter), the counter's
name is recorded and the bare name kept beside it as the creation's `reuse_alias`.
"""

from __future__ import annotations

from reuse_lint import tfnames
from reuse_lint.engine.tfapi import register
from reuse_lint.engine.tfapi.core import open_layer_scope, record, reuse_value, variable_tensor
from reuse_lint.engine.values import AUTO, Const, Tensor, deps, truthy


@register(*tfnames.LAYER_FUNCTIONS)
def _layer(interp, canon, node, args, kwargs, module) -> Tensor:
    base, variables = tfnames.LAYER_FUNCTIONS[canon]
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
    return result


def _skips_counter(canon: str, layer_reuse) -> bool:
    return canon.startswith("tf.layers.") and (layer_reuse == Const(True) or layer_reuse is AUTO)


def _bare_name(canon: str, outer: str | None, full: str | None, base: str, layer_reuse) -> str | None:
    """The scope an unnamed `tf.layers` layer opens when its own `reuse` may be on (slim and
    contrib layers refuse `reuse` without a scope instead)."""
    if not canon.startswith("tf.layers.") or layer_reuse == Const(False) or full is None:
        return None
    return f"{outer}/{base}" if outer else base
