"""An abstract interpreter for the graph-building part of a Python program.

It runs the module body in order and follows calls into user functions and methods (so a
builder's behaviour is computed in the context of each call, with its arguments). It knows
Python, not TensorFlow: a call of a TensorFlow name, an attribute, call or `with` of a value
the models made, goes to the registry in `tfapi/`, whose family modules model the APIs
(scopes and graphs, variables and layers, selections and optimizers, Keras, RNN cells,
templates) and keep TensorFlow's state in the `TFState` this interpreter holds (`self.tf`).

Values are known exactly or not at all (see `values.py`). Control flow: both arms of an `if`
whose test is unknown run, each tagged with its arm, so that two events on different arms
never meet; loop bodies run twice (or as many times as a literal iterable says, at most
twice), which is what "a call inside a loop runs more than once" needs.

Functions that nothing in the module calls are run afterwards as entry points, each in a
graph of its own whose history is unknown.
"""

from __future__ import annotations

import ast
import bisect
import builtins
import os
import re
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Callable

from reuse_lint.engine import tfapi
from reuse_lint.engine.callers import calls_in, leaving_out
from reuse_lint.engine.constructions import constructions
from reuse_lint.engine.settings import settings
from reuse_lint.engine.events import (
    TRUTH,
    NamedConst,
    Analysis,
    CallInfo,
    Cond,
    Site,
)
from reuse_lint.engine.syntax import is_self_attribute, parameter_names, positional_names
from reuse_lint.engine.values import (
    UNKNOWN,
    OPEN_KEY,
    ClassVal,
    Const,
    DictVal,
    ForeignObject,
    FuncVal,
    HiddenMethod,
    Instance,
    KerasOptimizer,
    Settings,
    ListVal,
    ModuleState,
    ModuleVal,
    OneOf,
    PackageVal,
    Partial,
    instances_made,
    same,
    truthy,
)

MAX_DEPTH = 24
# The budget of one analysis, in statements run, and it alone decides where an analysis
# stops: the findings are a function of the input. (A CPU-time budget of 2 s and more for
# a bigger file stopped the heaviest analyses at another point, with other findings, when
# the machine was loaded.) The steps are about that budget's work (35-45 k steps a CPU
# second), so a cold run costs what it did. On the ten corpora (6,429 analyses), all but
# fifteen end within 100 k steps, the largest of those in 96 k; the fifteen (tensorflow/
# benchmarks' two test modules, tensorflow/nmt's nmt_test.py, twelve guildai modules that
# follow the whole guild package) need 125 k to 630 k. A network search space built in
# loops (ENAS, NAO: a cell per layer, each op's weights by a helper, the graph built for
# train, valid and test) needs 140 k to 290 k for the module that holds the model: under
# 100 k its training step was never reached. On the five TF1 corpora of session 17 (2,850
# analyses) only ENAS's two trainers pass 100 k (229 k each); at 300 k they end, for 7 s
# more CPU on that project (about 3 % of the five corpora's). The file's size does not
# count: the steps follow its imports and calls, not its length.
MAX_STEPS = 300_000
# The syntax nodes of a base method beyond which `super().method(...)` is not followed.
SUPER_METHOD_NODES = 150
# A safety net, not a budget: CPU seconds that no analysis of the corpora comes near (the
# slowest needs about 3 s, some twenty times less). Only a statement of pathological cost
# reaches it, and then the machine's speed decides; it is read every CLOCK_EVERY steps (a
# clock read costs more than a step).
SAFETY_SECONDS = 60.0
CLOCK_EVERY = 256
# A script that picks its network by an `if`/`elif` chain on a setting (`if arch == "mlp":
# gen = mlp.AutoEncoder(...) elif ...`) runs the rest of its block once per arm (see
# `_splits`): at most this many arms to a chain, and this many paths for the splits in force
# together (a second chain inside a split one is followed as a pick, OneOf, instead).
MAX_SPLIT = 12
MAX_SPLIT_PATHS = 16
MAX_LITERAL_ITERATIONS = 2
_NOT_APPENDED = object()  # a list change that is not one `.append(x)`

# Libraries whose functions have no effect the models care about (they make no variable):
# calling them tells us nothing.
SAFE_EXTERNAL_ROOTS = frozenset(
    """numpy np math os sys time random collections functools itertools re json logging
    argparse scipy PIL matplotlib pickle glob six absl datetime shutil pandas typing
    dataclasses copy string io csv pathlib warnings abc enum contextlib subprocess
    operator struct hashlib uuid tqdm h5py cv2 imageio skimage sklearn yaml builtins""".split()
) | frozenset(
    # Standard-library modules that take no callable they would run later (unlike
    # threading, atexit, importlib or unittest): `getpass.getuser()` in a data path is
    # no reason to stop knowing the graph.
    """getpass platform socket tempfile zipfile tarfile gzip bz2 lzma zlib codecs textwrap
    pprint traceback heapq bisect statistics fnmatch errno stat locale unicodedata base64
    binascii configparser html urllib fractions decimal numbers array calendar secrets hmac
    difflib shlex mimetypes getopt optparse colorsys wave imghdr reprlib keyword linecache
    ipaddress fileinput gettext gc""".split()
) | frozenset(
    # MPI's ranks and collectives, which RL code reads around every graph it builds
    # (`MPI.COMM_WORLD.Get_rank()` picks a seed or a log folder).
    {"mpi4py"}
) | frozenset(
    # Reinforcement-learning environments: simulators that make no TensorFlow variable
    # (`gym.make(ENV_NAME)` before the agent's networks are built).
    {"gym", "gymnasium"}
)
# Safe modules whose calls return objects of their own that hold no callable of the
# program (unlike functools.partial, or copy.copy of a model): a logger's timestamped folder
# or a registry's compiled pattern, met while a script sets up before it builds the graph;
# an environment, whose `env.seed(1)` and `env.observation_space` set the agent's shapes.
INERT_RESULT_ROOTS = frozenset({"re", "datetime", "gym", "gymnasium"})

# Module loader: (importing module, dotted name, relative level) -> ModuleState or None.
Loader = Callable[[ModuleState, str, int], "ModuleState | None"]


class _Terminator(Exception):
    pass


_RAISED = object()  # what a function body that ended in `raise` gives back (no value)


class _Return(_Terminator):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(_Terminator):
    pass


class _Continue(_Terminator):
    pass


class _Raise(_Terminator):
    pass


def _lacks_required_argument(func, args, kwargs) -> bool:
    """A plain `def` called without one of its required parameters: Python raises TypeError
    before the body runs (`build_decoder()` for `def build_decoder(self, outputs, state)`).
    Decorated functions are left alone: a decorator may change what they take."""
    node = func.node
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.decorator_list:
        return False
    a = node.args
    positional = positional_names(a)
    if func.bound_self is not None:
        positional = positional[1:]
    required = positional[: len(positional) - len(a.defaults)] if a.defaults else positional
    missing = [p for i, p in enumerate(required) if i >= len(args) and p not in kwargs]
    missing += [k.arg for k, d in zip(a.kwonlyargs, a.kw_defaults) if d is None and k.arg not in kwargs]
    return bool(missing)


class _OutOfBudget(Exception):
    """The analysis reached a limit; the message says which."""


class External:
    """A name imported from a package we do not analyse."""

    __slots__ = ("qualname",)

    def __init__(self, qualname: str) -> None:
        self.qualname = qualname

    @property
    def safe(self) -> bool:
        return self.qualname.split(".")[0] in SAFE_EXTERNAL_ROOTS


class Method:
    """A bound method of a known string (`name.startswith`); the models' are `tfapi.TFMethod`."""

    __slots__ = ("kind", "target")

    def __init__(self, kind: str, target: Any) -> None:
        self.kind = kind
        self.target = target


_OWN_BEHAVIOUR = ("__init__", "__new__", "__call__", "call", "build")


def _tf_stand_in(cls: ClassVal) -> tuple[Any, FuncVal | None] | None:
    """The TensorFlow class a user class behaves as, with the `__init__` that forwards to
    it: a chain of single-base classes down to a modelled TF class, none of which adds a
    constructor, `call` or `build` of its own beyond one `__init__` that hands its
    parameters to `super().__init__` (and may keep some on `self`), nor a `__call__` that
    never hands the call to the base's. None for any other class: what its own methods do
    to the TF object is not modelled."""
    init, own = None, False
    chain = []
    for _ in range(8):
        if len(cls.bases) != 1:
            return None
        chain.append(cls)
        for name in _OWN_BEHAVIOUR:
            if name not in cls.attrs:
                continue
            method = cls.attrs[name]
            if not isinstance(method, FuncVal):
                return None
            if name == "__call__" and _hands_call_on(method.node):
                own = True
                continue
            if name != "__init__" or init is not None:
                return None
            forward = _super_init_call(method.node)
            if forward is None:
                return None
            own = own or not _only_forwards(method.node, forward)
            init = method
        base = cls.bases[0]
        if not isinstance(base, ClassVal):
            if own and any(_other_methods(c) for c in chain):
                return None  # the kept switches or the `__call__` may serve methods unmodelled
            return (base, init) if tfapi.models_subclass(base) else None
        cls = base
    return None


def _other_methods(cls: ClassVal) -> bool:
    return any(isinstance(v, (FuncVal, HiddenMethod)) for k, v in cls.attrs.items() if k not in ("__init__", "__call__"))


def _only_forwards(node: ast.FunctionDef, call: ast.Call) -> bool:
    """An `__init__` that is its `super().__init__` call alone, handing every parameter on
    unchanged: positionally in order, as `name=name`, or `(*args, **kwargs)` as a whole."""
    body = node.body[1:] if ast.get_docstring(node) is not None else node.body
    if len(body) != 1:
        return False
    if call.args and isinstance(call.args[0], ast.Starred):
        return True
    a = node.args
    params = positional_names(a)[1:]
    positional = [x.id for x in call.args if isinstance(x, ast.Name)]
    if len(positional) != len(call.args) or positional != params[: len(positional)]:
        return False
    keywords = [k.arg for k in call.keywords if isinstance(k.value, ast.Name) and k.value.id == k.arg]
    named = params + [p.arg for p in a.kwonlyargs]
    return len(keywords) == len(call.keywords) and sorted(positional + keywords) == sorted(named)


def _is_super_method(call: ast.AST, name: str) -> bool:
    """`super().NAME(...)` or `super(Cls, self).NAME(...)`."""
    return (
        isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == name
        and isinstance(call.func.value, ast.Call) and isinstance(call.func.value.func, ast.Name)
        and call.func.value.func.id == "super"
    )


def _hands_call_on(node: ast.FunctionDef) -> bool:
    """A `__call__` with a `return super().__call__(...)` of its own: on that path the base
    runs the object as TF's class does (`ExtendedMultiRNNCell` stacks its cells with
    MultiRNNCell's `__call__` unless asked for residual connections)."""
    todo = list(node.body)
    while todo:
        stmt = todo.pop()
        if isinstance(stmt, ast.Return) and _is_super_method(stmt.value, "__call__"):
            return True
        if isinstance(stmt, (ast.If, ast.With, ast.Try)):
            todo.extend(stmt.body + getattr(stmt, "orelse", []) + getattr(stmt, "finalbody", []))
            for handler in getattr(stmt, "handlers", []):
                todo.extend(handler.body)
    return False


def _super_init_call(node: ast.FunctionDef) -> ast.Call | None:
    """The one `super().__init__(...)` call of an `__init__` that does nothing else but keep
    parameters or constants on `self` and `assert`: the call hands on only parameters and
    constants (positionally or by keyword), or `(*args, **kwargs)` as a whole."""
    body = node.body[1:] if ast.get_docstring(node) is not None else node.body
    a = node.args
    params = set(positional_names(a)[1:]) | {p.arg for p in a.kwonlyargs}
    calls = [s.value for s in body if isinstance(s, ast.Expr) and _is_super_method(s.value, "__init__")]
    kept = [s for s in body if isinstance(s, ast.Assert) or _keeps_on_self(s, params)]
    if len(calls) != 1 or len(kept) != len(body) - 1:
        return None
    call = calls[0]
    if a.vararg or a.kwarg:
        whole = (
            not params and a.vararg and a.kwarg
            and len(call.args) == 1 and isinstance(call.args[0], ast.Starred)
            and isinstance(call.args[0].value, ast.Name) and call.args[0].value.id == a.vararg.arg
            and len(call.keywords) == 1 and call.keywords[0].arg is None
            and isinstance(call.keywords[0].value, ast.Name) and call.keywords[0].value.id == a.kwarg.arg
        )
        return call if whole else None
    handed = call.args + [k.value for k in call.keywords]
    if any(k.arg is None for k in call.keywords) or not all(_plain(x, params) for x in handed):
        return None
    return call


def _plain(node: ast.AST, params: set[str]) -> bool:
    return isinstance(node, ast.Constant) or (isinstance(node, ast.Name) and node.id in params)


def _keeps_on_self(stmt: ast.stmt, params: set[str]) -> bool:
    """`self._residual = residual`: a parameter or constant kept on the object, nothing run."""
    return (
        isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and _plain(stmt.value, params)
        and isinstance(stmt.targets[0], ast.Attribute) and isinstance(stmt.targets[0].value, ast.Name)
        and stmt.targets[0].value.id == "self"
    )


def _package_view(chain: list[Any], parts: list[str]) -> Any:
    """What `import a.b.c` binds to `a`: `a` with `b` on it, `b` with `c`. Only project
    modules are hung on their packages; a library's `a.b` is already the External `a.b`."""
    value = chain[-1]
    for i in range(len(chain) - 2, -1, -1):
        if isinstance(value, (ModuleVal, PackageVal)):
            value = PackageVal(chain[i], {parts[i + 1]: value})
        else:
            value = chain[i]
    return value


def _merged_package(old: Any, new: Any) -> Any:
    """`import a.b` then `import a.c`: one package `a` that has both on it."""
    if not isinstance(old, PackageVal) or not _same_module(old.base, _package_base(new)):
        return new
    if not isinstance(new, PackageVal):
        return old
    subs = dict(old.subs)
    for name, sub in new.subs.items():
        subs[name] = _merged_package(subs.get(name), sub)
    return PackageVal(new.base, subs)


def _package_base(value: Any) -> Any:
    return value.base if isinstance(value, PackageVal) else value


def _same_module(a: Any, b: Any) -> bool:
    if isinstance(a, ModuleVal) and isinstance(b, ModuleVal):
        return a.state is b.state
    if isinstance(a, External) and isinstance(b, External):
        return a.qualname == b.qualname
    return False


def _equality_test(node: ast.AST, module: ModuleState) -> tuple | None:
    """What an `if` tests about one dotted name (`args.mode`, `FLAGS.phase`, `is_training`):
    (its text, the file, a constant or TRUTH, negated) for `x == c`, `x != c`, `x`, `not x`;
    None for other tests."""
    test = getattr(node, "test", None)
    negated = False
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, negated = test.operand, not negated
    if _dotted(test):
        return (_text(test), module.path, TRUTH, negated, None)
    among = _membership_test(test)
    if among is not None:
        name, values, outside = among
        return (name, module.path, values, negated != outside, None)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.NotEq))):
        return None
    left, right = test.left, test.comparators[0]
    if isinstance(left, ast.Constant) or (
            not isinstance(right, ast.Constant) and _constant_name(left) and not _constant_name(right)):
        left, right = right, left  # the name tested on the left (`MODE == "train"` stays)
    if not _dotted(left):
        return None
    if isinstance(right, ast.Constant):
        value = right.value
    elif _constant_name(right):
        # `self.mode != ModeKeys.INFER` and `self.mode == ModeKeys.INFER`: exclusive whatever
        # INFER holds
        value = NamedConst(_text(right))
    else:
        return None
    return (_text(left), module.path, value, negated != isinstance(test.ops[0], ast.NotEq), None)


def _membership_test(test: ast.AST) -> tuple[str, frozenset, bool] | None:
    """`ratio == 2 or ratio == 4` and `ratio in (2, 4)` (`not in`: outside): one dotted name
    among constants, as (its text, the constants, outside). Numbers and strings only: `1 ==
    True` would make two constants one."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        names, values = set(), []
        for part in test.values:
            if not (isinstance(part, ast.Compare) and len(part.ops) == 1 and isinstance(part.ops[0], ast.Eq)):
                return None
            left, right = part.left, part.comparators[0]
            if isinstance(left, ast.Constant):
                left, right = right, left
            if not (_dotted(left) and isinstance(right, ast.Constant)):
                return None
            names.add(_text(left))
            values.append(right.value)
        outside = False
    elif (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.In, ast.NotIn))
          and _dotted(test.left) and isinstance(test.comparators[0], (ast.Tuple, ast.List, ast.Set))
          and all(isinstance(e, ast.Constant) for e in test.comparators[0].elts)):
        names, values = {_text(test.left)}, [e.value for e in test.comparators[0].elts]
        outside = isinstance(test.ops[0], ast.NotIn)
    else:
        return None
    if len(names) != 1 or not values or not all(type(v) in (int, float, str) for v in values):
        return None
    return names.pop(), frozenset(values), outside


# A dotted name's dump holds one Name, its root
_SELF_ROOT = "Name(id='self', "


def _constant_name(node: ast.AST) -> bool:
    """`ModeKeys.INFER`, `tf.estimator.ModeKeys.TRAIN`, `TRAIN`: a dotted name in a
    constant's case."""
    last = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
    return bool(last) and _dotted(node) and last.isupper()


@lru_cache(maxsize=16384)
def _text(node: ast.AST) -> str:
    # Asked at every run of an `if` on a dotted name: a loop or a function called often
    # dumps the same test again and again.
    return ast.dump(node)


