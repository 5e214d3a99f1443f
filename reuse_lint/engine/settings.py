"""A program's settings object, read from the syntax of the file that makes it (no I/O).

Models are often configured by one object handed to them: `tf.app.flags.FLAGS` after
`DEFINE_integer('n_layers', 1, '')`, the `argparse` namespace of `parser.parse_args()`, or a
bare namespace filled attribute by attribute (`config = Config(); config.n_layers = 1`).
When the file binds such a name once, its attributes are the literal defaults (or the
literal assignments) the file writes, so that `[cell] * self.flags.n_layers` is known to be
one layer where every run of the file says one. A flag given on the command line is not
seen: the values are the ones the project runs with as written, except a switch (a boolean
flag, a `store_true` argument), which is made to be flipped there: both its values are the
program's, so it is unknown (`if FLAGS.is_train: model.train()` is followed). Anything else, an
attribute set twice to different values, set to what is not a literal, or a name the file
binds more than once, stays unknown.

`settings(tree)` answers for one file: the names bound to such an object, each a `Settings`.
"""

from __future__ import annotations

import ast
from typing import Any

from reuse_lint.engine.values import Const, Settings

_FLAGS_MODULES = frozenset({
    "absl.flags", "tensorflow.flags", "tensorflow.app.flags", "tensorflow.compat.v1.flags",
    "tensorflow.compat.v1.app.flags", "tensorflow.python.platform.flags",
})
_DEFINES = frozenset({"DEFINE_integer", "DEFINE_float", "DEFINE_string", "DEFINE_bool", "DEFINE_boolean"})
_SWITCHES = frozenset({"DEFINE_bool", "DEFINE_boolean"})
_NAMESPACES = frozenset({"argparse.Namespace", "types.SimpleNamespace"})
_UNSET = object()


def literal(node: ast.expr | None) -> Any:
    if isinstance(node, ast.Constant):
        return Const(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and isinstance(node.operand.value, (int, float)):
        return Const(-node.operand.value)
    return None


def settings(tree: ast.Module, unshadowed: bool = False) -> dict[str, Settings]:
    """`unshadowed`: only names that no function of the file takes as a parameter (read
    by syntax alone, a parameter of that name could be anything)."""
    found = getattr(tree, "_reuse_lint_settings", None)
    if found is None:
        reader = _Reader(tree)
        every = reader.settings()
        found = (every, {k: v for k, v in every.items() if k not in reader.params})
        tree._reuse_lint_settings = found  # one reading per parsed file
    return found[1] if unshadowed else found[0]


class _Reader:
    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.bindings: dict[str, int] = {}
        self.assigned: dict[str, ast.expr] = {}  # a name bound once, by `name = value`
        self.escapes: set[str] = set()  # names handed to setattr/vars or read as __dict__
        self.params: set[str] = set()  # a function's parameter is its own local, not counted
        for node in ast.walk(tree):
            if isinstance(node, ast.arg):
                self.params.add(node.arg)
                continue
            for name in _bound(node):
                self.bindings[name] = self.bindings.get(name, 0) + 1
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                if not _known_args(node.value):  # a pair, not a namespace
                    self.assigned[node.targets[0].id] = node.value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and _known_args(node.value):
                # `FLAGS, unparsed = parser.parse_known_args()`: the namespace is the first
                # of the pair (the rest of argv goes on to `tf.app.run`).
                target = node.targets[0]
                if isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == 2 and isinstance(target.elts[0], ast.Name):
                    self.assigned[target.elts[0].id] = node.value
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "vars"):
                self.escapes.update(a.id for a in node.args[:1] if isinstance(a, ast.Name))
            if isinstance(node, ast.Attribute) and node.attr == "__dict__" and isinstance(node.value, ast.Name):
                self.escapes.add(node.value.id)

    def once(self, name: str) -> ast.expr | None:
        """What `name` is bound to, when its one binding in the file is `name = value`."""
        if self.bindings.get(name) == 1 and name not in self.escapes:
            return self.assigned.get(name)
        return None

    def qualname(self, node: ast.expr, depth: int = 0) -> str | None:
        """The dotted name `node` stands for through the file's imports and aliases."""
        if isinstance(node, ast.Attribute):
            base = self.qualname(node.value, depth)
            return f"{base}.{node.attr}" if base else None
        if not isinstance(node, ast.Name) or depth > 8:
            return None
        imported = _imports(self.tree).get(node.id)
        if imported is not None:
            return imported if self.bindings.get(node.id) == 1 else None
        value = self.once(node.id)
        return self.qualname(value, depth + 1) if value is not None else None

    def settings(self) -> dict[str, Settings]:
        out: dict[str, Settings] = {}
        for name in self.assigned:
            value = self.once(name)
            attrs = self._of(name, value) if value is not None else None
            if attrs is not None:
                out[name] = Settings(tuple(sorted((k, v) for k, v in attrs.items() if v is not None)))
        return out

    def _of(self, name: str, value: ast.expr) -> dict[str, Any] | None:
        attrs: dict[str, Any] | None = None
        if isinstance(value, ast.Attribute) and value.attr == "FLAGS" and self.qualname(value.value) in _FLAGS_MODULES:
            attrs = self._flags()
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr in ("parse_args", "parse_known_args") \
                and not value.args and not value.keywords and isinstance(value.func.value, ast.Name):
            attrs = self._arguments(value.func.value.id)
        elif isinstance(value, ast.Call) and not value.args and self._namespace(value.func):
            attrs = {k.arg: literal(k.value) for k in value.keywords if k.arg is not None}
            if len(attrs) != len(value.keywords):
                return None
        if attrs is None:
            return None
        for node in ast.walk(self.tree):  # `name.attr = ...` anywhere: one more value for attr
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == name:
                        given = literal(node.value) if isinstance(node, ast.Assign) else None
                        _merge(attrs, t.attr, given)
            if isinstance(node, ast.Delete) and any(isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
                                                    and t.value.id == name for t in node.targets):
                return None
        return attrs

    def _namespace(self, func: ast.expr) -> bool:
        """`argparse.Namespace`, `SimpleNamespace`, or a class of this file with an empty body."""
        if self.qualname(func) in _NAMESPACES:
            return True
        if isinstance(func, ast.Name) and self.bindings.get(func.id) == 1:
            for node in self.tree.body:
                if isinstance(node, ast.ClassDef) and node.name == func.id:
                    plain = all(isinstance(b, ast.Name) and b.id == "object" for b in node.bases)
                    empty = all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
                                for s in node.body)
                    return plain and empty and not node.keywords and not node.decorator_list
        return False

    def _flags(self) -> dict[str, Any]:
        attrs: dict[str, Any] = {}
        for node in ast.walk(self.tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _DEFINES):
                continue
            if self.qualname(node.func.value) not in _FLAGS_MODULES:
                continue
            name = _argument(node, 0, "name")
            default = _argument(node, 1, "default")
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                # A boolean flag is a switch, flipped on the command line (`--train`): both
                # of its paths are the program's.
                _merge(attrs, name.value, None if node.func.attr in _SWITCHES else literal(default))
        return attrs

    def _arguments(self, parser: str) -> dict[str, Any] | None:
        made = self.once(parser)
        if not (isinstance(made, ast.Call) and self.qualname(made.func) == "argparse.ArgumentParser"):
            return None
        attrs: dict[str, Any] = {}
        for node in ast.walk(self.tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == parser):
                continue
            if node.func.attr in ("set_defaults", "add_subparsers"):
                return None  # defaults set elsewhere or parsed in other ways: not followed
            if node.func.attr != "add_argument":
                continue
            dest, value = _argument_default(node)
            if dest is None:
                return None
            _merge(attrs, dest, value)
        return attrs


