"""What every family reads and writes: the scope a name lands in, the reuse in force, and the
two records the rules reason over, a `Creation` per variable request and a `Build` per object
that makes variables its own way (a Keras layer, a `tf.Variable`, a default-named scope).

`TFState` is that state (graphs, the scope stack, name scopes...): the interpreter holds one
(`interp.tf`), resets it for each entry point, and saves, snapshots and joins it where it does
its own (imports, the arms of an `if`) without looking inside.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.events import TRUTH, Build, Cond, Creation, ScopeEntry, Site
from reuse_lint.engine.tfapi.graphs import GraphState
from reuse_lint.engine.values import AUTO, EMPTY_TENSOR, UNKNOWN, Const, FuncVal, ModuleState, ScopeVal, Tensor, TFRef, same, truthy


class TFState:
    """What TensorFlow keeps while a program builds its graphs."""

    def __init__(self) -> None:
        """Empty until `reset` opens the first graph."""
        self.graphs: dict[int, GraphState] = {}
        self.next_graph = 0
        # id -> each value `load_model` returned (kept alive); kept across entry points, as an
        # object stored by one (a module's `gan = GAN(resume=True)`) is read by the next
        self.loaded_models: dict[int, Any] = {}
        # ids of the calls that made a whole model of Keras's own (`load_model`, `VGG19(...)`)
        self.whole_models: set[int] = set()

    def reset(self, fresh: bool) -> None:
        """A new entry point: a default graph of its own (`fresh`: known empty) and no scope."""
        self.graph = self.new_graph(fresh)
        self.scopes: list[ScopeVal] = []
        self.scope_sites: list[Site | None] = []  # where each frame's reuse became True
        self.name_scopes: list[tuple[Any, Site]] = []  # (name or None, the name_scope call)
        self.arg_scopes: list = []  # the `slim.arg_scope`s open, innermost last (layers.ArgScope)
        self.tf_functions: list[tuple[int, FuncVal]] = []  # (interp.guards, the function) at each tf.function entry
        self.open_builds: list[Build] = []
        self.keras_outputs: dict[int, tuple] = {}  # id(tensor) -> (tensor, the model that made it)
        # (id(call site), trace, call chain) -> [(loop iterations, layer object applied)], and
        # id(layer) -> [(layer, that key, loop iterations)]: is a site's layer new each pass?
        self.layers_at: dict[tuple, list] = {}
        self.sites_of: dict[int, list] = {}
        # id(normalization layer) -> [(its LayerUse, ({id: object} of what its input came through, its feeds))]
        self.layer_inputs: dict[int, list] = {}
        self.open_drops: list[ScopeEntry] = []
        self.graph_stack: list[tuple] = []  # what `graph.as_default()` blocks hid
        self.tapes: list = []  # the GradientTapes recording now, innermost last
        # (id(call), 0) for each recurrent op whose step function runs now (a `tf.while_loop`
        # body), innermost last: traced once, run per step, as a Python loop's body is.
        self.recurrences: list[tuple[int, int]] = []

    def new_graph(self, fresh: bool) -> GraphState:
        gid = self.next_graph
        self.next_graph += 1
        state = GraphState(gid, fresh)
        self.graphs[gid] = state
        return state

    def open_graph(self, fresh: bool) -> None:
        """Build in a new graph from here on (an object's `__init__` run on its own)."""
        self.graph = self.new_graph(fresh)

    def unknown_effect(self) -> None:
        """Code we cannot see ran (an unknown call, a subclass of a library class): it may
        have created variables, so what the graph holds is no longer known."""
        self.graph.opaque = True

    def footprint(self) -> tuple:
        """What a module's top level may have changed here; opacity last (see the caller)."""
        g = self.graph
        return (self.next_graph, id(g), g.root.reuse, len(g.variables), len(g.counts), sum(g.counts.values()),
                g.unnamed, g.unnamed_frozen, g.opaque)

    def enter_function(self, func: FuncVal, guards: int) -> None:
        if func.is_tf_function:
            self.tf_functions.append((guards, func))

    def exit_function(self, func: FuncVal) -> None:
        if func.is_tf_function:
            self.tf_functions.pop()

    def prefix(self) -> str | None:
        """The full name of the innermost variable scope ("" at the root, None when unknown)."""
        return self.scopes[-1].name if self.scopes else ""

    def save_context(self) -> tuple:
        """Leave every scope (an imported module's top level runs outside them)."""
        saved = (self.scopes, self.scope_sites, self.name_scopes)
        self.scopes, self.scope_sites, self.name_scopes = [], [], []
        return saved

    def restore_context(self, saved: tuple) -> None:
        self.scopes, self.scope_sites, self.name_scopes = saved

    def snapshot(self) -> tuple:
        """What an `if` arm may change: the scope counters, the reuse flags, opacity."""
        frames = [self.graph.root] + self.scopes
        return dict(self.graph.counts), [(s, s.reuse) for s in frames], self.graph.opacity()

    def restore(self, snap: tuple) -> None:
        counts, reuses, opacity = snap
        self.graph.set_counts(dict(counts))
        for scope, reuse in reuses:
            scope.reuse = reuse
        self.graph.set_opacity(opacity)

    @staticmethod
    def join(a: tuple, b: tuple) -> tuple:
        """What either of two arms may have left: a name counted on one arm is taken."""
        counts = {k: max(a[0].get(k, 0), b[0].get(k, 0)) for k in set(a[0]) | set(b[0])}
        reuses = [(s, ra if same(ra, rb) else UNKNOWN) for (s, ra), (_, rb) in zip(a[1], b[1])]
        (opaque_a, blind_a, cells_a), (opaque_b, blind_b, cells_b) = a[2], b[2]
        return counts, reuses, (opaque_a or opaque_b, blind_a or blind_b, cells_a | cells_b)


def reuse_value(value: Any) -> Any:
    if value is None or (isinstance(value, Const) and value.value in (None, False)):
        return Const(False)
    if isinstance(value, Const) and value.value is True:
        return Const(True)
    if isinstance(value, TFRef) and tfnames.canonical(value.qualname) == tfnames.AUTO_REUSE:
        return AUTO
    if isinstance(value, ScopeVal):  # `reuse=scope` is a mistake we do not judge
        return UNKNOWN
    return UNKNOWN


def effective_reuse(interp, extra: Any = None, depth: int | None = None) -> tuple[Any, Site | None]:
    """The reuse in force for a request under the open scopes (only the outer `depth` of
    them when given), and the site that set it."""
    reuse, site, _ = _fold_reuse(interp, extra, depth)
    return reuse, site


def reusing_frame(interp) -> ScopeVal | None:
    """The scope whose reuse flag is in force for a request here (None: reuse is off, or
    unknown)."""
    return _fold_reuse(interp)[2]


def _fold_reuse(interp, extra: Any = None, depth: int | None = None) -> tuple[Any, Site | None, ScopeVal | None]:
    """Fold the open frames from the root in: the reuse in force, the site that set it and
    the scope it belongs to (the root only when its reuse is on)."""
    root = interp.tf.graph.root
    reuse, site = root.reuse, interp.tf.graph.root_reuse_site
    frame = root if reuse == Const(True) else None
    frames = list(zip(interp.tf.scopes, interp.tf.scope_sites))[:depth]
    if extra is not None:
        frames.append(extra)
    for scope, scope_site in frames:
        r = scope.reuse
        if r is UNKNOWN:
            reuse, site, frame = UNKNOWN, None, None
        elif r == Const(True) or r == AUTO:
            reuse, site, frame = r, scope_site, scope
    return reuse, site, frame


def model_scope(interp) -> str | None:
    if not interp.tf.scopes or interp.tf.scopes[0].name is None:
        return None
    return interp.tf.scopes[0].name.split("/")[0] or None


def record(interp, name: str | None, kind: str, node: ast.AST, module: ModuleState, extra=None,
           trainable: bool = True, auto_named: bool = False, reuse_alias: str | None = None) -> Creation:
    reuse, reuse_site = effective_reuse(interp, extra)
    stack = tuple(interp.calls) + (Site(module.path, node),)
    graph = interp.tf.graph
    creation = Creation(
            graph=graph.gid,
            name=name,
            kind=kind,
            reuse=reuse,
            stack=stack,
            conds=tuple(interp.conds),
            loops=tuple(interp.loops),
            trace=interp.trace,
            fresh_graph=graph.fresh,
            name_scopes=tuple(name for name, _ in interp.tf.name_scopes),
            reuse_site=reuse_site,
            opaque_before=graph.may_hold(name),
            scope_nodes=tuple(s.node for s in interp.tf.scopes),
            scope_frames=tuple(interp.tf.scopes),
            trainable=trainable,
            model_scope=model_scope(interp),
            auto_named=auto_named,
            reuse_alias=reuse_alias,
            frame_entry=interp.tf.scopes[-1] if interp.tf.scopes else None,
            name_scope_sites=tuple(site for _, site in interp.tf.name_scopes),
            seq=interp.analysis.tick(),
            caught=interp.catching > 0,
        )
    interp.analysis.creations.append(creation)
    if interp.cell_raised:
        creation.unrun = True
    elif reuse != Const(True):
        if interp.in_cells and _raises(graph, creation):
            interp.cell_raised = True  # the rest of this notebook cell never runs
        if name is None:
            graph.unnamed = True
        else:
            graph.variables.setdefault(name, creation)
    if reuse != Const(True) and reuse is not AUTO:
        _note_ignored_reuse(interp, extra)
        # Only a request that does not reuse anyway (a helper's own `reuse_variables()`)
        # could lose something to a flag its caller's scope dropped.
        for entry in interp.tf.open_drops:
            entry.created = True
    for build_ in interp.tf.open_builds:
        build_.created_trainable |= trainable
    return creation


def _raises(graph, creation: Creation) -> bool:
    """TF raises `Variable ... already exists` here for certain: a creation without reuse of
    a name this graph made before, both on no `if` arm, in one run whose history is known."""
    first = graph.variables.get(creation.name) if creation.name is not None else None
    return (
        first is not None and creation.reuse == Const(False) and creation.kind in ("get_variable", "layer", "cell")
        and graph.fresh and not creation.conds and not first.conds and first.trace == creation.trace
    )


def _note_ignored_reuse(interp, extra) -> None:
    """A creation under `variable_scope(name, reuse)`, which TF opened without reuse. The
    flag mattered if it was on (or may be), unless the creation reuses anyway. When it is
    unknown, an inner scope given an unknown reuse of its own is taken to have been handed the
    same flag (`conv(x, reuse=reuse)` inside): nothing was lost there."""
    frames = interp.tf.scopes + ([extra[0]] if extra is not None else [])
    for k, scope in enumerate(frames):
        flag = scope.ignored_reuse
        if flag is None or truthy(flag) is False:
            continue
        if flag is UNKNOWN and any(inner.reuse is UNKNOWN for inner in frames[k + 1:]):
            continue
        if flag is UNKNOWN and _reused_when_on(interp, frames, scope.ignored_test):
            continue
        interp.analysis.ignored_reuse_matters.add(id(scope.node))


def _reused_when_on(interp, frames: list[ScopeVal], flag: tuple | None) -> bool:
    """Whether the request reuses anyway on the paths where the unknown misplaced `flag` is
    true: `if reuse: scope.reuse_variables()` in the function that reads it, on this scope
    or an outer one, turned reuse on there. The flag matters only when it is on, so it is
    asked with the `if reuse:` arm taken, whoever gives the flag its value."""
    if flag is None:
        return False
    reuse = Const(False)
    for frame in [interp.tf.graph.root] + frames:
        r = frame.reuse
        if r is UNKNOWN and any(all(c in interp.conds or _holds_when_on(c, flag) for c in run) for run in frame.reuse_conds):
            r = Const(True)
        if r is UNKNOWN:
            reuse = UNKNOWN
        elif r == Const(True) or r == AUTO:
            reuse = r
    return reuse == Const(True) or reuse == AUTO


def _holds_when_on(cond: Cond, flag: tuple) -> bool:
    """`cond` is an arm that runs when `flag` is true: `if reuse:` (or the `else` of `if not
    reuse:`) on the same name, in the function that passes the flag."""
    text, path, func = flag
    test = cond.test
    return (
        test is not None and test[0] == text and test[1] == path and test[2] is TRUTH
        and (cond.arm == 0) != test[3] and (func is None or cond.if_id in _ifs_in(func))
    )


@lru_cache(maxsize=1024)
def _ifs_in(func: ast.AST) -> frozenset[int]:
    return frozenset(id(n) for n in ast.walk(func) if isinstance(n, (ast.If, ast.IfExp)))


def graph_program(interp) -> bool:
    """Does one of the program's modules name a graph-mode-only API?"""
    return any(_names_any(state, tfnames.GRAPH_CODE, "graph_code") for state in list(interp.modules.values()))


def graph_mode_program(interp) -> bool:
    """Does one of the program's modules name what runs only with eager execution off (a
    placeholder, a Session), or turn it off? TF then runs the program in graph mode."""
    return any(_names_any(state, tfnames.GRAPH_MODE, "graph_mode_code") for state in list(interp.modules.values()))


def eager_program(interp) -> bool:
    """Does one of the program's modules turn TF 1's eager execution on?"""
    return any(_names_any(state, tfnames.EAGER_ON, "eager_code") for state in list(interp.modules.values()))


def legacy_optimizers(interp) -> bool:
    """Does Keras step this program with optimizers that make their updates per model? In
    graph mode (`graph_mode_program`), and in a program written for Keras 1
    (`K.set_image_dim_ordering`, `Dense(64, init="normal")`, `Model(input=x, output=y)`),
    which neither tf.keras nor Keras 3 runs."""
    return graph_mode_program(interp) or any(_legacy_keras(state) for state in list(interp.modules.values()))


def _legacy_keras(module) -> bool:
    if module.legacy_keras_code is not None:
        return module.legacy_keras_code
    found = _names_any(module, tfnames.LEGACY_KERAS, "legacy_keras_code")
    if not found:
        for node in ast.walk(module.tree):
            if (isinstance(node, ast.Call) and any(k.arg in tfnames.LEGACY_KERAS_KEYWORDS for k in node.keywords)
                    and _standalone_keras(node.func, module.globals)):
                found = True
                break
    if found or module.loaded:
        module.legacy_keras_code = found
    return found


def _standalone_keras(node: ast.expr, globals_: dict) -> bool:
    """`Dense`, `layers.Dense`, `keras.models.Model`: a name from the `keras` package itself."""
    while isinstance(node, ast.Attribute):
        node = node.value
    root = globals_.get(node.id) if isinstance(node, ast.Name) else None
    return isinstance(root, TFRef) and (root.qualname == "keras" or root.qualname.startswith("keras."))


@lru_cache(maxsize=8)
def _words(names: frozenset) -> frozenset:
    return frozenset(name.rsplit(".", 1)[-1] for name in names)


def _names_any(module, names: frozenset, cache: str) -> bool:
    known = getattr(module, cache)
    if known is not None:
        return known
    words = _words(names)
    found = any(names_api(node, module.globals, names) for node in ast.walk(module.tree)
                if isinstance(node, ast.Attribute) and node.attr in words
                or isinstance(node, ast.Name) and node.id in words)
    if found or module.loaded:  # a top level still running may not have bound its imports yet
        setattr(module, cache, found)
    return found


def names_api(node: ast.expr, globals_: dict, names: frozenset) -> bool:
    """`tf.compat.v1.placeholder`, `v1.Session`, `placeholder` imported from TensorFlow."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    root = globals_.get(node.id) if isinstance(node, ast.Name) else None
    if not isinstance(root, TFRef):
        return False
    qualname = ".".join([root.qualname, *reversed(parts)])
    return qualname in names or tfnames.canonical(qualname) in names


def build(interp, kind: str, canon: str, node: ast.AST, module: ModuleState) -> Build:
    reuse, reuse_site = effective_reuse(interp)
    depth, func = interp.tf.tf_functions[-1] if interp.tf.tf_functions else (None, None)
    made = Build(
        kind=kind, canon=canon, site=Site(module.path, node), calls=tuple(interp.call_info),
        conds=tuple(interp.conds), loops=tuple(interp.loops), trace=interp.trace, graph=interp.tf.graph.gid,
        reuse=reuse, reuse_site=reuse_site, in_tf_function=depth is not None,
        conditional_in_function=depth is not None and interp.guards > depth,
        keras_call=f"{func.owner.node.name}.{func.node.name}" if func is not None and func.keras_call and func.owner else None,
        graph_program=func is not None and func.keras_call and graph_program(interp),
        keras_class=id(func.owner.node) if func is not None and func.keras_call and func.owner else None,
        compiled_fn=getattr(func.node, "name", "lambda") if func is not None and func.compiled else None,
        lambda_fn=getattr(func.node, "name", "lambda") if func is not None and func.lambda_layer else None,
        scope=interp.tf.prefix(),
        frame_entry=interp.tf.scopes[-1] if interp.tf.scopes else None,
        seq=interp.analysis.tick(),
    )
    frame = reusing_frame(interp)
    if frame is not None and reuse == Const(True):
        made.reuse_scope, made.reuse_seq = frame.name, frame.reuse_seq
    interp.analysis.builds.append(made)
    return made


def open_layer_scope(interp, sub: str | None, counted: bool, reuse: Any, node: ast.AST,
                     module: ModuleState) -> tuple[str | None, str | None, tuple]:
    """Open the scope a TF1 layer (or TF's own RNN cell) makes its variables in, under the one
    open now: `sub`, counted there first when `counted` (`dense`, `dense_1`...; a reusing layer
    takes its bare name); None when the name is not known. Returns the outer scope, the full
    name (None when not known) and the extra that records each variable (its scope, the site)."""
    outer = interp.tf.prefix()
    graph = interp.tf.graph
    if counted and sub is not None:
        sub = graph.unique(outer, sub)
    full = None if sub is None or outer is None else (f"{outer}/{sub}" if outer else sub)
    graph.open(full)
    return outer, full, (ScopeVal(full, reuse, graph.gid), Site(module.path, node))


def variable_tensor(created: Creation) -> Tensor:
    """What a new variable carries downstream: the model scope it belongs to, if trainable;
    a variable made outside any scope carries itself, `("variable", name)`, so that a
    gradient's reach is known for models that are functions with no scope."""
    if created.trainable and created.model_scope:
        part = created.name.rpartition("/")[0] if created.name else None
        return Tensor(scopes=frozenset({created.model_scope}), parts=frozenset({part}) if part else frozenset())
    if created.trainable and created.name is not None and created.model_scope is None:
        return Tensor(scopes=frozenset({("variable", created.name)}))
    return EMPTY_TENSOR