_MUTATORS = frozenset({"append", "add", "update", "setdefault", "extend", "insert", "pop", "clear"})


@lru_cache(maxsize=4096)
def _self_methods_called(func: ast.AST) -> frozenset[str]:
    """The names of `self.name(...)` calls in a function's body."""
    return frozenset(
        n.func.attr for n in ast.walk(func)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and is_self_attribute(n.func)
    )


def _self_attrs_changed(func: ast.AST) -> frozenset[str]:
    """The `self.x` a function changes: assigns, item stores, mutating method calls."""
    return frozenset(attr for n in ast.walk(func) for attr in _self_attrs_changed_by(n))


def _self_attrs_changed_by(n: ast.AST) -> set[str]:
    """The `self.x` one statement or call changes (`self.a, self.b = ...` changes both)."""
    changed = set()
    if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        for t in getattr(n, "targets", None) or [n.target]:
            for target in ast.walk(t):
                target = target.value if isinstance(target, ast.Subscript) else target
                if is_self_attribute(target):
                    changed.add(target.attr)
    elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _MUTATORS:
        if is_self_attribute(n.func.value):
            changed.add(n.func.value.attr)
    return changed


def _setting_test(test: ast.AST) -> bool:
    """`self.expand_ratio != 1`, `self.method not in ["ip", "dot"]`: a name or attribute
    compared with constants (None aside: `is None` is how a singleton guard reads)."""
    def constant(n: ast.AST) -> bool:
        if isinstance(n, (ast.List, ast.Tuple, ast.Set)):
            return all(constant(e) for e in n.elts)
        return isinstance(n, ast.Constant) and n.value is not None
    def boolean(n: ast.AST) -> bool:
        return isinstance(n, ast.Constant) and isinstance(n.value, bool)
    return (
        isinstance(test, ast.Compare) and isinstance(test.left, (ast.Name, ast.Attribute))
        and all(constant(c) for c in test.comparators)
        # `is True` / `is not False` test a setting too (unless the flag reads as a
        # once-only one: `self._initialized is False`); `is None` is how a guard reads
        and all(boolean(c) and not _once_flag(test.left)
                for op, c in zip(test.ops, test.comparators) if isinstance(op, (ast.Is, ast.IsNot)))
    )


def _once_flag(node: ast.AST) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return any(w in name.lower() for w in _ONCE_WORDS)


# Keras' own argument of `call`: a mode, not a once-only switch.
_TRAINING_FLAGS = frozenset({"training", "is_training"})
# Flags that read as "not done yet": a test on them may make the body run once.
_ONCE_WORDS = ("built", "init", "first", "ready", "created", "done", "setup", "loaded")


def _flag_test(stmt: ast.If, owner: ClassVal | None = None) -> bool:
    """`if self.use_bn:`, `if not self.residual and training:`: a setting of the object or
    Keras' `training` flag, taken as it is, with a body that stores nothing on `self`
    (`if not self.ready: self.w = ...` is how a build-once guard reads), or one that stores
    other attributes than the test reads, on a setting only `__init__` of the owner class
    sets (`if self.scaled: self.scale = self.add_weight(...)` in `call`)."""
    def flag(n: ast.AST) -> bool:
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not):
            return flag(n.operand)
        if isinstance(n, ast.BoolOp):
            return all(flag(v) for v in n.values)
        if isinstance(n, ast.Name):
            return n.id in _TRAINING_FLAGS
        return is_self_attribute(n) and not _once_flag(n)
    if not flag(stmt.test):
        return False
    stored = _self_attrs_changed(stmt)
    if not stored:
        return True
    # The body stores on `self`: a guard that turns itself off (the test reads what the
    # body or another method writes) runs once; a constructor's setting takes the same arm
    # on every call.
    read = _self_attrs_read(stmt.test)
    if owner is None or not read or not read.isdisjoint(stored):
        return False
    return read.isdisjoint(_attrs_set_after_init(owner))


# What Keras itself sets on a layer or model after `__init__` (`built` once `build` ran):
# a test on one of them may change arms between calls though the program never writes it.
_FRAMEWORK_FLAGS = frozenset({
    "built", "_built", "trainable", "_trainable", "_called", "compiled", "_is_compiled",
    "stop_training", "stateful", "_stateful", "dynamic", "_dynamic", "_base_model_initialized",
})


def _constructor_setting(test: ast.AST, owner: ClassVal | None) -> bool:
    """`if not self.initialized:` where the class's `__init__` is the only code that writes
    `initialized`: every call takes the same arm, so the body is no build-once guard (it runs
    on every call, or never). A guard turns itself off: its body, another method, a subclass
    or a function of the module sets the flag; then it is not this."""
    if owner is None or not _plain_self_test(test):
        return False
    read = _self_attrs_read(test)
    if not read or not read.isdisjoint(_FRAMEWORK_FLAGS) or not _known_hierarchy(owner):
        return False
    if not read <= _attrs_set_in_init(owner) or not read.isdisjoint(_attrs_set_after_init(owner)):
        return False
    outside = _attrs_stored_outside_init(owner.module.tree)
    return "*" not in outside and read.isdisjoint(outside)


_SHAPE_ATTRS = frozenset({"shape", "ndim", "dtype", "rank"})


def _input_shape(n: ast.AST) -> bool:
    """A shape read off a value of the call's own, not off `self`: `x.shape` (`ndim`, `dtype`,
    `rank`), `x.get_shape()`, `x.shape.as_list()`, `tf.shape(x)`, `ops.shape(x)`, `K.int_shape(x)`."""
    def own(v: ast.AST) -> bool:
        return isinstance(v, ast.Name) and v.id != "self"
    if isinstance(n, ast.Call) and not n.keywords:
        if len(n.args) == 1 and own(n.args[0]) and _called_name(n.func) in ("shape", "int_shape"):
            return True
        if isinstance(n.func, ast.Attribute) and not n.args:
            if n.func.attr == "as_list":
                return _input_shape(n.func.value)
            if n.func.attr == "get_shape":
                return own(n.func.value)
    return isinstance(n, ast.Attribute) and n.attr in _SHAPE_ATTRS and own(n.value)


def _input_shape_test(test: ast.AST) -> bool:
    """`if inputs.shape[-1] != self.units:`, `if len(x.shape) == 4:`: a test of what a call
    was given, against constants or settings. Keras calls a layer with the same shapes on
    every step, so every call takes the same arm: no build-once guard (kgcnn's DGAT layer
    made its residual projection in such an arm, on every call). A shape read off `self`
    (`self.kernel.shape`) is the object's state, and stays a possible guard."""
    def shape_read(n: ast.AST) -> bool:
        while isinstance(n, ast.Subscript):
            n = n.value
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "len" and len(n.args) == 1:
            return shape_read(n.args[0])
        return _input_shape(n)
    def operand(n: ast.AST) -> bool:
        return (shape_read(n) or isinstance(n, ast.Constant) and n.value is not None or is_self_attribute(n)
                or isinstance(n, ast.Name) and n.id != "self"  # a parameter's value: a setting too
                or isinstance(n, (ast.Tuple, ast.List)) and all(operand(e) for e in n.elts))
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _input_shape_test(test.operand)
    if isinstance(test, ast.BoolOp):
        return all(_input_shape_test(v) for v in test.values)
    return (isinstance(test, ast.Compare) and not any(isinstance(op, (ast.Is, ast.IsNot)) for op in test.ops)
            and any(shape_read(n) for n in [test.left, *test.comparators])
            and all(operand(n) for n in [test.left, *test.comparators]))


def _argument_test(test: ast.AST, func: ast.AST, owner: ClassVal | None) -> bool:
    """`if with_conv:`, `if C != out_ch:` after `B, H, W, C = x.shape`, `if i_level != n - 1:`
    in `for i_level in range(n)`: a test of what this call was given (its parameters, widths
    read off its inputs' shapes, the object's constructor settings) and of locals the
    function binds from those alone. Nothing of it outlives the call, so it is no build-once
    guard: the caller passes the same settings and shapes on every step (a diffusion U-Net's
    `upsample(x, with_conv)` made its convolution under such a test, on every call). A name
    that reads as "not done yet" (`first_call`), or membership in a container the caller
    passed (`if "conv" not in cache:`), stays a possible guard."""
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    bindings: dict[str, list] = {}  # name -> the value of each binding (None: not a plain one)
    for n in ast.walk(func):
        if isinstance(n, ast.Assign) and len(n.targets) == 1:
            targets, value = n.targets[0], n.value
        elif isinstance(n, (ast.For, ast.AsyncFor)):
            targets, value = n.target, n.iter
        else:
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                bindings.setdefault(n.id, []).append(None)
            continue
        elts = targets.elts if isinstance(targets, (ast.Tuple, ast.List)) else [targets]
        for e in elts:
            if isinstance(e, ast.Name):
                bindings.setdefault(e.id, []).append(value)
    # Each plain binding was also seen as a Name store: drop those doubles.
    for name, values in bindings.items():
        plain = [v for v in values if v is not None]
        bindings[name] = plain if len(values) == 2 * len(plain) else values
    constructor = frozenset()
    if owner is not None and _known_hierarchy(owner):
        constructor = _attrs_set_in_init(owner) - _attrs_set_after_init(owner)
        if tfapi.is_keras_layer_class(owner):
            # Keras runs a layer's `build` once, before the first `call`: what only `__init__`
            # and `build` write (`self._target_size` computed from the input shape) is a setting.
            constructor |= _attrs_set_in_build(owner) - _attrs_set_outside(owner, ("__init__", "build"))
        constructor -= _FRAMEWORK_FLAGS
    settings = {p for p in parameter_names(func.args) if p not in bindings and p not in ("self", "cls")}

    def setting(n: ast.AST) -> bool:
        if isinstance(n, ast.Constant):
            return True
        if isinstance(n, ast.Name):
            return n.id in settings and not _once_flag(n)
        if is_self_attribute(n):
            return n.attr in constructor and not _once_flag(n)
        if _input_shape(n):
            return True
        if isinstance(n, ast.Subscript):
            return (_input_shape(n.value) or isinstance(n.value, ast.Subscript) and setting(n.value)
                    or is_self_attribute(n.value) and setting(n.value)) and setting(n.slice)
        if isinstance(n, ast.Call):
            return (isinstance(n.func, ast.Name) and n.func.id in _PURE_BUILTINS and not n.keywords
                    and all(setting(a) for a in n.args))
        if isinstance(n, ast.Compare):
            if any(isinstance(op, (ast.In, ast.NotIn)) for op in n.ops) and any(
                    isinstance(c, ast.Name) and c.id in settings for c in n.comparators):
                return False  # membership in a container the caller passed: it may fill it
            return all(setting(v) for v in (n.left, *n.comparators))
        if isinstance(n, ast.BoolOp):
            return all(setting(v) for v in n.values)
        if isinstance(n, ast.UnaryOp):
            return setting(n.operand)
        if isinstance(n, ast.BinOp):
            return setting(n.left) and setting(n.right)
        if isinstance(n, (ast.Tuple, ast.List)):
            return all(setting(e) for e in n.elts)
        if isinstance(n, ast.Slice):
            return all(v is None or setting(v) for v in (n.lower, n.upper, n.step))
        return False

    grew = True
    while grew:  # a local bound only from settings is one (`out_ch = C`, `n = len(self.mults)`)
        grew = False
        for name, values in bindings.items():
            if name not in settings and values and all(v is not None and setting(v) for v in values):
                settings.add(name)
                grew = True
    return any(isinstance(n, ast.Name) for n in ast.walk(test)) and setting(test)


def _called_name(func: ast.AST) -> str | None:
    """The last name of what a call calls (`ops.shape` -> `shape`)."""
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


_PURE_BUILTINS = frozenset({"len", "range", "reversed", "int", "enumerate", "min", "max", "float", "bool", "abs"})


def _settles(op: ast.boolop, value: Any) -> bool:
    """A `True`/`False` operand after an unknown one that fixes the whole `and`/`or`: its
    value is then the result's when the unknown operands let it run, and its truth the
    result's always. Only booleans: `x or "d"` may be `x` itself, a different value."""
    if not (isinstance(value, Const) and isinstance(value.value, bool)):
        return False
    return value.value is isinstance(op, ast.Or)


