from __future__ import annotations

import ast
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.events import Site
from reuse_lint.engine.syntax import positional_names
from reuse_lint.engine.values import UNKNOWN
from reuse_lint.rules.base import Rule, RuleContext

_STEPS = frozenset({"apply_gradients", "minimize"})


class OptimizerPassedToTfFunction(Rule):
    """
    ## What it does
    Finds a `@tf.function` that takes an optimizer as an argument and steps it
    (`optimizer.apply_gradients(...)`, `optimizer.minimize(...)`), called with more than one
    optimizer: from a loop over several (`for model, opt in zip(models, optimizers)`), or
    from two calls that pass different ones.

    ## Why is this bad?
    An optimizer makes its slot variables (Adam's `m` and `v`, its iteration counter) on its
    first step. The tf.function traces once per new optimizer object, so the second
    optimizer's variables are created on a later trace, and TensorFlow stops:
    `ValueError: tf.function only supports singleton tf.Variables created on the first
    call.` (tf_keras and Keras 3 optimizers alike).

    ## Example
    ```python
    @tf.function
    def train_step(model, optimizer, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((model(x) - y) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

    for model, optimizer in zip(models, optimizers):
        train_step(model, optimizer, x, y)
    ```

    Use instead:
    ```python
    def train_step(model, optimizer, x, y):
        ...

    steps = [tf.function(train_step) for _ in models]  # one tf.function per pair
    for step, model, optimizer in zip(steps, models, optimizers):
        step(model, optimizer, x, y)
    ```

    ## Fix safety
    No automatic fix: the function's tracing is the author's design.
    """

    CODE = "RL121"
    NAME = "optimizer-passed-to-tf-function"
    VALID = (
        # One optimizer, always the same object.
        """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.Adam()
@tf.function
def step(model, optimizer, x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
for x in [tf.zeros([2, 3]), tf.ones([2, 3])]:
    step(model, opt, x)
""",
        # One tf.function per optimizer.
        """
import tensorflow as tf
def body(model, optimizer, x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
models = [tf.keras.Sequential([tf.keras.layers.Dense(1)]) for _ in range(2)]
optimizers = [tf.keras.optimizers.Adam() for _ in range(2)]
steps = [tf.function(body) for _ in range(2)]
for step, model, optimizer in zip(steps, models, optimizers):
    step(model, optimizer, tf.zeros([2, 3]))
""",
    )
    VALID = VALID + (
        # `opt` and `self.opt`: two spellings of one optimizer.
        """
import tensorflow as tf
class Trainer:
    def __init__(self):
        self.model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        self.opt = tf.keras.optimizers.Adam()
    @tf.function
    def step(self, model, optimizer, x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(model(x))
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
    def run(self, x):
        opt = self.opt
        self.step(self.model, opt, x)
        self.step(self.model, self.opt, x)
""",
    )
    INVALID = (
        # The tf.function made by a call, not a decorator: one trace per optimizer.
        """
import tensorflow as tf
def body(model, optimizer, x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(x))
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
step = tf.function(body)
g, d = tf.keras.Sequential([tf.keras.layers.Dense(1)]), tf.keras.Sequential([tf.keras.layers.Dense(1)])
g_opt, d_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
body(d, d_opt, tf.zeros([2, 3]))
step(d, d_opt, tf.zeros([2, 3]))
step(g, g_opt, tf.zeros([2, 3]))  # expect: RL121
""",
        """
import tensorflow as tf
class Trainer:
    def __init__(self, n):
        self.models = [tf.keras.Sequential([tf.keras.layers.Dense(1)]) for _ in range(n)]
        self.optimizers = [tf.keras.optimizers.Adam() for _ in range(n)]
    @tf.function
    def _fit_body(self, x, model, optimizer):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    def fit(self, x):
        for model, optimizer in zip(self.models, self.optimizers):
            self._fit_body(x, model, optimizer)  # expect: RL121
""",
        """
import tensorflow as tf
@tf.function
def step(model, optimizer, x):
    optimizer.minimize(lambda: tf.reduce_mean(model(x)), model.trainable_variables)
g, d = tf.keras.Sequential([tf.keras.layers.Dense(1)]), tf.keras.Sequential([tf.keras.layers.Dense(1)])
g_opt, d_opt = tf.keras.optimizers.Adam(), tf.keras.optimizers.Adam()
step(d, d_opt, tf.zeros([2, 3]))
step(g, g_opt, tf.zeros([2, 3]))  # expect: RL121
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        # The called tf.functions that step an optimizer they are given, found once from the
        # call map: walking every module a program loads cost a project like stable-baselines
        # nine tenths of its analysis, and most programs call no such function.
        # Whether a call runs a tf.function is the engine's answer (an aliased decorator,
        # `step = tf.function(body)`), per call: `body(...)` called directly is no retrace.
        traced = ctx.analysis.tf_function_calls
        stepping: dict[int, tuple[ast.FunctionDef, list[tuple[int, str]]]] = {}
        for func in {id(f): f for c, f in ctx.analysis.callees.items() if c in traced}.values():
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                params = _stepped_optimizers(func, ctx.analysis.callees)
                if params:
                    stepping[id(func)] = (func, params)
        if not stepping:
            return
        for path in sorted(ctx.targets):
            module = ctx.analysis.sources.get(path)
            tree = getattr(module, "tree", None)
            if tree is not None:
                yield from self._check_module(ctx, path, tree, stepping)

    def _check_module(self, ctx: RuleContext, path: str, tree: ast.Module, stepping: dict) -> Iterable[Diagnostic]:
        parents: dict[int, ast.AST] = {}
        calls: list[ast.Call] = []
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
            if isinstance(node, ast.Call):
                calls.append(node)
        seen: dict[tuple[int, int, str], tuple[ast.Call, str]] = {}  # (function, parameter, callee) -> first call
        for call in calls:
            # A callee bound by a loop (`for step, opt in zip(steps, opts)`) may be one
            # tf.function per optimizer: `tf.function(body)` made once for each.
            if id(call) not in ctx.analysis.tf_function_calls or (
                    isinstance(call.func, ast.Name) and (_bound_by_loop(call.func.id, call, parents)
                                                         or _made_each_turn(call.func.id, call, parents))):
                continue
            func, params = stepping.get(id(ctx.analysis.callees.get(id(call))), (None, ()))
            for index, param in params:
                arg = _argument(call, func, index, param)
                if arg is None:
                    continue
                looped = isinstance(arg, ast.Name) and (_bound_by_loop(arg.id, call, parents)
                                                        or _made_each_turn(arg.id, call, parents))
                # Two names for one body may be two tf.functions (`tf.function(body)` twice):
                # only calls through one callee expression are compared.
                value = _value(ctx.analysis.tf_function_calls[id(call)], call, arg)
                first = seen.setdefault((id(func), index, ast.unparse(call.func)), (call, ast.unparse(arg), value))
                # `opt` and `self.opt` may be one object: the engine's values say so.
                same = value is not None and value is first[2]
                other = first[0] is not call and first[1] != ast.unparse(arg) and not same
                if looped or other:
                    why = ("a loop passes it a new optimizer on each turn" if looped
                           else f"this call passes `{ast.unparse(arg)}`, an earlier one `{first[1]}`")
                    yield from ctx.report(
                        self, Site(path, call),
                        f"`{func.name}` is a tf.function that steps the optimizer it is given (`{param}`), and "
                        f"{why}: the next optimizer's variables are created on a later trace, where TF raises "
                        "`tf.function only supports singleton tf.Variables`",
                        related=[ctx.related(Site(path, func), "the tf.function, traced again for each optimizer")]
                        + ([ctx.related(Site(path, first[0]), "called first here")] if other and not looped else []),
                        help="make one tf.function per optimizer (`tf.function(body)` for each), or build each "
                             "optimizer's variables before the first call (`optimizer.build(model.trainable_variables)`)",
                    )
                    break


def _stepped_optimizers(func: ast.FunctionDef, callees: dict, depth: int = 2) -> list[tuple[int, str]]:
    """(position, name) of the parameters the body calls `.apply_gradients`/`.minimize` on,
    itself or in a function of the program it hands the parameter to (`train_on_batch(opt, x)`,
    `strategy.run(train_on_batch, args=(opt, x))`), down to `depth` calls."""
    params = positional_names(func.args)
    stepped = {
        node.func.value.id for node in ast.walk(func)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _STEPS
        and isinstance(node.func.value, ast.Name)
    }
    if depth > 0:
        for node in ast.walk(func):
            callee = callees.get(id(node)) if isinstance(node, ast.Call) else None
            if not isinstance(callee, (ast.FunctionDef, ast.AsyncFunctionDef)) or callee is func:
                continue
            passed = _passed_positionally(node)
            for index, _ in _stepped_optimizers(callee, callees, depth - 1):
                if index < len(passed) and isinstance(passed[index], ast.Name):
                    stepped.add(passed[index].id)
    return [(i, p) for i, p in enumerate(params) if p in stepped]


def _passed_positionally(call: ast.Call) -> list[ast.AST]:
    """The positional arguments a call hands its function: a strategy's `run(fn, args=(...))`
    hands `fn` the items of `args`; a bound method's `self` is not among them."""
    for kw in call.keywords:
        if kw.arg == "args" and isinstance(kw.value, (ast.Tuple, ast.List)):
            return list(kw.value.elts)
    return [] if any(isinstance(a, ast.Starred) for a in call.args) else list(call.args)


def _value(values: tuple, call: ast.Call, arg: ast.AST) -> object:
    """The value the engine gave `arg` at `call` (None when it is not known)."""
    args, kwargs = values
    for kw in call.keywords:
        if kw.value is arg:
            found = kwargs.get(kw.arg)
            break
    else:
        position = next((i for i, a in enumerate(call.args) if a is arg), None)
        found = args[position] if position is not None and position < len(args) else None
    return None if found is None or found is UNKNOWN else found


def _argument(call: ast.Call, func: ast.FunctionDef, index: int, param: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == param:
            return kw.value
    if any(isinstance(a, ast.Starred) for a in call.args):
        return None
    params = positional_names(func.args)
    # `self._fit(x, ...)` binds `self` to the first parameter.
    if params and params[0] in ("self", "cls") and isinstance(call.func, ast.Attribute):
        index -= 1
    return call.args[index] if 0 <= index < len(call.args) else None


def _made_each_turn(name: str, call: ast.Call, parents: dict[int, ast.AST]) -> bool:
    """`for res in resolutions: opt = make_optimizer(res); step(opt, x)`: a loop around the
    call, in the same function, whose body binds the name (alone or in a tuple: `g_opt, d_opt
    = make_optimizers(res)`) to a call's result before the call (a new optimizer each turn)."""
    node = parents.get(id(call))
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            for stmt in ast.walk(node):
                if (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and stmt.lineno < call.lineno
                        and any(isinstance(t, ast.Name) and t.id == name for target in stmt.targets
                                for t in ast.walk(target))):
                    return True
        node = parents.get(id(node))
    return False


def _bound_by_loop(name: str, call: ast.Call, parents: dict[int, ast.AST]) -> bool:
    """`for model, opt in zip(models, optimizers): f(model, opt)`: a `for` around the call, in
    the same function, whose target binds the name, over something other than `range`."""
    node = parents.get(id(call))
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        if isinstance(node, (ast.For, ast.AsyncFor)):
            bound = {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
            ranged = isinstance(node.iter, ast.Call) and ast.unparse(node.iter.func) == "range"
            if name in bound and not ranged:
                return True
        node = parents.get(id(node))
    return False
