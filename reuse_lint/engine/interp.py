"""An abstract interpreter for the graph-building part of a Python program.

It runs the module body in order, follows calls into user functions and methods (so a
builder's behaviour is computed in the context of each call, with its arguments), and keeps
the state that TensorFlow 1.x keeps: the default graph, the variable-scope stack with its
reuse flags, the per-scope counters that make `dense`, `dense_1`, and the name scopes. Every
variable request is recorded as a `Creation`; the rules reason over those.

Values are known exactly or not at all (see `values.py`). Control flow: both arms of an `if`
whose test is unknown run, each tagged with its arm, so that two events on different arms
never meet; loop bodies run twice (or as many times as a literal iterable says, at most
twice), which is what "a call inside a loop runs more than once" needs.

Functions that nothing in the module calls are run afterwards as entry points, each in a
graph of its own whose history is unknown.
"""

from __future__ import annotations

import ast
import builtins
import os
import re
import time
from dataclasses import replace
from functools import lru_cache
from typing import Any, Callable

from reuse_lint import tfnames
from reuse_lint.engine.events import (
    TRUTH,
    Analysis,
    Build,
    CallInfo,
    Cond,
    Creation,
    KerasStep,
    Leak,
    OptimizerUse,
    ReuseFalse,
    ScopeEntry,
    Selection,
    Site,
)
from reuse_lint.engine.values import (
    AUTO,
    EMPTY_TENSOR,
    UNKNOWN,
    Cell,
    KerasObject,
    Optimizer,
    Tensor,
    VarList,
    VarRef,
    ClassVal,
    Const,
    FuncVal,
    GraphVal,
    Instance,
    ListVal,
    ModuleState,
    ModuleVal,
    ScopeName,
    ScopeVal,
    TemplateVal,
    TFRef,
    same,
    truthy,
)

MAX_DEPTH = 24
MAX_STEPS = 200_000
# CPU seconds a file's analysis may take: a floor, and more for a bigger file, up to a cap
# that keeps any one file under ten seconds. Checked every CLOCK_EVERY steps (a clock read
# costs more than a step).
TIME_FLOOR, TIME_PER_MB, TIME_CAP = 2.0, 20.0, 6.0
CLOCK_EVERY = 256
MAX_LITERAL_ITERATIONS = 2

# Modules whose functions never create TensorFlow variables: calling them tells us nothing.
SAFE_EXTERNAL_ROOTS = frozenset(
    """numpy np math os sys time random collections functools itertools re json logging
    argparse scipy PIL matplotlib pickle glob six absl datetime shutil pandas typing
    dataclasses copy string io csv pathlib warnings abc enum contextlib subprocess
    operator struct hashlib uuid tqdm h5py cv2 imageio skimage sklearn yaml""".split()
)

# Module loader: (importing module, dotted name, relative level) -> ModuleState or None.
Loader = Callable[[ModuleState, str, int], "ModuleState | None"]


class _Terminator(Exception):
    pass


class _Return(_Terminator):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(_Terminator):
    pass


class _Continue(_Terminator):
    pass


class _Raise(_Terminator):
    pass


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
    """A bound method of a value the interpreter models (`scope.reuse_variables`)."""

    __slots__ = ("kind", "target")

    def __init__(self, kind: str, target: Any) -> None:
        self.kind = kind
        self.target = target


class ScopeCtx:
    """What `variable_scope(...)` returns: entered by a `with`."""

    __slots__ = ("node", "name", "default_name", "reuse")

    def __init__(self, node: ast.Call, name: Any, default_name: Any, reuse: Any) -> None:
        self.node, self.name, self.default_name, self.reuse = node, name, default_name, reuse


class NameScopeCtx:
    __slots__ = ("name",)

    def __init__(self, name: Any) -> None:
        self.name = name


class GraphCtx:
    __slots__ = ("graph",)

    def __init__(self, graph: GraphVal) -> None:
        self.graph = graph


class GraphState:
    """What TensorFlow keeps per graph: the root scope and the scope-name counters."""

    def __init__(self, gid: int, fresh: bool) -> None:
        self.gid = gid
        self.fresh = fresh
        self.root = ScopeVal("", Const(False), gid)
        self.root_reuse_site: Site | None = None
        self.counts: dict[str, int] = {}
        self.opaque = False
        self.variables: dict[str, Creation] = {}  # created so far, in order
        self.unnamed = False  # some variable was created under a name we do not know
        # Every name ever counted, by its parent scope: reopening a scope zeroes what is
        # under it without scanning every name (20 k scopes made that quadratic).
        self._under: dict[str, set[str]] = {}
        # full -> the suffix to try first: `dense_1`, `dense_2`... are taken in turn, so the
        # next search starts where the last ended. It holds only while no count went back to
        # zero (open's reset) or was taken back (set_counts).
        self._next: dict[str, int] = {}

    def set_counts(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self._next.clear()

    def unique(self, prefix: str | None, base: str) -> str | None:
        if prefix is None:
            return None
        full = f"{prefix}/{base}" if prefix else base
        if not self.counts.get(full):
            return base
        i = self._next.get(full, 1)
        while self.counts.get(f"{full}_{i}"):
            i += 1
        self._next[full] = i
        return f"{base}_{i}"

    def open(self, full: str | None) -> None:
        if full is None:
            return
        if full not in self.counts and full:
            parent = full.rpartition("/")[0]
            self._under.setdefault(parent, set()).add(full)
        self.counts[full] = self.counts.get(full, 0) + 1
        # Names under `full/`: the root scope "" has none (its names have no "/" prefix).
        stack = list(self._under.get(full, ())) if full else []
        if stack:
            self._next.clear()  # counts go back to zero: every search starts again from 1
        while stack:
            key = stack.pop()
            if key in self.counts:
                self.counts[key] = 0
            stack.extend(self._under.get(key, ()))


def _join(a: Any, b: Any) -> Any:
    return a if same(a, b) else UNKNOWN


def _equality_test(node: ast.AST, module: ModuleState) -> tuple | None:
    """What an `if` tests about one dotted name (`args.mode`, `FLAGS.phase`, `is_training`):
    (its text, the file, a constant or TRUTH, negated) for `x == c`, `x != c`, `x`, `not x`;
    None for other tests."""
    test = getattr(node, "test", None)
    negated = False
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, negated = test.operand, not negated
    if _dotted(test):
        return (ast.dump(test), module.path, TRUTH, negated)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.NotEq))):
        return None
    left, right = test.left, test.comparators[0]
    if isinstance(left, ast.Constant):
        left, right = right, left
    if not isinstance(right, ast.Constant) or not _dotted(left):
        return None
    return (ast.dump(left), module.path, right.value, negated != isinstance(test.ops[0], ast.NotEq))


_MUTATORS = frozenset({"append", "add", "update", "setdefault", "extend", "insert", "pop", "clear"})


@lru_cache(maxsize=4096)
def _self_attrs_changed(func: ast.AST) -> frozenset[str]:
    """The `self.x` a function changes: assigns, item stores, mutating method calls."""
    changed = set()
    for n in ast.walk(func):
        target = None
        if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for t in getattr(n, "targets", None) or [n.target]:
                target = t.value if isinstance(t, ast.Subscript) else t
                if _self_attr(target):
                    changed.add(target.attr)
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _MUTATORS:
            if _self_attr(n.func.value):
                changed.add(n.func.value.attr)
    return frozenset(changed)