def _plain_self_test(test: ast.AST) -> bool:
    """`self.a`, `not self.a`, `self.a is None`, `self.a == 2`, joined by `and`/`or`."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _plain_self_test(test.operand)
    if isinstance(test, ast.BoolOp):
        return all(_plain_self_test(v) for v in test.values)
    if isinstance(test, ast.Compare):
        return is_self_attribute(test.left) and all(isinstance(c, ast.Constant) for c in test.comparators)
    return is_self_attribute(test)


def _known_hierarchy(cls: ClassVal) -> bool:
    """Every base up the hierarchy is the program's own class or a modelled library's (a
    Keras `Layer`): no base we cannot read may write the flag."""
    return all(isinstance(b, ClassVal) or tfapi.is_modelled(b) for c in cls.program_classes() for b in c.bases)


def _attrs_set_in_init(cls: ClassVal) -> frozenset[str]:
    """The `self.x` that `__init__` of the class or of one of its bases writes."""
    return frozenset(
        attr for c in cls.program_classes() for item in c.node.body
        if isinstance(item, ast.FunctionDef) and item.name == "__init__" for attr in _self_attrs_changed(item))


def _attrs_set_in_build(cls: ClassVal) -> frozenset[str]:
    """The `self.x` that `build` of the class or of one of its bases writes."""
    return frozenset(
        attr for c in cls.program_classes() for item in c.node.body
        if isinstance(item, ast.FunctionDef) and item.name == "build" for attr in _self_attrs_changed(item))


def _attrs_set_outside(cls: ClassVal, methods: tuple[str, ...]) -> frozenset[str]:
    """The `self.x` that a method of the class or of its bases other than `methods` writes."""
    return frozenset(
        attr for c in cls.program_classes() for item in c.node.body
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name not in methods
        for attr in _self_attrs_changed(item))


@lru_cache(maxsize=1024)
def _attrs_stored_outside_init(tree: ast.Module) -> frozenset[str]:
    """Attribute names the module stores (`x.a = ...`, on any object) outside an `__init__`;
    with a `setattr` or a `__dict__` in the module, any name (`*`)."""
    stored: set[str] = set()
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "__init__":
            inside.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and id(node) not in inside:
            stored.add(node.attr)
        elif isinstance(node, ast.Attribute) and node.attr == "__dict__":
            return frozenset({"*"})
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            return frozenset({"*"})
    return frozenset(stored)


def _attrs_set_after_init(cls: ClassVal) -> frozenset[str]:
    """The `self.x` that a method of the class or of its bases, `__init__` aside, changes."""
    return frozenset().union(*(_methods_changes(c.node) for c in cls.program_classes()))


@lru_cache(maxsize=4096)
def _methods_changes(node: ast.ClassDef) -> frozenset[str]:
    changed: set[str] = set()
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name != "__init__":
            changed |= _self_attrs_changed(item)
    return frozenset(changed)


def _stateful_test(node: ast.AST, func: ast.AST) -> bool:
    """`if self._built:` in a method that fills `self._built`: the first call and the later
    ones take different arms (a builder that memoises, or reuses after its first build)."""
    test = getattr(node, "test", None)
    if test is None:
        return False
    read = _self_attrs_read(test)
    return bool(read) and not read.isdisjoint(_self_attrs_changed(func))


@lru_cache(maxsize=4096)
def _set_before_test(node: ast.AST, func: ast.AST) -> bool:
    """Is every change the function makes to the `self.x` its `if` reads made on a line before
    the `if` (the constructor's `self.mode = mode`), none after it (a memo's `self._built =
    True`)?"""
    read = _self_attrs_read(node.test)
    return not any(_self_attrs_changed_by(n) & read and n.lineno >= node.lineno for n in ast.walk(func))


@lru_cache(maxsize=16384)
def _self_attrs_read(test: ast.AST) -> frozenset[str]:
    # Asked at every run of an `if` inside a function: a walk of the test each time was a
    # seventh of the analysis of tensorflow/benchmarks' tests.
    return frozenset(n.attr for n in ast.walk(test) if is_self_attribute(n))


def _stored_attr(method: HiddenMethod) -> str | None:
    """The attribute a property's getter only hands back (`return self._compression`):
    reading it runs nothing, so the read is the stored value and the graph stays known.
    Any other getter may do anything, and stays unfollowed."""
    getter = method.func
    if getter is None or not isinstance(getter.node, ast.FunctionDef) or not getter.node.args.args:
        return None
    body = getter.node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if len(body) != 1 or not isinstance(body[0], ast.Return):
        return None
    value = body[0].value
    if (isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name)
            and value.value.id == getter.node.args.args[0].arg):
        return value.attr
    return None


def _dotted(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _loaded_names(node: ast.AST) -> frozenset[str]:
    return frozenset(
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    )


@lru_cache(maxsize=16384)
def _test_names(test: ast.AST) -> tuple[str, ...]:
    return tuple(sorted(_loaded_names(test)))


_GIVEN_TYPES = (str, int, float, bool, type(None))


def _given(test: ast.AST, env: list[dict], module: ModuleState) -> tuple:
    """The locals (parameters, and what the function computed from them) that an undecided
    test reads and that hold known constants here: another call that gives one of them
    another value is configured apart, and may take the other arm. Module globals are left
    out: every call reads the same ones."""
    given = []
    for name in _test_names(test):
        for scope in env:
            if name in scope:
                value = scope[name]
                if scope is not module.globals and isinstance(value, Const) and type(value.value) in _GIVEN_TYPES:
                    given.append((name, value.value))
                break
    return tuple(given)


class Interpreter:
    def __init__(self, loader: Loader | None = None) -> None:
        self.loader = loader
        self.analysis = Analysis()
        self.executed: set[int] = set()
        self._loaded_cache: dict[int, frozenset[str]] = {}
        self.steps = 0
        self.trace = 0
        self.modules: dict[str, ModuleState] = {}
        self._constructed: dict[int, dict] = {}  # class -> the attributes its __init__ set
        # id() of the Keras optimizers made as a parameter's default that some call of the
        # project leaves in place, or that nothing in the project calls (a library's class)
        self._default_optimizers: set[int] = set()
        self._stateful_runs = 0  # tokens for the runs of `if`s on state their function changes
        self._invocations = [0]  # a token for each call running now, innermost last
        self._calls_made = 0
        self._nested_keras: list[ClassVal] = []  # Keras classes a function made (a factory's)
        self._loading: list[ModuleState] = []  # the modules whose top level runs now
        self._split_paths = 1  # how many paths the `if` chains split now multiply to (_splits)
        self._split_chain: set[int] = set()  # the `elif`s of the chains split now
        # The limits of one analysis (set_budget), and the one it reached, if any: what was
        # seen before stands, but the analysis is incomplete and must say so.
        self.max_steps = MAX_STEPS
        self.deadline: float | None = None
        self._binding_journals: dict[int, list[list]] = {}  # id(frame) -> one journal an open arm
        self.cut_short: str | None = None
        self.tf = tfapi.TFState()  # what TensorFlow keeps: graphs, the scope stack...
        self._reset_trace(fresh=True)

    def set_budget(self) -> None:
        """The step budget, and the far-off time safety net."""
        self.max_steps = MAX_STEPS
        self.deadline = time.process_time() + SAFETY_SECONDS

    # ----- trace state ------------------------------------------------------------------
    def _reset_trace(self, fresh: bool) -> None:
        self.tf.reset(fresh)
        self.calls: list[Site] = []
        self.call_info: list[CallInfo] = []
        self.guards = 0  # how many `if` bodies enclose what runs now (known tests included)
        self.journals: list[list] = []  # attribute writes of the `if` arms being run
        self.funcs: list[FuncVal] = []
        # Per function run as an entry (arguments unknown): its frame, and the integer
        # defaults of the parameters no argument gave and its body never rebinds.
        self.entry_counts: list[tuple[dict, dict[str, Const]]] = []
        # Running a notebook's cells (`_run_cells`); a statement of the current cell raised.
        self.in_cells = False
        self.cell_raised = False
        self.early_returns: list[list] = []  # per running function: values returned on one arm
        # How many `try` bodies whose handlers catch a failed lookup enclose what runs now.
        self.catching = 0
        # per running function: the object attributes set on arms that returned early
        self.early_writes: list[list[dict]] = []
        self.conds: list[Cond] = []
        self.loops: list[tuple[int, int]] = []

    # ----- entry points ------------------------------------------------------------------
    def run_module(self, module: ModuleState) -> None:
        self.modules.setdefault(_realpath(module.path), module)
        try:
            self._load(module)
            self._run_entries(module)
            self.analysis.eager_on = tfapi.eager_program(self)
        except _OutOfBudget as exc:
            self.cut_short = str(exc)  # what was seen up to the limit stands
        except RecursionError:
            self.cut_short = "nested too deeply"
        finally:
            module.snapshot = None  # the program itself is never shared, nor what imports it

    def release(self) -> None:
        """Break the reference cycles a run leaves (a module's functions hold its globals,
        which hold them), so that its syntax trees are freed at once, not by the collector.
        Modules that later analyses may start from (see `_load`) keep theirs."""
        for state in self.modules.values():
            if state.snapshot is None:
                state.globals.clear()
        self.modules.clear()
        self.analysis = Analysis()

    def _load(self, module: ModuleState) -> None:
        if module.loaded:
            self._register(module)
            return
        module.loaded = True
        self.analysis.sources[module.path] = module
        module.globals.setdefault("__name__", Const(module.name))
        env = [module.globals]
        before = self._footprint()
        self._loading.append(module)
        try:
            if module.cells:
                self._run_cells(module, env)
            else:
                self.exec_block(module.tree.body, env, module)
        except _Terminator:
            pass
        finally:
            self._loading.pop()
        # Shareable: a top level with no TensorFlow effect but an unknown call (replayed when
        # it is handed out: the graph becomes opaque), whose imports are shareable too (its
        # globals may hold them). An import still loading (a cycle) is judged when the loader
        # shares modules, after the lint (`ProjectLoader._share`).
        after = self._footprint()
        if after[:-1] == before[:-1] and all(r.snapshot is not None or r in self._loading for r in module.requires):
            module.opaque_effect = after[-1] and not before[-1]
            module.take_snapshot()

    def _run_cells(self, module: ModuleState, env: list[dict]) -> None:
        """A notebook's top level, cell by cell: where a statement raises (a model that
        `tfapi` knows TF fails on), the kernel skips the rest of that cell and runs the next.
        A script stops there instead, so its later statements are judged as written."""
        cell = None
        self.in_cells = True
        try:
            for stmt in module.tree.body:
                here = bisect.bisect_right(module.cells, stmt.lineno)
                if here != cell:
                    cell, self.cell_raised = here, False
                self.exec_block([stmt], env, module)
        finally:
            self.in_cells = self.cell_raised = False

    def _register(self, module: ModuleState) -> None:
        """A module loaded by an earlier analysis: its sources, and those of the modules its
        top level imported, are this analysis's too."""
        todo = [module]
        while todo:
            state = todo.pop()
            if state.path not in self.analysis.sources:
                self.analysis.sources[state.path] = state
                if state.opaque_effect:
                    self.tf.unknown_effect()
                self.modules.setdefault(_realpath(state.path), state)
                todo.extend(state.requires)

    def _footprint(self) -> tuple:
        """Everything a top level could change that is not a Python binding: if a module's
        top level leaves this as it found it, running it again would record nothing. The
        graph's opaque flag comes last: that one effect can be replayed."""
        return (*self.analysis.footprint(), *self.tf.footprint())

    def _run_entries(self, module: ModuleState) -> None:
        for stmt in module.tree.body:
            value = module.globals.get(getattr(stmt, "name", None))
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and isinstance(value, FuncVal):
                if id(value.node) not in self.executed:
                    self._entry(value, None)
            elif isinstance(stmt, ast.ClassDef) and isinstance(value, ClassVal):
                self._method_entries(value, getters=True)
        # A Keras class made inside a function (`def make_model(): class Net(Model): ...`):
        # Keras runs its `call` whoever made it, so its methods are entry points too.
        seen: set[int] = set()
        while self._nested_keras:
            cls = self._nested_keras.pop(0)
            if cls.module is not module or id(cls.node) in seen:
                continue
            seen.add(id(cls.node))
            self._method_entries(cls, getters=False)

    def _method_entries(self, cls: ClassVal, getters: bool) -> None:
        """Run the methods of `cls` that nothing ran, each on an object of the class;
        `getters`: a property's getter too, on its own."""
        for item in cls.node.body:
            method = cls.attrs.get(getattr(item, "name", None))
            if getters and isinstance(method, HiddenMethod) and method.func is not None:
                method = method.func
            if isinstance(method, FuncVal) and id(method.node) not in self.executed:
                self._entry(method, Instance(cls))
        self._template_entries(cls)

    def _template_entries(self, cls: ClassVal) -> None:
        """A base's method that calls `self.encode(x)`, a method only the subclass defines (a
        template method), did nothing when it ran on an object of the base: run it again on
        an object of `cls`, once per class."""
        own = {getattr(item, "name", None) for item in cls.node.body}
        bases = [b for b in cls.program_classes() if b is not cls]
        done: set[str] = set(own)
        for base in bases:
            for item in base.node.body:
                name = getattr(item, "name", None)
                method = base.attrs.get(name)
                if name in done or not isinstance(method, FuncVal):
                    continue
                done.add(name)
                if _self_methods_called(method.node) & (own - {name}):
                    self._entry(method, Instance(cls))

    def _entry(self, func: FuncVal, self_value: Any) -> None:
        self.trace += 1
        self._reset_trace(fresh=False)
        if isinstance(self_value, Instance):
            self._construct(self_value, func)
        self.analysis.entry_starts[self.trace] = self.analysis.events
        bound = func.bound(UNKNOWN if self_value is None and func.owner is not None else self_value)
        site = Site(func.module.path, func.node)
        kwargs = {}
        if isinstance(self_value, Instance) and func.node.name == "__init__" and func is self_value.cls.lookup("__init__"):
            kwargs = self._agreed_arguments(self_value.cls, func)  # what every construction gives it
        self.call_function(bound, [], kwargs, site, unknown_args=True)

    def _construct(self, instance: Instance, method: FuncVal) -> None:
        """A method runs on an object its class's `__init__` made: run that first, with
        unknown arguments, so that `self.head = tf.layers.dense` or `self.reuse = False` are
        known. What `__init__` creates goes to a graph of its own, apart from the method's."""
        init = instance.cls.lookup("__init__")
        if not isinstance(init, FuncVal) or init.node is method.node:
            return
        key = id(instance.cls)
        if key not in self._constructed:  # once per class: each method starts from a copy
            made = Instance(instance.cls)
            self.tf.open_graph(fresh=False)
            before = len(self.analysis.creations) + len(self.analysis.builds) + len(self.analysis.slot_creations)
            self.call_function(init.bound(made), [], self._agreed_arguments(instance.cls, init), None, unknown_args=True)
            built = len(self.analysis.creations) + len(self.analysis.builds) + len(self.analysis.slot_creations) > before
            self._constructed[key] = (made.attrs, built)
            self._reset_trace(fresh=False)
        attrs, built = self._constructed[key]
        instance.attrs.update(attrs)
        self.tf.graph.after_constructor = built

    def _agreed_arguments(self, cls: ClassVal, init: FuncVal) -> dict[str, Any]:
        """The `__init__` parameters that every construction of the class in the project
        gives one same constant (a literal, or the default where a call leaves it out); the
        loader finds the constructions (`constructions`). None found, or one it cannot read:
        every parameter stays unknown."""
        if init.node.decorator_list or not isinstance(init.node, ast.FunctionDef):
            return {}
        find = getattr(self.loader, "constructions", None)
        if find is not None:
            calls = find(cls.module.path, cls.node.name)
        else:  # no project: the module is the program
            calls = constructions(cls.module.tree, cls.node.name, {cls.node.name}, True)
        if not calls:
            return {}
        a = init.node.args
        positional = positional_names(a)[1:]  # after `self`
        defaults = dict(zip(positional[len(positional) - len(init.defaults):], init.defaults))
        defaults.update((p.arg, d) for p, d in zip(a.kwonlyargs, init.kw_defaults) if d is not None)
        names = positional + [p.arg for p in a.kwonlyargs]
        agreed: dict[str, Any] = {}
        for i, call in enumerate(calls):
            args, kwargs = call
            if len(args) > len(positional) or not set(kwargs) <= set(names):
                return {}  # it goes to `*args`, `**kwargs`, or raises: not a plain binding
            given = dict(zip(positional, args)) | kwargs
            for name in names:
                value = given.get(name, defaults.get(name, UNKNOWN))
                agreed[name] = value if i == 0 or same(agreed[name], value) else UNKNOWN
        return {k: v for k, v in agreed.items() if isinstance(v, (Const, Settings))}

    # ----- statements --------------------------------------------------------------------
    def exec_block(self, stmts: list[ast.stmt], env: list[dict], module: ModuleState,
                   cont: "_Continuation | None" = None) -> None:
        """`cont`: what runs after the block on this path (an arm of a split `if`, _splits)."""
        for i, stmt in enumerate(stmts):
            self.steps += 1
            if self.steps > self.max_steps:
                raise _OutOfBudget("over its step budget")
            if not self.steps % CLOCK_EVERY and self.deadline is not None and time.process_time() > self.deadline:
                raise _OutOfBudget("over its time budget")
            if type(stmt) is ast.If and (cont is not None or i + 1 < len(stmts)):
                split = self._splits(stmt, env, module)
                if split:
                    try:
                        self._stmt_If(stmt, env, module, _Continuation(stmts[i + 1:], self.guards, cont))
                    finally:
                        if split > 1:
                            self._split_paths //= split
                            self._split_chain.difference_update(_chain(stmt)[1])
                    return
            handler = _STMT_HANDLERS.get(type(stmt))
            if handler is not None:
                handler(self, stmt, env, module)
        if cont is not None:
            guards, self.guards = self.guards, cont.guards  # the rest is outside the arm's body
            try:
                self.exec_block(cont.stmts, env, module, cont.then)
            finally:
                self.guards = guards

    def _splits(self, stmt: ast.If, env, module) -> int:
        """Whether the rest of the block runs once on each arm of this `if`/`elif` chain,
        from the state the arm left, instead of once from their join: where the arms bind one
        name to objects of two or more of the program's classes (a script picking its
        architecture by a setting). The join keeps what a call on the picked object does
        (OneOf), but not what it returns: the generator's models and their variable lists,
        read after the chain, would all be unknown. At a module's top level only (see below).
        0: no split; 1: an `elif` of a chain split
        already; else the number of arms (the paths it multiplies the splits in force by)."""
        if id(stmt) in self._split_chain:
            return 1
        if self.funcs:
            # A script's top level only: a chain in a function (a model's constructor picking
            # its cell) runs on every call, and its splits multiply with its callers' past
            # the step budget (a seq2seq project's constructor, met 139 times).
            return 0
        blocks, elifs = _chain(stmt)
        if len(blocks) > MAX_SPLIT or self._split_paths * len(blocks) > MAX_SPLIT_PATHS:
            return 0
        classes: dict[str, set[int]] = {}
        for block in blocks:
            for s in block:
                if (isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
                        and isinstance(s.value, ast.Call)):
                    made = _static_value(s.value.func, env)
                    if isinstance(made, ClassVal):
                        classes.setdefault(s.targets[0].id, set()).add(id(made))
        if not any(len(ids) > 1 for ids in classes.values()):
            return 0
        self._split_paths *= len(blocks)
        self._split_chain.update(elifs)
        return len(blocks)

    def exec_stmt(self, stmt: ast.stmt, env: list[dict], module: ModuleState) -> None:
        handler = _STMT_HANDLERS.get(type(stmt))
        if handler is not None:
            handler(self, stmt, env, module)

    def _stmt_Expr(self, stmt: ast.Expr, env, module) -> None:
        call = stmt.value
        if (
            isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "extend"
            and isinstance(call.func.value, (ast.Name, ast.Attribute)) and len(call.args) == 1
            and not call.keywords and not isinstance(call.args[0], ast.Starred)
        ):
            receiver = self.eval(call.func.value, env, module)
            if isinstance(receiver, ListVal) or tfapi.is_var_list(receiver):
                added = self.eval(call.args[0], env, module)
                grown = _grown(receiver, added)
                if grown is None:
                    self._escape([added], {})  # as before lists grew: x keeps the items it had
                    self._changed_in_place(call.func.value, env, module)
                else:
                    self.assign(call.func.value, grown, env, module)
                return
        self.eval(call, env, module)

    def _stmt_Assign(self, stmt: ast.Assign, env, module) -> None:
        value = self.eval(stmt.value, env, module)
        for target in stmt.targets:
            self.assign(target, value, env, module)

    def _stmt_AnnAssign(self, stmt: ast.AnnAssign, env, module) -> None:
        if stmt.value is not None:
            self.assign(stmt.target, self.eval(stmt.value, env, module), env, module)

    def _stmt_AugAssign(self, stmt: ast.AugAssign, env, module) -> None:
        value = self.eval(stmt.value, env, module)
        grown = old = None
        if isinstance(stmt.target, ast.Name):
            old = self.eval(stmt.target, env, module)
        elif isinstance(stmt.target, ast.Attribute) and isinstance(stmt.target.value, ast.Name):
            # Read as stored: no model's attribute hook runs for the target of a store.
            base = self.eval(stmt.target.value, env, module)
            if isinstance(base, Instance) and stmt.target.attr in base.attrs:
                old = base.attrs[stmt.target.attr]
        if isinstance(stmt.op, ast.Add) and old is not None:
            grown = _grown(old, value)
        if grown is None:
            # A tensor is never changed in place: `loss += l2 * reg` binds `loss + l2 * reg`.
            grown = tfapi.tensor_op(stmt.op, old, value)
        self.assign(stmt.target, UNKNOWN if grown is None else grown, env, module)

    def _stmt_Return(self, stmt: ast.Return, env, module) -> None:
        value = self.eval(stmt.value, env, module) if stmt.value is not None else Const(None)
        raise _Return(value)

    def _stmt_Raise(self, stmt, env, module) -> None:
        raise _Raise()

    def _stmt_Break(self, stmt, env, module) -> None:
        raise _Break()

    def _stmt_Continue(self, stmt, env, module) -> None:
        raise _Continue()

    def _stmt_Global(self, stmt: ast.Global, env, module) -> None:
        self._declare(env, "__globals__", stmt.names)

    def _stmt_Nonlocal(self, stmt: ast.Nonlocal, env, module) -> None:
        self._declare(env, "__nonlocals__", stmt.names)

    def _declare(self, env, key: str, names: list[str]) -> None:
        """`global`/`nonlocal`: where `_bind` writes these names in this frame."""
        if key not in env[0]:
            self._write(env[0], key, set())
        env[0][key].update(names)

    def _stmt_FunctionDef(self, stmt: ast.FunctionDef, env, module) -> None:
        self._bind(stmt.name, self._make_function(stmt, env, module), env)

    _stmt_AsyncFunctionDef = _stmt_FunctionDef

    def _make_function(self, stmt, env, module, owner: ClassVal | None = None) -> Any:
        is_tf_function = False
        is_context_manager = False
        property_getter = False
        static = False
        for deco in stmt.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            value = self.eval(target, env, module)
            if tfapi.traces(value):
                is_tf_function = True
            elif isinstance(target, ast.Name) and target.id in ("staticmethod", "classmethod"):
                static = target.id == "staticmethod" and owner is not None
                continue
            elif isinstance(target, ast.Name) and target.id == "property" and owner is not None:
                property_getter = True
            elif (isinstance(target, ast.Attribute) and target.attr in ("setter", "deleter") and owner is not None
                  and isinstance(owner.attrs.get(stmt.name), HiddenMethod)):
                return owner.attrs[stmt.name]  # `@loss.setter`: the name still reads the getter
            elif isinstance(value, External) and value.qualname.split(".")[-1] == "contextmanager":
                is_context_manager = True
            elif isinstance(value, External) and value.qualname.split(".")[-1] in ("wraps", "lru_cache", "cache", "abstractmethod", "add_arg_scope"):
                continue
            elif tfapi.is_modelled(value):
                continue
            else:
                # An unknown decorator may wrap the function in anything (a template, a scope,
                # a property that builds the model when read).
                return HiddenMethod(stmt.name) if owner is not None else UNKNOWN
        defaults = [self.eval(d, env, module) for d in stmt.args.defaults]
        kw_defaults = [self.eval(d, env, module) if d is not None else None for d in stmt.args.kw_defaults]
        func = FuncVal(stmt, module, env, is_tf_function=is_tf_function, owner=owner,
                       defaults=defaults, kw_defaults=kw_defaults, is_context_manager=is_context_manager,
                       static=static)
        if any(isinstance(d, KerasOptimizer) for d in defaults + kw_defaults):
            self._note_default_optimizers(func)
        return HiddenMethod(stmt.name, func) if property_getter else func

    def _note_default_optimizers(self, func: FuncVal) -> None:
        """Record each Keras optimizer a parameter of `func` defaults to (made once, now), with
        how many of the project's constructions of its class (for `__init__`) or calls of it
        leave that parameter out."""
        a = func.node.args
        positional = positional_names(a)
        pairs = list(zip(positional[len(positional) - len(func.defaults):], func.defaults))
        pairs += [(p.arg, d) for p, d in zip(a.kwonlyargs, func.kw_defaults) if d is not None]
        for param, value in pairs:
            if not isinstance(value, KerasOptimizer) or any(f[0] is value for f in self.analysis.default_optimizers):
                continue
            total, left = self._calls_leaving_out(func, param)
            if total is not None and (total == 0 or left):
                self._default_optimizers.add(id(value))
            owner = func.owner.node.name if func.owner is not None else None
            self.analysis.default_optimizers.append((value, Site(func.module.path, func.node), param, owner, total, left))

    def _calls_leaving_out(self, func: FuncVal, param: str) -> tuple[int | None, int | None]:
        """(the project's constructions or calls of `func`, those that leave `param` out); both
        None when one may be unseen or cannot be read."""
        node = func.node
        if not isinstance(node, ast.FunctionDef) or node.decorator_list:
            return None, None
        positional = positional_names(node.args)
        if func.owner is not None and node.name == "__init__":
            find = getattr(self.loader, "constructions", None)
            name = func.owner.node.name
            calls = find(func.module.path, name) if find is not None else constructions(func.module.tree, name, {name}, True)
            if calls is None:
                return None, None
            index = positional.index(param) - 1 if param in positional else None
            left = sum(1 for args, kwargs in calls if param not in kwargs and (index is None or index >= len(args)))
            return len(calls), left
        if func.owner is not None and func.static:
            return None, None
        find_elsewhere = getattr(self.loader, "calls", None)

        def find(name: str):
            here = calls_in(func.module.tree, name)
            elsewhere = find_elsewhere(func.module.path, name) if find_elsewhere is not None else []
            return None if here is None or elsewhere is None else here + elsewhere

        counted = leaving_out(node, func.owner is not None, param, find)
        return counted if counted is not None else (None, None)

    def _stmt_ClassDef(self, stmt: ast.ClassDef, env, module) -> None:
        bases = [self.eval(b, env, module) for b in stmt.bases]
        # `class Config(object):` (the Python 2 habit): the builtin base runs no code, so
        # constructing the class is no unseen call that might have made variables.
        bases = [v for b, v in zip(stmt.bases, bases) if not _is_builtin_object(b, v)]
        cls = ClassVal(stmt, module, {}, bases)
        class_env = [{}] + env
        adapt = tfapi.class_methods(cls)
        for item in stmt.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                method = self._make_function(item, env, module, owner=cls)
                if adapt is not None and isinstance(method, FuncVal):
                    method = adapt(item.name, method)  # how a library runs it (Keras' `call`)
                cls.attrs[item.name] = method
            elif isinstance(item, ast.Assign):
                value = self.eval(item.value, class_env, module)
                for t in item.targets:
                    if isinstance(t, ast.Name):
                        cls.attrs[t.id] = value
            elif isinstance(item, ast.ClassDef):
                # A class nested in a class body (a detector's own classifier model) is an
                # attribute of the outer class, reached as `Outer.Inner(...)`.
                self._stmt_ClassDef(item, class_env, module)
                cls.attrs[item.name] = class_env[0].get(item.name, UNKNOWN)
        if adapt is not None and self.funcs:
            self._nested_keras.append(cls)
        if tfapi.derives_from_keras_callback(cls) and all(c.node is not stmt for c in self.analysis.keras_callbacks):
            self.analysis.keras_callbacks.append(cls)
        if tfapi.is_keras_layer_class(cls) and all(c.node is not stmt for c in self.analysis.keras_layer_classes):
            self.analysis.keras_layer_classes.append(cls)
        self._bind(stmt.name, cls, env)

    def _stmt_Import(self, stmt: ast.Import, env, module) -> None:
        for alias in stmt.names:
            if alias.asname:
                self._bind(alias.asname, self._import(alias.name, 0, module), env)
            else:
                parts = alias.name.split(".")
                # Each package along the name is imported, as Python does: their bodies run.
                chain = [self._import(".".join(parts[: i + 1]), 0, module) for i in range(len(parts))]
                value = _package_view(chain, parts)
                self._bind(parts[0], _merged_package(env[0].get(parts[0]), value), env)

    def _stmt_ImportFrom(self, stmt: ast.ImportFrom, env, module) -> None:
        base = stmt.module or ""
        source = self._import(base, stmt.level, module) if (base or stmt.level) else UNKNOWN
        for alias in stmt.names:
            if alias.name == "*":
                if isinstance(source, ModuleVal):
                    for k, v in source.state.globals.items():
                        if not k.startswith("_"):
                            self._bind(k, v, env)
                continue
            value = self._attr(source, alias.name)
            sub = f"{base}.{alias.name}" if base else alias.name
            if value is UNKNOWN and isinstance(source, ModuleVal):
                value = self._import(sub, stmt.level, module)
            elif isinstance(source, External):
                # A folder without `__init__.py` (a namespace package, as research code
                # writes `from libs import train`) is no module the loader finds, but its
                # files are: Python imports them as submodules.
                loaded = self._import(sub, stmt.level, module)
                value = loaded if isinstance(loaded, ModuleVal) else value
            self._bind(alias.asname or alias.name, value, env)

    def _import(self, name: str, level: int, module: ModuleState) -> Any:
        modelled = tfapi.imported(name) if level == 0 else None
        if modelled is not None:
            return modelled
        if self.loader is not None:
            state = self.loader(module, name, level)
            if state is not None:
                # One module object per file and interpretation, as in Python: an import
                # cycle finds the partly loaded module instead of loading it again.
                state = self.modules.setdefault(_realpath(state.path), state)
                if self._loading and state not in self._loading[-1].requires:
                    self._loading[-1].requires.append(state)
                saved = self._save_context()
                try:
                    self._load(state)
                finally:
                    self._restore_context(saved)
                return ModuleVal(state)
        return External(name) if level == 0 else External("." + name)

    def _save_context(self):
        """An imported module's top level runs outside every call and scope of the importer."""
        saved = (self.tf.save_context(), self.calls, self.call_info, self.funcs, self.conds, self.loops)
        self.calls, self.call_info, self.funcs, self.conds, self.loops = [], [], [], [], []
        return saved

    def _restore_context(self, saved) -> None:
        tf, self.calls, self.call_info, self.funcs, self.conds, self.loops = saved
        self.tf.restore_context(tf)

    def _stmt_If(self, stmt: ast.If, env, module, cont: "_Continuation | None" = None) -> None:
        known = truthy(self.eval(stmt.test, env, module))
        guard = self._guards(stmt)
        self.guards += guard
        try:
            if known is True:
                self.exec_block(stmt.body, env, module, cont)
            elif known is False:
                self.exec_block(stmt.orelse, env, module, cont)
            else:
                self._fork(stmt, [stmt.body, stmt.orelse], env, module, cont)
        finally:
            self.guards -= guard

    def _guards(self, node: ast.If | ast.IfExp) -> bool:
        """Whether an `if` may be a guard (`if self.w is None:`) that makes its body run once.
        A setting compared with constants takes the same arm on every call: what runs under
        it is as unconditional as the code around it."""
        owner = self.funcs[-1].owner if self.funcs else None
        test = node.test
        if (self.funcs and isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or)
                and any(_argument_test(v, self.funcs[-1].node, owner) for v in test.values)):
            # `if infer or self.needs_init:`: wherever the caller passes the setting, the body
            # runs on every call, whatever the flag beside it does on the first
            return False
        setting = (_setting_test(node.test) or _flag_test(node, owner) or _constructor_setting(node.test, owner)
                   or _input_shape_test(node.test) or (bool(self.funcs) and _argument_test(node.test, self.funcs[-1].node, owner)))
        return not (setting and not (self.funcs and _stateful_test(node, self.funcs[-1].node)))

    def _arm_context(self, node: ast.If | ast.IfExp, env, module) -> tuple[Any, tuple, bool, tuple]:
        """What tags each arm of an `if` (its `Cond`): the test when it compares a name with a
        constant, the loop iterations around it, whether the test reads state its
        function changes (then each run of it is an iteration of its own), and the known
        constants of the locals it reads (`Cond.given`)."""
        test = _equality_test(node, module)
        func = self.funcs[-1] if self.funcs else None
        loops, stateful = tuple(self.loops), func is not None and _stateful_test(node, func.node)
        run = None
        if stateful and _set_before_test(node, func.node):
            # `self.mode = mode` and then `if self.mode == ...`: a setting this call fixed
            # before its tests, not a memo; its tests agree within the call, not across calls.
            stateful, run = False, self._invocations[-1]
        if stateful:
            self._stateful_runs += 1
            loops += ((id(node), -self._stateful_runs),)
        if test is not None and _SELF_ROOT in test[0] and func is not None and isinstance(func.bound_self, Instance):
            # one object's setting: another object may hold another value
            test = test[:4] + ((id(func.bound_self), run),)
        return test, loops, stateful, _given(node.test, env, module)

    def _fork(self, node: ast.AST, arms: list[list[ast.stmt]], env, module, cont: "_Continuation | None" = None) -> None:
        """Run each arm from the same state; join what both could leave behind. `cont`: the
        rest of the block, run on each arm after it (a split `if`, _splits)."""
        before = self._snapshot(env)
        frame = env[0]
        # The frame's bindings are not copied at every `if` (a module of 5 k globals and 5 k
        # `if`s copied 25 M entries): an arm's writes are journaled, and taken back after it.
        outcomes = []
        writes = []  # per arm: the object attributes it set, with their final values
        test, loops, stateful, given = self._arm_context(node, env, module)
        starts = []  # per arm: how many objects were made before it began
        for arm, block in enumerate(arms):
            self._restore(env, before)
            starts.append(instances_made())
            depth = len(self.conds)
            self.conds.append(Cond(id(node), loops, arm, test, stateful, given=given))
            self.journals.append([])
            bindings = self._binding_journals.setdefault(id(frame), [])
            bindings.append([])
            term = None
            try:
                self.exec_block(block, env, module, cont)
            except _Terminator as exc:
                # Kept past this frame: without its traceback it holds no frame, so no cycle.
                term = exc.with_traceback(None)
            finally:
                # Also the tags a nested `if` left for "the rest runs on this arm only".
                del self.conds[depth:]
                writes.append(self._undo(self.journals.pop()))
                bound = self._undo_bindings(frame, bindings.pop())
                if not bindings:
                    self._binding_journals.pop(id(frame), None)
            outcomes.append((arm, term, (bound, *self._snapshot(env)[1:])))
        self._join_attributes([w for (arm, term, _), w in zip(outcomes, writes) if term is None],
                              [n for (arm, term, _), n in zip(outcomes, starts) if term is None])
        alive = [(arm, snap) for arm, term, snap in outcomes if term is None]
        if alive and self.early_returns:
            # `if p: return x` with the function going on: x is one of the values it returns.
            self.early_returns[-1].extend(t.value for _, t, _ in outcomes if isinstance(t, _Return))
            self.early_writes[-1].extend(w for (_, t, _), w in zip(outcomes, writes) if isinstance(t, _Return) and w)
        if not alive:
            self._rebind(frame, outcomes[-1][2][0])  # as the last arm left them
            terms = [t for _, t, _ in outcomes]
            # Every arm leaves (`if deep: return self._deep(x) else: return self._flat(x)`,
            # each helper setting `self._reuse = True`): the objects' state after it is what
            # the arms that leave the same way set, as for arms that go on.
            self._join_attributes([w for t, w in zip(terms, writes) if type(t) is type(terms[0])],
                                  [n for t, n in zip(terms, starts) if type(t) is type(terms[0])])
            if all(isinstance(t, _Return) for t in terms):
                value = terms[0].value
                for t in terms[1:]:
                    value = self._join(value, t.value)
                raise _Return(value)
            raise terms[0]
        if len(alive) == 1:
            arm, snap = alive[0]
            self._restore(env, snap)
            self._rebind(frame, snap[0])
            # Everything after this point runs only on that arm.
            self.conds.append(Cond(id(node), loops, arm, test, stateful, given=given))
            return
        joined = self._join_snapshots(alive[0][1], alive[1][1], frame, (id(node), loops, starts))
        self._restore(env, joined)
        self._rebind(frame, joined[0])

    def _write(self, frame: dict, name: str, value: Any) -> None:
        """A binding, journaled when an `if` arm running on that frame may take it back."""
        journals = self._binding_journals.get(id(frame))
        if journals:
            journals[-1].append((name, frame.get(name, _MISSING)))
        frame[name] = value

    def _undo_bindings(self, frame: dict, journal: list) -> dict:
        """Take an arm's bindings back; return their final values (_MISSING: unbound)."""
        final = {name: frame.get(name, _MISSING) for name, _ in journal}
        for name, old in reversed(journal):
            if old is _MISSING:
                frame.pop(name, None)
            else:
                frame[name] = old
        return final

    def _rebind(self, frame: dict, final: dict) -> None:
        for name, value in final.items():
            if value is _MISSING:
                if name in frame:
                    self._write(frame, name, _MISSING)  # journaled, then dropped
                    del frame[name]
            else:
                self._write(frame, name, value)

    def _set_attr(self, instance: Instance, attr: str, value: Any) -> None:
        if self.journals:
            self.journals[-1].append((instance, attr, instance.attrs.get(attr, _MISSING)))
        instance.attrs[attr] = value

    def _undo(self, journal: list) -> dict:
        """Take an arm's attribute writes back; return their final values, by object and name."""
        final = {(id(inst), attr): (inst, attr, inst.attrs.get(attr, _MISSING)) for inst, attr, _ in journal}
        for inst, attr, old in reversed(journal):
            if old is _MISSING:
                inst.attrs.pop(attr, None)
            else:
                inst.attrs[attr] = old
        return final

    def _join_attributes(self, arms: list[dict], starts: list[int] | None = None, owned: list | None = None) -> None:
        """`self.x = ...` on one arm of an unknown `if`: after it, x is known only if every
        arm that goes on leaves the same value (the state before counts for an arm that
        did not set it). An object made on an arm (`starts`: how many objects were made
        when each arm began) is in no run of the other arms, so what that arm set on it is
        its state: `{"a": A, "b": B}[key](self)` keeps what `A.__init__` set on its object.
        So is an object only one arm owns (`owned`: ids per arm, the objects of a pick's
        item that an `if` arm made: `trainer.initialize_model()` on each trainer it bound)."""
        for key in {k for arm in arms for k in arm}:
            inst, attr, _ = next(arm[key] for arm in arms if key in arm)
            values = [arm[key][2] if key in arm else inst.attrs.get(attr, _MISSING) for arm in arms]
            if starts is not None and isinstance(inst, Instance):
                values = [arm[key][2] for arm, n in zip(arms, starts) if key in arm and inst.serial > n] or values
            if owned is not None:
                values = [arm[key][2] for arm, ids in zip(arms, owned) if key in arm and id(inst) in ids] or values
            value = values[0]
            for other in values[1:]:
                value = self._join(value, other)
            if value is _MISSING:
                continue
            self._set_attr(inst, attr, value)

    def _join_early_writes(self, arms: list[dict]) -> None:
        """`if deep: return self._deep(x)` with the function going on: after the call, an
        attribute that arm set holds its value or the one the other paths left, so both are
        joined. (An attribute only the later code sets keeps that code's value: guards like
        `if self.built: return` keep their object state known.)"""
        for arm in arms:
            for inst, attr, value in arm.values():
                current = inst.attrs.get(attr, _MISSING)
                if value is _MISSING or current is _MISSING:
                    continue
                self._set_attr(inst, attr, self._join(value, current))

    def _join(self, a: Any, b: Any) -> Any:
        """One value for what two paths left (arms of an `if`, a function's returns)."""
        if same(a, b):
            return a
        joined = tfapi.join(self, a, b)
        return a if joined is UNKNOWN and _same_kind(a, b) else joined

    def _snapshot(self, env):
        """What an `if` arm may change, but the frame's bindings (journaled: see _fork)."""
        return None, self.tf.snapshot()

    def _restore(self, env, snap) -> None:
        self.tf.restore(snap[1])

    def _join_snapshots(self, a, b, frame: dict, arms: tuple | None = None):
        """a, b: what two arms left; their bindings are those the arms wrote, the others are
        as in `frame` (as before the `if`). `arms`: the `if` (its id, the loops around it)
        whose arms 0 and 1 left a and b, for the objects it picks (see _arm_pick)."""
        keys = set(a[0]) | set(b[0])

        def value(arm: dict, k: str) -> Any:
            return arm[k] if k in arm else frame.get(k, _MISSING)

        bindings = {}
        for k in keys:
            va, vb = value(a[0], k), value(b[0], k)
            if isinstance(va, (FuncVal, ClassVal)) and type(va) is type(vb) and va.node is vb.node:
                # One `def` run on each path of a split `if` (_splits): one function, which the
                # module's entry runs still find by its name.
                bindings[k] = va
                continue
            picked = _arm_pick(va, vb, arms) if arms is not None else None
            if picked is not None:
                bindings[k] = picked
            else:
                bindings[k] = self._join(UNKNOWN if va is _MISSING else va, UNKNOWN if vb is _MISSING else vb)
        for key in ("__globals__", "__nonlocals__"):
            if key in keys:  # declarations, not values: both arms' hold
                declared = [arm.get(key, frame.get(key, _MISSING)) for arm in (a[0], b[0])]
                bindings[key] = set().union(*(d for d in declared if d is not _MISSING))
        return bindings, self.tf.join(a[1], b[1])

    def _stmt_For(self, stmt: ast.For, env, module) -> None:
        iterable = self.eval(stmt.iter, env, module)
        if isinstance(iterable, DictVal) and not iterable.open:
            iterable = _dict_view(iterable, "keys")
        if isinstance(iterable, ListVal) and iterable.length is not None:
            self.analysis.loop_lengths[id(stmt)] = iterable.length
        after = tfapi.loop_over(self, stmt, iterable, env, module)
        self._loop(stmt, env, module, self._iteration_values(iterable), stmt.target)
        for target, value in after:  # lists the body filled, as the models computed them
            self.assign(target, value, env, module)

    _stmt_AsyncFor = _stmt_For

    def _stmt_While(self, stmt: ast.While, env, module) -> None:
        known = truthy(self.eval(stmt.test, env, module))
        if known is False:
            self.exec_block(stmt.orelse, env, module)
            return
        # A test with no call is read again before each later pass, as Python does: a body
        # that makes its own test false (`while n == epoch: build(); n += 1`) runs once.
        again = None if any(isinstance(n, ast.Call) for n in ast.walk(stmt.test)) else stmt.test
        self._loop(stmt, env, module, [UNKNOWN] * MAX_LITERAL_ITERATIONS, None, again)

    def _iteration_values(self, iterable: Any) -> list[Any]:
        if isinstance(iterable, DictVal) and not iterable.open:
            iterable = _dict_view(iterable, "keys")
        if isinstance(iterable, ListVal):
            return iterable.items[:MAX_LITERAL_ITERATIONS]
        item = tfapi.item_of(self, iterable)
        return [UNKNOWN if item is tfapi.NOT_SPECIAL else item] * MAX_LITERAL_ITERATIONS

    def _loop(self, stmt, env, module, values: list[Any], target: ast.AST | None, test: ast.expr | None = None) -> None:
        self.analysis.loops[id(stmt)] = Site(module.path, stmt)
        broke = False
        for i, value in enumerate(values):
            if i and test is not None and truthy(self.eval(test, env, module)) is False:
                break  # the `while` ends on its test: its `else` runs
            if target is not None:
                self.assign(target, value, env, module)
            self.loops.append((id(stmt), i))
            depth = len(self.conds)
            try:
                self.exec_block(stmt.body, env, module)
            except _Break:
                broke = True
            except _Continue:
                pass
            finally:
                self.loops.pop()
                del self.conds[depth:]
            if broke:
                break
        if not broke:
            self.exec_block(stmt.orelse, env, module)

    def _stmt_With(self, stmt: ast.With, env, module) -> None:
        entered: list[Any] = []
        try:
            self._enter_items(stmt.items, env, module, entered)
            self.exec_block(stmt.body, env, module)
        finally:
            for ctx in reversed(entered):
                self._exit(ctx)

    _stmt_AsyncWith = _stmt_With

    def _stmt_Try(self, stmt: ast.Try, env, module) -> None:
        # Handlers run only when the body failed part-way; what they do is not modelled. A
        # body whose handler catches TF's `ValueError` is the program's own test (a
        # get-or-create: `try: reuse=True ... except ValueError: reuse=False ...`).
        catching = any(_catches_value_error(h) for h in stmt.handlers)
        try:
            self.catching += catching
            try:
                self.exec_block(stmt.body, env, module)
            finally:
                self.catching -= catching
            self.exec_block(stmt.orelse, env, module)
        finally:
            if tfapi.handler_creates(stmt.handlers, env, module):
                # A handler that makes variables (`except AttributeError: self.w =
                # tf.Variable(...)`, a lazy build retried in a loop) may have run: what the
                # graph holds is not known.
                self.tf.unknown_effect()
            # Also when the body leaves by `return` or `break`, as Python runs it.
            self.exec_block(stmt.finalbody, env, module)

    _stmt_TryStar = _stmt_Try

    # ----- with: context managers (the models enter their own; see tfapi.context) -----------------
    def _enter_items(self, items: list[ast.withitem], env, module, entered: list) -> None:
        """Enter a `with`'s items in order; `entered` collects what to exit, even on failure."""
        for item in items:
            ctx = self.eval(item.context_expr, env, module)
            ctx, value = self._enter_item(ctx, module, item.context_expr)
            entered.append(ctx)
            if item.optional_vars is not None:
                self.assign(item.optional_vars, value, env, module)

    def _enter_item(self, ctx: Any, module: ModuleState, node: ast.AST) -> tuple[Any, Any]:
        """Enter one `with` item; returns what to exit later and the `as` value. A context
        manager we cannot see into may have any effect: the models say what that means."""
        if isinstance(ctx, _Generator):
            value = self._enter_generator(ctx)
            if ctx.resume is not None:
                return ctx, value
        elif tfapi.unmodelled_scope(ctx, node):
            pass  # entered as a scope we cannot see into, below
        else:
            modelled = tfapi.context_handlers(type(ctx))
            if modelled is not None:
                return ctx, modelled[0](self, ctx, module, node)
            if isinstance(ctx, External) and ctx.safe:
                return ctx, UNKNOWN
        ctx = tfapi.enter_unknown(self)
        return ctx, UNKNOWN

    def _exit(self, ctx: Any) -> None:
        if isinstance(ctx, _Generator):
            if ctx.resume is not None:
                self._in_generator(ctx, ctx.resume)
            return
        modelled = tfapi.context_handlers(type(ctx))
        if modelled is not None and modelled[1] is not None:
            modelled[1](self, ctx)

    # ----- @contextmanager: the body up to `yield` runs at the `with`, the rest after it -----
    def _enter_generator(self, gen: "_Generator") -> Any:
        func = gen.func
        if len(self.funcs) >= MAX_DEPTH or any(f.node is func.node for f in self.funcs):
            self.tf.unknown_effect()
            return UNKNOWN
        self.executed.add(id(func.node))
        gen.env = [self._bind_arguments(func, gen.args, gen.kwargs, gen.unknown_args)] + func.closure
        outcome = self._in_generator(gen, lambda: self._until_yield(func.node.body, gen.env, func.module))
        if outcome is None:
            self.tf.unknown_effect()  # a yield we cannot place (in a loop, an if): unknown effects
            return UNKNOWN
        gen.resume, value = outcome
        return value

    def _in_generator(self, gen: "_Generator", step):
        if gen.site is not None:
            self.calls.append(gen.site)
        self.funcs.append(gen.func)
        try:
            return step()
        except _Terminator:
            return None
        finally:
            self.funcs.pop()
            if gen.site is not None:
                self.calls.pop()

    def _until_yield(self, stmts, env, module):
        """Run statements up to a top-level `yield` (also inside `with` and `try`); return a
        function that runs the rest, and the yielded value; None if the yield is elsewhere."""
        for i, stmt in enumerate(stmts):
            rest = stmts[i + 1:]
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield):
                value = self.eval(stmt.value.value, env, module)
                return (lambda: self.exec_block(rest, env, module)), value
            if not any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(stmt)):
                self.exec_stmt(stmt, env, module)
                continue
            if isinstance(stmt, ast.With):
                entered: list[Any] = []
                self._enter_items(stmt.items, env, module, entered)
                inner = self._until_yield(stmt.body, env, module)
                if inner is None:
                    for ctx in reversed(entered):
                        self._exit(ctx)
                    return None

                def resume(inner_resume=inner[0], entered=entered, rest=rest):
                    try:
                        inner_resume()
                    finally:
                        for ctx in reversed(entered):
                            self._exit(ctx)
                    self.exec_block(rest, env, module)

                return resume, inner[1]
            if isinstance(stmt, ast.Try):
                inner = self._until_yield(stmt.body, env, module)
                if inner is None:
                    return None

                def resume(inner_resume=inner[0], final=stmt.finalbody, rest=rest):
                    try:
                        inner_resume()
                    finally:
                        self.exec_block(final, env, module)
                    self.exec_block(rest, env, module)

                return resume, inner[1]
            return None
        return None

    def _generator(self, node: ast.AST, module: ModuleState) -> bool:
        key = ("gen", id(node))
        if key not in self._loaded_cache:
            # The text first: most functions have no `yield` at all, and that costs no walk.
            text = "".join(module.lines[node.lineno - 1:node.end_lineno])
            self._loaded_cache[key] = "yield" in text and _is_generator(node)
        return self._loaded_cache[key]

    def _loaded(self, node: ast.AST) -> frozenset[str]:
        key = id(node)
        if key not in self._loaded_cache:
            self._loaded_cache[key] = _loaded_names(node)
        return self._loaded_cache[key]

    # ----- creations ---------------------------------------------------------------------------
    # ----- expressions --------------------------------------------------------------------------
    def eval(self, node: ast.AST | None, env: list[dict], module: ModuleState) -> Any:
        if node is None:
            return Const(None)
        handler = _EXPR_HANDLERS.get(type(node))
        if handler is None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.eval(child, env, module)
            return UNKNOWN
        return handler(self, node, env, module)

    def _expr_Dict(self, node: ast.Dict, env, module) -> Any:
        keys = [self.eval(key, env, module) if key is not None else None for key in node.keys]
        values = [self.eval(value, env, module) for value in node.values]
        if not all(isinstance(k, Const) and _hashable(k.value) for k in keys):
            return UNKNOWN  # a `**spread` or a key we do not know: any key may hold anything
        return DictVal({k.value: v for k, v in zip(keys, values)})

    def _expr_Starred(self, node: ast.Starred, env, module) -> Any:
        self.eval(node.value, env, module)
        return UNKNOWN

    def _expr_Slice(self, node: ast.Slice, env, module) -> Any:
        for part in (node.lower, node.upper, node.step):
            if part is not None:
                self.eval(part, env, module)
        return UNKNOWN

    def _expr_Constant(self, node: ast.Constant, env, module) -> Any:
        return Const(node.value)

    def _expr_Name(self, node: ast.Name, env, module) -> Any:
        for scope in env:
            if node.id in scope:
                value = scope[node.id]
                local = scope is not module.globals
                break
        else:
            value, local = UNKNOWN, False
        # `FLAGS = tf.app.flags.FLAGS`, `args = parser.parse_args()`: their one binding in
        # the file says what the attributes are. A parameter of that name is a local given
        # whatever its caller gave; only a file where no function takes one is read so.
        return settings(module.tree, unshadowed=local).get(node.id, value)

    def _expr_Attribute(self, node: ast.Attribute, env, module) -> Any:
        return self._attr(self.eval(node.value, env, module), node.attr)

    def _attr(self, base: Any, attr: str) -> Any:
        if isinstance(base, OneOf):
            return _one_of([self._attr(item, attr) for item in base.items], base)
        read = tfapi.value_attribute(self, base, attr)
        if read is not tfapi.NOT_SPECIAL:
            return read
        modelled = tfapi.attribute_handler(type(base))
        if modelled is not None:
            return modelled(base, attr)
        if isinstance(base, Const) and isinstance(base.value, str) and attr in _STR_METHODS:
            return Method("str", (base.value, attr))
        if isinstance(base, DictVal) and (attr in _DICT_READERS or attr in _MUTATORS):
            return Method("dict", (base, attr))
        if isinstance(base, External):
            return External(f"{base.qualname}.{attr}")
        if isinstance(base, Settings):
            return base.get(attr)
        if isinstance(base, ModuleVal):
            return base.state.globals.get(attr, UNKNOWN)
        if isinstance(base, PackageVal):
            return base.subs[attr] if attr in base.subs else self._attr(base.base, attr)
        if isinstance(base, Instance):
            if attr in base.attrs:
                return base.attrs[attr]
            found = base.cls.lookup(attr)
            if isinstance(found, FuncVal):
                return found.bound(base)
            if isinstance(found, HiddenMethod):
                stored = _stored_attr(found)
                if stored is not None and stored in base.attrs:
                    return base.attrs[stored]
                self.tf.unknown_effect()
                tfapi.blind(self)
                return UNKNOWN
            if found is None:
                read = tfapi.model_attribute(self, base, attr)
                return read if read is not tfapi.NOT_SPECIAL else UNKNOWN
            return found
        if isinstance(base, ClassVal):
            found = base.lookup(attr)
            return found if found is not None else UNKNOWN
        if isinstance(base, _Super):
            return base.lookup(attr)
        return UNKNOWN

    def _expr_BoolOp(self, node: ast.BoolOp, env, module) -> Any:
        result = self.eval(node.values[0], env, module)
        for value_node in node.values[1:]:
            t = truthy(result)
            if t is None:
                # The rest may or may not run; evaluate for its effects, result unknown,
                # unless a later operand settles the truth: `x and False` is falsy and
                # `x or True` truthy whatever `x` is (a flag a call passes as `False`).
                value = self.eval(value_node, env, module)
                if _settles(node.op, value):
                    return value
                result = UNKNOWN
                continue
            if isinstance(node.op, ast.Or) and t:
                return result
            if isinstance(node.op, ast.And) and not t:
                return result
            result = self.eval(value_node, env, module)
        return result

    def _expr_UnaryOp(self, node: ast.UnaryOp, env, module) -> Any:
        operand = self.eval(node.operand, env, module)
        modelled = tfapi.unary_op(operand)
        if modelled is not tfapi.NOT_SPECIAL:
            return modelled
        if isinstance(node.op, ast.Not):
            t = truthy(operand)
            return UNKNOWN if t is None else Const(not t)
        if isinstance(operand, Const) and isinstance(operand.value, (int, float)):
            if isinstance(node.op, ast.USub):
                return Const(-operand.value)
        return UNKNOWN

    def _expr_BinOp(self, node: ast.BinOp, env, module) -> Any:
        left = self.eval(node.left, env, module)
        right = self.eval(node.right, env, module)
        modelled = tfapi.binary_op(node.op, left, right)
        if modelled is not tfapi.NOT_SPECIAL:
            return modelled
        if isinstance(node.op, ast.Mult) and isinstance(left, ListVal):
            if right is UNKNOWN and isinstance(node.right, ast.Name):
                right = self._entry_count(node.right.id, env)
            repeats = bool(left.items) and not left.sample and not _names_unbound(node.left, env, module)
            if isinstance(right, Const) and isinstance(right.value, int) and 0 <= right.value <= 64:
                return ListVal(left.items * right.value, repeats=repeats and right.value >= 2)
            # `[cell] * num_layers`: a sample of what the list repeats.
            return ListVal(left.items * MAX_LITERAL_ITERATIONS, sample=True, repeats=repeats)
        if not (isinstance(left, Const) and isinstance(right, Const)):
            if isinstance(node.op, ast.Mod) and isinstance(left, Const) and isinstance(right, ListVal):
                if all(isinstance(i, Const) for i in right.items):
                    right = Const(tuple(i.value for i in right.items))
                else:
                    return UNKNOWN
            else:
                return UNKNOWN
        try:
            if isinstance(node.op, ast.Add):
                return Const(left.value + right.value)
            if isinstance(node.op, ast.Mod) and isinstance(left.value, str):
                return Const(left.value % right.value)
            if isinstance(node.op, ast.Sub):
                return Const(left.value - right.value)
            if isinstance(node.op, ast.Mult) and not isinstance(left.value, str):
                return Const(left.value * right.value)
        except (TypeError, ValueError, OverflowError):
            return UNKNOWN
        return UNKNOWN

    def _entry_count(self, name: str, env) -> Any:
        """`[cell] * num_layers` in a function run as an entry, `num_layers` a parameter
        left at its integer default: the list that default makes. A call that passes another
        count runs the function from its caller's code, with that count."""
        if self.entry_counts and self.entry_counts[-1][0] is env[0]:
            return self.entry_counts[-1][1].get(name, UNKNOWN)
        return UNKNOWN

    def _expr_Compare(self, node: ast.Compare, env, module) -> Any:
        left = self.eval(node.left, env, module)
        rights = [self.eval(c, env, module) for c in node.comparators]
        if len(rights) == 1:
            modelled = tfapi.compare(node.ops[0], left, rights[0])
            if modelled is not tfapi.NOT_SPECIAL:
                return modelled
        if len(rights) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)) and isinstance(left, Const):
            # `mode in ["train", "eval"]`: a known list of constants answers it.
            r = rights[0]
            if isinstance(r, ListVal) and not (r.sample or r.repeats) and all(isinstance(v, Const) for v in r.items):
                found = any(v.value == left.value for v in r.items)
                return Const(found if isinstance(node.ops[0], ast.In) else not found)
        if len(rights) != 1 or not isinstance(left, Const) or not isinstance(rights[0], Const):
            op = node.ops[0]
            if len(node.ops) == 1 and isinstance(op, (ast.Eq, ast.NotEq)):
                # `self._gen == None` in a memoizing getter, once the model is stored: Python's
                # default equality, as `is None` answers it.
                other = left if _is_none(rights[0]) else rights[0] if _is_none(left) else None
                if other is not None and _default_equality(self, other):
                    return Const(isinstance(op, ast.NotEq))
            if len(node.ops) == 1 and isinstance(rights[0], Const) and rights[0].value is None:
                # `scope is None` with a known non-None object
                if isinstance(op, (ast.Is, ast.IsNot)) and left is not UNKNOWN and not isinstance(left, Const):
                    return Const(isinstance(op, ast.IsNot))
                # `state == None` on a dict or list the program made (a cell's state
                # returned by its last call): none of them equals None, and no `__eq__` of the
                # program's own can say otherwise.
                if isinstance(op, (ast.Eq, ast.NotEq)) and isinstance(left, (DictVal, ListVal)):
                    return Const(isinstance(op, ast.NotEq))
            return UNKNOWN
        a, b, op = left.value, rights[0].value, node.ops[0]
        try:
            result = {
                ast.Eq: lambda: a == b, ast.NotEq: lambda: a != b, ast.Lt: lambda: a < b,
                ast.LtE: lambda: a <= b, ast.Gt: lambda: a > b, ast.GtE: lambda: a >= b,
                ast.Is: lambda: a is b, ast.IsNot: lambda: a is not b,
                ast.In: lambda: a in b, ast.NotIn: lambda: a not in b,
            }[type(op)]()
        except (TypeError, KeyError):
            return UNKNOWN
        return Const(result)

    def _expr_IfExp(self, node: ast.IfExp, env, module) -> Any:
        t = truthy(self.eval(node.test, env, module))
        if t is True:
            return self.eval(node.body, env, module)
        if t is False:
            return self.eval(node.orelse, env, module)
        # Each arm is tagged as an `if` statement's would be, so that what the two arms make
        # is known exclusive: `f(x, reuse=True) if i > 0 else f(x)` in a loop creates on the
        # first iteration and reuses on the others, as the statement form does.
        guard = self._guards(node)
        test, loops, stateful, given = self._arm_context(node, env, module)
        values = []
        depth = len(self.conds)
        self.guards += guard
        try:
            for arm, expr in enumerate((node.body, node.orelse)):
                self.conds.append(Cond(id(node), loops, arm, test, stateful, given=given))
                try:
                    values.append(self.eval(expr, env, module))
                finally:
                    del self.conds[depth:]
        finally:
            self.guards -= guard
        return self._join(values[0], values[1])

    def _expr_JoinedStr(self, node: ast.JoinedStr, env, module) -> Any:
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
                continue
            inner = self.eval(value.value, env, module)
            if not isinstance(inner, Const) or value.format_spec is not None or value.conversion != -1:
                return UNKNOWN
            parts.append(str(inner.value))
        return Const("".join(parts))

    def _expr_List(self, node, env, module) -> Any:
        items = [self.eval(e.value if isinstance(e, ast.Starred) else e, env, module) for e in node.elts]
        if any(isinstance(e, ast.Starred) for e in node.elts):
            return _spliced([(isinstance(e, ast.Starred), item) for e, item in zip(node.elts, items)])
        return ListVal(items)

    _expr_Tuple = _expr_List

    def _expr_Subscript(self, node: ast.Subscript, env, module) -> Any:
        base = self.eval(node.value, env, module)
        index = self.eval(node.slice, env, module)
        modelled = tfapi.subscript(base, index)
        if modelled is not tfapi.NOT_SPECIAL:
            return modelled
        if isinstance(base, DictVal):
            picked = _picked(base, index, node, tuple(self.loops))
            return picked if picked is not None else _dict_item(base, index)
        if isinstance(base, ListVal) and isinstance(index, Const) and isinstance(index.value, int):
            # A sample's first items are the list's first items; its last ones are not (nor a
            # grown list's: a loop appended on its first passes only).
            lowest = 0 if base.sample or base.grown else -len(base.items)
            if lowest <= index.value < len(base.items):
                return base.items[index.value]
        return UNKNOWN

    def _expr_Lambda(self, node: ast.Lambda, env, module) -> Any:
        defaults = [self.eval(d, env, module) for d in node.args.defaults]
        return FuncVal(node, module, env, defaults=defaults, kw_defaults=[None for _ in node.args.kwonlyargs])

    def _expr_NamedExpr(self, node: ast.NamedExpr, env, module) -> Any:
        value = self.eval(node.value, env, module)
        self.assign(node.target, value, env, module)
        return value

    def _comprehension(self, node, env, module, elts: list[ast.expr], outer: Any = None) -> Any:
        # The outermost iterable is evaluated once, here: a call in it (a generator that
        # builds a model, then yields per split) runs once, as Python runs it.
        if outer is None:
            outer = self.eval(node.generators[0].iter, env, module)
        selected = tfapi.comprehension(self, node, env, module, elts, outer)
        if selected is not None:
            return selected
        local = [{}] + env
        results: list[Any] = []
        known = True
        # How many items each generator's list has, when known: only the first ones are
        # walked, so `[f(x) for x in range(5)]` gives two results of a list of five.
        sizes: list[int | None] = []
        first: list[Any] = []  # what the outermost generator runs over

        def run(gens: list[ast.comprehension]) -> None:
            nonlocal known
            if not gens:
                results.extend(self.eval(e, local, module) for e in elts)
                return
            gen = gens[0]
            if gen is node.generators[0]:
                iterable = outer
                first.append(iterable)
            else:
                iterable = self.eval(gen.iter, local, module)
            if not isinstance(iterable, ListVal) or iterable.sample:
                known = False
            sizes.append(_known_length(iterable))
            self.analysis.loops[id(gen)] = Site(module.path, node)
            for i, value in enumerate(self._iteration_values(iterable)):
                self.assign(gen.target, value, local, module)
                self.loops.append((id(gen), i))
                try:
                    if gen.ifs:
                        known = False
                        for cond in gen.ifs:
                            self.eval(cond, local, module)
                    run(gens[1:])
                finally:
                    self.loops.pop()

        run(list(node.generators))
        if len(elts) == 1:
            repeats = _same_each_time(node, elts[0]) and (not known or len(results) >= 2)
            repeats = repeats and not _names_unbound(elts[0], env, module)
            whole = all(size is not None and size <= MAX_LITERAL_ITERATIONS for size in sizes)
            if not known or whole:
                made = ListVal(results, sample=not known, repeats=repeats)
                return tfapi.picked(self, node, module, first[0] if first else None, made)
            if len(node.generators) == 1 and sizes[0] is not None:
                return ListVal(results, repeats=repeats, length=sizes[0])
            # Over a list grown where we did not follow it, or nested over long lists: the
            # results are the first ones, and how many there are is not known.
            return ListVal(results, repeats=repeats, changed=True)
        return UNKNOWN

    def _expr_ListComp(self, node, env, module) -> Any:
        return self._comprehension(node, env, module, [node.elt])

    def _expr_SetComp(self, node, env, module) -> Any:
        made = self._comprehension(node, env, module, [node.elt])
        if not isinstance(made, ListVal) or made.sample or len(made.items) < 2:
            return made
        if all(isinstance(v, Const) and _hashable(v.value) for v in made.items) and made.length is None:
            return replace(made, items=list({v.value: v for v in made.items}.values()))
        # Equal items are one item of the set: how many there are is not known.
        return replace(made, changed=True, length=None)

    _expr_GeneratorExp = _expr_ListComp

    def _expr_DictComp(self, node, env, module) -> Any:
        outer = self.eval(node.generators[0].iter, env, module)
        keyed = tfapi.dict_comprehension(self, node, env, module, outer)
        if keyed is not None:
            return keyed
        self._comprehension(node, env, module, [node.key, node.value], outer)
        return UNKNOWN

    def _expr_Call(self, node: ast.Call, env, module) -> Any:
        func = self.eval(node.func, env, module)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        starred = False
        spread = None
        for a in node.args:
            if isinstance(a, ast.Starred):
                spread = self.eval(a.value, env, module)
                starred = True
            else:
                args.append(self.eval(a, env, module))
        for kw in node.keywords:
            value = self.eval(kw.value, env, module)
            if kw.arg is None and _known_keywords(value):
                kwargs.update(value.items)  # `**settings` of a dict whose keys are all known
            elif kw.arg is None:
                starred = True
            else:
                kwargs[kw.arg] = value
        if func is UNKNOWN and isinstance(node.func, ast.Name) and len(node.args) == 1 and starred and not node.keywords:
            # `zip(*pairs)`: a builtin spreading one value, which a model may know the items of.
            modelled = tfapi.builtin_call(self, node.func.id + "(*)", [spread], node, module)
            if modelled is not tfapi.NOT_SPECIAL:
                return modelled
        return self.call(func, args, kwargs, node, env, module, starred)

    # ----- calls ---------------------------------------------------------------------------------
    def call(self, func, args, kwargs, node, env, module, starred=False) -> Any:
        if _exits(func, node, env):
            raise _Raise()  # SystemExit: nothing after it runs on this path
        site = Site(module.path, node)
        if isinstance(func, Partial):
            return self.call(func.func, [*func.args, *args], {**func.kwargs, **kwargs}, node, env, module, starred)
        if isinstance(func, OneOf):
            return self._call_each(func, args, kwargs, node, env, module, starred)
        if isinstance(func, External) and func.qualname == "functools.partial" and args and not starred:
            return Partial(args[0], args[1:], dict(kwargs))
        tfapi.hand_over(self, func, args, kwargs)
        ran = tfapi.run_given_function(self, func, node, args, kwargs, module, starred)
        if ran is not tfapi.NOT_SPECIAL:
            return ran  # `strategy.run(step_fn, args=...)`: TF calls the program's function
        modelled = tfapi.call_handler(type(func))
        if modelled is not None:
            return modelled(self, func, node, args, kwargs, module, site, starred)
        if isinstance(func, FuncVal):
            if not starred and _lacks_required_argument(func, args, kwargs):
                raise _Raise()  # TypeError: the call never runs, nor anything after it on this path
            ran = self.call_function(func, args, kwargs, site, unknown_args=starred)
            return tfapi.call_written_out(self, func, node, args, kwargs, module, ran)
        if isinstance(func, ClassVal):
            stand_in = _tf_stand_in(func)
            if stand_in is not None:
                # `class ExtMulti(MultiRNNCell): pass`: an object of it is the TF base's object.
                base, init = stand_in
                if init is not None and not starred:
                    args, kwargs = self._forwarded(init, args, kwargs)
                return self.call(base, args, kwargs, node, env, module, starred)
            instance = Instance(func, made=site)
            init = func.lookup("__init__")
            saved, before = self.tf.tf_functions, len(self.analysis.builds)
            nested = bool(saved) and tfapi.is_keras_layer_class(func)
            if nested:
                # `BottleNeck(...)(x)` in a `call`: the new layer object is what is made per
                # call; its `__init__`, where its own layers belong, is no tf.function body.
                self.tf.tf_functions = []
            weighted = False
            try:
                if isinstance(init, FuncVal):
                    self.call_function(init.bound(instance, False), args, kwargs, site, unknown_args=starred)
                elif any(not isinstance(b, ClassVal) for b in func.bases):
                    self.tf.unknown_effect()  # a subclass of a library's class: its __init__ is unseen
                if nested:
                    weighted = tfapi.run_keras_build(self, func, instance, site)
            finally:
                self.tf.tf_functions = saved
            if nested and (weighted or any(b.kind != "default_scope" for b in self.analysis.builds[before:])):
                tfapi.build(self, "keras", func.node.name, node, module)  # it owns weights
            return instance
        if isinstance(func, Instance):
            method = func.cls.lookup("__call__")
            if isinstance(method, FuncVal):
                ran = self.call_function(method.bound(func), args, kwargs, site, unknown_args=starred)
                return tfapi.own_call_applied(self, func, node, args, kwargs, ran)
            self.tf.unknown_effect()
            applied = tfapi.apply_subclass(self, func, node, args, kwargs, module)
            own_call = tfapi.call_in_own_step(self, func)
            if applied is not tfapi.NOT_SPECIAL and own_call is not None:
                ran = self.call_function(own_call, args, kwargs, site, unknown_args=starred)
                return tfapi.through_parts(applied, ran)
            if applied is not tfapi.NOT_SPECIAL:
                return applied
            tfapi.blind(self)
            return UNKNOWN
        if isinstance(func, HiddenMethod):
            self.tf.unknown_effect()  # `Model.build(self)` through an unknown decorator
            tfapi.blind(self)
            return UNKNOWN
        if isinstance(func, Method) and func.kind == "dict":
            return self._dict_method(func.target, args, kwargs)
        if isinstance(func, Method):
            return _string_method(func.target, args, kwargs)
        if isinstance(func, External):
            modelled = tfapi.third_party_call(self, func.qualname, node, args, kwargs, module)
            if modelled is not tfapi.NOT_SPECIAL:
                return modelled
            if func.qualname == "collections.OrderedDict" and not args and not starred:
                return DictVal(dict(kwargs))  # as `dict()`: an ordered dict is a dict
            if func.qualname in ("re.match", "re.search", "re.fullmatch") and len(args) >= 2:
                return _regex(func.qualname.split(".")[1], args[0], args[1])
            if func.qualname.split(".")[0] in INERT_RESULT_ROOTS:
                # The module's own object (a compiled pattern, a timestamp): its methods
                # (`pattern.sub`, `now().strftime`) make no variable, as `re.sub` does not.
                return External(f"{func.qualname}()")
            if not func.safe:
                self.tf.unknown_effect()
                tfapi.blind(self)
                self._escape(args, kwargs)
            result = tfapi.external_result(args, kwargs)
            if result is UNKNOWN and not func.safe and _names_class(func.qualname) and not _holds_program_object(args, kwargs):
                return ForeignObject(func.qualname, node)
            return result
        if func is UNKNOWN:
            if isinstance(node.func, ast.Attribute) and node.func.attr == "compile":
                tfapi.run_compiled(self, args, kwargs)  # a Keras model we cannot see
            builtin = node.func.id if isinstance(node.func, ast.Name) else None
            if builtin in ("list", "sorted", "tuple") and len(args) == 1 and isinstance(args[0], ListVal):
                return args[0]
            if builtin == "super":
                return self._super(args)
            if builtin == "dict" and not args and not starred and not any("dict" in scope for scope in env):
                return DictVal(dict(kwargs))
            # A method of an object not known (`opt.get_unscaled_gradients(g)`) answers by
            # its name alone, as `.name`, where a model of TF's API registered that name.
            method = "." + node.func.attr if isinstance(node.func, ast.Attribute) else None
            modelled = tfapi.builtin_call(self, builtin or method, args, node, module)
            if modelled is not tfapi.NOT_SPECIAL:
                return modelled
            if builtin == "range" and all(isinstance(a, Const) and isinstance(a.value, int) for a in args) and args:
                try:
                    numbers = range(*[a.value for a in args])
                    return ListVal([Const(i) for i in numbers[:MAX_LITERAL_ITERATIONS + 1]], length=len(numbers))
                except (TypeError, ValueError):
                    return UNKNOWN
            if builtin == "enumerate" and 1 <= len(args) + len(kwargs) <= 2 and not starred:
                start = args[1] if len(args) > 1 else kwargs.get("start", Const(0))
                if len(args) >= 1 and isinstance(start, Const) and type(start.value) is int:
                    return _enumerated(args[0], start.value)
            if builtin in _OF_CONSTANT and len(args) == 1 and not kwargs and not starred and isinstance(args[0], Const):
                # Constants only: a list's items are not followed through `.append`, so the
                # truth of `bool(outputs)` in a loop that fills `outputs` would be stale.
                # `"net" + str(worker_id)` names a scope per worker.
                return Const(_OF_CONSTANT[builtin](args[0].value))
            if builtin == "len" and len(args) == 1 and not kwargs and not starred:
                # `if len(kwargs) == 0: return tf.nn.leaky_relu` in a helper called with no
                # keywords: the arm that builds a layer from them never runs.
                size = _known_length(args[0])
                if size is not None:
                    return Const(size)
            if builtin is None and isinstance(node.func, ast.Attribute) and node.func.attr in _LIST_CHANGERS:
                appended = args[0] if node.func.attr == "append" and len(args) == 1 and not kwargs and not starred \
                    else _NOT_APPENDED
                self._changed_in_place(node.func.value, env, module, appended)
            if (builtin is None and isinstance(node.func, ast.Attribute) and node.func.attr in _DICT_CHANGERS
                    and isinstance(node.func.value, (ast.Name, ast.Attribute))
                    and tfapi.changed_in_place(self.eval(node.func.value, env, module)) is not tfapi.NOT_SPECIAL):
                self._changed_in_place(node.func.value, env, module)
            if builtin is None and isinstance(node.func, ast.Attribute) and node.func.attr in _DATA_METHODS:
                # A file's, a string's or a container's method (`f.readlines()`, `line.split()`,
                # `f.close()` while a script reads its data): it makes no variable.
                self._escape(args, kwargs)  # `unknown_list.append(models)`: held where we cannot see
                return UNKNOWN
            if builtin is None or builtin not in _BUILTINS:
                # An unknown callable or a method of an unknown object (`net.encoder(x)`):
                # it may create variables we cannot see.
                self.tf.unknown_effect()
                tfapi.blind(self)
                self._escape(args, kwargs)
            return UNKNOWN
        return UNKNOWN

    def _call_each(self, pick: OneOf, args, kwargs, node, env, module, starred) -> Any:
        """`models[name].build_model(x)`: any item may be the one picked, so each is called
        from the same state, on the pick's arm for it, and what they leave is joined as an
        `if`'s arms are. An item whose call raises leaves the others' paths."""
        before = self.tf.snapshot()
        results, left, writes = [], [], []
        depth = len(self.conds)
        starts, owned = [], []
        for arm, item in enumerate(pick.items):
            self.tf.restore(before)
            start = instances_made()
            self.conds.append(Cond(pick.origin, pick.loops, arm, pick=True))
            self.journals.append([])
            try:
                results.append(self.call(item, args, kwargs, node, env, module, starred))
            except _Raise:
                self._undo(self.journals.pop())
                continue
            finally:
                del self.conds[depth:]
            writes.append(self._undo(self.journals.pop()))
            starts.append(start)
            owned.append({id(obj) for obj in _objects(item)})
            left.append(self.tf.snapshot())
        if not results:
            self.tf.restore(before)
            raise _Raise()
        joined = left[0]
        for other in left[1:]:
            joined = self.tf.join(joined, other)
        self.tf.restore(joined)
        self._join_attributes(writes, starts, owned if pick.own else None)
        if len(results) == len(pick.items):
            return _one_of(results, pick)
        return UNKNOWN

    def _changed_in_place(self, receiver: ast.AST, env, module, appended: Any = _NOT_APPENDED) -> None:
        """`outs.append(y)` on a list we know: the name is bound to the list marked changed.
        Its truth is then unknown, as it is in Python on the next pass of a loop that fills it
        (`reuse=bool(outs)` is False only on the first). What `.append` adds to a list we saw
        whole, or one only appends filled, is kept at its end (`appended`), so that a loop over
        `self.convs`, filled by `self.convs.append(Conv2D(...))` in `__init__`, runs on the
        layers it holds as it does over `[Conv2D(...) for _ in range(3)]`; any other change
        (`pop`, `insert`, `remove`, `clear`, an `.extend` not followed) keeps the items seen."""
        if not isinstance(receiver, (ast.Name, ast.Attribute)):
            return  # `make().append(y)`: nothing we could read it through again
        old = self.eval(receiver, env, module)
        if isinstance(old, ListVal) and appended is not _NOT_APPENDED and _appendable(old):
            self.assign(receiver, replace(old, items=[*old.items, appended], changed=True, grown=True),
                        env, module)
        elif isinstance(old, ListVal) and not old.changed:
            self.assign(receiver, replace(old, changed=True), env, module)
        else:
            changed = tfapi.changed_in_place(old)
            if changed is not tfapi.NOT_SPECIAL:
                self.assign(receiver, changed, env, module)

    def _escape(self, args, kwargs) -> None:
        """Dicts given to code we do not follow: it may store anything in them."""
        for value in (*args, *kwargs.values()):
            if isinstance(value, DictVal):
                self._open_dict(value)

    def _open_dict(self, d: DictVal) -> None:
        for key in list(d.items):
            self._set_attr(d, key, UNKNOWN)
        self._set_attr(d, OPEN_KEY, UNKNOWN)

    def _dict_method(self, target: tuple, args, kwargs) -> Any:
        d, name = target
        if name in _MUTATORS:
            # What it leaves is not followed; a call we do not follow, as before dicts were known.
            self._open_dict(d)
            self.tf.unknown_effect()
            tfapi.blind(self)
            return UNKNOWN
        if d.open:
            return UNKNOWN
        if name == "get":
            if not args or kwargs or not isinstance(args[0], Const) or not _hashable(args[0].value):
                return UNKNOWN
            default = args[1] if len(args) > 1 else Const(None)
            return d.items.get(args[0].value, default)
        return _dict_view(d, name)

    def _super(self, args) -> Any:
        """`super()` in a method, or `super(Cls, self)`: the program's own base classes
        answer (`super().__init__(...)` of a user base sets the attributes the subclass's
        methods read); a library base stays unknown."""
        if len(args) == 2 and isinstance(args[0], ClassVal) and isinstance(args[1], Instance):
            return _Super(args[0], args[1])
        func = self.funcs[-1] if self.funcs else None
        if not args and func is not None and func.owner is not None and isinstance(func.bound_self, Instance):
            return _Super(func.owner, func.bound_self)
        return UNKNOWN

    def call_function(self, func: FuncVal, args, kwargs, site: Site | None, unknown_args=False) -> Any:
        if func.is_context_manager:
            return _Generator(func, args, kwargs, site, unknown_args)
        node = func.node
        if len(self.funcs) >= MAX_DEPTH or any(f.node is node for f in self.funcs):
            self.tf.unknown_effect()
            return UNKNOWN
        self.executed.add(id(node))
        if site is not None:
            self.analysis.callees.setdefault(id(site.node), node)
            if func.is_tf_function and not (func.keras_call or func.compiled):
                self.analysis.tf_function_calls.setdefault(id(site.node), (tuple(args), dict(kwargs)))
        local = self._bind_arguments(func, args, kwargs, unknown_args)
        env = [local] + func.closure
        saved_conds = len(self.conds)
        saved_entries = len(self.entry_counts)
        if unknown_args and not args and not kwargs:
            self.entry_counts.append((local, _int_defaults(func)))
        if site is not None:
            self.calls.append(site)
            inputs = tfapi.call_inputs(args, kwargs)
            self.call_info.append(CallInfo(
                site, inputs.calls, _consts(args, kwargs), self.tf.prefix(), inputs.partial, _non_consts(args, kwargs),
                receiver=id(func.bound_self) if isinstance(func.bound_self, Instance) else None,
            ))
        self.funcs.append(func)
        self._calls_made += 1
        self._invocations.append(self._calls_made)
        self.tf.enter_function(func, self.guards)
        self.early_returns.append([])
        self.early_writes.append([])
        try:
            result = self._run_body(func, env)
            returned = self.early_returns[-1]
            if result is _RAISED:
                # A path that raises returns nothing to the caller, who goes on only with what
                # the other paths return (`if name == "adam": return Adam() ... raise ValueError`).
                result, returned = (returned[0], returned[1:]) if returned else (UNKNOWN, [])
            for value in returned:
                result = self._join(result, value)
            self._join_early_writes(self.early_writes[-1])
        finally:
            self.early_returns.pop()
            self.early_writes.pop()
            self.tf.exit_function(func)
            self.funcs.pop()
            self._invocations.pop()
            if site is not None:
                self.calls.pop()
                self.call_info.pop()
            del self.conds[saved_conds:]
            del self.entry_counts[saved_entries:]
        if site is not None:
            # The call's own site joins what flows out (each tensor of a returned tuple too),
            # so a later call can see it is fed by this one.
            result = tfapi.through(self, result, id(site.node))
        return result

    def _run_body(self, func: FuncVal, env) -> Any:
        node = func.node
        try:
            if isinstance(node, ast.Lambda):
                return self.eval(node.body, env, func.module)
            if isinstance(node, ast.AsyncFunctionDef) or self._generator(node, func.module):
                self.exec_block(node.body, env, func.module)
                return UNKNOWN
            self.exec_block(node.body, env, func.module)
            return Const(None)
        except _Return as ret:
            return ret.value
        except _Raise:
            return _RAISED
        except (_Break, _Continue):
            return UNKNOWN

    def _forwarded(self, init: FuncVal, args, kwargs) -> tuple[list, dict]:
        """What an `__init__` that forwards to `super().__init__` hands on: its parameters
        as the caller bound them, the subclass's own defaults filled in, and its constants."""
        forward = _super_init_call(init.node)
        if forward.args and isinstance(forward.args[0], ast.Starred):
            return args, kwargs  # `(*args, **kwargs)` handed on as they came
        local = self._bind_arguments(init.bound(UNKNOWN, False), args, kwargs, False)

        def value(node: ast.expr) -> Any:
            return Const(node.value) if isinstance(node, ast.Constant) else local[node.id]

        return [value(x) for x in forward.args], {k.arg: value(k.value) for k in forward.keywords}

    def _bind_arguments(self, func: FuncVal, args, kwargs, unknown_args: bool) -> dict:
        a = func.node.args
        positional = positional_names(a)
        defaults = func.defaults
        local: dict[str, Any] = {}
        given = list(args)
        if func.bound_self is not None and positional:
            local[positional[0]] = func.bound_self
            positional = positional[1:]
        elif func.bound_self is not None:
            given.insert(0, func.bound_self)  # `def method(*args)`: the object is args[0]
        offset = len(positional) - len(defaults)
        for i, p in enumerate(positional):
            if i < len(given):
                local[p] = given[i]
            elif p in kwargs:
                local[p] = kwargs[p]
            elif unknown_args and not (i >= offset and id(defaults[i - offset]) in self._default_optimizers):
                # A default optimizer that the project's calls leave in place (or a library's
                # callers may) is the one object every such call gets.
                local[p] = UNKNOWN
            elif i >= offset:
                local[p] = defaults[i - offset]
            else:
                local[p] = UNKNOWN
        kw_defaults = func.kw_defaults
        for i, p in enumerate(a.kwonlyargs):
            if p.arg in kwargs:
                local[p.arg] = kwargs[p.arg]
            elif kw_defaults[i] is None or unknown_args and id(kw_defaults[i]) not in self._default_optimizers:
                local[p.arg] = UNKNOWN
            else:
                local[p.arg] = kw_defaults[i]
        if a.vararg and unknown_args:
            local[a.vararg.arg] = UNKNOWN
        elif a.vararg:
            # The positional arguments no parameter takes, a tuple of them.
            local[a.vararg.arg] = ListVal(given[len(positional):])
        if a.kwarg and unknown_args:
            local[a.kwarg.arg] = UNKNOWN
        elif a.kwarg:
            # The keywords no parameter takes: a builder's `**layer_kw` forwarded to its layers.
            named = set(parameter_names(a))
            local[a.kwarg.arg] = DictVal({k: v for k, v in kwargs.items() if k not in named})
        return local

    # ----- binding ----------------------------------------------------------------------------------
    def _bind(self, name: str, value: Any, env: list[dict]) -> None:
        declared = env[0].get("__globals__", ())
        if isinstance(declared, set) and name in declared:
            self._write(env[-1], name, value)
            return
        if name in env[0].get("__nonlocals__", ()):
            # A counter kept by an enclosing function (`nonlocal n; n += 1`): each call sees
            # the last one's value, as `"layer_" + str(n)` names each layer apart.
            for frame in env[1:-1]:
                if name in frame:
                    self._write(frame, name, value)
                    return
        self._write(env[0], name, value)

    def assign(self, target: ast.AST, value: Any, env: list[dict], module: ModuleState) -> None:
        if isinstance(target, ast.Name):
            self._bind(target.id, value, env)
        elif isinstance(target, (ast.Tuple, ast.List)):
            exact = isinstance(value, ListVal) and not (value.sample or value.grown) and len(value.items) == len(target.elts)
            items = value.items if exact else None
            # A model's several outputs (`mean, var = encoder(x)`): each carries all it flowed through.
            spread = tfapi.unpacked(value)
            for i, elt in enumerate(target.elts):
                if isinstance(elt, ast.Starred):
                    self.assign(elt.value, UNKNOWN, env, module)
                else:
                    self.assign(elt, items[i] if items else spread, env, module)
        elif isinstance(target, ast.Attribute):
            base = self.eval(target.value, env, module)
            if isinstance(base, Instance):
                self._set_attr(base, target.attr, value)
                tfapi.instance_attribute_set(self, base, target.attr, value, target, module)
            else:
                tfapi.set_attribute(self, base, target.attr, value, target, module)
        elif isinstance(target, ast.Subscript):
            base = self.eval(target.value, env, module)
            index = self.eval(target.slice, env, module)
            if isinstance(base, DictVal):
                if isinstance(index, Const) and _hashable(index.value) and not base.open:
                    self._set_attr(base, index.value, value)
                else:
                    self._open_dict(base)
            elif tfapi.changed_in_place(base) is not tfapi.NOT_SPECIAL:
                # `var_dict["global_step"] = step` on a selection's dict: it holds more now.
                self._changed_in_place(target.value, env, module)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, UNKNOWN, env, module)


