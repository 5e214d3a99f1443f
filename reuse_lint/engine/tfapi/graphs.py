"""Graphs: `tf.Graph()`, `graph.as_default()` (a `with` that starts a scope stack of its own),
`with tf.Session(graph=g)` (which enters `g.as_default()` too), `tf.get_default_graph()` and
`tf.reset_default_graph()`. Names, counters and variables are per
graph, so two graphs never share (or clash on) a variable.
"""

from __future__ import annotations

import ast
from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.events import Creation, Site
from reuse_lint.engine.tfapi import TFMethod, attributes, context, register
from reuse_lint.engine.tfapi import NOT_SPECIAL
from reuse_lint.engine.values import UNKNOWN, Const, GraphVal, ModuleState, ScopeVal, Tensor


class GraphState:
    """What TensorFlow keeps per graph: the root scope and the scope-name counters."""

    def __init__(self, gid: int, fresh: bool) -> None:
        self.gid = gid
        self.fresh = fresh
        # A method run on its own on an object whose `__init__` made variables: in a run they
        # are in this graph before the method, but the analysis built them in another.
        self.after_constructor = False
        self.root = ScopeVal("", Const(False), gid)
        self.root_reuse_site: Site | None = None
        self.counts: dict[str, int] = {}
        self._opaque = False
        # What opacity may hide from a lookup: anything (`blind`, after an unknown call), or
        # only names under the scopes where RNN cells ran (`cell_scopes`), which make their
        # variables under the scope they run in.
        self.blind = False
        self.cell_scopes: frozenset[str] = frozenset()
        # How often the graph was made opaque, and how many of those were RNN cells run
        # (which make their variables TF's way, and look them up under reuse like any
        # `get_variable`); the others (unknown calls, Keras layers) may make new variables.
        self.opaque_events = 0
        self.cell_events = 0
        self.variables: dict[str, Creation] = {}  # created so far, in order
        self.unnamed = False  # some variable was created under a name we do not know
        # ... a `tf.Variable(..., trainable=False)` (a global step): the trainable collection
        # is still known.
        self.unnamed_frozen = False
        # `assign_moving_average` ran: TF made `<variable>/biased` and `<variable>/local_step`
        # by `get_variable` under names not followed, which a lookup under reuse finds.
        self.debiased = False
        # Every name ever counted, by its parent scope: reopening a scope zeroes what is
        # under it without scanning every name (20 k scopes made that quadratic).
        self._under: dict[str, set[str]] = {}
        # full -> the suffix to try first: `dense_1`, `dense_2`... are taken in turn, so the
        # next search starts where the last ended. It holds only while no count went back to
        # zero (open's reset) or was taken back (set_counts).
        self._next: dict[str, int] = {}
        # Slot variables made so far (`.../w/Adam`), each with the `if` arms it was made on,
        # and whether some slot-making step's names could not be followed (then a later
        # step's names cannot be known either: its scope counts are not).
        self.slots: dict[str, frozenset] = {}
        self.slots_unknown = False
        # When each scope was last opened (a tick of this graph), and per slot-making step
        # (its code, scope, the models its loss reaches) the tick of its last run and
        # whether that run had its slots: the same step run again finds them when a scope
        # above their names was reopened between the two runs.
        self.tick = 0
        self.opened: dict[str, int] = {}
        # When each slot-making step (by its call's node) last made or found its slots.
        self.slot_sites: dict[int, int] = {}
        self.slot_steps: dict[tuple, tuple[int, bool, frozenset]] = {}

    @property
    def opaque(self) -> bool:
        return self._opaque

    @opaque.setter
    def opaque(self, value: bool) -> None:
        self.opaque_events += bool(value)
        self._opaque = value
        self.blind = self.blind or value

    def ran_cells(self, prefix: str | None) -> None:
        """RNN cells ran under the scope `prefix` (None: a scope not known)."""
        blind = self.blind
        self.opaque = True
        self.blind = blind or prefix is None
        if prefix is not None:
            self.cell_scopes |= {prefix}

    def may_hold(self, name: str | None) -> bool:
        """Whether something the analysis could not follow may have made `name` here."""
        if self.debiased and name is not None and tfnames.is_zero_debias_name(name):
            return True
        if name is None or self.blind:
            return self._opaque
        return any(p == "" or name.startswith(p + "/") for p in self.cell_scopes)

    def opacity(self) -> tuple:
        return self._opaque, self.blind, self.cell_scopes

    def set_opacity(self, opacity: tuple) -> None:
        self.opaque, self.blind, self.cell_scopes = opacity

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
            # Link every level up to a known one: a slot's scope `train/net/w/Adam` sits
            # below `train/net/w`, never opened itself, and reopening `train` resets it.
            child = full
            while "/" in child:
                parent = child.rpartition("/")[0]
                under = self._under.setdefault(parent, set())
                if child in under:
                    break
                under.add(child)
                child = parent
        self.counts[full] = self.counts.get(full, 0) + 1
        self.tick += 1
        self.opened[full] = self.tick
        # Names under `full/`: the root scope "" has none (its names have no "/" prefix).
        stack = list(self._under.get(full, ())) if full else []
        if stack:
            self._next.clear()  # counts go back to zero: every search starts again from 1
        while stack:
            key = stack.pop()
            if key in self.counts:
                self.counts[key] = 0
            stack.extend(self._under.get(key, ()))


