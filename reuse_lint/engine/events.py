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


TRUTH = ("truth",)  # Cond.test's value for `if x:` (the parser makes no tuple constants)


@dataclass(frozen=True)
class NamedConst:
    """A Cond.test value known only by its name (`ModeKeys.INFER`, `self.TRAIN`): equal to
    itself, while another name may hold the same value."""

    text: str


@dataclass(frozen=True)
class CellRun:
    """One RNN runner call: its cell objects by role (forward, then backward for a
    bidirectional runner), the runner calls whose outputs or states it is fed (`runs`), and
    whether all it is fed is known (`known`: its inputs and initial states are tensors whose
    ancestry the analysis kept)."""

    canon: str
    owners: tuple
    runs: frozenset
    known: bool
    reversed: bool = False  # fed a reversed sequence: a backward direction written by hand


@dataclass(frozen=True)
class Cond:
    """This event happened on one arm of an `if` (within one iteration of enclosing loops)."""

    if_id: int
    loops: tuple
    arm: int
    # What the test says of one dotted name: (its text, its file, a constant, NamedConst or
    # TRUTH, negated, its run), so that separate `if`s on one name can be known exclusive.
    # The run is None for a name that holds one value (a script's mode); for `self.mode` it
    # is the object, and the call too when that call set it (two objects, two modes).
    test: tuple | None = None
    # The test reads object state that its own function then changes (a memo filled by the
    # first call): each call may take another arm, so `loops` holds a token per run.
    stateful: bool = False
    # An arm of a pick (`models[name].build(x)`, engine.values.OneOf): one item per run, so
    # what another item's arm made was never made in this run.
    pick: bool = False
    # The locals an undecided test reads that hold known constants, as (name, value) sorted:
    # `if group in self._seq_groups:` run for `group='user'` and again for `group='item'`
    # may take one arm for one call and the other for the other. Not part of the arm's
    # identity (equality), which is the `if` and the path to it.
    given: tuple = field(default=(), compare=False)


@dataclass(eq=False)
class Creation:
    """One `get_variable`-like request: a creation, or a lookup when reuse is on."""

    graph: int
    name: str | None  # full variable name; None when any part is unknown
    kind: str  # "get_variable" | "layer" | "cell" (TF's own RNN cell) | "template"
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
    scope_frames: tuple = ()  # their entries (ScopeVal), one a `with` that ran: which entry of a call
    trainable: bool = True
    model_scope: str | None = None  # the outermost user variable_scope, when known
    auto_named: bool = False  # a layer named by TF's counter (`dense_2`), not by the code
    # An unnamed `tf.layers` layer whose own `reuse=` may be on: TF then names it by its bare
    # base name (`dense`), not by the counter. The full name it then requests (None when that
    # argument is off); it differs from `name` when an earlier unnamed layer holds it.
    reuse_alias: str | None = None
    frame_entry: Any = None  # the ScopeVal of the innermost user scope entry
    name_scope_sites: tuple = ()  # the `name_scope(...)` calls active at the creation
    seq: int = 0  # order among all events (creations, leaks, slot creations)
    # In a notebook cell after a statement of the same cell that TF raises at: the kernel
    # never ran it, so it made nothing a later cell could meet (it is still judged alone).
    unrun: bool = False
    # Inside a `try` whose handler catches the `ValueError` of a failed lookup: the program
    # tests for the variables' existence itself.
    caught: bool = False
    # The request names an initializer (`initializer=`, or by position): it means a variable of
    # its own, as a fetch of an existing one names none.
    initialized: bool = False


@dataclass(frozen=True)
class CallInfo:
    """One user call on the stack: what went in."""

    site: Site
    inputs: frozenset  # ids of earlier user calls whose results flow into the arguments
    consts: tuple  # the constant arguments, by position and keyword
    prefix: str | None  # the variable-scope prefix at the call
    partial: bool = False  # some tensor argument was built on an input the analysis lost
    # The arguments that are not constants, as (position or keyword, value); a Keras
    # constructor inside the call that takes one as is (`DenseFeatures(column)`,
    # `Sequential([norm, ...])`) adds its key to `configured`: that argument configures what
    # the call builds, so two calls handing it different objects build different things.
    args: tuple = field(default=(), compare=False)
    configured: set = field(default_factory=set, compare=False)
    # A method's call: the id of the object it runs on (`model.fit(...)`), else None. Two
    # objects built apart (`a = Net(); a.fit(x)`, `b = Net(); b.fit(y)`) hold a model each.
    receiver: int | None = field(default=None, compare=False)


