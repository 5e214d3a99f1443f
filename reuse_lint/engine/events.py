"""What the interpreter observed: the facts the rules reason over."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, eq=False)
class Site:
    """A node in a file: where something happened."""

    path: str
    node: ast.AST


@dataclass(frozen=True)
class Cond:
    """This event happened on one arm of an `if` (within one iteration of enclosing loops)."""

    if_id: int
    loops: tuple
    arm: int


@dataclass(eq=False)
class Creation:
    """One `get_variable`-like request: a creation, or a lookup when reuse is on."""

    graph: int
    name: str | None  # full variable name; None when any part is unknown
    kind: str  # "get_variable" | "layer" | "template"
    reuse: Any  # Const(True) / Const(False) / AUTO / UNKNOWN: the effective reuse
    stack: tuple[Site, ...]  # user call sites, outermost first; the last one creates
    conds: tuple[Cond, ...]
    loops: tuple[tuple[int, int], ...]  # (loop id, iteration) of enclosing loops
    trace: int
    fresh_graph: bool  # True when everything done in this graph before is known
    name_scopes: tuple  # the active tf.name_scope names (None when unknown)
    reuse_site: Site | None = None  # where the reuse came from, when it is on
    opaque_before: bool = False  # an unmodelled call may have created variables before
    scope_nodes: tuple = ()  # the `variable_scope(...)` calls active at the creation


@dataclass(eq=False)
class ScopeEntry:
    """One entry into `variable_scope(...)` inside a function that has a `reuse` parameter."""

    site: Site
    func: ast.AST
    created: bool = False


@dataclass
class Analysis:
    creations: list[Creation] = field(default_factory=list)
    dropped_reuse: list[ScopeEntry] = field(default_factory=list)
    loops: dict[int, Site] = field(default_factory=dict)
    complete: bool = True
    sources: dict[str, Any] = field(default_factory=dict)  # path -> ModuleState
    callees: dict[int, Any] = field(default_factory=dict)  # id(call node) -> function node
    memo: dict[str, Any] = field(default_factory=dict)  # answers of engine.queries