class GraphCtx:
    """What `graph.as_default()` returns: entered by a `with`."""

    __slots__ = ("graph",)

    def __init__(self, graph: GraphVal) -> None:
        self.graph = graph


class SessionCtx:
    """`tf.Session(graph=g)`: TF's `Session.__enter__` also enters `g.as_default()`, so a
    `with` of it makes `g` the default graph, and `sess.graph` is `g` (notebooks enter
    `sess.graph.as_default()` inside `sess.as_default()`, which sets the session only).
    Anything else done with it is what any TF object gives (`session`, a source tensor)."""

    __slots__ = ("graph", "session")

    def __init__(self, graph: GraphVal, session: Tensor) -> None:
        self.graph = graph
        self.session = session


@register(tfnames.GRAPH)
def _graph(interp, canon, node, args, kwargs, module) -> Any:
    return GraphVal(interp.tf.new_graph(fresh=True).gid)


@register("tf.get_default_graph")
def _get_default_graph(interp, canon, node, args, kwargs, module) -> Any:
    return GraphVal(interp.tf.graph.gid)


@register(tfnames.RESET_DEFAULT_GRAPH)
def _reset_default_graph(interp, canon, node, args, kwargs, module) -> Any:
    interp.tf.graph = interp.tf.new_graph(fresh=interp.tf.graph.fresh)
    interp.tf.scopes, interp.tf.scope_sites, interp.tf.name_scopes = [], [], []
    return Const(None)


@register(*tfnames.SESSIONS)
def _session(interp, canon, node, args, kwargs, module) -> Any:
    graph = kwargs.get("graph", args[1] if len(args) > 1 else None)
    if not isinstance(graph, GraphVal):
        return NOT_SPECIAL  # the default graph (or one we do not know): entering changes nothing
    return SessionCtx(graph, Tensor(calls=frozenset({id(node)})))


@attributes(SessionCtx)
def _session_attribute(base: SessionCtx, attr: str) -> Any:
    return base.graph if attr == "graph" else base.session  # `sess.run`: as for any TF object


@attributes(GraphVal)
def _graph_attribute(base: GraphVal, attr: str) -> Any:
    return TFMethod(_as_default, base) if attr == "as_default" else UNKNOWN


def _as_default(interp, graph: GraphVal, node, module, args, kwargs) -> Any:
    return GraphCtx(graph)


def _exit_graph(interp, ctx: GraphCtx) -> None:
    interp.tf.graph, interp.tf.scopes, interp.tf.scope_sites, interp.tf.name_scopes = interp.tf.graph_stack.pop()


@context(SessionCtx, exit=_exit_graph)
def _enter_session(interp, ctx: SessionCtx, module: ModuleState, node: ast.AST) -> Any:
    _enter(interp, ctx.graph, module, node)
    return ctx.session


@context(GraphCtx, exit=_exit_graph)
def _enter_graph(interp, ctx: GraphCtx, module: ModuleState, node: ast.AST) -> Any:
    return _enter(interp, ctx.graph, module, node)


def _enter(interp, graph: GraphVal, module: ModuleState, node: ast.AST) -> GraphVal:
    state = interp.tf.graphs[graph.gid]
    if interp.tf.scopes and state is not interp.tf.graph:
        interp.analysis.graph_switches.append((interp.tf.scopes[-1], Site(module.path, node), state.gid, interp.trace))
    interp.tf.graph_stack.append((interp.tf.graph, interp.tf.scopes, interp.tf.scope_sites, interp.tf.name_scopes))
    # TF keeps the scope stacks per graph: making the default graph the default again leaves its
    # open scopes open (`with g.as_default():` inside `variable_scope('outer')` still names `outer/w`).
    if state is not interp.tf.graph:
        interp.tf.graph, interp.tf.scopes, interp.tf.scope_sites, interp.tf.name_scopes = state, [], [], []
    return graph
