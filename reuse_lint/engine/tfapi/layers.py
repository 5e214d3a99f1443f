"""Layer functions (`tf.layers.dense`, `slim.conv2d`, `tf.contrib.layers.batch_norm`): each
opens a scope named after it (`dense`, `dense_1`... when no name is given) and requests its
variables there, with the layer's own `reuse` on top of the scope's. `tfnames.LAYER_FUNCTIONS`
lists each one's base name and variables.
"""

from __future__ import annotations

from reuse_lint import tfnames
from reuse_lint.engine.events import Site
from reuse_lint.engine.tfapi import register
from reuse_lint.engine.tfapi.core import record, reuse_value, variable_tensor
from reuse_lint.engine.values import Const, ScopeVal, Tensor, deps, truthy


@register(*tfnames.LAYER_FUNCTIONS)
def _layer(interp, canon, node, args, kwargs, module) -> Tensor:
    base, variables = tfnames.LAYER_FUNCTIONS[canon]
    explicit = kwargs.get(tfnames.layer_name_argument(canon), Const(None))
    outer = interp.tf.prefix()
    graph = interp.tf.graph
    if isinstance(explicit, Const) and explicit.value is None:
        sub = graph.unique(outer, base)
    elif isinstance(explicit, Const) and isinstance(explicit.value, str):
        sub = explicit.value
    else:
        sub = None
    full = None if sub is None or outer is None else (f"{outer}/{sub}" if outer else sub)
    graph.open(full)
    layer_reuse = reuse_value(kwargs.get("reuse", Const(None)))
    extra = (ScopeVal(full, layer_reuse, graph.gid), Site(module.path, node))
    trainable = truthy(kwargs.get("trainable", Const(True))) is not False
    auto = isinstance(explicit, Const) and explicit.value is None
    result = deps(args, kwargs)
    for var in variables:
        var_trainable = trainable and var not in tfnames.NON_TRAINABLE
        created = record(interp, f"{full}/{var}" if full else None, "layer", node, module, extra,
                         trainable=var_trainable, auto_named=auto)
        result = result | variable_tensor(created)
    return result