_CATCHES_VALUE_ERROR = frozenset({"ValueError", "Exception", "BaseException", "StandardError"})


def _catches_value_error(handler: ast.ExceptHandler) -> bool:
    """An `except` that takes a `ValueError` (bare, `Exception`, a tuple holding one) and does
    not raise again."""
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = {t.attr if isinstance(t, ast.Attribute) else getattr(t, "id", None) for t in types if t is not None}
    if handler.type is not None and not names & _CATCHES_VALUE_ERROR:
        return False
    return not any(isinstance(n, ast.Raise) for stmt in handler.body for n in ast.walk(stmt))


@lru_cache(maxsize=16384)
def _realpath(path: str) -> str:
    # A module's identity; asked on every import of every lint, and a syscall per component.
    return os.path.realpath(path)


def _names_class(qualname: str) -> bool:
    """`lib.model.RRDBNet`: a name spelt as Python spells classes (CamelCase), so a call of
    it makes a new object; `ops.conv2d` or `MODELS` may return anything."""
    name = qualname.rsplit(".", 1)[-1]
    return name[:1].isupper() and any(c.islower() for c in name) and "_" not in name.strip("_")


def _holds_program_object(args, kwargs) -> bool:
    """An argument that is, or holds in a list or dict, something the program made (a layer,
    a model, a tensor, a function of its own): an object made from it may hold the program's
    weights. Constants, settings, library names and unknown values (a configuration read
    from a file) are not."""
    todo = [*args, *kwargs.values()]
    while todo:
        value = todo.pop()
        if isinstance(value, ListVal):
            todo.extend(value.items)
        elif isinstance(value, DictVal):
            todo.extend(value.items.values())
        elif not (value is UNKNOWN or isinstance(value, (Const, External, Settings)) or tfapi.is_modelled(value)):
            return True
    return False


