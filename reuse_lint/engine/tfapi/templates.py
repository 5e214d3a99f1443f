"""`tf.make_template(name, func)`: the first call of a template opens a fresh scope and
creates; every later call in the same graph re-enters that scope with reuse on.
"""

from __future__ import annotations

from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.events import Site
from reuse_lint.engine.tfapi import callable_values, register
from reuse_lint.engine.values import UNKNOWN, Const, FuncVal, ScopeVal, TemplateVal


@register(tfnames.MAKE_TEMPLATE)
def _make_template(interp, canon, node, args, kwargs, module) -> Any:
    name = args[0] if args else kwargs.get("name_", UNKNOWN)
    func = args[1] if len(args) > 1 else kwargs.get("func_", UNKNOWN)
    return TemplateVal(name.value if isinstance(name, Const) else None, func, node)


@callable_values(TemplateVal)
def _call_template(interp, template: TemplateVal, node, args, kwargs, module, site: Site, starred) -> Any:
    graph = interp.tf.graph
    gid = graph.gid
    first = gid not in template.created_in
    if first:
        base = graph.unique(interp.tf.prefix(), template.name) if template.name else None
        outer = interp.tf.prefix()
        full = None if base is None or outer is None else (f"{outer}/{base}" if outer else base)
        template.created_in[gid] = full
    full = template.created_in[gid]
    # Every call enters the template's scope afresh, so layer names restart (dense, not dense_1).
    graph.open(full)
    scope = ScopeVal(full, Const(not first), gid, template.node, reuse_seq=0 if first else interp.analysis.tick())
    interp.tf.scopes.append(scope)
    interp.tf.scope_sites.append(None if first else Site(module.path, template.node))
    interp.calls.append(site)
    try:
        if isinstance(template.func, FuncVal):
            return interp.call_function(template.func, args, kwargs, None, unknown_args=starred)
        interp.tf.graph.opaque = True
        return UNKNOWN
    finally:
        interp.calls.pop()
        interp.tf.scopes.pop()
        interp.tf.scope_sites.pop()
