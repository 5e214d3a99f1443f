"""Where a program constructs one of its classes, read from the syntax of its files (no I/O).

An entry method (a method nothing calls) starts from what its class's `__init__` sets; with
unknown arguments, `self._n_layers = n_layers` is unknown, and a rule cannot tell one layer
from several. When every construction of the class in the project is a plain call with
literal arguments (or a settings object the file fills with literals: `Model(FLAGS)` after
`DEFINE_integer`, see `settings`), those arguments are what `__init__` receives.

`constructions(tree, name, imported)` answers for one file: the calls of the class there, or
None when the file uses the class in a way that could construct it unseen (a subclass, the
class passed as a value, a `cls(...)` in a classmethod, the name as a string for `getattr`).
"""

from __future__ import annotations

import ast
from typing import Any

from reuse_lint.engine.settings import settings
from reuse_lint.engine.values import UNKNOWN, Const

# One construction: its positional arguments and keywords, each a Const or UNKNOWN.
Construction = tuple[list[Any], dict[str, Any]]


def literal(node: ast.expr, named: dict | None = None) -> Any:
    """A literal, or (given the file's `settings`) a name bound to a settings object."""
    if named and isinstance(node, ast.Name) and node.id in named:
        return named[node.id]
    if isinstance(node, ast.Constant):
        return Const(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and isinstance(node.operand.value, (int, float)):
        return Const(-node.operand.value)
    return UNKNOWN


def constructions(tree: ast.Module, name: str, bound: set[str], defines: bool) -> list[Construction] | None:
    """The calls `N(...)` in `tree`, N one of `bound` (the names the file binds the class to);
    `defines`: the file is the class's own module (its ClassDef and the `cls(...)` of its
    classmethods are looked at). None when some use of the class may construct it unseen."""
    found: list[Construction] = []
    named = settings(tree, unshadowed=True)
    called: set[int] = set()  # the Name nodes that are read harmlessly
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("super", "isinstance"):
            # `super(Model, self)`, `isinstance(x, Model)`: the class read, never constructed
            called.update(id(a) for a in node.args if isinstance(a, ast.Name))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in bound:
            called.add(id(node.func))
            if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
                return None  # `Model(*args, **config)`: what it passes is not written here
            found.append(([literal(a, named) for a in node.args], {k.arg: literal(k.value, named) for k in node.keywords}))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in bound and id(node) not in called:
            return None  # a base class, a factory argument, an alias: constructions we cannot see
        if isinstance(node, ast.Attribute) and node.attr == name:
            return None  # `module.Model(...)` or `Model` read as an attribute: not followed here
        if isinstance(node, ast.Constant) and node.value == name and looks_up_names(tree):
            return None  # `getattr(module, "Model")`; without such a lookup a string is data
        if defines and isinstance(node, ast.ClassDef) and node.name in bound and _constructs_itself(node):
            return None
    return found


def _constructs_itself(cls: ast.ClassDef) -> bool:
    """`cls(...)`, `type(self)(...)`, `self.__class__(...)` in the class's own methods."""
    for node in ast.walk(cls):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "cls":
            return True
        if isinstance(func, ast.Attribute) and func.attr == "__class__":
            return True
        if isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "type":
            return True
    return False


_LOOKUPS = frozenset({"getattr", "globals", "locals", "vars", "eval", "exec", "__import__", "import_module"})


def looks_up_names(tree: ast.Module) -> bool:
    """The file can turn a string into an object: `getattr`, `globals()[...]`, `eval`..."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if called in _LOOKUPS:
                return True
        if isinstance(node, ast.Attribute) and node.attr == "__dict__":
            return True
    return False