_EXITS = frozenset({"sys.exit", "os._exit", "os.abort"})


def _exits(func: Any, node: ast.Call, env: list[dict]) -> bool:
    """`sys.exit()`, `os._exit(1)`, or the builtins `exit()` and `quit()` (not shadowed)."""
    if isinstance(func, External):
        return func.qualname in _EXITS
    name = node.func.id if isinstance(node.func, ast.Name) else None
    return func is UNKNOWN and name in ("exit", "quit") and not any(name in scope for scope in env)


def _handlers(prefix: str) -> dict[type, Any]:
    """Node type -> handler, looked up once: a per-node getattr on a formatted name was the
    interpreter's single largest cost."""
    table = {}
    for name in dir(ast):
        node_type = getattr(ast, name)
        handler = getattr(Interpreter, prefix + name, None)
        if isinstance(node_type, type) and issubclass(node_type, ast.AST) and handler is not None:
            table[node_type] = handler
    return table


_STMT_HANDLERS = _handlers("_stmt_")
_EXPR_HANDLERS = _handlers("_expr_")
_BUILTINS = frozenset(dir(builtins))
# Builtins whose value on a constant is known: `bool(flag)`, `str(worker_id)`.
_OF_CONSTANT = {"bool": bool, "str": str}
_MISSING = object()  # an attribute an object did not have
# Methods of files, strings, lists and dicts: called on a value the interpreter does not
# know, they still create no TensorFlow variable.
def _enumerated(iterable: Any, start: int) -> ListVal:
    """`enumerate(xs)`: each position's index is known even when the items are not. Over a
    list of unknown length (`enumerate(tf.unstack(x))`), the sample of its first steps, each
    with its index, so that `reuse=i > 0` creates on step 0 and reuses on the next."""
    if isinstance(iterable, ListVal):
        items, sample, length = iterable.items, iterable.sample, iterable.length
    else:
        items, sample, length = [UNKNOWN] * MAX_LITERAL_ITERATIONS, True, None
    return ListVal([ListVal([Const(i), item]) for i, item in enumerate(items, start)], sample=sample, length=length)


