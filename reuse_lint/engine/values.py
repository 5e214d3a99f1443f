"""Abstract values of the interpreter.

The interpreter knows a value exactly (a string literal, `True`, a TensorFlow API, a user
function) or not at all (`UNKNOWN`). There is nothing in between on purpose: a rule fires
only on what is known, because a false positive costs more than a miss.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Any, Iterator

from reuse_lint import tfnames


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True)
class Const:
    value: Any


@dataclass(frozen=True)
class ScopeName(Const):
    """`scope.name`: a known string that remembers which scope object it came from."""

    scope: Any = field(default=None, compare=False)


@dataclass(frozen=True)
class Settings:
    """A settings object whose attributes the program writes as literals (`FLAGS` after
    `DEFINE_integer`, an argparse namespace): name -> Const, sorted (see engine.settings)."""

    attrs: tuple = ()

    def get(self, attr: str) -> Any:
        return dict(self.attrs).get(attr, UNKNOWN)


@dataclass(frozen=True)
class TFRef:
    """A TensorFlow (or Keras, slim) module attribute, by qualified name."""

    qualname: str

    def attr(self, name: str) -> "TFRef":
        return TFRef(f"{self.qualname}.{name}")


@dataclass(frozen=True)
class Tensor:
    """A tensor and what flows into it: the user calls whose results it is built from (to
    tell a chain `block(block(x))` from two parallel calls), and the model scopes whose
    trainable variables a gradient from it reaches (`tf.stop_gradient` clears those).

    TF2 models are known by object, not by scope: `models` holds (Keras object, the
    GradientTapes recording when it was applied) for each model it flowed through, and
    `feeds` the pairs (upstream, downstream) of models applied one on the other's output."""

    calls: frozenset = frozenset()
    scopes: frozenset = frozenset()
    models: frozenset = frozenset()
    feeds: frozenset = frozenset()
    # (normalization layer object, its LayerUse, ids of the layers upstream of its output)
    # for each application it flows through: a second application of one object in one
    # stack is then seen, and the layers applied between the two.
    norms: frozenset = frozenset()
    # Built on an input the analysis does not know (a layer applied to a value lost where two
    # `if` paths met): `calls` may then lack ancestors it shares with other tensors.
    partial: bool = False
    # The models applied, somewhere upstream, to inputs that came out of no model (data):
    # a discriminator applied to real images is one, a critic applied only to an encoder's
    # features is not.
    raw: frozenset = frozenset()
    # The models whose output reaches this tensor through no other model (layers and loss
    # objects pass it on): in `mse(h[:, 1:], supervisor(h))` the embedder that made `h`
    # is one, as the supervisor is; in `mse(y, head(encoder(x)))` the encoder is not.
    direct: frozenset = frozenset()
    # The RNN runner calls (`dynamic_rnn`...) whose outputs or states flow into this tensor:
    # a decoder run on the encoder's state is told from one encoder run on two inputs.
    runs: frozenset = frozenset()
    # A reversal (`tf.reverse_sequence`) is upstream: a hand-written backward direction.
    reversed: bool = False
    # TF1: the variable scopes (`child/aux_head/fc`) whose trainable variables of a model
    # scope a gradient from this tensor reaches: finer than `scopes`, which names the model.
    parts: frozenset = frozenset()
    # TF1: where this tensor is a sum (`loss + 0.4 * aux_loss`), the `parts` of each term; empty
    # when it is one term. An op that mixes two tensors carrying parts makes one term again;
    # one that takes a single such tensor (a mean, a scaling by a number) keeps its terms.
    terms: frozenset = frozenset()
    # A batch joined from a model's output and samples that came out of no model
    # (`tf.concat([fake, real], axis=0)`): a model applied to it is applied to data too.
    samples: bool = False

    def __or__(self, other: "Tensor") -> "Tensor":
        terms = frozenset() if self.parts and other.parts else self.terms | other.terms
        return Tensor(self.calls | other.calls, self.scopes | other.scopes, self.models | other.models,
                      self.feeds | other.feeds, self.norms | other.norms, partial=self.partial or other.partial,
                      raw=self.raw | other.raw, direct=self.direct | other.direct, runs=self.runs | other.runs,
                      reversed=self.reversed or other.reversed, parts=self.parts | other.parts, terms=terms,
                      samples=self.samples or other.samples)

    def cut(self, calls: frozenset | None = None) -> "Tensor":
        """This tensor where no gradient and no model link passes (`tf.stop_gradient`, or a new
        source made from it): it keeps only what any op passes on (its normalizations, RNN runs
        and reversal) and its calls, or `calls` in their place."""
        return Tensor(calls=self.calls if calls is None else calls, norms=self.norms, runs=self.runs,
                      reversed=self.reversed)


