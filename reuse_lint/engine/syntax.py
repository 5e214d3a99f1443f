"""What the syntax alone says, shared by the interpreter and the queries: the parameter names
of a `def` (the engine and the rules both bind call arguments to parameters, and a
positional-only parameter is positional like any other), and whether a node is `self.x`."""

from __future__ import annotations

import ast


def positional_names(args: ast.arguments) -> list[str]:
    """The names a call's positional arguments bind, in order (positional-only first)."""
    return [p.arg for p in args.posonlyargs + args.args]


def parameter_names(args: ast.arguments) -> list[str]:
    """Every named parameter but `*args` and `**kwargs`: the positional ones, then keyword-only."""
    return positional_names(args) + [p.arg for p in args.kwonlyargs]


def is_self_attribute(node: ast.AST) -> bool:
    """`self.x`."""
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"