# How many appends one list keeps: past this the items stay as they are (a loop of loops
# filling one list), as before appends were followed.
MAX_APPENDED = 32


def _appendable(value: ListVal) -> bool:
    """A list whose items are the list's, in order: seen whole (`[]`, `[a, b]`), or filled only
    by appends we followed. A sample, a repeated item, a long range's first items, or a list
    changed otherwise may hold what we did not see, so where an append lands is not known."""
    if value.sample or value.repeats or len(value.items) >= MAX_APPENDED:
        return False
    if value.changed:
        return value.grown
    return value.length is None or value.length == len(value.items)


def _known_length(value: Any) -> int | None:
    """`len(value)` when every item is known to be there: a list or tuple we saw whole (not
    a sample, not grown where we did not follow it), a dict of known keys, a constant."""
    if isinstance(value, Const):
        return len(value.value) if isinstance(value.value, (str, bytes, tuple)) else None
    if isinstance(value, ListVal):
        if value.changed:
            return None
        if value.length is not None:
            return value.length
        return None if value.sample else len(value.items)
    if isinstance(value, DictVal):
        return None if value.open else len(value.items)
    return None


def _spliced(parts: list[tuple[bool, Any]]) -> Any:
    """`[x, *ys]`, `(a, *bs)`: the items of each starred list in place, when every one is a
    list whose items are all known (not one grown where we did not follow it). Starred
    variable lists alone (`[*g.trainable_variables, *e.trainable_variables]`) are their sum,
    as `g.trainable_variables + e.trainable_variables` is. Anything else is unknown."""
    if all(starred and tfapi.is_var_list(value) for starred, value in parts):
        total = ListVal([])
        for _, value in parts:
            total = _grown(total, value)
            if total is None:
                return UNKNOWN
        return total
    items = []
    for starred, value in parts:
        if not starred:
            items.append(value)
        elif isinstance(value, ListVal) and not (value.sample or value.changed):
            items.extend(value.items)
        else:
            return UNKNOWN
    return ListVal(items)