EMPTY_TENSOR = Tensor()


@dataclass(frozen=True)
class VarRef:
    """One variable of a selection, while a comprehension or `filter` looks at its name."""

    name: str  # without the ":0"


@dataclass(eq=False)
class VarList:
    """The variables a selection picked (`get_collection`, a name filter), by name."""

    names: tuple[str, ...]
    selection: Any  # the Selection event that made it (or its source)


@dataclass(eq=False)
class KeyedVars:
    """`{v.op.name: v for v in tvars}`: a dict keyed by something read off each variable of a
    selection. A Saver takes it as its var_list (checkpoint names as keys); its values are the
    selection's variables, so it is empty when the selection is."""

    var_list: VarList


@dataclass(eq=False)
class ModelVars:
    """A TF2 variable list named by its models: `model.trainable_variables`, or a sum of
    such lists. `consumed` is set once a gradient or `zip(grads, ...)` takes it; a read that
    goes anywhere else (a polyak update, a helper) leaves the models to code we do not follow."""

    models: tuple
    consumed: bool = False
    sources: tuple = ()  # the lists a sum was made of

    def consume(self) -> None:
        self.consumed = True
        for source in self.sources:
            source.consume()


@dataclass(eq=False)
class TapeVal:
    """A `tf.GradientTape`: what is applied while it records is what its gradients reach."""

    node: ast.AST
    blind: bool = False  # an unknown call ran while it recorded: what it reached is not all known


@dataclass(eq=False)
class KerasOptimizer:
    """A Keras optimizer object (`tf.keras.optimizers.Adam(...)`): its variables (the step
    count, a slot per weight) are made when it is made or first applied. Where it was made:
    the tf.function frame running then, unless an `if` in that frame guarded it, and the
    loop iterations, with whether an `if` within the innermost one guarded it."""

    canon: str
    site: Any
    trace: int
    loops: tuple
    frame: Any = None
    loop_guarded: bool = False
    reported: bool = False
    built: bool = False  # `optimizer.build(variables)` was called: its variable set is chosen
    steps: int = 0  # how often the run that made it applied it (a per-phase optimizer: more than once)


@dataclass(eq=False)
class Optimizer:
    canon: str
    node: ast.AST
    # The variables this object already made slots for: TF keeps them in the object and
    # makes none again for them.
    slotted: set = field(default_factory=set)
    # ((graph, trace), variable) -> the `if` arms of the step that made its slots there: a
    # step of this object on the same variables there makes nothing (TF's slot and average
    # dicts are per object, keyed by the variable).
    made: dict = field(default_factory=dict)


@dataclass(eq=False)
class ModelLayers:
    """`model.layers`, a slice or an item of it, or `model.get_layer(name)`, of a model the
    program built: some of its layers, which ones not known. Writing their `trainable` flag
    changes the model's trainable weights (RL126 asks when that takes effect)."""

    models: tuple  # the KerasObject model; several when read through a pick (OneOf) of models


@dataclass(eq=False)
class KerasObject:
    """A Keras layer or model built by the code (calling it builds variables once)."""

    canon: str
    node: ast.AST
    path: str | None = None  # the file it was constructed in
    model: bool = False  # a Sequential or a functional Model, not a layer
    lasts: tuple = ()  # a model: the models its outputs come out of (one an output), if any
    parts: tuple = ()  # a model: the Keras objects it is made of (a Sequential's stages, a functional model's)
    # a Sequential: some of its stages are not Keras objects the analysis knows (an input, a
    # third-party layer, a list it cannot see)
    open_parts: bool = False
    trainable: Any = field(default_factory=lambda: Const(True))  # a model's `trainable` flag
    optimizer: Any = None  # a model: the Keras optimizer `compile` gave it
    # a model: what its `fit`/`train_on_batch` steps, as `compile` saw it (the parts not
    # frozen then; Keras fixes the set there); None when a part's flag was not known
    compiled_parts: tuple | None = None
    # a functional model whose outputs flow out of whole models alone (`Model(vgg.input,
    # vgg.get_layer(name).output)` of a packaged or loaded `vgg`): no layer the program built
    # is in it, so its weights came trained, as the whole model's did
    of_whole_models: bool = False

    @property
    def weightless(self) -> bool:
        """A layer that holds no weights (`Lambda`, `Activation`, `Flatten`)."""
        return not self.model and tfnames.is_weightless_layer(self.canon)

    @property
    def holds_no_trainable_weight(self) -> bool:
        """A layer that owns no trainable weight (`Rescaling`, `RandomFlip`), or a model made
        of such layers and of stages the analysis does not know (a keras_cv augmentation
        layer): no weight of it is one the analysis could name as left out of a list. A
        functional model none of whose layers is known (`Model(x, hub_layer(x))`), or a
        `Sequential()` given no stage we saw, is not one: its stages may hold anything."""
        todo, seen = [self], set()
        while todo:
            m = todo.pop()
            if id(m) in seen:
                continue
            seen.add(id(m))
            if not isinstance(m, KerasObject):
                return False  # an object of the program's own Layer class may add weights
            if not m.model:
                if not tfnames.is_untrainable_layer(m.canon):
                    return False
            elif m.parts or m.open_parts:
                todo.extend(m.parts)
            else:
                return False
        return True