def _self_attr(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"


def _stateful_test(node: ast.AST, func: ast.AST) -> bool:
    """`if self._built:` in a method that fills `self._built`: the first call and the later
    ones take different arms (a builder that memoises, or reuses after its first build)."""
    test = getattr(node, "test", None)
    if test is None:
        return False
    read = {n.attr for n in ast.walk(test) if _self_attr(n)}
    return bool(read) and not read.isdisjoint(_self_attrs_changed(func))


def _dotted(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _loaded_names(node: ast.AST) -> frozenset[str]:
    return frozenset(
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    )


class Interpreter:
    def __init__(self, loader: Loader | None = None) -> None:
        self.loader = loader
        self.analysis = Analysis()
        self.executed: set[int] = set()
        self._loaded_cache: dict[int, frozenset[str]] = {}
        self._next_graph = 0
        self.steps = 0
        self.trace = 0
        self._graph_states: dict[int, GraphState] = {}
        self.modules: dict[str, ModuleState] = {}
        self._constructed: dict[int, dict] = {}  # class -> the attributes its __init__ set
        self._stateful_runs = 0  # tokens for the runs of `if`s on state their function changes
        self._loading: list[ModuleState] = []  # the modules whose top level runs now
        # The limits of one analysis (set_budget), and the one it reached, if any: what was
        # seen before stands, but the analysis is incomplete and must say so.
        self.max_steps = MAX_STEPS
        self.deadline: float | None = None
        self._binding_journals: dict[int, list[list]] = {}  # id(frame) -> one journal an open arm
        self.cut_short: str | None = None
        self._reset_trace(fresh=True)

    def set_budget(self, source_size: int) -> None:
        """Steps and CPU time that grow with the file's size."""
        self.max_steps = MAX_STEPS + 20 * source_size
        seconds = min(TIME_CAP, TIME_FLOOR + TIME_PER_MB * source_size / 1e6)
        self.deadline = time.process_time() + seconds

    # ----- trace state ------------------------------------------------------------------
    def _reset_trace(self, fresh: bool) -> None:
        self.graph = self._new_graph(fresh)
        self.scopes: list[ScopeVal] = []
        self.scope_sites: list[Site | None] = []  # where each frame's reuse became True
        self.name_scopes: list[tuple[Any, Site]] = []  # (name or None, the name_scope call)
        self.calls: list[Site] = []
        self.call_info: list[CallInfo] = []
        self.tf_functions: list[tuple[int, FuncVal]] = []  # (self.guards, the function) at each tf.function entry
        self.guards = 0  # how many `if` bodies enclose what runs now (known tests included)
        self.journals: list[list] = []  # attribute writes of the `if` arms being run
        self.open_builds: list[Build] = []
        self.funcs: list[FuncVal] = []
        self.early_returns: list[list] = []  # per running function: values returned on one arm
        self.keras_outputs: dict[int, tuple] = {}  # id(tensor) -> (tensor, the model that made it)
        self.conds: list[Cond] = []
        self.loops: list[tuple[int, int]] = []
        self.open_drops: list[ScopeEntry] = []
        self._graph_stack: list[tuple] = []

    def _new_graph(self, fresh: bool) -> GraphState:
        gid = self._next_graph
        self._next_graph += 1
        state = GraphState(gid, fresh)
        self._graph_states[gid] = state
        return state

    # ----- entry points ------------------------------------------------------------------
    def run_module(self, module: ModuleState) -> None:
        self.modules.setdefault(_realpath(module.path), module)
        try:
            self._load(module)
            self._run_entries(module)
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

    def _register(self, module: ModuleState) -> None:
        """A module loaded by an earlier analysis: its sources, and those of the modules its
        top level imported, are this analysis's too."""
        todo = [module]
        while todo:
            state = todo.pop()
            if state.path not in self.analysis.sources:
                self.analysis.sources[state.path] = state
                if state.opaque_effect:
                    self.graph.opaque = True
                self.modules.setdefault(_realpath(state.path), state)
                todo.extend(state.requires)

    def _footprint(self) -> tuple:
        """Everything a top level could change that is not a Python binding: if a module's
        top level leaves this as it found it, running it again would record nothing. The
        graph's opaque flag comes last: that one effect can be replayed."""
        a, g = self.analysis, self.graph
        return (
            a.events, len(a.creations), len(a.builds), len(a.leaks), len(a.optimizers),
            len(a.selections), len(a.dropped_reuse), len(a.slot_creations), len(a.misplaced),
            len(a.repeated_cells), len(a.cell_uses), len(a.graph_switches), len(a.keras_steps),
            len(a.reuse_false), self._next_graph, id(g), g.root.reuse, len(g.variables),
            len(g.counts), sum(g.counts.values()), g.unnamed, g.opaque,
        )

    def _run_entries(self, module: ModuleState) -> None:
        for stmt in module.tree.body:
            value = module.globals.get(getattr(stmt, "name", None))
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and isinstance(value, FuncVal):
                if id(value.node) not in self.executed:
                    self._entry(value, None)
            elif isinstance(stmt, ast.ClassDef) and isinstance(value, ClassVal):
                for item in stmt.body:
                    method = value.attrs.get(getattr(item, "name", None))
                    if isinstance(method, FuncVal) and id(method.node) not in self.executed:
                        self._entry(method, Instance(value))

    def _entry(self, func: FuncVal, self_value: Any) -> None:
        self.trace += 1
        self._reset_trace(fresh=False)
        if isinstance(self_value, Instance):
            self._construct(self_value, func)
        bound = func.bound(UNKNOWN if self_value is None and func.owner is not None else self_value)
        site = Site(func.module.path, func.node)
        self.call_function(bound, [], {}, site, unknown_args=True)

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
            self.graph = self._new_graph(fresh=False)
            self.call_function(init.bound(made), [], {}, None, unknown_args=True)
            self._constructed[key] = made.attrs
            self._reset_trace(fresh=False)
        instance.attrs.update(self._constructed[key])

    # ----- statements --------------------------------------------------------------------
    def exec_block(self, stmts: list[ast.stmt], env: list[dict], module: ModuleState) -> None:
        for stmt in stmts:
            self.steps += 1
            if self.steps > self.max_steps:
                raise _OutOfBudget("over its step budget")
            if not self.steps % CLOCK_EVERY and self.deadline is not None and time.process_time() > self.deadline:
                raise _OutOfBudget("over its time budget")
            handler = _STMT_HANDLERS.get(type(stmt))
            if handler is not None:
                handler(self, stmt, env, module)

    def exec_stmt(self, stmt: ast.stmt, env: list[dict], module: ModuleState) -> None:
        handler = _STMT_HANDLERS.get(type(stmt))
        if handler is not None:
            handler(self, stmt, env, module)

    def _stmt_Expr(self, stmt: ast.Expr, env, module) -> None:
        self.eval(stmt.value, env, module)

    def _stmt_Assign(self, stmt: ast.Assign, env, module) -> None:
        value = self.eval(stmt.value, env, module)
        for target in stmt.targets:
            self.assign(target, value, env, module)

    def _stmt_AnnAssign(self, stmt: ast.AnnAssign, env, module) -> None:
        if stmt.value is not None:
            self.assign(stmt.target, self.eval(stmt.value, env, module), env, module)

    def _stmt_AugAssign(self, stmt: ast.AugAssign, env, module) -> None:
        self.eval(stmt.value, env, module)
        self.assign(stmt.target, UNKNOWN, env, module)

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
        if "__globals__" not in env[0]:
            self._write(env[0], "__globals__", set())
        env[0]["__globals__"].update(stmt.names)

    def _stmt_FunctionDef(self, stmt: ast.FunctionDef, env, module) -> None:
        self._bind(stmt.name, self._make_function(stmt, env, module), env)

    _stmt_AsyncFunctionDef = _stmt_FunctionDef

    def _make_function(self, stmt, env, module, owner: ClassVal | None = None) -> Any:
        is_tf_function = False
        is_context_manager = False
        for deco in stmt.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            value = self.eval(target, env, module)
            if isinstance(value, TFRef) and tfnames.canonical(value.qualname) in tfnames.TF_FUNCTION:
                is_tf_function = True
            elif isinstance(target, ast.Name) and target.id in ("staticmethod", "classmethod", "property"):
                continue
            elif isinstance(value, External) and value.qualname.split(".")[-1] == "contextmanager":
                is_context_manager = True
            elif isinstance(value, External) and value.qualname.split(".")[-1] in ("wraps", "lru_cache", "cache", "abstractmethod", "add_arg_scope"):
                continue
            elif isinstance(value, TFRef):
                continue
            else:
                # An unknown decorator may wrap the function in anything (a template, a scope).
                return UNKNOWN
        defaults = [self.eval(d, env, module) for d in stmt.args.defaults]
        kw_defaults = [self.eval(d, env, module) if d is not None else None for d in stmt.args.kw_defaults]
        return FuncVal(stmt, module, env, is_tf_function=is_tf_function, owner=owner,
                       defaults=defaults, kw_defaults=kw_defaults, is_context_manager=is_context_manager)

    def _stmt_ClassDef(self, stmt: ast.ClassDef, env, module) -> None:
        bases = [self.eval(b, env, module) for b in stmt.bases]
        cls = ClassVal(stmt, module, {}, bases)
        class_env = [{}] + env
        keras_model = _derives_from_keras_model(cls)
        keras_layer = _derives_from_keras_layer(cls)
        for item in stmt.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                method = self._make_function(item, env, module, owner=cls)
                if keras_model and item.name in _KERAS_STEPS and isinstance(method, FuncVal):
                    method = method.bound(None, True)  # Keras' fit runs it in a tf.function
                elif keras_layer and item.name == "call" and isinstance(method, FuncVal):
                    # Keras runs `call` on every call of the object, traced in a tf.function
                    # under `fit`: what it creates is created again each time.
                    method = replace(method.bound(None, True), keras_call=True)
                cls.attrs[item.name] = method
            elif isinstance(item, ast.Assign):
                value = self.eval(item.value, class_env, module)
                for t in item.targets:
                    if isinstance(t, ast.Name):
                        cls.attrs[t.id] = value
        self._bind(stmt.name, cls, env)

    def _stmt_Import(self, stmt: ast.Import, env, module) -> None:
        for alias in stmt.names:
            if alias.asname:
                self._bind(alias.asname, self._import(alias.name, 0, module), env)
            else:
                top = alias.name.split(".")[0]
                value = self._import(top, 0, module)
                if top != alias.name:
                    self._import(alias.name, 0, module)  # runs the submodule's body
                self._bind(top, value, env)

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
            if value is UNKNOWN and isinstance(source, ModuleVal):
                sub = f"{base}.{alias.name}" if base else alias.name
                value = self._import(sub, stmt.level, module)
            self._bind(alias.asname or alias.name, value, env)

    def _import(self, name: str, level: int, module: ModuleState) -> Any:
        if level == 0 and name.split(".")[0] in tfnames.ROOT_MODULES:
            return TFRef(name)
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
        saved = (self.scopes, self.scope_sites, self.name_scopes, self.calls, self.call_info, self.funcs, self.conds, self.loops)
        self.scopes, self.scope_sites, self.name_scopes, self.calls, self.call_info, self.funcs, self.conds, self.loops = [], [], [], [], [], [], [], []
        return saved

    def _restore_context(self, saved) -> None:
        (self.scopes, self.scope_sites, self.name_scopes, self.calls, self.call_info, self.funcs, self.conds, self.loops) = saved

    def _stmt_If(self, stmt: ast.If, env, module) -> None:
        known = truthy(self.eval(stmt.test, env, module))
        self.guards += 1
        try:
            if known is True:
                self.exec_block(stmt.body, env, module)
            elif known is False:
                self.exec_block(stmt.orelse, env, module)
            else:
                self._fork(stmt, [stmt.body, stmt.orelse], env, module)
        finally:
            self.guards -= 1

    def _fork(self, node: ast.AST, arms: list[list[ast.stmt]], env, module) -> None:
        """Run each arm from the same state; join what both could leave behind."""
        before = self._snapshot(env)
        frame = env[0]
        # The frame's bindings are not copied at every `if` (a module of 5 k globals and 5 k
        # `if`s copied 25 M entries): an arm's writes are journaled, and taken back after it.
        outcomes = []
        writes = []  # per arm: the object attributes it set, with their final values
        test = _equality_test(node, module)
        loops, stateful = tuple(self.loops), bool(self.funcs) and _stateful_test(node, self.funcs[-1].node)
        if stateful:
            self._stateful_runs += 1
            loops += ((id(node), -self._stateful_runs),)
        for arm, block in enumerate(arms):
            self._restore(env, before)
            depth = len(self.conds)
            self.conds.append(Cond(id(node), loops, arm, test, stateful))
            self.journals.append([])
            bindings = self._binding_journals.setdefault(id(frame), [])
            bindings.append([])
            term = None
            try:
                self.exec_block(block, env, module)
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
        self._join_attributes([w for (arm, term, _), w in zip(outcomes, writes) if term is None])
        alive = [(arm, snap) for arm, term, snap in outcomes if term is None]
        if alive and self.early_returns:
            # `if p: return x` with the function going on: x is one of the values it returns.
            self.early_returns[-1].extend(t.value for _, t, _ in outcomes if isinstance(t, _Return))
        if not alive:
            self._rebind(frame, outcomes[-1][2][0])  # as the last arm left them
            terms = [t for _, t, _ in outcomes]
            if all(isinstance(t, _Return) for t in terms):
                value = terms[0].value
                for t in terms[1:]:
                    value = _join(value, t.value)
                raise _Return(value)
            raise terms[0]
        if len(alive) == 1:
            arm, snap = alive[0]
            self._restore(env, snap)
            self._rebind(frame, snap[0])
            # Everything after this point runs only on that arm.
            self.conds.append(Cond(id(node), loops, arm, test, stateful))
            return
        joined = self._join_snapshots(alive[0][1], alive[1][1], frame)
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

    def _join_attributes(self, arms: list[dict]) -> None:
        """`self.x = ...` on one arm of an unknown `if`: after it, x is known only if every
        arm that goes on leaves the same value (the state before counts for an arm that
        did not set it)."""
        for key in {k for arm in arms for k in arm}:
            inst, attr, _ = next(arm[key] for arm in arms if key in arm)
            values = [arm[key][2] if key in arm else inst.attrs.get(attr, _MISSING) for arm in arms]
            value = values[0]
            for other in values[1:]:
                value = value if same(value, other) else UNKNOWN
            if value is _MISSING:
                continue
            self._set_attr(inst, attr, value)

    def _snapshot(self, env):
        """What an `if` arm may change, but the frame's bindings (journaled: see _fork)."""
        frames = [self.graph.root] + self.scopes
        return (
            None,
            dict(self.graph.counts),
            [(s, s.reuse) for s in frames],
            self.graph.opaque,
        )

    def _restore(self, env, snap) -> None:
        _, counts, reuses, opaque = snap
        self.graph.set_counts(dict(counts))
        for scope, reuse in reuses:
            scope.reuse = reuse
        self.graph.opaque = opaque

    def _join_snapshots(self, a, b, frame: dict):
        """a, b: what two arms left; their bindings are those the arms wrote, the others are
        as in `frame` (as before the `if`)."""
        keys = set(a[0]) | set(b[0])

        def value(arm: dict, k: str) -> Any:
            v = arm[k] if k in arm else frame.get(k, _MISSING)
            return UNKNOWN if v is _MISSING else v

        bindings = {k: _join(value(a[0], k), value(b[0], k)) for k in keys}
        if "__globals__" in keys:  # declarations, not values: both arms' hold
            declared = [arm.get("__globals__", frame.get("__globals__", _MISSING)) for arm in (a[0], b[0])]
            bindings["__globals__"] = set().union(*(d for d in declared if d is not _MISSING))
        counts = {k: max(a[1].get(k, 0), b[1].get(k, 0)) for k in set(a[1]) | set(b[1])}
        reuses = [(s, _join(ra, rb)) for (s, ra), (_, rb) in zip(a[2], b[2])]
        return bindings, counts, reuses, a[3] or b[3]

    def _stmt_For(self, stmt: ast.For, env, module) -> None:
        iterable = self.eval(stmt.iter, env, module)
        self._loop(stmt, env, module, self._iteration_values(iterable), stmt.target)

    _stmt_AsyncFor = _stmt_For

    def _stmt_While(self, stmt: ast.While, env, module) -> None:
        known = truthy(self.eval(stmt.test, env, module))
        if known is False:
            self.exec_block(stmt.orelse, env, module)
            return
        self._loop(stmt, env, module, [UNKNOWN] * MAX_LITERAL_ITERATIONS, None)

    def _iteration_values(self, iterable: Any) -> list[Any]:
        if isinstance(iterable, ListVal):
            return iterable.items[:MAX_LITERAL_ITERATIONS]
        return [UNKNOWN] * MAX_LITERAL_ITERATIONS

    def _loop(self, stmt, env, module, values: list[Any], target: ast.AST | None) -> None:
        self.analysis.loops[id(stmt)] = Site(module.path, stmt)
        broke = False
        for i, value in enumerate(values):
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
        # Handlers run only when the body failed part-way; what they do is not modelled.
        try:
            self.exec_block(stmt.body, env, module)
            self.exec_block(stmt.orelse, env, module)
        finally:
            self.exec_block(stmt.finalbody, env, module)

    _stmt_TryStar = _stmt_Try

    # ----- scopes and graphs ------------------------------------------------------------------
    def _prefix(self) -> str | None:
        return self.scopes[-1].name if self.scopes else ""

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
        manager we cannot see into may open a scope or switch reuse (a variable manager's
        `reuse_variables()`), so inside it names and reuse are unknown."""
        if isinstance(ctx, _Generator):
            value = self._enter_generator(ctx)
            if ctx.resume is not None:
                return ctx, value
        elif isinstance(ctx, Tensor):
            return ctx, ctx  # `with tf.Session() as sess`: a TF object, no scope
        elif isinstance(ctx, (ScopeCtx, NameScopeCtx, GraphCtx, TFRef, KerasObject)):
            return ctx, self._enter(ctx, module, node)
        elif isinstance(ctx, External) and ctx.safe:
            return ctx, UNKNOWN
        self.scopes.append(ScopeVal(None, UNKNOWN, self.graph.gid))
        self.scope_sites.append(None)
        return _OPAQUE_CONTEXT, UNKNOWN

    def _enter(self, ctx: Any, module: ModuleState, node: ast.AST) -> Any:
        if isinstance(ctx, _Generator):
            return self._enter_generator(ctx)
        if isinstance(ctx, ScopeCtx):
            return self._enter_scope(ctx, module)
        if isinstance(ctx, NameScopeCtx):
            name = ctx.name.value if isinstance(ctx.name, Const) else None
            self.name_scopes.append((name, Site(module.path, node)))
            return UNKNOWN
        if isinstance(ctx, GraphCtx):
            state = self._graph_states[ctx.graph.gid]
            if self.scopes and state is not self.graph:
                self.analysis.graph_switches.append((self.scopes[-1], Site(module.path, node), state.gid, self.trace))
            self._graph_stack_push(state)
            return ctx.graph
        return UNKNOWN

    def _exit(self, ctx: Any) -> None:
        if ctx is _OPAQUE_CONTEXT:
            self.scopes.pop()
            self.scope_sites.pop()
        elif isinstance(ctx, _Generator):
            if ctx.resume is not None:
                self._in_generator(ctx, ctx.resume)
        elif isinstance(ctx, ScopeCtx):
            self.scopes.pop()
            self.scope_sites.pop()
            if self.open_drops and self.open_drops[-1].site.node is ctx.node:
                self.open_drops.pop()
            if self.open_builds and self.open_builds[-1].site.node is ctx.node:
                self.open_builds.pop()
        elif isinstance(ctx, NameScopeCtx):
            self.name_scopes.pop()
        elif isinstance(ctx, GraphCtx):
            self._graph_stack_pop()

    # ----- @contextmanager: the body up to `yield` runs at the `with`, the rest after it -----
    def _enter_generator(self, gen: "_Generator") -> Any:
        func = gen.func
        if len(self.funcs) >= MAX_DEPTH or any(f.node is func.node for f in self.funcs):
            self.graph.opaque = True
            return UNKNOWN
        self.executed.add(id(func.node))
        gen.env = [self._bind_arguments(func, gen.args, gen.kwargs, gen.unknown_args)] + func.closure
        outcome = self._in_generator(gen, lambda: self._until_yield(func.node.body, gen.env, func.module))
        if outcome is None:
            self.graph.opaque = True  # a yield we cannot place (in a loop, an if): unknown effects
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

    def _graph_stack_push(self, state: GraphState) -> None:
        self._graph_stack.append((self.graph, self.scopes, self.scope_sites, self.name_scopes))
        self.graph, self.scopes, self.scope_sites, self.name_scopes = state, [], [], []

    def _graph_stack_pop(self) -> None:
        self.graph, self.scopes, self.scope_sites, self.name_scopes = self._graph_stack.pop()

    def _enter_scope(self, ctx: ScopeCtx, module: ModuleState) -> ScopeVal:
        site = Site(module.path, ctx.node)
        reuse = self._reuse_value(ctx.reuse)
        outer_reuse, outer_site = self.effective_reuse()
        explicit_false = isinstance(ctx.reuse, Const) and ctx.reuse.value is False
        default_named = isinstance(ctx.name, Const) and ctx.name.value is None
        if isinstance(ctx.name, ScopeVal):
            full = ctx.name.name
            if truthy(reuse) is not True:
                reuse = ctx.name.reuse
        else:
            name = ctx.name
            if isinstance(name, Const) and name.value is None:
                default = ctx.default_name
                if isinstance(default, Const) and isinstance(default.value, str):
                    base = self.graph.unique(self._prefix(), default.value)
                    name = Const(base) if base is not None else UNKNOWN
                else:
                    name = UNKNOWN
            prefix = self._prefix()
            if isinstance(name, Const) and isinstance(name.value, str) and prefix is not None:
                full = f"{prefix}/{name.value}" if prefix else name.value
            else:
                full = None
        self.graph.open(full)
        scope = ScopeVal(full, reuse, self.graph.gid, ctx.node, module.path)
        if explicit_false and outer_reuse == Const(True):
            self.analysis.reuse_false.append(ReuseFalse(site, outer_site, scope))
        self.scopes.append(scope)
        self.scope_sites.append(site if truthy(reuse) else None)
        if self.effective_reuse()[0] == Const(False):
            self._note_dropped_reuse(site)
        if default_named:
            build = self._build("default_scope", "tf.variable_scope", ctx.node, module)
            build.name = full
            self.open_builds.append(build)
        return scope

    def _note_dropped_reuse(self, site: Site) -> None:
        if not self.funcs or self.open_drops and self.open_drops[-1].func is self.funcs[-1].node:
            return
        func = self.funcs[-1].node
        if isinstance(func, ast.Lambda):
            return
        params = {a.arg for a in func.args.args + func.args.kwonlyargs}
        if "reuse" not in params or "reuse" in self._loaded(func):
            return
        entry = next((e for e in self.analysis.dropped_reuse if e.site.node is site.node), None)
        if entry is None:
            entry = ScopeEntry(site, func)
            self.analysis.dropped_reuse.append(entry)
        self.open_drops.append(entry)

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

    def _reuse_value(self, value: Any) -> Any:
        if value is None or (isinstance(value, Const) and value.value in (None, False)):
            return Const(False)
        if isinstance(value, Const) and value.value is True:
            return Const(True)
        if isinstance(value, TFRef) and tfnames.canonical(value.qualname) == tfnames.AUTO_REUSE:
            return AUTO
        if isinstance(value, ScopeVal):  # `reuse=scope` is a mistake we do not judge
            return UNKNOWN
        return UNKNOWN

    def effective_reuse(self, extra: Any = None) -> tuple[Any, Site | None]:
        reuse, site = self.graph.root.reuse, self.graph.root_reuse_site
        frames = list(zip(self.scopes, self.scope_sites))
        if extra is not None:
            frames.append(extra)
        for scope, scope_site in frames:
            r = scope.reuse
            if r is UNKNOWN:
                reuse, site = UNKNOWN, None
            elif r == Const(True) or r == AUTO:
                reuse, site = r, scope_site
        return reuse, site

    # ----- creations ---------------------------------------------------------------------------
    def _model_scope(self) -> str | None:
        if not self.scopes or self.scopes[0].name is None:
            return None
        return self.scopes[0].name.split("/")[0] or None

    def _record(self, name: str | None, kind: str, node: ast.AST, module: ModuleState, extra=None,
                trainable: bool = True, auto_named: bool = False) -> Creation:
        reuse, reuse_site = self.effective_reuse(extra)
        stack = tuple(self.calls) + (Site(module.path, node),)
        creation = Creation(
                graph=self.graph.gid,
                name=name,
                kind=kind,
                reuse=reuse,
                stack=stack,
                conds=tuple(self.conds),
                loops=tuple(self.loops),
                trace=self.trace,
                fresh_graph=self.graph.fresh,
                name_scopes=tuple(name for name, _ in self.name_scopes),
                reuse_site=reuse_site,
                opaque_before=self.graph.opaque,
                scope_nodes=tuple(s.node for s in self.scopes),
                trainable=trainable,
                model_scope=self._model_scope(),
                auto_named=auto_named,
                frame_entry=self.scopes[-1] if self.scopes else None,
                name_scope_sites=tuple(site for _, site in self.name_scopes),
                seq=self.analysis.tick(),
            )
        self.analysis.creations.append(creation)
        if reuse != Const(True):
            if name is None:
                self.graph.unnamed = True
            else:
                self.graph.variables.setdefault(name, creation)
        for entry in self.open_drops:
            entry.created = True
        for build in self.open_builds:
            build.created = True
        return creation

    def _build(self, kind: str, canon: str, node: ast.AST, module: ModuleState) -> Build:
        reuse, reuse_site = self.effective_reuse()
        depth, func = self.tf_functions[-1] if self.tf_functions else (None, None)
        build = Build(
            kind=kind, canon=canon, site=Site(module.path, node), calls=tuple(self.call_info),
            conds=tuple(self.conds), loops=tuple(self.loops), trace=self.trace, graph=self.graph.gid,
            reuse=reuse, reuse_site=reuse_site, in_tf_function=depth is not None,
            conditional_in_function=depth is not None and self.guards > depth,
            keras_call=f"{func.owner.node.name}.call" if func is not None and func.keras_call and func.owner else None,
        )
        self.analysis.builds.append(build)
        return build

    def _get_variable(self, node: ast.Call, args, kwargs, module) -> Tensor:
        name = kwargs.get("name", args[0] if args else UNKNOWN)
        prefix = self._prefix()
        if isinstance(name, Const) and isinstance(name.value, str) and prefix is not None:
            full = f"{prefix}/{name.value}" if prefix else name.value
        else:
            full = None
        trainable = truthy(kwargs.get("trainable", Const(True))) is not False
        created = self._record(full, "get_variable", node, module, trainable=trainable)
        return self._variable_tensor(created)

    def _variable_tensor(self, created: Creation) -> Tensor:
        if created.trainable and created.model_scope:
            return Tensor(scopes=frozenset({created.model_scope}))
        return EMPTY_TENSOR

    def _layer(self, canon: str, node: ast.Call, args, kwargs, module) -> Tensor:
        base, variables = tfnames.LAYER_FUNCTIONS[canon]
        explicit = kwargs.get(tfnames.layer_name_argument(canon), Const(None))
        prefix = self._prefix()
        if isinstance(explicit, Const) and explicit.value is None:
            sub = self.graph.unique(prefix, base)
        elif isinstance(explicit, Const) and isinstance(explicit.value, str):
            sub = explicit.value
        else:
            sub = None
        full = None if sub is None or prefix is None else (f"{prefix}/{sub}" if prefix else sub)
        self.graph.open(full)
        layer_reuse = self._reuse_value(kwargs.get("reuse", Const(None)))
        extra = (ScopeVal(full, layer_reuse, self.graph.gid), Site(module.path, node))
        trainable = truthy(kwargs.get("trainable", Const(True))) is not False
        auto = isinstance(explicit, Const) and explicit.value is None
        result = _deps(args, kwargs)
        for var in variables:
            var_trainable = trainable and var not in tfnames.NON_TRAINABLE
            created = self._record(f"{full}/{var}" if full else None, "layer", node, module, extra,
                                   trainable=var_trainable, auto_named=auto)
            result = result | self._variable_tensor(created)
        return result

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
        for key in node.keys:
            if key is not None:
                self.eval(key, env, module)
        for value in node.values:
            self.eval(value, env, module)
        return UNKNOWN

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
                return scope[node.id]
        return UNKNOWN

    def _expr_Attribute(self, node: ast.Attribute, env, module) -> Any:
        return self._attr(self.eval(node.value, env, module), node.attr)

    def _attr(self, base: Any, attr: str) -> Any:
        if isinstance(base, Tensor):
            return base  # `x.shape`, `x.get_shape` (calling a Tensor keeps its inputs)
        if isinstance(base, VarRef):
            return Const(f"{base.name}:0") if attr == "name" else (_VarOp(base.name) if attr == "op" else UNKNOWN)
        if isinstance(base, _VarOp):
            return Const(base.name) if attr == "name" else UNKNOWN
        if isinstance(base, Const) and isinstance(base.value, str) and attr in _STR_METHODS:
            return Method("str", (base.value, attr))
        if isinstance(base, Optimizer) and attr in ("minimize", "compute_gradients", "apply_gradients", "apply"):
            return Method(attr, base)
        if isinstance(base, TFRef):
            return base.attr(attr)
        if isinstance(base, External):
            return External(f"{base.qualname}.{attr}")
        if isinstance(base, ModuleVal):
            return base.state.globals.get(attr, UNKNOWN)
        if isinstance(base, Instance):
            if attr in base.attrs:
                return base.attrs[attr]
            found = base.cls.lookup(attr)
            if isinstance(found, FuncVal):
                return found.bound(base)
            return found if found is not None else UNKNOWN
        if isinstance(base, ClassVal):
            found = base.lookup(attr)
            return found if found is not None else UNKNOWN
        if isinstance(base, ScopeVal):
            if attr == "name":
                return ScopeName(base.name, base) if base.name is not None else UNKNOWN
            if attr == "reuse_variables":
                return Method("reuse_variables", base)
            if attr == "original_name_scope":
                return UNKNOWN
            return UNKNOWN
        if isinstance(base, GraphVal) and attr == "as_default":
            return Method("as_default", base)
        if isinstance(base, KerasObject) and base.model:
            if attr == "compile":
                return Method("keras_compile", base)
            if attr == "add":
                return Method("keras_add", base)
            if attr in ("fit", "fit_generator", "train_on_batch"):
                return Method("keras_train", base)
            if attr == "trainable":
                return base.trainable
        return UNKNOWN

    def _expr_BoolOp(self, node: ast.BoolOp, env, module) -> Any:
        result = self.eval(node.values[0], env, module)
        for value_node in node.values[1:]:
            t = truthy(result)
            if t is None:
                # The rest may or may not run; evaluate for its effects, result unknown.
                self.eval(value_node, env, module)
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
        if isinstance(operand, Tensor):
            return operand
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
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            return _deps([left, right], {})
        if isinstance(node.op, ast.Add) and isinstance(left, VarList) and isinstance(right, VarList):
            return VarList(left.names + tuple(n for n in right.names if n not in left.names), left.selection)
        if isinstance(node.op, ast.Mult) and isinstance(left, ListVal):
            if isinstance(right, Const) and isinstance(right.value, int) and 0 <= right.value <= 64:
                return ListVal(left.items * right.value)
            # `[cell] * num_layers`: a sample of what the list repeats.
            return ListVal(left.items * MAX_LITERAL_ITERATIONS, sample=True)
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

    def _expr_Compare(self, node: ast.Compare, env, module) -> Any:
        left = self.eval(node.left, env, module)
        rights = [self.eval(c, env, module) for c in node.comparators]
        if len(rights) != 1 or not isinstance(left, Const) or not isinstance(rights[0], Const):
            if len(node.ops) == 1 and isinstance(node.ops[0], (ast.Is, ast.IsNot)):
                # `scope is None` with a known non-None object
                r = rights[0]
                if isinstance(r, Const) and r.value is None and left is not UNKNOWN and not isinstance(left, Const):
                    return Const(isinstance(node.ops[0], ast.IsNot))
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
        return _join(self.eval(node.body, env, module), self.eval(node.orelse, env, module))

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
        items = [self.eval(e, env, module) for e in node.elts]
        if any(isinstance(e, ast.Starred) for e in node.elts):
            return UNKNOWN
        return ListVal(items)

    _expr_Tuple = _expr_List

    def _expr_Subscript(self, node: ast.Subscript, env, module) -> Any:
        base = self.eval(node.value, env, module)
        index = self.eval(node.slice, env, module)
        if isinstance(base, Tensor):
            return base
        if isinstance(base, ListVal) and isinstance(index, Const) and isinstance(index.value, int):
            # A sample's first items are the list's first items; its last ones are not.
            lowest = 0 if base.sample else -len(base.items)
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

    def _comprehension(self, node, env, module, elts: list[ast.expr]) -> Any:
        selected = self._select_by_name(node, env, module, elts)
        if selected is not None:
            return selected
        local = [{}] + env
        results: list[Any] = []
        known = True

        def run(gens: list[ast.comprehension]) -> None:
            nonlocal known
            if not gens:
                results.extend(self.eval(e, local, module) for e in elts)
                return
            gen = gens[0]
            iterable = self.eval(gen.iter, local if gen is not node.generators[0] else env, module)
            if not isinstance(iterable, ListVal):
                known = False
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
            return ListVal(results, sample=not known)
        return UNKNOWN

    def _select_by_name(self, node, env, module, elts) -> Any:
        """`[v for v in tvars if 'd_' in v.name]`: run the filter on every variable name."""
        gens = node.generators
        if len(gens) != 1 or len(elts) != 1 or not isinstance(elts[0], ast.Name):
            return None
        gen = gens[0]
        if not (isinstance(gen.target, ast.Name) and gen.target.id == elts[0].id):
            return None
        source = self.eval(gen.iter, env, module)
        if not isinstance(source, VarList):
            return None
        kept = self._filter_names(source, [(gen.target.id, cond) for cond in gen.ifs], env, module)
        if kept is None:
            return UNKNOWN
        return self._derived_selection(source, kept, Site(module.path, node))

    def _filter_names(self, source: VarList, conds, env, module) -> list[str] | None:
        kept = []
        for name in source.names:
            keep = True
            for var, cond in conds:
                value = truthy(self.eval(cond, [{var: VarRef(name)}] + env, module))
                if value is None:
                    return None
                keep = keep and value
            if keep:
                kept.append(name)
        return kept

    def _derived_selection(self, source: VarList, kept: list[str], site: Site) -> VarList:
        parent = source.selection
        selection = Selection(
            site=site, how="filter", pattern=None, names=tuple(kept),
            available=parent.available if parent else source.names, graph=self.graph.gid,
            trace=self.trace, complete=parent.complete if parent else False,
            trainable_only=parent.trainable_only if parent else True,
        )
        self.analysis.selections.append(selection)
        return VarList(tuple(kept), selection)

    def _expr_ListComp(self, node, env, module) -> Any:
        return self._comprehension(node, env, module, [node.elt])

    _expr_SetComp = _expr_ListComp
    _expr_GeneratorExp = _expr_ListComp

    def _expr_DictComp(self, node, env, module) -> Any:
        self._comprehension(node, env, module, [node.key, node.value])
        return UNKNOWN

    def _expr_Call(self, node: ast.Call, env, module) -> Any:
        func = self.eval(node.func, env, module)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        starred = False
        for a in node.args:
            if isinstance(a, ast.Starred):
                self.eval(a.value, env, module)
                starred = True
            else:
                args.append(self.eval(a, env, module))
        for kw in node.keywords:
            value = self.eval(kw.value, env, module)
            if kw.arg is None:
                starred = True
            else:
                kwargs[kw.arg] = value
        return self.call(func, args, kwargs, node, env, module, starred)

    # ----- calls ---------------------------------------------------------------------------------
    def call(self, func, args, kwargs, node, env, module, starred=False) -> Any:
        if _exits(func, node, env):
            raise _Raise()  # SystemExit: nothing after it runs on this path
        site = Site(module.path, node)
        if isinstance(func, TFRef):
            return self._call_tf(tfnames.canonical(func.qualname), node, args, kwargs, module)
        if isinstance(func, FuncVal):
            return self.call_function(func, args, kwargs, site, unknown_args=starred)
        if isinstance(func, ClassVal):
            instance = Instance(func)
            init = func.lookup("__init__")
            if isinstance(init, FuncVal):
                self.call_function(init.bound(instance, False), args, kwargs, site, unknown_args=starred)
            elif any(not isinstance(b, ClassVal) for b in func.bases):
                self.graph.opaque = True  # a subclass of something we do not model (a Keras Model)
            return instance
        if isinstance(func, Instance):
            method = func.cls.lookup("__call__")
            if isinstance(method, FuncVal):
                return self.call_function(method.bound(func), args, kwargs, site, unknown_args=starred)
            self.graph.opaque = True
            return UNKNOWN
        if isinstance(func, TemplateVal):
            return self._call_template(func, args, kwargs, site, module, starred)
        if isinstance(func, Method):
            return self._call_method(func, node, module, args, kwargs)
        if isinstance(func, KerasObject):
            if not func.model:
                return _deps(args, kwargs)
            # A model applied to tensors: a fresh tensor that remembers which model made it,
            # so `Model(z, d(g(z)))` knows the model it ends in.
            deps = _deps(args, kwargs)
            out = Tensor(deps.calls | {id(node)}, deps.scopes)
            self.keras_outputs[id(out)] = (out, func)
            return out
        if isinstance(func, Tensor):
            return func | _deps(args, kwargs)
        if isinstance(func, External):
            if func.qualname in ("re.match", "re.search", "re.fullmatch") and len(args) >= 2:
                return _regex(func.qualname.split(".")[1], args[0], args[1])
            if not func.safe:
                self.graph.opaque = True
            return _deps(args, kwargs) if any(isinstance(a, Tensor) for a in args) else UNKNOWN
        if func is UNKNOWN:
            builtin = node.func.id if isinstance(node.func, ast.Name) else None
            if builtin in ("list", "sorted", "tuple") and len(args) == 1 and isinstance(args[0], (VarList, ListVal, _Gradients)):
                return args[0]
            if builtin == "zip" and len(args) == 2 and isinstance(args[1], VarList):
                return _Gradients(UNKNOWN, args[1])  # zip(grads, var_list) for apply_gradients
            if builtin == "filter" and len(args) == 2 and isinstance(args[1], VarList):
                return self._filter_builtin(args[0], args[1], Site(module.path, node))
            if builtin == "range" and all(isinstance(a, Const) and isinstance(a.value, int) for a in args) and args:
                try:
                    return ListVal([Const(i) for i in range(*[a.value for a in args])[:MAX_LITERAL_ITERATIONS + 1]])
                except (TypeError, ValueError):
                    return UNKNOWN
            if builtin is None or builtin not in _BUILTINS:
                # An unknown callable or a method of an unknown object (`net.encoder(x)`):
                # it may create variables we cannot see.
                self.graph.opaque = True
            return UNKNOWN
        return UNKNOWN

    def _filter_builtin(self, predicate: Any, source: VarList, site: Site) -> Any:
        node = getattr(predicate, "node", None)
        if not isinstance(node, ast.Lambda) or len(node.args.args) != 1:
            return UNKNOWN
        kept = self._filter_names(source, [(node.args.args[0].arg, node.body)], predicate.closure, predicate.module)
        return UNKNOWN if kept is None else self._derived_selection(source, kept, site)

    def _last_stage(self, canon: str, args, kwargs) -> KerasObject | None:
        """The model a new model's output comes out of: the last of `Sequential([g, d])`,
        or the model applied last in `Model(z, d(g(z)))`."""
        if canon.endswith("Sequential"):
            stages = args[0] if args else kwargs.get("layers")
            last = stages.items[-1] if isinstance(stages, ListVal) and stages.items and not stages.sample else None
        else:
            outputs = args[1] if len(args) > 1 else kwargs.get("outputs")
            made = self.keras_outputs.get(id(outputs))
            last = made[1] if made is not None and made[0] is outputs else None
        return last if isinstance(last, KerasObject) and last.model else None

    def _keras_step(self, kind: str, model: KerasObject, node: ast.AST, module: ModuleState) -> None:
        last = model.last.trainable if kind == "compile" and model.last is not None else None
        self.analysis.keras_steps.append(KerasStep(
            kind, model, Site(module.path, node), tuple(self.loops), self.trace, self.analysis.tick(), last))

    def _call_method(self, method: Method, node: ast.Call, module: ModuleState, args=(), kwargs=None) -> Any:
        kwargs = kwargs or {}
        if method.kind in ("keras_compile", "keras_train"):
            self._keras_step(method.kind[6:], method.target, node, module)
            return UNKNOWN
        if method.kind == "keras_add":  # `Sequential().add(stage)`: the last stage so far
            stage = args[0] if args else kwargs.get("layer")
            method.target.last = stage if isinstance(stage, KerasObject) and stage.model else None
            return Const(None)
        if method.kind == "str":
            return _string_method(method.target, args, kwargs)
        if method.kind in ("minimize", "compute_gradients", "apply_gradients"):
            return self._optimizer_use(method, node, module, args, kwargs)
        if method.kind == "apply":  # ExponentialMovingAverage.apply makes shadow variables
            self.analysis.slot_creations.append(
                (self.graph.gid, self.trace, self.analysis.tick(), Site(module.path, node), method.target.canon))
            return EMPTY_TENSOR
        if method.kind == "reuse_variables":
            scope: ScopeVal = method.target
            scope.reuse = Const(True)
            site = Site(module.path, node)
            if scope is self.graph.root:
                self.graph.root_reuse_site = site
                self.analysis.leaks.append(Leak(site, self.graph.gid, self.trace, self.analysis.tick()))
            for i, frame in enumerate(self.scopes):
                if frame is scope:
                    self.scope_sites[i] = site
            return Const(None)
        if method.kind == "as_default":
            return GraphCtx(method.target)
        return UNKNOWN

    def _check_positional_scope_args(self, node: ast.Call, args, module) -> None:
        """`variable_scope("bert", scope)` or `variable_scope(scope, reuse)`: the second
        positional parameter is `default_name`, used only when the first is None."""
        if len(node.args) < 2 or isinstance(node.args[1], ast.Starred):
            return
        second = node.args[1]
        value = args[1] if len(args) > 1 else UNKNOWN
        if isinstance(second, (ast.List, ast.Tuple)) or isinstance(value, ListVal):
            return  # `variable_scope("net", [images])`: `values` by position, harmless
        looks_like_reuse = (
            (isinstance(second, ast.Name) and "reuse" in second.id.lower())
            or (isinstance(value, Const) and isinstance(value.value, bool))
            or (isinstance(value, TFRef) and tfnames.canonical(value.qualname) == tfnames.AUTO_REUSE)
        )
        first_is_name = isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
        if looks_like_reuse:
            self.analysis.misplaced.append((Site(module.path, second), "reuse", node))
        elif first_is_name and not (isinstance(value, Const) and value.value is None):
            self.analysis.misplaced.append((Site(module.path, second), "scope", node))

    def _check_repeated_cells(self, cells: Any, node: ast.Call, module: ModuleState) -> None:
        if not isinstance(cells, ListVal):
            return
        seen = []
        for item in cells.items:
            if isinstance(item, Cell):
                if any(item is other for other in seen):
                    arg = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "cells"), node)
                    self.analysis.repeated_cells.append((Site(module.path, arg), item))
                    return
                seen.append(item)

    def _optimizer_use(self, method: Method, node, module, args, kwargs) -> Any:
        optimizer: Optimizer = method.target
        position = {"minimize": 2, "compute_gradients": 1}.get(method.kind)
        var_list = kwargs.get("var_list", args[position] if position is not None and len(args) > position else None)
        loss = kwargs.get("loss", args[0] if args else UNKNOWN)
        if method.kind == "apply_gradients":
            grads = kwargs.get("grads_and_vars", args[0] if args else UNKNOWN)
            loss, var_list = (grads.loss, grads.var_list) if isinstance(grads, _Gradients) else (UNKNOWN, UNKNOWN)
        use = OptimizerUse(
            site=Site(module.path, node), method=method.kind, optimizer=optimizer.canon, graph=self.graph.gid,
            trace=self.trace, loss=loss, var_list=var_list,
        )
        if isinstance(var_list, VarList) and var_list.selection is not None:
            var_list.selection.used_by.append(use)
        self.analysis.optimizers.append(use)
        if method.kind == "compute_gradients":
            return _Gradients(loss, var_list)
        if optimizer.canon.split(".")[-1] in tfnames.SLOT_OPTIMIZERS:
            self.analysis.slot_creations.append(
                (self.graph.gid, self.trace, self.analysis.tick(), use.site, optimizer.canon))
        return EMPTY_TENSOR

    def _select(self, canon: str, node: ast.Call, args, kwargs, module) -> Any:
        if canon == "tf.get_collection":
            key = args[0] if args else kwargs.get("key", UNKNOWN)
            scope = args[1] if len(args) > 1 else kwargs.get("scope", Const(None))
            key_name = tfnames.canonical(key.qualname) if isinstance(key, TFRef) else getattr(key, "value", None)
            if key_name in tfnames.TRAINABLE_KEYS:
                trainable = True
            elif key_name in tfnames.GLOBAL_KEYS:
                trainable = False
            else:
                return UNKNOWN
        else:
            trainable = canon in tfnames.TRAINABLE_SELECTORS
            scope = args[0] if args else kwargs.get("scope", Const(None))
        stale = None
        if isinstance(scope, ScopeName):
            scope = scope.scope
        if isinstance(scope, ScopeVal):
            prefix = self._prefix()
            if (scope.node is not None and all(scope is not f for f in self.scopes) and prefix
                    and scope.name is not None and not prefix.startswith(scope.name)
                    and not scope.name.startswith(prefix + "/")
                    and any(n.startswith(prefix + "/") for n in self.graph.variables)):
                # The `as scope` of a finished block, used while building another scope that
                # has variables of its own (a target network's): the list is not the new one's.
                # A scope that only applies weights made earlier (a `backward/` block) has none,
                # and one below the scope being built (`train/params` in `train/`) is its own.
                stale = (Site(scope.path or module.path, scope.node), prefix)
            scope = Const(scope.name) if scope.name is not None else UNKNOWN
        if not isinstance(scope, Const) or not (scope.value is None or isinstance(scope.value, str)):
            return UNKNOWN
        available = tuple(n for n, c in self.graph.variables.items() if c.trainable or not trainable)
        pattern = scope.value
        names = available if pattern is None else tuple(n for n in available if _re_match(pattern, n))
        arg = _scope_argument(node)
        selection = Selection(
            site=Site(module.path, arg if arg is not None else node), how="all" if pattern is None else "scope",
            pattern=pattern, names=names, available=available, graph=self.graph.gid, trace=self.trace,
            complete=self.graph.fresh and not self.graph.unnamed and not self.graph.opaque,
            trainable_only=trainable,
        )
        selection.stale = stale
        self.analysis.selections.append(selection)
        return VarList(names, selection)

    def _call_tf(self, canon: str, node: ast.Call, args, kwargs, module) -> Any:
        result = self._call_tf_known(canon, node, args, kwargs, module)
        if result is _NOT_SPECIAL:
            if tfnames.may_create_opaquely(canon):
                self.graph.opaque = True
            if tfnames.opens_unknown_scope(canon, frozenset(kwargs), any(k.arg is None for k in node.keywords)):
                return _UNKNOWN_SCOPE  # a `with` of it: names and reuse inside are unknown
            deps = _deps(args, kwargs)
            # A source (a placeholder, noise) is its own input, so two sources stay apart.
            return deps if deps != EMPTY_TENSOR else Tensor(calls=frozenset({id(node)}))
        return result

    def _call_tf_known(self, canon: str, node: ast.Call, args, kwargs, module) -> Any:
        if canon == tfnames.VARIABLE_SCOPE:
            self._check_positional_scope_args(node, args, module)
            name = args[0] if args else kwargs.get("name_or_scope", Const(None))
            default = args[1] if len(args) > 1 else kwargs.get("default_name", Const(None))
            reuse = args[8] if len(args) > 8 else kwargs.get("reuse", Const(None))
            return ScopeCtx(node, name, default, reuse)
        if canon in tfnames.NAME_SCOPES:
            return NameScopeCtx(args[0] if args else kwargs.get("name", UNKNOWN))
        if canon == tfnames.GET_VARIABLE:
            return self._get_variable(node, args, kwargs, module)
        if canon in tfnames.LAYER_FUNCTIONS:
            return self._layer(canon, node, args, kwargs, module)
        if canon in tfnames.SELECTORS:
            return self._select(canon, node, args, kwargs, module)
        if canon == tfnames.STOP_GRADIENT:
            return Tensor(calls=_deps(args, kwargs).calls)
        if canon in tfnames.VARIABLE:
            trainable = truthy(kwargs.get("trainable", Const(True))) is not False
            self._build("variable", canon, node, module).trainable = trainable
            self.graph.unnamed = True  # named by name_scope, which selections cannot see here
            model = self._model_scope()
            return Tensor(scopes=frozenset({model})) if trainable and model else EMPTY_TENSOR
        if tfnames.is_rnn_cell(canon):
            return Cell(canon, node)
        if canon in tfnames.MULTI_RNN_CELL:
            cells = args[0] if args else kwargs.get("cells", UNKNOWN)
            self._check_repeated_cells(cells, node, module)
            return Cell(canon, node)
        if canon in tfnames.RNN_RUNNERS:
            cell = args[0] if args else kwargs.get("cell", UNKNOWN)
            if isinstance(cell, Cell):
                self.analysis.cell_uses.append((cell, Site(module.path, node), self._prefix(), self.graph.gid, self.trace, tuple(self.conds)))
            self.graph.opaque = True
            return _deps(args, kwargs)
        if tfnames.is_keras_object(canon):
            # A functional `Model(inputs, outputs)` wraps layers already applied (another
            # model's: `Model(vgg.input, vgg.get_layer(...).output)`); it makes no weights.
            functional = canon in tfnames.FUNCTIONAL_MODELS and (len(args) >= 2 or "outputs" in kwargs)
            if not tfnames.is_weightless_layer(canon) and not functional:
                self._build("keras", canon, node, module)
                self.graph.opaque = True  # Keras names its variables its own way
            made = KerasObject(canon, node)
            if canon in tfnames.KERAS_MODELS:
                made.model, made.last = True, self._last_stage(canon, args, kwargs)
            return made
        if canon in tfnames.SAVERS:
            var_list = kwargs.get("var_list", args[0] if args else None)
            if isinstance(var_list, VarList) and var_list.selection is not None:
                var_list.selection.used_by.append(_SaverUse(Site(module.path, node)))
            return UNKNOWN
        if tfnames.is_optimizer(canon) or canon == tfnames.EMA:
            return Optimizer(canon, node)
        if canon in tfnames.TF_FUNCTION and args and isinstance(args[0], FuncVal):
            return args[0].bound(args[0].bound_self, True)
        if canon == tfnames.GET_VARIABLE_SCOPE:
            return self.scopes[-1] if self.scopes else self.graph.root
        if canon == tfnames.GRAPH:
            return GraphVal(self._new_graph(fresh=True).gid)
        if canon == "tf.get_default_graph":
            return GraphVal(self.graph.gid)
        if canon == tfnames.RESET_DEFAULT_GRAPH:
            self.graph = self._new_graph(fresh=self.graph.fresh)
            self.scopes, self.scope_sites, self.name_scopes = [], [], []
            return Const(None)
        if canon == tfnames.MAKE_TEMPLATE:
            name = args[0] if args else kwargs.get("name_", UNKNOWN)
            func = args[1] if len(args) > 1 else kwargs.get("func_", UNKNOWN)
            return TemplateVal(name.value if isinstance(name, Const) else None, func, node)
        return _NOT_SPECIAL

    def _call_template(self, template: TemplateVal, args, kwargs, site: Site, module, starred) -> Any:
        gid = self.graph.gid
        first = gid not in template.created_in
        if first:
            base = self.graph.unique(self._prefix(), template.name) if template.name else None
            prefix = self._prefix()
            full = None if base is None or prefix is None else (f"{prefix}/{base}" if prefix else base)
            template.created_in[gid] = full
        full = template.created_in[gid]
        # Every call enters the template's scope afresh, so layer names restart (dense, not dense_1).
        self.graph.open(full)
        scope = ScopeVal(full, Const(not first), gid, template.node)
        self.scopes.append(scope)
        self.scope_sites.append(None if first else Site(module.path, template.node))
        self.calls.append(site)
        try:
            if isinstance(template.func, FuncVal):
                return self.call_function(template.func, args, kwargs, None, unknown_args=starred)
            self.graph.opaque = True
            return UNKNOWN
        finally:
            self.calls.pop()
            self.scopes.pop()
            self.scope_sites.pop()

    def call_function(self, func: FuncVal, args, kwargs, site: Site | None, unknown_args=False) -> Any:
        if func.is_context_manager:
            return _Generator(func, args, kwargs, site, unknown_args)
        node = func.node
        if len(self.funcs) >= MAX_DEPTH or any(f.node is node for f in self.funcs):
            self.graph.opaque = True
            return UNKNOWN
        self.executed.add(id(node))
        if site is not None:
            self.analysis.callees.setdefault(id(site.node), node)
        local = self._bind_arguments(func, args, kwargs, unknown_args)
        env = [local] + func.closure
        saved_conds = len(self.conds)
        if site is not None:
            self.calls.append(site)
            self.call_info.append(CallInfo(site, _deps(args, kwargs).calls, _consts(args, kwargs), self._prefix()))
        self.funcs.append(func)
        if func.is_tf_function:
            self.tf_functions.append((self.guards, func))
        self.early_returns.append([])
        try:
            result = self._run_body(func, env)
            for value in self.early_returns[-1]:
                result = _join(result, value)
        finally:
            self.early_returns.pop()
            if func.is_tf_function:
                self.tf_functions.pop()
            self.funcs.pop()
            if site is not None:
                self.calls.pop()
                self.call_info.pop()
            del self.conds[saved_conds:]
        if site is not None:
            # The call's own site joins what flows out (each tensor of a returned tuple too),
            # so a later call can see it is fed by this one.
            result = _through(result, id(site.node))
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
        except (_Raise, _Break, _Continue):
            return UNKNOWN

    def _bind_arguments(self, func: FuncVal, args, kwargs, unknown_args: bool) -> dict:
        a = func.node.args
        positional = [p.arg for p in a.posonlyargs + a.args]
        defaults = func.defaults
        local: dict[str, Any] = {}
        given = list(args)
        if func.bound_self is not None and positional:
            local[positional[0]] = func.bound_self
            positional = positional[1:]
        offset = len(positional) - len(defaults)
        for i, p in enumerate(positional):
            if i < len(given):
                local[p] = given[i]
            elif p in kwargs:
                local[p] = kwargs[p]
            elif unknown_args:
                local[p] = UNKNOWN
            elif i >= offset:
                local[p] = defaults[i - offset]
            else:
                local[p] = UNKNOWN
        kw_defaults = func.kw_defaults
        for i, p in enumerate(a.kwonlyargs):
            if p.arg in kwargs:
                local[p.arg] = kwargs[p.arg]
            elif unknown_args or kw_defaults[i] is None:
                local[p.arg] = UNKNOWN
            else:
                local[p.arg] = kw_defaults[i]
        if a.vararg:
            local[a.vararg.arg] = UNKNOWN
        if a.kwarg:
            local[a.kwarg.arg] = UNKNOWN
        return local

    def _set_trainable(self, base: Any, value: Any, node: ast.AST, module: ModuleState) -> None:
        if not (isinstance(base, KerasObject) and base.model):
            self.analysis.unseen_freezing = True  # a layer of `model.layers`, an unknown object
            return
        # On one arm of an unknown `if`, the flag is known only if it does not change.
        base.trainable = value if not self.journals or same(value, base.trainable) else UNKNOWN
        self._keras_step("freeze", base, node, module)

    # ----- binding ----------------------------------------------------------------------------------
    def _bind(self, name: str, value: Any, env: list[dict]) -> None:
        declared = env[0].get("__globals__", ())
        if isinstance(declared, set) and name in declared:
            self._write(env[-1], name, value)
        else:
            self._write(env[0], name, value)

    def assign(self, target: ast.AST, value: Any, env: list[dict], module: ModuleState) -> None:
        if isinstance(target, ast.Name):
            self._bind(target.id, value, env)
        elif isinstance(target, (ast.Tuple, ast.List)):
            exact = isinstance(value, ListVal) and not value.sample and len(value.items) == len(target.elts)
            items = value.items if exact else None
            for i, elt in enumerate(target.elts):
                if isinstance(elt, ast.Starred):
                    self.assign(elt.value, UNKNOWN, env, module)
                else:
                    self.assign(elt, items[i] if items else UNKNOWN, env, module)
        elif isinstance(target, ast.Attribute):
            base = self.eval(target.value, env, module)
            if isinstance(base, Instance):
                self._set_attr(base, target.attr, value)
            elif target.attr == "trainable":
                self._set_trainable(base, value, target, module)
        elif isinstance(target, ast.Subscript):
            self.eval(target.value, env, module)
            self.eval(target.slice, env, module)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, UNKNOWN, env, module)


@lru_cache(maxsize=16384)
def _realpath(path: str) -> str:
    # A module's identity; asked on every import of every lint, and a syscall per component.
    return os.path.realpath(path)


_KERAS_STEPS = frozenset({"train_step", "test_step", "predict_step"})


def _derives_from_keras_model(cls: ClassVal, depth: int = 0) -> bool:
    for base in cls.bases:
        if isinstance(base, TFRef) and tfnames.canonical(base.qualname) in tfnames.KERAS_MODELS:
            return True
        if isinstance(base, ClassVal) and depth < 8 and _derives_from_keras_model(base, depth + 1):
            return True
    return False


def _derives_from_keras_layer(cls: ClassVal, depth: int = 0) -> bool:
    for base in cls.bases:
        if isinstance(base, TFRef) and tfnames.is_keras_layer_class(tfnames.canonical(base.qualname)):
            return True
        if isinstance(base, ClassVal) and depth < 8 and _derives_from_keras_layer(base, depth + 1):
            return True
    return False


def _through(value: Any, call: int) -> Any:
    if isinstance(value, Tensor):
        return Tensor(value.calls | {call}, value.scopes)
    if isinstance(value, ListVal) and any(isinstance(item, Tensor) for item in value.items):
        return ListVal([_through(item, call) for item in value.items], value.sample)
    return value


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
_NOT_SPECIAL = object()
_MISSING = object()  # an attribute an object did not have
_OPAQUE_CONTEXT = object()  # a `with` whose manager we cannot see into
_UNKNOWN_SCOPE = object()  # what an unmodelled scope-like TF call returns
_STR_METHODS = frozenset(
    "startswith endswith split rsplit replace lower upper strip lstrip rstrip find count format partition".split()
)


class _VarOp:
    """`v.op` of a variable while a name filter looks at it: `v.op.name` has no `:0`."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class _SaverUse:
    """A Saver built on a selection: an empty list makes it save nothing, silently."""

    method = "saver"
    loss = None

    def __init__(self, site: Site) -> None:
        self.site = site


class _Generator:
    """A call of a @contextmanager function, waiting for its `with`."""

    __slots__ = ("func", "args", "kwargs", "site", "unknown_args", "env", "resume")

    def __init__(self, func, args, kwargs, site, unknown_args) -> None:
        self.func, self.args, self.kwargs, self.site, self.unknown_args = func, args, kwargs, site, unknown_args
        self.env = None
        self.resume = None


class _Gradients:
    """What `compute_gradients` returns, carried to `apply_gradients`."""

    __slots__ = ("loss", "var_list")

    def __init__(self, loss: Any, var_list: Any) -> None:
        self.loss, self.var_list = loss, var_list


def _flat(values) -> list[Any]:
    out = []
    for v in values:
        if isinstance(v, ListVal):
            out.extend(v.items)
        else:
            out.append(v)
    return out


def _deps(args, kwargs) -> Tensor:
    """A TF op's result: everything that flows into any of its inputs."""
    result = EMPTY_TENSOR
    for v in _flat(list(args) + list(kwargs.values())):
        if isinstance(v, Tensor):
            result = result | v
    return result


def _consts(args, kwargs) -> tuple:
    items = [(i, a.value) for i, a in enumerate(args) if isinstance(a, Const)]
    items += [(k, v.value) for k, v in sorted(kwargs.items()) if isinstance(v, Const)]
    try:
        hash(tuple(items))
    except TypeError:
        return ()
    return tuple(items)


def _re_match(pattern: str, name: str) -> bool:
    """TF's get_collection(scope=...) keeps items whose name `re.match`es the scope."""
    try:
        return re.match(pattern, name) is not None
    except re.error:
        return False


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


def _scope_argument(node: ast.Call) -> ast.AST | None:
    """The expression that gave a selection its scope (where RL108 points)."""
    for kw in node.keywords:
        if kw.arg == "scope":
            return kw.value
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    index = 1 if name == "get_collection" else 0
    return node.args[index] if len(node.args) > index else None


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
