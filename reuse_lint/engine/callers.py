"""What values a program passes to one parameter of its own function, read from the syntax
of its calls (no I/O).

An entry point (a function nothing in the analysis calls) runs with unknown arguments, so a
flag it receives is unknown there even when every call the project makes passes `False`
(a layer helper's `reuse=False` forwarded by a generator that is itself built once). When
every call of the function in the project is a plain call, each argument for the parameter
is a literal, the default, or the caller's own parameter passed on (followed to its callers
in turn), those values are all the function can receive.

`calls_in(tree, name)` answers for one file: the calls that may call a function `name`
there, each with the function around it (None at the top level) and whether that function
is a method; None when the file uses the name so that it could be called unseen (passed as
a value, rebound, imported under another name, looked up by a string). A call of another
function of the same name only adds values, so a match by name errs toward "unknown".

`reaching(func, method, param, find)` gives the values, or None when one is unknown or
nothing calls the function at all (its callers are outside the project, and may pass anything).
"""

from __future__ import annotations

import ast
from typing import Any, Callable

from reuse_lint.engine.constructions import literal, looks_up_names
from reuse_lint.engine.syntax import parameter_names, positional_names
from reuse_lint.engine.values import UNKNOWN, Const

Def = ast.FunctionDef | ast.AsyncFunctionDef
# One call: the call, the function it is written in (None: a top level, a lambda, a class
# body) and whether that function is a method (its first parameter is the object).
Call = tuple[ast.Call, "Def | None", bool]
# How deep a parameter passed on is followed (`g_net(reuse)` -> `deconv(reuse=reuse)`).
MAX_HOPS = 4


def calls_in(tree: ast.Module, name: str) -> list[Call] | None:
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    found: list[Call] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name or isinstance(node, ast.Attribute) and node.attr == name:
            parent = parents.get(id(node))
            if not (isinstance(parent, ast.Call) and parent.func is node):
                return None  # read as a value (`fn=deconv`), or rebound: calls we cannot see
            found.append((parent, *_enclosing(parent, parents)))
        elif isinstance(node, ast.alias) and node.name.rpartition(".")[2] == name and node.asname not in (None, name):
            return None  # `from layers import deconv as up`: called by another name
        elif isinstance(node, ast.Constant) and node.value == name and looks_up_names(tree):
            return None  # `getattr(layers, "deconv")`
    return found


def _enclosing(node: ast.AST, parents: dict[int, ast.AST]) -> tuple["Def | None", bool]:
    here = parents.get(id(node))
    while here is not None and not isinstance(here, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
        here = parents.get(id(here))
    if not isinstance(here, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None, False
    return here, isinstance(parents.get(id(here)), ast.ClassDef) and not here.decorator_list


def reaching(func: Def, method: bool, param: str, find: Callable[[str], "list[Call] | None"]) -> list[Any] | None:
    """The values the project's calls give `param` of `func` (`method`: called on an object,
    its first parameter is not passed); `find(name)` gives the project's calls of a name.
    None unless every one is a literal (see `passed`)."""
    given = passed(func, method, param, find)
    if given is None:
        return None
    values = [literal(expr) for expr in given]
    return values if all(isinstance(v, Const) for v in values) else None


def passed(func: Def, method: bool, param: str, find: Callable[[str], "list[Call] | None"], hops: int = 0) -> list[ast.expr] | None:
    """The expressions the project's calls give `param` of `func`, a caller's own parameter
    passed on followed to its callers in turn; None when a call cannot be read, one passes
    a parameter that cannot be followed, or nothing calls the function (its callers are
    outside the project, and may pass anything)."""
    if func.decorator_list or hops > MAX_HOPS:
        return None
    calls = find(func.name)
    if not calls:
        return None
    found: list[ast.expr] = []
    for call, outer, outer_method in calls:
        arg = _argument(func, method, call, param)
        if arg is None:
            return None
        if isinstance(arg, ast.Name) and outer is not None and arg.id in set(parameter_names(outer.args)):
            if not plain_parameter(outer, arg.id):
                return None
            more = passed(outer, outer_method, arg.id, find, hops + 1)
            if more is None:
                return None
            found.extend(more)
            continue
        found.append(arg)
    return found


def set_outside(func: Def, method: bool, param: str, find: Callable[[str], "list[Call] | None"], hops: int = 0) -> bool:
    """Whether callers outside the project may give `param` of `func` its value: nothing in
    the project calls `func`, a call may be unseen or cannot be read, or a call passes on
    its own function's parameter that such callers set. A value the project computes (a
    literal, a loop variable) is one the analysis saw where the call ran."""
    if func.decorator_list or hops > MAX_HOPS:
        return True
    calls = find(func.name)
    if not calls:
        return True
    for call, outer, outer_method in calls:
        arg = _argument(func, method, call, param)
        if arg is None:
            return True
        if isinstance(arg, ast.Name) and outer is not None and plain_parameter(outer, arg.id):
            if set_outside(outer, outer_method, arg.id, find, hops + 1):
                return True
    return False


def leaves_default(func: Def, method: bool, param: str, find: Callable[[str], "list[Call] | None"]) -> bool:
    """Every call of `func` the project makes leaves `param` at its default; False when a
    call passes it, cannot be read (`**kw`), or nothing calls the function at all."""
    if func.decorator_list:
        return False
    calls = find(func.name)
    if not calls:
        return False
    defaults = {id(d) for d in func.args.defaults + func.args.kw_defaults if d is not None}
    return all(id(_argument(func, method, call, param)) in defaults for call, _, _ in calls)


def leaving_out(func: Def, method: bool, param: str, find: Callable[[str], "list[Call] | None"]) -> tuple[int, int] | None:
    """(how many calls of `func` the project makes, how many leave `param` at its default);
    None when one may be unseen or cannot be read (`**kw`)."""
    if func.decorator_list:
        return None
    calls = find(func.name)
    if calls is None:
        return None
    defaults = {id(d) for d in func.args.defaults + func.args.kw_defaults if d is not None}
    args = [_argument(func, method, call, param) for call, _, _ in calls]
    if any(arg is None for arg in args):
        return None
    return len(args), sum(1 for arg in args if id(arg) in defaults)


def _argument(func: Def, method: bool, call: ast.Call, param: str) -> ast.expr | None:
    """The expression `call` gives `param`: an argument, or the default it leaves in place;
    None when that cannot be read (`*args`, `**kw`, a method called as a plain function)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    if method and not isinstance(call.func, ast.Attribute):
        return None
    a = func.args
    positional = positional_names(a)
    passed = positional[1:] if method else positional
    if param in passed and passed.index(param) < len(call.args):
        return call.args[passed.index(param)]
    given = next((k.value for k in call.keywords if k.arg == param), None)
    if given is not None:
        return given
    if param in positional:
        i = positional.index(param) - (len(positional) - len(a.defaults))
        return a.defaults[i] if i >= 0 else None
    kwonly = [p.arg for p in a.kwonlyargs]
    return a.kw_defaults[kwonly.index(param)] if param in kwonly else None


def plain_parameter(func: Def, name: str) -> bool:
    """`name` is a parameter of `func` that its body never rebinds."""
    a = func.args
    if name not in set(parameter_names(a)):
        return False
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return False
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return False
    return True