@dataclass(eq=False)
class Build:
    """An object that owns variables and ignores `reuse`: `tf.Variable`, a Keras layer or
    model, or a scope that TF names uniquely (`variable_scope(None, default_name=...)`)."""

    kind: str  # "variable" | "weight" (a Layer's add_weight) | "keras" | "metric" | "default_scope"
    canon: str
    site: Site
    calls: tuple[CallInfo, ...]
    conds: tuple[Cond, ...]
    loops: tuple
    trace: int
    graph: int
    reuse: Any
    reuse_site: Site | None
    in_tf_function: bool = False
    conditional_in_function: bool = False  # under an `if` inside the tf.function body
    keras_call: str | None = None  # `Net.call`: the tf.function body is a Keras subclass's call
    # keras_call in a program that names a graph-mode-only API (`tf.placeholder`, `Session`,
    # `get_variable`): `call` then runs once per application, in a graph, not under `fit`.
    graph_program: bool = False
    keras_class: int | None = None  # keras_call: id of the `class` statement that defines it
    compiled_fn: str | None = None  # `accuracy`: the tf.function body is a function given to compile
    lambda_fn: str | None = None  # `lambda`, `head`: the body is the function of a Keras `Lambda` layer
    name: str | None = None  # the unique scope name TF gave (default_scope)
    # default_scope: its name is the running function's own parameter defaulting to None, and
    # its reuse flag another (`def layer(x, scope=None, reuse=None): variable_scope(scope,
    # default_name="layer", reuse=reuse)`)
    scope_parameter: bool = False
    # default_scope: a trainable variable was made in it; a scope of metric accumulators or
    # counters alone (`trainable=False`) holds per-call state, not weights to share
    created_trainable: bool = False
    trainable: bool = True  # False: `tf.Variable(..., trainable=False)`, per-call state
    trainable_unknown: bool = False  # `trainable=` a value the analysis cannot decide (a config flag)
    state: bool = False  # a tf.Variable the same code updates with `.assign*(...)`: per-call state
    scope: str | None = None  # the full name of the variable scope it is made in ("" at the root; None: unknown)
    seq: int = 0  # order among all events
    # The scope whose reuse flag is in force here (its full name; None: unknown or no reuse)
    # and when that flag was switched on: what existed under it before asked to be shared.
    reuse_scope: str | None = None
    reuse_seq: int = 0
    frame_entry: Any = None  # the ScopeVal of the innermost user scope entry (one `with` that ran)


@dataclass(eq=False)
class Leak:
    """`reuse_variables()` on the root scope of a graph, or (root=False) on a named scope
    inside its own `with` block."""

    site: Site
    graph: int
    trace: int
    seq: int  # order among all events
    root: bool = True
    scope: str | None = None  # the named scope's full name, when known
    ended: int | None = None  # when `_reuse = False` on that scope object switched it off


@dataclass(eq=False)
class KerasStep:
    """A Keras model's `compile`, a training call (`train_on_batch`, `fit`), or a write of its
    `trainable` flag."""

    # "freeze": a model's own flag (`d.trainable = False`); "freeze-layers": the flag of some
    # of its layers (`for layer in model.layers[:k]: layer.trainable = False`, `model` the
    # owner) or of one layer object (`model` that layer); "freeze-unknown": the flag of an
    # object the analysis does not know (`model` None)
    kind: str  # "compile" | "train" | "freeze" | "freeze-layers" | "freeze-unknown"
    model: Any  # the KerasObject
    site: Site
    loops: tuple
    trace: int
    seq: int  # order among all events
    last_trainable: Any = None  # compile: the `trainable` flags of the models its outputs come out of (`lasts`)
    value: Any = None  # freeze, freeze-layers: the flag written
    conds: tuple = ()  # the `if` arms it was met on (Cond)