@dataclass(eq=False)
class ForeignObject:
    """An object of a class from a package the analysis does not read (a network imported
    through a `sys.path` entry, a third-party library's model), made with no object of the
    program among its arguments: what it holds is unknown, but it is one object, and it
    holds none of the layers the program builds. Of its attributes only its variable
    lists are modelled (`tfapi.keras`)."""

    qualname: str  # the class, as imported
    node: ast.AST  # the call that made it


@dataclass(eq=False)
class FuncVal:
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    module: "ModuleState"
    closure: list[dict]
    bound_self: Any = None
    is_tf_function: bool = False
    keras_call: bool = False  # the `call` (or own `__call__`) of a Keras Layer or Model subclass
    compiled: bool = False  # a loss or metric function given to Keras' `compile`
    lambda_layer: bool = False  # the function a Keras `Lambda` layer runs on every call
    owner: "ClassVal | None" = None
    is_context_manager: bool = False  # decorated with contextlib.contextmanager
    defaults: list = field(default_factory=list)  # evaluated where the function is defined
    kw_defaults: list = field(default_factory=list)
    static: bool = False  # a @staticmethod: read from an instance, it takes no `self`

    def bound(self, self_value: Any, is_tf_function: bool | None = None) -> "FuncVal":
        """The same function bound to an instance (or wrapped by tf.function)."""
        tf_function = self.is_tf_function if is_tf_function is None else is_tf_function
        return replace(self, bound_self=None if self.static else self_value, is_tf_function=tf_function)


@dataclass(eq=False)
class HiddenMethod:
    """A method behind a `@property` or a decorator we do not model (a project's own
    `lazy_property`): reading it from an instance runs code we do not follow, which may build
    the model, so what the graph holds is unknown from then on, never empty."""

    name: str
    func: "FuncVal | None" = None  # a property's getter, still run on its own as an entry


@dataclass(eq=False)
class ClassVal:
    node: ast.ClassDef
    module: "ModuleState"
    attrs: dict[str, Any]
    bases: list[Any]

    def program_classes(self) -> Iterator["ClassVal"]:
        """The class and, up its hierarchy, each base that is the program's own class, once."""
        seen: set[int] = set()
        stack: list[Any] = [self]
        while stack:
            c = stack.pop()
            if isinstance(c, ClassVal) and id(c) not in seen:
                seen.add(id(c))
                yield c
                stack.extend(c.bases)

    def lookup(self, name: str) -> Any:
        """Depth first, left to right, each class once: a base reached again (a diamond)
        has already answered, and was asked again at every level before (twice as much work
        per level). A loop, not a recursion: a chain of 1,200 classes is fine."""
        seen: set[int] = set()
        stack: list[ClassVal] = [self]
        while stack:
            cls = stack.pop()
            if id(cls) in seen:
                continue
            seen.add(id(cls))
            if name in cls.attrs:
                return cls.attrs[name]
            stack.extend(b for b in reversed(cls.bases) if isinstance(b, ClassVal))
        return None


_MADE = [0]  # how many Instances the analysis has made (see Instance.serial)


def _next_serial() -> int:
    _MADE[0] += 1
    return _MADE[0]


def instances_made() -> int:
    return _MADE[0]


@dataclass(eq=False)
class Instance:
    cls: ClassVal
    attrs: dict[str, Any] = field(default_factory=dict)
    made: Any = None  # the Site of the `Cls(...)` call that constructed it; None when the analysis made it up
    # Its place in the order objects were made: one whose serial is above the count taken
    # when an `if` arm began was made on that arm.
    serial: int = field(default_factory=_next_serial)