def _grown(old: Any, added: Any) -> Any:
    """`x += y` or `x.extend(y)` on a variable list x: what x holds then, or None. Python grows
    the one list in place; the name is bound to the grown list instead, because `list(x)` gives
    back x itself here (a copy in Python): changing the object would change lists Python keeps
    apart. A list of other values (layers, tensors) grown so stays as before: unknown after
    `+=`, as it was after `.extend`."""
    grown = tfapi.grow_list(old, added)
    return None if grown is tfapi.NOT_SPECIAL else grown


_DATA_METHODS = frozenset(
    """read readline readlines close split rsplit splitlines strip lstrip rstrip startswith
    endswith lower upper replace encode decode append extend transpose""".split()
    # More of a string's, and a NumPy array's, called while a script loads its data before it
    # builds the graph: a name no layer or model of TensorFlow answers to.
    + """find rfind index rindex join zfill isdigit isalpha isspace astype tolist reshape
    flatten ravel squeeze argmax argmin argsort nonzero cumsum fill copy""".split()
    # A tensor's static shape, read by a helper from a tensor it was handed.
    + """get_shape as_list""".split()
    # A command-line parser's, which scripts fill before they build the graph: the
    # parser object itself is not followed (its values are read in engine.settings).
    + """add_argument add_argument_group add_mutually_exclusive_group set_defaults
    parse_args parse_known_args""".split()
)
# A list's methods that change it in place; none of them is followed.
_LIST_CHANGERS = frozenset({"append", "extend", "insert", "pop", "remove", "clear"})
# A dict's changers, on a dict the models made (a Saver's dict by checkpoint name).
_DICT_CHANGERS = frozenset({"update", "setdefault", "popitem"})
_DICT_READERS = frozenset({"items", "values", "keys", "get"})
_STR_METHODS = frozenset(
    "startswith endswith split rsplit replace lower upper strip lstrip rstrip find count format partition".split()
)