@dataclass(eq=False)
class LayerUse:
    """One application of a weighted layer object (`self.norm(x)`, `self.dense(x)`)."""

    site: Site
    conds: tuple[Cond, ...]
    loops: tuple
    trace: int


@dataclass(eq=False)
class ReappliedLayer:
    """A weighted layer object applied to a tensor computed from its own earlier output:
    one set of weights at two places of one stack."""

    canon: str  # the layer's class: a Keras name, or the program's own class's name
    made: Site | None  # where the layer object was constructed; None when not known
    first: LayerUse
    second: LayerUse
    call: Any = None  # the program's own class: its `call` method's `def` node, if it has one


@dataclass(eq=False)
class OptimizerUse:
    site: Site
    method: str  # minimize | compute_gradients | apply_gradients
    optimizer: str  # canonical class name
    graph: int
    trace: int
    loss: Any
    var_list: Any  # None when absent
    # apply_gradients of `tf.gradients(loss, var_list)`: no other use records this step, so it
    # stands for it as `minimize(loss, var_list=...)` would.
    by_hand: bool = False
    conds: tuple = ()  # the `if` arms it was met on (Cond)


@dataclass(eq=False)
class HandGradients:
    """`tf.gradients(loss, var_list)` over a variable list: a step by hand (TRPO's flat
    gradient, an MPI Adam that assigns the update) trains the list even when no
    `apply_gradients` ever takes the gradients."""

    site: Site
    loss: Any  # UNKNOWN when `grad_ys` pushes another gradient through
    var_list: Any  # the VarList
    graph: int
    trace: int
    method = "gradients"


@dataclass(eq=False)
class TapeGradient:
    """`tape.gradient(loss, model.trainable_variables)` in a TF2 training step."""

    site: Site
    tape: Any  # the TapeVal
    loss: Any  # the Tensor (or UNKNOWN)
    var_list: Any  # a ModelVars, or anything else when the list is not known
    trace: int


@dataclass(eq=False)
class ListRead:
    """`model.trainable_variables` (or another of a model's lists) read: Keras makes the list
    then, from the model's `trainable` flag at that moment."""

    var_list: Any  # the ModelVars it gave
    attr: str  # `trainable_variables`, `trainable_weights`, `weights`, `variables`
    trace: int
    seq: int
    conds: tuple  # the `if` arms it was met on (Cond)


@dataclass(eq=False)
class Selection:
    """A list of variables picked by scope or by name: what it took and from what."""

    site: Site  # the scope string, or the call
    how: str  # "scope" | "filter" | "all"
    pattern: str | None
    names: tuple[str, ...]
    available: tuple[str, ...]  # every variable of the collection at that moment
    graph: int
    trace: int
    complete: bool  # every variable of the graph so far has a known name
    trainable_only: bool = True
    used_by: list = field(default_factory=list)  # OptimizerUse events that train it
    stale: Any = None  # (site of a finished scope's `with`, the scope being built) when so
    loops: tuple = ()  # (loop id, iteration) of the loops it was made in
    texts: tuple[str, ...] = ()  # a filter: the string literals its test compares names with


@dataclass(eq=False)
class ZippedLists:
    """`zip(target_vars, online_vars)`: variable lists paired item by item, as they were when
    the `zip` ran (a target network's update is built on such pairs)."""

    site: Site  # the `zip(...)` call
    lists: tuple  # the VarLists, in argument order
    graph: int
    trace: int


@dataclass(eq=False)
class ReuseFalse:
    """An explicit `reuse=False` on a scope nested in a reusing one."""

    site: Site
    outer: Site | None
    scope: Any  # the ScopeVal it opened


@dataclass(eq=False)
class ScopeEntry:
    """One entry into `variable_scope(...)` inside a function that has a `reuse` parameter."""

    site: Site
    func: ast.AST
    created: bool = False


