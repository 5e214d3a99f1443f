"""Parameter names of a `def`, read from its syntax: the engine and the rules both bind call
arguments to parameters, and a positional-only parameter is positional like any other."""

from __future__ import annotations

import ast


def positional_names(args: ast.arguments) -> list[str]:
    """The names a call's positional arguments bind, in order (positional-only first)."""
    return [p.arg for p in args.posonlyargs + args.args]


def parameter_names(args: ast.arguments) -> list[str]:
    """Every named parameter but `*args` and `**kwargs`: the positional ones, then keyword-only."""
    return positional_names(args) + [p.arg for p in args.kwonlyargs]
