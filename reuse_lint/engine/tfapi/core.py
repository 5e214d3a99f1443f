"""What every family reads and writes: the scope a name lands in, the reuse in force, and the
two records the rules reason over, a `Creation` per variable request and a `Build` per object
that makes variables its own way (a Keras layer, a `tf.Variable`, a default-named scope).

The state itself (graph, scope stack, name scopes) is kept on the interpreter, which saves and
restores it around imports and entry points along with its own.
"""

from __future__ import annotations

import ast
from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.events import Build, Creation, Site
from reuse_lint.engine.values import AUTO, EMPTY_TENSOR, UNKNOWN, Const, ModuleState, ScopeVal, Tensor, TFRef


def prefix(interp) -> str | None:
    """The full name of the innermost variable scope ("" at the root, None when unknown)."""
    return interp.scopes[-1].name if interp.scopes else ""


def reuse_value(value: Any) -> Any:
    if value is None or (isinstance(value, Const) and value.value in (None, False)):
        return Const(False)
    if isinstance(value, Const) and value.value is True:
        return Const(True)
    if isinstance(value, TFRef) and tfnames.canonical(value.qualname) == tfnames.AUTO_REUSE:
        return AUTO
    if isinstance(value, ScopeVal):  # `reuse=scope` is a mistake we do not judge
        return UNKNOWN
    return UNKNOWN


def effective_reuse(interp, extra: Any = None) -> tuple[Any, Site | None]:
    reuse, site = interp.graph.root.reuse, interp.graph.root_reuse_site
    frames = list(zip(interp.scopes, interp.scope_sites))
    if extra is not None:
        frames.append(extra)
    for scope, scope_site in frames:
        r = scope.reuse
        if r is UNKNOWN:
            reuse, site = UNKNOWN, None
        elif r == Const(True) or r == AUTO:
            reuse, site = r, scope_site
    return reuse, site


def model_scope(interp) -> str | None:
    if not interp.scopes or interp.scopes[0].name is None:
        return None
    return interp.scopes[0].name.split("/")[0] or None


def record(interp, name: str | None, kind: str, node: ast.AST, module: ModuleState, extra=None,
           trainable: bool = True, auto_named: bool = False) -> Creation:
    reuse, reuse_site = effective_reuse(interp, extra)
    stack = tuple(interp.calls) + (Site(module.path, node),)
    graph = interp.graph
    creation = Creation(
            graph=graph.gid,
            name=name,
            kind=kind,
            reuse=reuse,
            stack=stack,
            conds=tuple(interp.conds),
            loops=tuple(interp.loops),
            trace=interp.trace,
            fresh_graph=graph.fresh,
            name_scopes=tuple(name for name, _ in interp.name_scopes),
            reuse_site=reuse_site,
            opaque_before=graph.opaque,
            scope_nodes=tuple(s.node for s in interp.scopes),
            trainable=trainable,
            model_scope=model_scope(interp),
            auto_named=auto_named,
            frame_entry=interp.scopes[-1] if interp.scopes else None,
            name_scope_sites=tuple(site for _, site in interp.name_scopes),
            seq=interp.analysis.tick(),
        )
    interp.analysis.creations.append(creation)
    if reuse != Const(True):
        if name is None:
            graph.unnamed = True
        else:
            graph.variables.setdefault(name, creation)
    for entry in interp.open_drops:
        entry.created = True
    for build_ in interp.open_builds:
        build_.created = True
    return creation


def build(interp, kind: str, canon: str, node: ast.AST, module: ModuleState) -> Build:
    reuse, reuse_site = effective_reuse(interp)
    depth, func = interp.tf_functions[-1] if interp.tf_functions else (None, None)
    made = Build(
        kind=kind, canon=canon, site=Site(module.path, node), calls=tuple(interp.call_info),
        conds=tuple(interp.conds), loops=tuple(interp.loops), trace=interp.trace, graph=interp.graph.gid,
        reuse=reuse, reuse_site=reuse_site, in_tf_function=depth is not None,
        conditional_in_function=depth is not None and interp.guards > depth,
        keras_call=f"{func.owner.node.name}.call" if func is not None and func.keras_call and func.owner else None,
    )
    interp.analysis.builds.append(made)
    return made


def variable_tensor(created: Creation) -> Tensor:
    """What a new variable carries downstream: the model scope it belongs to, if trainable."""
    if created.trainable and created.model_scope:
        return Tensor(scopes=frozenset({created.model_scope}))
    return EMPTY_TENSOR