@dataclass(eq=False)
class IgnoredScopeName:
    """One entry into `variable_scope("name", arg)` whose `arg` (a scope or a name part)
    lands in `default_name` and is ignored."""

    call: ast.Call
    value: Any  # what `arg` was at this entry
    prefix: str | None  # the scope it was entered in (None when unknown)
    graph: int
    trace: int
    conds: tuple


@dataclass
class Analysis:
    creations: list[Creation] = field(default_factory=list)
    dropped_reuse: list[ScopeEntry] = field(default_factory=list)
    loops: dict[int, Site] = field(default_factory=dict)
    # How many times a loop runs, when its iterable says (`range(12)`): the interpreter
    # follows only its first iterations.
    loop_lengths: dict[int, int] = field(default_factory=dict)
    sources: dict[str, Any] = field(default_factory=dict)  # path -> ModuleState
    callees: dict[int, Any] = field(default_factory=dict)  # id(call node) -> function node
    # id(call node) -> (positional, keyword argument values, as first run) of each call of a
    # tf.function (`@tf.function` under any alias, `tf.function(f)`)
    tf_function_calls: dict = field(default_factory=dict)
    builds: list[Build] = field(default_factory=list)
    leaks: list[Leak] = field(default_factory=list)
    optimizers: list[OptimizerUse] = field(default_factory=list)
    selections: list[Selection] = field(default_factory=list)
    reuse_false: list[ReuseFalse] = field(default_factory=list)
    # (graph, trace, seq, site, what, (reuse, reuse_site) where the slots are made)
    slot_creations: list = field(default_factory=list)
    # (call stack down to `ema.apply`, where reuse was switched on, its `if` arms): a moving
    # average of op outputs made under `reuse=True`, which TF cannot look up.
    computed_averages: list = field(default_factory=list)
    misplaced: list = field(default_factory=list)  # (site of the argument, "scope" | "reuse", scope call)
    # id(scope call) whose ignored positional reuse flag would have changed a creation under it
    ignored_reuse_matters: set = field(default_factory=set)
    # id(scope call) whose ignored scope argument (`variable_scope("bert", scope)`) reads a
    # parameter that callers outside the project may set
    scope_argument_open: set = field(default_factory=set)
    ignored_scope_names: list[IgnoredScopeName] = field(default_factory=list)
    # (site of the list or of the bidirectional runner, the cell or None when unknown, "layers" | "directions")
    repeated_cells: list = field(default_factory=list)
    cell_uses: list = field(default_factory=list)  # (cell, site, prefix, graph, trace, conds, CellRun)
    graph_switches: list = field(default_factory=list)  # (scope, site, new graph, trace)
    keras_steps: list[KerasStep] = field(default_factory=list)
    # The program's subclasses of Keras' `Callback` (ClassVal), whose hooks `fit` runs while
    # it trains: what they do to the model is read from their methods (queries.callback_recompiles).
    keras_callbacks: list = field(default_factory=list)
    # The program's subclasses of Keras layers (ClassVal): what their `build` does to the
    # weights is read from it (queries.replaced_weights).
    keras_layer_classes: list = field(default_factory=list)
    # Whether the project's requirements make its `tf.keras` Keras 3 (TF 2.16 or later, or
    # Keras 3) with no switch back to tf_keras anywhere in it (the runner's loader reads them).
    keras3_project: bool = False
    # Ids of the `keras.Input(...)` calls: the sources of a functional model's inputs.
    keras_inputs: set = field(default_factory=set)
    # Whether a module of the program names a graph-mode-only API (`tf.placeholder`,
    # `Session`, `get_variable`...): TF 1 style graphs, where a tensor computed from a weight
    # once still passes gradients to it.
    graph_program: bool = False
    reapplied_layers: list[ReappliedLayer] = field(default_factory=list)
    # (site where a Keras optimizer was made, its canonical class, "tf.function" | "loop"):
    # made in the step that applies it, so each step's optimizer starts from fresh variables.
    optimizers_per_step: list = field(default_factory=list)
    # (the KerasOptimizer, the ModelVars it was applied to, site, trace): a Keras optimizer
    # builds its slots for the first list it steps and knows no other variables afterwards.
    # (optimizer, ModelVars, site, trace, whether a model's own `fit`/`train_on_batch` stepped it,
    # the `if` arms (Cond) it was on, picks among them, whether Keras steps the program with
    # legacy optimizers: core.legacy_optimizers)
    keras_optimizer_steps: list = field(default_factory=list)
    # (the KerasOptimizer, site of the `def`, parameter, owner class name or None, how many of
    # the project's constructions (calls) there are, how many leave the parameter out): a Keras
    # optimizer made as a parameter's default is made once, when the `def` runs, and every call
    # that leaves the parameter out gets that one object. The counts are None when a call may
    # be unseen.
    default_optimizers: list = field(default_factory=list)
    # (site of the call, canonical class, the `call` function node) for each weighted Keras
    # layer object applied in the `call` of a Keras subclass: RL123 asks whether its output is read.
    layer_calls: list = field(default_factory=list)
    # (id of the `class` statement defining the `call` or `__call__` run, trace, graph) for
    # each application of an object of a Keras subclass to tensors.
    keras_applications: list = field(default_factory=list)
    # `x.trainable = ...` on something that is not a model the interpreter follows (a layer
    # of `model.layers`): freezing it cannot see.
    unseen_freezing: bool = False
    tape_gradients: list[TapeGradient] = field(default_factory=list)
    hand_gradients: list[HandGradients] = field(default_factory=list)
    # (the TapeGradient, the ModelVars zip pairs its gradients with, the zip's site):
    # `zip(tape.gradient(loss, g.trainable_variables), d.trainable_variables)`.
    gradient_pairings: list = field(default_factory=list)
    # (the TapeGradient, the PickedVars zip pairs its gradients with, the zip's site):
    # `zip(tape.gradient(loss, m.trainable_variables), [v for v in m.trainable_variables if ...])`.
    gradient_part_pairings: list = field(default_factory=list)
    zipped_lists: list[ZippedLists] = field(default_factory=list)
    model_reads: list = field(default_factory=list)  # every ModelVars made (`m.trainable_variables`)
    list_reads: list[ListRead] = field(default_factory=list)  # when and where each was made
    # trace -> `events` when a function run as an entry began (after its object's `__init__`):
    # what ran before it in that trace is not what runs before it in the program.
    entry_starts: dict[int, int] = field(default_factory=dict)
    # Keras models whose weights code we do not follow touches: loaded, set, fitted, read by a
    # helper (a target network's polyak update). Their training is not ours to judge.
    models_handled: list = field(default_factory=list)
    inference_applied: list = field(default_factory=list)  # Keras objects applied with `training=False`
    model_labels: dict = field(default_factory=dict)  # id(Keras object) -> how the code first called it
    memo: dict[str, Any] = field(default_factory=dict)  # answers of engine.queries
    # The program turns eager execution on (TF 1's `tf.enable_eager_execution()`): `get_variable`
    # then makes a new variable at each call and keeps no store, so nothing "already exists".
    eager_on: bool = False
    events: int = 0  # the sequence counter shared by creations, leaks and slot creations

    def tick(self) -> int:
        self.events += 1
        return self.events

    def footprint(self) -> tuple:
        """How many facts of each kind were recorded (they are only ever added): the same
        before and after code that recorded nothing."""
        return (
            self.events, len(self.creations), len(self.builds), len(self.leaks), len(self.optimizers),
            len(self.selections), len(self.dropped_reuse), len(self.slot_creations), len(self.misplaced),
            len(self.repeated_cells), len(self.cell_uses), len(self.graph_switches), len(self.keras_steps),
            len(self.reuse_false), len(self.tape_gradients), len(self.model_reads), len(self.models_handled),
            len(self.reapplied_layers), len(self.ignored_reuse_matters), len(self.scope_argument_open), len(self.ignored_scope_names), len(self.layer_calls), len(self.tf_function_calls),
            len(self.keras_optimizer_steps), len(self.computed_averages), len(self.gradient_pairings),
            len(self.default_optimizers), len(self.hand_gradients), len(self.zipped_lists),
            len(self.keras_applications), len(self.gradient_part_pairings),
        )