def _known_args(value: ast.expr) -> bool:
    """`parser.parse_known_args()`: the namespace and the arguments it did not know."""
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
        and value.func.attr == "parse_known_args" and isinstance(value.func.value, ast.Name)


def _merge(attrs: dict[str, Any], key: str, value: Any) -> None:
    """A second, different value (or one that is not a literal) makes `key` unknown."""
    before = attrs.get(key, _UNSET)
    attrs[key] = value if before is _UNSET or before == value else None


def _argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    if len(call.args) > index and not any(isinstance(a, ast.Starred) for a in call.args[:index + 1]):
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _argument_default(call: ast.Call) -> tuple[str | None, Any]:
    """`add_argument('--n-layers', type=int, default=1)`: ('n_layers', Const(1)). A required
    or positional argument, or a string default that `type` converts, has no known value."""
    options = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if len(options) != len(call.args) or not options:
        return None, None
    keywords = {k.arg: k.value for k in call.keywords}
    if None in keywords:
        return None, None
    dest_node = keywords.get("dest")
    if dest_node is not None:
        if not (isinstance(dest_node, ast.Constant) and isinstance(dest_node.value, str)):
            return None, None
        dest = dest_node.value
    else:
        long = [o for o in options if o.startswith("--")]
        dest = (long or options)[0].lstrip("-").replace("-", "_")
    if not options[0].startswith("-") or "required" in keywords or "nargs" in keywords:
        return dest, None
    action = keywords.get("action")
    action = action.value if isinstance(action, ast.Constant) else (None if action is None else "?")
    if action in ("store_true", "store_false"):
        return dest, None  # a switch (see _flags)
    if action not in (None, "store"):
        return dest, None
    default = literal(keywords.get("default")) if "default" in keywords else Const(None)
    if default is not None and isinstance(default.value, str) and "type" in keywords:
        return dest, None
    return dest, default


def _imports(tree: ast.Module) -> dict[str, str]:
    found = getattr(tree, "_reuse_lint_imports", None)
    if found is None:
        found = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    found[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    found[a.asname or a.name] = f"{node.module}.{a.name}"
        tree._reuse_lint_imports = found
    return found


def _bound(node: ast.AST) -> list[str]:
    """The names `node` binds, of any kind."""
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        return [node.id]
    if isinstance(node, ast.alias):
        return [node.asname or node.name.split(".")[0]]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [node.name]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    return []