class _Generator:
    """A call of a @contextmanager function, waiting for its `with`."""

    __slots__ = ("func", "args", "kwargs", "site", "unknown_args", "env", "resume")

    def __init__(self, func, args, kwargs, site, unknown_args) -> None:
        self.func, self.args, self.kwargs, self.site, self.unknown_args = func, args, kwargs, site, unknown_args
        self.env = None
        self.resume = None


class _Super:
    """`super()` bound to an object: attributes come from the bases of the class the method
    was defined in, in order, while they are the program's own classes."""

    __slots__ = ("cls", "instance")

    def __init__(self, cls: ClassVal, instance: Instance) -> None:
        self.cls, self.instance = cls, instance

    def lookup(self, attr: str) -> Any:
        for base in self.cls.bases:
            if not isinstance(base, ClassVal):
                return UNKNOWN  # a library base may answer first: its methods are unseen
            found = base.lookup(attr)
            if isinstance(found, FuncVal):
                if attr != "__init__" and _size(found.node) > SUPER_METHOD_NODES:
                    # A base's other methods are followed when small, as a trainer's
                    # `super().compile(model, optimizer)` that keeps the model and its variable
                    # list; a large one (Edward's `super().initialize(...)` chain) is left
                    # unknown: following it multiplied its test file's steps by twenty.
                    return UNKNOWN
                return found.bound(self.instance)
            if found is not None:
                return found
        if _only_program_classes(self.cls):
            # `super(Model, self).__init__()` that ends at the builtin `object`: it runs nothing.
            return _OBJECT_INIT
        return UNKNOWN


_OBJECT_INIT = External("builtins.object.__init__")


def _size(node: ast.AST) -> int:
    return sum(1 for _ in ast.walk(node))


def _only_program_classes(cls: ClassVal) -> bool:
    """Every base up the hierarchy is the program's own class (`object` is left out of bases)."""
    seen: set[int] = set()
    stack: list[Any] = list(cls.bases)
    while stack:
        base = stack.pop()
        if not isinstance(base, ClassVal):
            return False
        if id(base) not in seen:
            seen.add(id(base))
            stack.extend(base.bases)
    return True


def _is_none(value: Any) -> bool:
    return isinstance(value, Const) and value.value is None


def _default_equality(interp: Interpreter, value: Any) -> bool:
    """An object whose `==` is Python's default, identity: a Keras layer or model, a
    function, an instance of the program's class when no class up its hierarchy defines
    `__eq__` or `__ne__` and every other base is a Keras layer or model.
    Tensors (`==` elementwise) and values we do not know are not among them."""
    if isinstance(value, FuncVal) or tfapi.default_equality(interp, value):
        return True
    if not isinstance(value, Instance):
        return False
    return all(
        "__eq__" not in cls.attrs and "__ne__" not in cls.attrs
        and all(isinstance(b, ClassVal) or tfapi.default_equality(interp, b) for b in cls.bases)
        for cls in value.cls.program_classes())


def _is_builtin_object(node: ast.expr, value: Any) -> bool:
    """`object` as written in a class's bases, not bound to anything by the program."""
    return value is UNKNOWN and isinstance(node, ast.Name) and node.id == "object"


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@dataclass(frozen=True)
class _Continuation:
    """What runs after a block on one path: the statements after a split `if` (_splits),
    with the `if` bodies around them then, and what runs after those."""

    stmts: list
    guards: int
    then: "_Continuation | None"


def _chain(stmt: ast.If) -> tuple[list[list[ast.stmt]], list[int]]:
    """An `if`/`elif` chain's blocks (the last `else`, empty or not, included), and the ids
    of its `elif`s."""
    blocks, elifs = [], []
    node = stmt
    while True:
        blocks.append(node.body)
        if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
            node = node.orelse[0]
            elifs.append(id(node))
        else:
            blocks.append(node.orelse)
            return blocks, elifs


def _static_value(node: ast.AST, env: list[dict]) -> Any:
    """What a name or a module's attribute (`mlp_ae.AutoEncoder`) is bound to, read with no
    effect (no property runs); None where it is anything else."""
    if isinstance(node, ast.Name):
        return next((scope[node.id] for scope in env if node.id in scope), None)
    if isinstance(node, ast.Attribute):
        base = _static_value(node.value, env)
        if isinstance(base, PackageVal):
            if node.attr in base.subs:
                return base.subs[node.attr]
            base = base.base
        if isinstance(base, ModuleVal):
            return base.state.globals.get(node.attr)
    return None


# A pick from a registry dict runs every call through it once per item: a bound on that work.
MAX_PICKED = 8
_PICKABLE = (ModuleVal, ClassVal, FuncVal, Instance)


def _picked(d: DictVal, index: Any, node: ast.AST, loops: tuple) -> OneOf | None:
    """`models[name]` with `name` not known, from a dict whose items are all known modules,
    classes or functions: one of them (see OneOf). None for anything else."""
    if d.open or isinstance(index, Const) or not 2 <= len(d.items) <= MAX_PICKED:
        return None
    items = tuple(d.items.values())
    if not all(isinstance(item, _PICKABLE) for item in items):
        return None
    return OneOf(items, id(node), loops)


def _one_of(values: list, pick: OneOf) -> Any:
    """What reading through a pick gives: one value when every item gives it, the same pick
    again when every item gives a program object (`models[name].build_model`), else UNKNOWN."""
    if all(same(values[0], v) for v in values[1:]):
        return values[0]
    layers = tfapi.picked_layers(values)
    if layers is not tfapi.NOT_SPECIAL:
        return layers
    if all(_pickable(v) for v in values):
        return OneOf(tuple(values), pick.origin, pick.loops, pick.own and _same_objects(pick.items, values))
    return UNKNOWN


def _same_objects(before: tuple, after: list) -> bool:
    """Whether each item read through a pick is (a method of) the object the item was:
    then it lives only on its arm still (OneOf.own)."""
    return all({id(o) for o in _objects(v)} <= {id(o) for o in _objects(b)} for b, v in zip(before, after))


def _arm_pick(a: Any, b: Any, arms: tuple) -> Any:
    """What one name holds after an `if` whose arms bound it to two program objects
    (`if args.loss == "IDEC": trainer = IDEC(...) elif ...: trainer = DTCR(...)`): the one
    its arm made, so a pick of the two, item i on arm i, whose calls run on that arm
    (OneOf); an `elif` chain nests them. An arm that leaves the name unbound, where nothing
    bound it before, takes no part: a run on it stops at the name's first read. Nor does
    one that leaves the `None` bound before the chain (`trainer = None`, then `if`/`elif`
    with no `else`): the object's uses fail there, or a test of it (`if trainer is not
    None`) skips them, and the path followed is the one with the object. None when the two
    are not such objects (the usual join applies)."""
    if _no_object(a) or _no_object(b):
        bound = b if _no_object(a) else a
        return bound if _pickable(bound) else None
    if same(a, b) or not all(_pickable(v) for v in (a, b)):
        return None
    if _leaf_count(a) + _leaf_count(b) > MAX_PICKED:
        return UNKNOWN  # each call through it would run once per object: a bound on that work
    origin, loops, starts = arms
    own = all(obj.serial > start for item, start in zip((a, b), starts) for obj in _objects(item))
    return OneOf((a, b), origin, loops, own)


def _same_kind(a: Any, b: Any) -> bool:
    """Two objects of one class, made on two paths (`if mode == "mlp": self.enc = Encoder(
    hidden) else: self.enc = Encoder(hidden, dilations)`, or a builder's two `return`s): one
    stands for both. Each run has one of them in that place, built the same way, and every
    later use reads the same one, so a list or an optimizer step over it names one model."""
    if isinstance(a, Instance) and isinstance(b, Instance):
        return a.cls is b.cls
    return tfapi.same_kind(a, b)


def _pickable(value: Any) -> bool:
    """A program object, a pick of them, or a Keras model the program built (tfapi)."""
    return isinstance(value, (*_PICKABLE, OneOf)) or tfapi.pickable(value)


def _no_object(value: Any) -> bool:
    return value is _MISSING or (isinstance(value, Const) and value.value is None)


def _leaf_count(value: Any) -> int:
    return sum(_leaf_count(item) for item in value.items) if isinstance(value, OneOf) else 1


def _objects(value: Any) -> list:
    """The program's objects a pick's item is, or whose method it is."""
    if isinstance(value, OneOf):
        return [obj for item in value.items for obj in _objects(item)]
    if isinstance(value, FuncVal):
        value = value.bound_self
    return [value] if isinstance(value, Instance) else []


def _dict_item(d: DictVal, index: Any) -> Any:
    """`d["g"]`: the value stored under a known key; anything else is not known."""
    if d.open or not isinstance(index, Const) or not _hashable(index.value):
        return UNKNOWN
    return d.items.get(index.value, UNKNOWN)


def _dict_view(d: DictVal, name: str) -> ListVal:
    """`d.keys()`, `d.values()`, `d.items()` of a dict whose keys are all known, in order."""
    keys = list(d.items)
    if name == "keys":
        items = [Const(k) for k in keys]
    elif name == "values":
        items = [d.items[k] for k in keys]
    else:
        items = [ListVal([Const(k), d.items[k]]) for k in keys]
    return ListVal(items, length=len(items))


def _consts(args, kwargs) -> tuple:
    items = [(i, a.value) for i, a in enumerate(args) if isinstance(a, Const)]
    items += [(k, v.value) for k, v in sorted(kwargs.items()) if isinstance(v, Const)]
    try:
        hash(tuple(items))
    except TypeError:
        return ()
    return tuple(items)


def _non_consts(args, kwargs) -> tuple:
    items = [(i, a) for i, a in enumerate(args) if not isinstance(a, Const)]
    return tuple(items + [(k, v) for k, v in sorted(kwargs.items()) if not isinstance(v, Const)])


def _regex(kind: str, pattern: Any, text: Any) -> Any:
    if not (isinstance(pattern, Const) and isinstance(text, Const)):
        return UNKNOWN
    if not isinstance(pattern.value, str) or not isinstance(text.value, str):
        return UNKNOWN
    try:
        return Const(getattr(re, kind)(pattern.value, text.value) is not None)
    except re.error:
        return UNKNOWN


def _string_method(target: tuple[str, str], args, kwargs) -> Any:
    value, name = target
    if kwargs or not all(isinstance(a, Const) for a in args):
        return UNKNOWN
    try:
        result = getattr(value, name)(*[a.value for a in args])
    except (TypeError, ValueError, IndexError, KeyError):
        return UNKNOWN
    if isinstance(result, (list, tuple)):
        return ListVal([Const(r) for r in result])
    return Const(result)


def _is_generator(node: ast.AST) -> bool:
    """A `yield` of this function's own (a nested function's does not count)."""
    todo = list(ast.iter_child_nodes(node))
    while todo:
        child = todo.pop()
        if isinstance(child, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(child))
    return False


def _int_defaults(func: FuncVal) -> dict[str, Const]:
    """The parameters of `func` whose default is an integer, that its body never rebinds
    and no test of it reads: an entry run leaves them unknown, though a call that omits them
    gets these. A tested one (`if n_layer > 1:` around the stack) is meant to vary, and the
    arm the test guards runs only for the other values."""
    node = func.node
    if isinstance(node, ast.Lambda):
        return {}
    a = node.args
    positional = positional_names(a)
    pairs = list(zip(positional[len(positional) - len(func.defaults):], func.defaults))
    pairs += [(p.arg, d) for p, d in zip(a.kwonlyargs, func.kw_defaults) if d is not None]
    counts = {
        name: d for name, d in pairs
        if isinstance(d, Const) and isinstance(d.value, int) and not isinstance(d.value, bool)
    }
    if not counts:
        return {}
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
            counts.pop(n.id, None)
        elif isinstance(n, (ast.Global, ast.Nonlocal)):
            for name in n.names:
                counts.pop(name, None)
        elif isinstance(n, (ast.If, ast.While, ast.IfExp, ast.Assert)):
            for name in _loaded_names(n.test):
                counts.pop(name, None)
    return counts


def _names_unbound(node: ast.expr, env, module) -> bool:
    """`[single_cell] * n` where the module binds `single_cell` nowhere: Python raises
    NameError before the list exists, so it repeats no object (the linter knows nothing of
    the name either way; this tells "unknown" from "does not exist")."""
    elts = node.elts if isinstance(node, ast.List) else [node]
    names = [e.id for e in elts if isinstance(e, ast.Name)]
    if not names:
        return False
    bound = _bound_names(module.tree)
    if bound is None:
        return False
    return any(
        name not in bound and not name.startswith("__") and not any(name in scope for scope in env) for name in names
    )


# Names that let a module bind a name from a string (`globals()["x"] = ...`).
_DICT_BINDERS = frozenset({"globals", "locals", "vars", "setattr"})


@lru_cache(maxsize=64)
def _bound_names(tree: ast.Module) -> frozenset[str] | None:
    """Every name the module binds anywhere (any scope) or Python provides; None when a
    star import or `exec` may bind any name. Where `globals()` (or `locals`, `vars`,
    `setattr`) appears, every string constant counts as a name it may bind."""
    bound = set(dir(builtins))
    strings: set[str] = set()
    by_string = False
    for n in ast.walk(tree):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            strings.add(n.value)
        elif isinstance(n, ast.Name):
            if not isinstance(n.ctx, ast.Load):
                bound.add(n.id)
            elif n.id == "exec":
                return None
            elif n.id in _DICT_BINDERS:
                by_string = True
        elif isinstance(n, ast.arg):
            bound.add(n.arg)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(n.name)
        elif isinstance(n, ast.alias):
            if n.name == "*":
                return None
            bound.add(n.asname or n.name.split(".")[0])
        elif isinstance(n, ast.ExceptHandler) and n.name:
            bound.add(n.name)
        elif isinstance(n, (ast.MatchAs, ast.MatchStar)) and n.name:
            bound.add(n.name)
        elif isinstance(n, ast.MatchMapping) and n.rest:
            bound.add(n.rest)
    return frozenset(bound | strings if by_string else bound)


def _same_each_time(node, elt: ast.expr) -> bool:
    """`[cell for _ in range(n)]`: the element is a name no generator binds, and nothing
    filters, so every item is the one object that name holds."""
    if not isinstance(elt, ast.Name) or any(gen.ifs for gen in node.generators):
        return False
    bound = {n.id for gen in node.generators for n in ast.walk(gen.target) if isinstance(n, ast.Name)}
    return elt.id not in bound


def _known_keywords(value: Any) -> bool:
    return (isinstance(value, DictVal) and not value.open
            and all(isinstance(key, str) and key.isidentifier() for key in value.items))