@dataclass(eq=False)
class ScopeVal:
    """A `VariableScope` object: its absolute name (None when unknown) and its reuse flag."""

    name: str | None
    reuse: Any  # Const(True/False), AUTO, or UNKNOWN
    graph: int
    node: ast.AST | None = None  # the `variable_scope(...)` call that made it
    path: str | None = None  # the file of that call
    # A reuse flag passed by position into `default_name`, which TF ignores (None: none).
    ignored_reuse: Any = None
    # That flag's expression as an `if` test would name it: (its text, its file, the function
    # it is read in, None at a top level); None when it is not a dotted name.
    ignored_test: tuple | None = None
    reuse_seq: int = 0  # when reuse was switched on (`Analysis.tick`); 0: never here
    # The `if` arms (`Cond`s) open at each `reuse_variables()` on this scope: once the `if`
    # is left its reuse reads unknown, but it is on wherever every arm of one run holds.
    reuse_conds: list = field(default_factory=list)


@dataclass(eq=False)
class GraphVal:
    gid: int


@dataclass(eq=False)
class TemplateVal:
    name: str | None
    func: Any
    node: ast.AST
    created_in: dict = field(default_factory=dict)  # graph id -> True once built


@dataclass(eq=False)
class ListVal:
    items: list[Any]
    sample: bool = False  # the items stand for a list of unknown length (`[cell] * n`)
    # Every position holds one same object, whatever it is: `[x] * n` (n unknown or >= 2), or
    # `[x for _ in range(n)]` where `x` is a name the loop does not bind.
    repeats: bool = False
    length: int | None = None  # `range(12)`: how many items the list really has
    # Changed in place where we do not follow it (`outs.append(y)`): the items are those we
    # saw, but whether it is empty is not known (`if outs` in a loop that fills `outs`).
    changed: bool = False
    # Filled by `.append` (always also `changed`): the items are appends we followed, in order,
    # but a loop runs its first passes only, so the list may hold more between or after them.
    grown: bool = False


@dataclass(eq=False)
class PickedVars(ListVal):
    """`[v for v in model.trainable_variables if <test of v's name>]`: some of a model
    list's variables, which ones not known. Everywhere but a `zip` with gradients it is the
    list of unknown length any filtered comprehension gives."""

    source: Any = None  # the ModelVars the comprehension ran over
    site: Any = None  # the comprehension


@dataclass(eq=False)
class DictVal:
    """A dict whose keys are constants (`{"g": gen, "d": disc}`): each key's value. An item
    stored under a key that is not known, or the dict given to code we do not follow, adds
    OPEN_KEY: every value is then unknown, and so is what it holds."""

    items: dict[Any, Any]

    @property
    def attrs(self) -> dict[Any, Any]:
        # The journal of `if` arms (and a module's snapshot) takes an item back as it
        # takes back an object's attribute.
        return self.items

    @property
    def open(self) -> bool:
        return OPEN_KEY in self.items


OPEN_KEY = object()  # in a DictVal's items: keys we do not know may be there


@dataclass(frozen=True, eq=False)
class OneOf:
    """A program object picked from a dict by a key that is not known (`models[args.model]`,
    a registry of modules or classes chosen by a setting), or bound by the arms of an `if`
    (`trainer = IDEC(...)` on one, `trainer = DTCR(...)` on the other): one of `items`, the same one
    wherever the pick is used. The one exception to "known or not at all": each item is
    known, and what a call through the pick does runs once per item, on an arm of its own
    (tagged `Cond(origin, loops, i)`), so events of two items are never taken for one run."""

    items: tuple
    origin: int  # id of the subscript (or `if`) that picked
    loops: tuple  # the loop iterations around it: the pick holds within them
    # Made by an `if` whose arm i made the objects of item i: those live only in runs of arm
    # i, so what a call through the pick sets on them is what arm i set.
    own: bool = False


@dataclass(eq=False)
class Partial:
    """`functools.partial(f, *args, **kwargs)`: a call of it calls `f` with those first."""

    func: Any
    args: list
    kwargs: dict


@dataclass(eq=False)
class Cell:
    """An RNN cell object: it owns one set of weights however often it is used."""

    canon: str
    node: ast.AST
    # A wrapper's cell (DropoutWrapper(cell)): the weights are the inner one's. A cell of the
    # project's own class (an Instance) is kept too: the wrapper's run calls it.
    inner: Any = None
    layers: Any = None  # MultiRNNCell's list of cells, as given
    # Graphs in which the cell (or a MultiRNNCell's layers) made its weights: TF built it
    # there, so every later run enters its first scope again with reuse.
    built: set = field(default_factory=set)
    # The constructor's arguments by parameter name (TF's own cells: `reuse`, `name`...).
    options: dict = field(default_factory=dict)

    @property
    def owner(self) -> "Cell":
        """The cell whose weights this one runs on."""
        cell = self
        while isinstance(cell.inner, Cell):
            cell = cell.inner
        return cell


@dataclass(eq=False)
class ModuleState:
    """One module's globals while it is interpreted."""

    path: str
    name: str
    tree: ast.Module
    lines: list[str] = field(default_factory=list)
    globals: dict[str, Any] = field(default_factory=dict)
    loaded: bool = False
    # A Python 2 file read as Python 3 (reuse_lint.py2.Conversion): `tree` and `lines` are
    # the converted text, on the file's own line numbers.
    py2: Any = None
    # The project modules its top level imported: an analysis that is handed this module
    # already loaded must still know their sources.
    requires: list["ModuleState"] = field(default_factory=list)
    # Set when its top level touched no TensorFlow state: the globals it left, one level deep
    # (a class's or an object's attributes too), so that later analyses in the same process
    # can start from them instead of running the top level again (see `restore`).
    snapshot: dict | None = None
    opaque_effect: bool = False  # its top level made an unknown call: replayed on reuse
    # A notebook's script: the line where each code cell starts (its cells run in order, and
    # a statement that raises ends only its own cell).
    cells: tuple = ()
    # Whether its source names a graph-mode-only TF API (tfnames.GRAPH_CODE); None: not asked yet.
    graph_code: bool | None = None
    graph_mode_code: bool | None = None
    # Which Keras its source says it runs: 3, 2 or None (tfapi.keras.keras_generation); 0: not asked yet.
    keras: int | None = 0
    legacy_keras_code: bool | None = None
    eager_code: bool | None = None

    def take_snapshot(self) -> None:
        inner = {id(v): dict(v.attrs) for v in self.globals.values() if isinstance(v, (ClassVal, Instance, DictVal))}
        self.snapshot = {"globals": dict(self.globals), "attrs": inner}

    def restore(self) -> None:
        """The globals as the top level left them: what an earlier analysis wrote into the
        module, its classes or its objects is undone."""
        assert self.snapshot is not None
        self.globals.clear()
        self.globals.update(self.snapshot["globals"])
        attrs = self.snapshot["attrs"]
        for value in self.globals.values():
            saved = attrs.get(id(value))
            if saved is not None:
                value.attrs.clear()
                value.attrs.update(saved)


@dataclass(eq=False)
class ModuleVal:
    state: ModuleState


@dataclass(eq=False)
class PackageVal:
    """A package as `import a.b` leaves it bound: Python sets the loaded submodule as an
    attribute of `a`, even when `a/__init__.py` does not import it or `a` has no
    `__init__.py` at all, so `a.b.f` reaches b's `f`. `base` is `a` itself (a ModuleVal or
    an External), `subs` the submodules imported through it by name."""

    base: Any
    subs: dict[str, Any]


AUTO = Const("AUTO_REUSE")


def truthy(value: Any) -> bool | None:
    """Python truth of a known value, None when it cannot be known."""
    if isinstance(value, Const):
        return bool(value.value)
    if isinstance(value, (FuncVal, ClassVal, Instance, ScopeVal, GraphVal, TemplateVal, TFRef, Optimizer, KerasOptimizer, KerasObject, VarRef, TapeVal)):
        return True
    if isinstance(value, ListVal):
        if value.sample or value.changed:  # a sample's list may be empty; a changed one may not be
            return None
        return bool(value.items)
    if isinstance(value, DictVal):
        return None if value.open else bool(value.items)
    if isinstance(value, Partial):
        return True
    if isinstance(value, VarList):
        return bool(value.names)
    return None


def same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, (Const, TFRef, Settings)) and type(a) is type(b):
        return a == b
    if isinstance(a, Cell) and isinstance(b, Cell):
        # `if training: cell = DropoutWrapper(cell)`: either way, the one cell's weights.
        return a.owner is b.owner
    return False


def flat(values) -> list[Any]:
    """Values with the items of known lists spread out."""
    out = []
    for v in values:
        if isinstance(v, ListVal):
            out.extend(v.items)
        else:
            out.append(v)
    return out


def deps(args, kwargs) -> Tensor:
    """A TF op's result: everything that flows into any of its inputs."""
    result = EMPTY_TENSOR
    for v in flat(list(args) + list(kwargs.values())):
        if isinstance(v, Tensor):
            result = result | v
    return result
