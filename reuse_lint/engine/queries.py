"""Questions several rules ask of the analysis, answered once."""

from __future__ import annotations

from dataclasses import dataclass

import ast
import re
import string

from reuse_lint.engine.events import TRUTH, Analysis, NamedConst, Build, CallInfo, Creation, Site
from reuse_lint import tfnames
from reuse_lint.engine.tfapi.keras import (
    derives_from_keras_layer, derives_from_keras_library_layer, derives_from_keras_model, keras_bases, keras_generation,
    makes_trainable_weight,
)
from reuse_lint.engine.syntax import is_self_attribute, positional_names
from reuse_lint.engine.values import (
    AUTO, UNKNOWN, ClassVal, Const, DictVal, ForeignObject, FuncVal, Instance, KerasObject, KerasOptimizer, ListVal, ModelVars, Optimizer,
    TFRef, Tensor, VarRef,
)

FALSE = Const(False)
TRUE = Const(True)
# Events of one name (or from one call site) on this many different `if` paths are compared
# with each new one at most: paths multiply with nested `if`s, and comparing every pair grew
# with their square. Past it the analysis is cut short, and says so (CUT_SHORT in memo).
MAX_VARIANTS = 16
CUT_SHORT = "cut_short"


def _paths(event) -> dict[int, frozenset]:
    """What `compatible` reads of an event, by `if`: the (loops, arm) it was met in. Memoised
    on the event: a new event is compared with up to MAX_VARIANTS earlier ones."""
    paths = event.__dict__.get("_paths")
    if paths is None:
        by_if: dict[int, set] = {}
        for c in event.conds:
            by_if.setdefault(c.if_id, set()).add((c.loops, c.arm))
        paths = event.__dict__["_paths"] = {k: frozenset(v) for k, v in by_if.items()}
    return paths


def _signature(event) -> tuple:
    """All that `compatible` and `_given_apart` read of an event (its `if`s, their tests, and
    the constants those tests read)."""
    tests = tuple(sorted({(c.if_id, repr(c.test)) for c in event.conds if c.test is not None}))
    given = tuple(sorted({(c.if_id, repr(c.given)) for c in event.conds if c.given}))
    return frozenset(_paths(event).items()), tests, given


def _too_many(analysis: Analysis, limit: str = f"over {MAX_VARIANTS} `if` paths to one variable") -> None:
    analysis.memo[CUT_SHORT] = limit


def compatible(a: Creation, b: Creation) -> bool:
    """Can both events happen in one run? Not when they sit on different arms of one `if`.

    Arms taken in different iterations of a loop are not comparable at all (the test may
    depend on the iteration), so such pairs count as incompatible: no finding.
    """
    return _compatible_paths(_paths(a), _paths(b)) and not _exclusive_tests(a.conds, b.conds)


def on_its_path(a, b) -> bool:
    """Every `if` arm `a` was met on, `b` was met on too, in the same loop iterations: where
    `b` runs, so did `a` (a freeze on one arm is not before a read after that `if`)."""
    pa, pb = _paths(a), _paths(b)
    return all(pb.get(if_id) == taken for if_id, taken in pa.items())


def _compatible_paths(a: dict, b: dict) -> bool:
    if len(b) < len(a):
        a, b = b, a
    for if_id, taken in a.items():
        other = b.get(if_id)
        # Every pair must agree: an `if` met twice on one path (a recursive call) in two
        # ways agrees with nothing.
        if other is not None and (other != taken or len(taken) > 1):
            return False
    return True


def _exclusive_tests(first: tuple, second: tuple) -> bool:
    """Two separate `if args.mode == 'train':` and `if args.mode == 'eval':` (not `elif`):
    one name equal to two constants, in one iteration, cannot both hold; nor can `x == c`
    (or `x`) hold on one `if` and fail on another. The tests are taken to see one value of
    the name (a script's mode, set once)."""
    tests = {}
    for ca in first:
        if ca.test is not None:
            tests.setdefault(_tested(ca.test), []).append(ca)
    if not tests:
        return False
    for cb in second:
        if cb.test is None:
            continue
        for ca in tests.get(_tested(cb.test), ()):
            if ca.if_id == cb.if_id or ca.loops != cb.loops:
                continue
            a_value, b_value = ca.test[2], cb.test[2]
            a_holds, b_holds = (ca.arm == 0) != ca.test[3], (cb.arm == 0) != cb.test[3]
            if isinstance(a_value, NamedConst) != isinstance(b_value, NamedConst):
                continue  # a named constant's value (and truth) is unknown
            if isinstance(a_value, frozenset) or isinstance(b_value, frozenset):
                if _exclusive_among(a_value, a_holds, b_value, b_holds):
                    return True
                continue
            if (a_value is TRUTH) != (b_value is TRUTH):
                # `x` against `x == c`: when x equals c, x's truth is c's
                truth, (value, equal) = (a_holds, (b_value, b_holds)) if a_value is TRUTH else (b_holds, (a_value, a_holds))
                if equal and bool(value) != truth:
                    return True
            elif a_value == b_value:
                # (1 and True are equal but not one constant: no conclusion from them)
                if type(a_value) is type(b_value) and a_holds != b_holds:
                    return True
            elif a_holds and b_holds and not isinstance(a_value, NamedConst):  # two different constants
                return True
    return False


def _exclusive_among(a_value, a_holds: bool, b_value, b_holds: bool) -> bool:
    """`x == 3` against `x == 2 or x == 4` (`x in (2, 4)`): the name among two sets of
    constants that share none, or inside one set and outside a set that holds it."""
    def among(value):
        if isinstance(value, frozenset):
            return value
        return frozenset([value]) if type(value) in (int, float, str) else None
    a, b = among(a_value), among(b_value)
    if a is None or b is None:
        return False
    if a_holds and b_holds:
        return not a & b
    if a_holds and not b_holds:
        return a <= b
    if b_holds and not a_holds:
        return b <= a
    return False


def _tested(test: tuple) -> tuple:
    """What a test is about: the name, its file and its run (Cond.test)."""
    return test[0], test[1], test[4]


def _given_apart(first: tuple, second: tuple) -> bool:
    """Do the two events sit under one undecided `if` whose test reads a local that the two
    runs gave different known values (`if group in self._seq_groups:` for `'user'`, then for
    `'item'`)? Then the code configures the two runs apart: each may take another arm, and
    the second event is no certain repeat of the first."""
    given = {c.if_id: c.given for c in first if c.given}
    if not given:
        return False
    for cb in second:
        ga = given.get(cb.if_id)
        if ga and cb.given:
            b = dict(cb.given)
            if any(name in b and b[name] != value for name, value in ga):
                return True
    return False


@dataclass(frozen=True)
class Clash:
    first: Creation
    second: Creation
    site: Site  # where to report: the repeated call
    related: Site  # the matching first call (or the loop that repeats it)
    in_loop: bool


def divergence(first: Creation, second: Creation, loops: dict[int, Site]) -> tuple[Site, Site, bool]:
    """The outermost call where the two creations' call stacks part."""
    for a, b in zip(first.stack, second.stack):
        if a.node is not b.node:
            return b, a, False
    # Same stack: the same code ran twice, so a loop repeated it.
    first_loops = dict(first.loops)
    for loop_id, iteration in second.loops:
        if first_loops.get(loop_id, iteration) != iteration:
            loop_site = loops[loop_id]
            for site in second.stack:
                if site.path == loop_site.path and _inside(site, loop_site):
                    return site, loop_site, True
            return second.stack[-1], loop_site, True
    return second.stack[-1], first.stack[-1], False


def _inside(site: Site, outer: Site) -> bool:
    start = outer.node.lineno
    end = getattr(outer.node, "end_lineno", start)
    line = site.node.lineno
    return start <= line <= end and site.node is not outer.node


def clashes(analysis: Analysis) -> list[Clash]:
    if "clashes" not in analysis.memo:
        # Eager execution on: no variable store, so no "already exists" (round 35's LFADS notebook).
        analysis.memo["clashes"] = [] if analysis.eager_on else _compute_clashes(analysis)
    return analysis.memo["clashes"]


def _compute_clashes(analysis: Analysis) -> list[Clash]:
    """Creations without reuse of a variable that an earlier, compatible request made."""
    seen: dict[tuple, list[Creation]] = {}
    paths: dict[tuple, set[frozenset]] = {}
    found: list[Clash] = []
    reported: set[int] = set()
    for c in analysis.creations:
        if c.name is None:
            continue
        key = (c.trace, c.graph, c.name)
        earlier = seen.setdefault(key, [])
        if c.reuse == FALSE:
            for p in earlier:
                if not compatible(p, c) or _given_apart(p.conds, c.conds):
                    continue
                site, related, in_loop = divergence(p, c, analysis.loops)
                if in_loop and c.trace > 0 and not c.fresh_graph:
                    # A loop repeating a builder in a function nothing in view calls, in the
                    # caller's graph: the towers of a multi-GPU model, which callers share by
                    # wrapping the model in AUTO_REUSE (a reuse no scope inside can switch off).
                    break
                if id(site.node) not in reported:
                    reported.add(id(site.node))
                    found.append(Clash(p, c, site, related, in_loop))
                break
        if c.reuse != TRUE and not c.unrun:  # a pure lookup creates nothing (and fails if nothing is there)
            # Only the first creation on each path: a later one on the same path would never
            # be the first compatible one.
            path, known = _signature(c), paths.setdefault(key, set())
            if path not in known:
                if len(known) >= MAX_VARIANTS:
                    _too_many(analysis)
                else:
                    known.add(path)
                    earlier.append(c)
    return found


def crosses_entries(clash: Clash, node: ast.AST) -> bool:
    """The clash's two creations ran in two entries of the scope call `node` (a second call
    of its builder, a loop, a second instance), not both in one."""
    first = next((f for f in clash.first.scope_frames if f.node is node), None)
    second = next((f for f in clash.second.scope_frames if f.node is node), None)
    return first is not None and second is not None and first is not second


@dataclass(frozen=True)
class Repeat:
    """The same builder code ran twice where the code evidently meant one shared object."""

    first: Build
    second: Build
    site: Site  # the repeated call
    related: Site  # the first call (or the loop)
    in_loop: bool


def repeated_builds(analysis: Analysis, kind: str) -> list[Repeat]:
    """Builds from one line of code, reached through two calls of one function that look like
    one model applied twice: not a chain (`block(block(x))`), not under different scope
    names, not with different constant arguments, and on independent inputs (twin critics
    on the same input, or two branches of one network, are meant to differ)."""
    key = f"repeats:{kind}"
    if key in analysis.memo:
        return analysis.memo[key]
    found: list[Repeat] = []
    reported: set[int] = set()
    seen: dict[tuple, _Firsts] = {}
    for b in analysis.builds:
        if b.kind != kind or (kind == "default_scope" and (not b.created_trainable or b.scope_parameter)):
            # A layer op's own `scope=None` makes new weights per call by design; a streaming
            # metric's scope (`trainable=False` accumulators) new state per input.
            continue
        earlier = seen.setdefault((b.trace, b.graph, id(b.site.node)), _Firsts(analysis, share=True))
        for a in earlier.candidates(b):
            repeat = _as_repeat(a, b, analysis)
            if repeat is not None and id(repeat.site.node) not in reported:
                reported.add(id(repeat.site.node))
                found.append(repeat)
                break
        earlier.add(b)
    analysis.memo[key] = found
    return found


# Builds compared with a new one in one bucket of `_Firsts` at most: past it the analysis is
# cut short. A bucket holds builds that differ in what a pair reads of them, at one call of
# one function with one set of constant arguments: in real code, a loop of chained blocks.
MAX_ALIKE = 64


class _Firsts:
    """The earlier builds of one site, indexed by what `_as_repeat` (`share=True`) or
    `_rebuilt` reads of the first build at the call where the two builds' stacks part: the
    calls above it, the function it calls, its constant arguments and scope prefix.

    A module builds many layers from one helper (`conv_bn(x, 64)` fifty times, a summary per
    named value); compared with every earlier one, each new build made the work grow with the
    square of their number, and a cap of 16 on them hid the findings past it in real
    projects. `candidates` gives, in the order they were built, every earlier build that can
    make a pair with a new one; of builds equal in all that a pair reads of them, the first
    answers for all (it is met first, and the others would answer alike)."""

    def __init__(self, analysis: Analysis, share: bool) -> None:
        self.analysis, self.share = analysis, share
        self.buckets: dict[tuple, dict] = {}
        self.count = 0

    def _key(self, call: CallInfo, above: tuple) -> tuple:
        callee = self.analysis.callees.get(id(call.site.node))
        consts = call.consts
        try:
            hash(consts)
        except TypeError:  # a list among the arguments: equal to no hashable tuple
            consts = ("unhashable",)
        return (above, id(callee) if callee is not None else None, consts, call.prefix,
                _factory(call) if self.share else None)

    def _may_be_first(self, call: CallInfo) -> bool:
        """Can a pair part at `call` with this build first, by what it reads of the first?"""
        callee = self.analysis.callees.get(id(call.site.node))
        if getattr(callee, "name", None) == "__init__" or any(_is_size(value) for _, value in call.consts):
            return False
        if self.share:  # `_meant_to_share`
            return bool(call.inputs) and not call.partial
        return callee is not None and not call.inputs  # `_rebuilt`

    def candidates(self, b: Build) -> list[Build]:
        nodes = tuple(id(c.site.node) for c in b.calls)
        found: dict[int, Build] = {}
        for i, call in enumerate(b.calls):
            for order, a in self.buckets.get(self._key(call, nodes[:i]), {}).values():
                if a.calls[i].site.node is not call.site.node:
                    found[order] = a
        if self.share:
            for order, a in self.buckets.get(("loop", nodes), {}).values():
                found[order] = a
        return [found[order] for order in sorted(found)]

    def add(self, a: Build) -> None:
        self.count += 1
        # What `compatible` reads of a build (the test's repr keeps 1 and True apart).
        conds = frozenset((c.if_id, c.loops, c.arm, repr(c.test)) for c in a.conds)
        nodes = tuple(id(c.site.node) for c in a.calls)
        for i, call in enumerate(a.calls):
            if self._may_be_first(call):
                self._put(self._key(call, nodes[:i]), (conds, id(call.site.node), call.inputs, call.partial), a)
        if self.share and any(self._may_be_first(call) for call in a.calls):
            # one call site run twice by a loop: the pair reads the loops and every call
            self._put(("loop", nodes), (conds, a.loops, tuple(
                (c.inputs, c.consts, c.prefix, c.partial) for c in a.calls)), a)

    def _put(self, key: tuple, alike: tuple, a: Build) -> None:
        bucket = self.buckets.setdefault(key, {})
        try:
            if alike in bucket:
                return
        except TypeError:  # an unhashable constant argument: kept as a build of its own
            alike = object()
        if len(bucket) >= MAX_ALIKE:
            _too_many(self.analysis, f"over {MAX_ALIKE} builds alike from one line of code")
        else:
            bucket[alike] = (self.count, a)


def _as_repeat(a: Build, b: Build, analysis: Analysis) -> Repeat | None:
    if not compatible(a, b):
        return None
    for ca, cb in zip(a.calls, b.calls):
        if ca.site.node is not cb.site.node:
            return Repeat(a, b, cb.site, ca.site, False) if _meant_to_share(ca, cb, analysis) else None
    if len(a.calls) != len(b.calls):
        return None
    # One call site, run twice by a loop: compare its two runs.
    first_loops = dict(a.loops)
    for loop_id, iteration in b.loops:
        if first_loops.get(loop_id, iteration) != iteration:
            loop_site = analysis.loops[loop_id]
            for ca, cb in zip(a.calls, b.calls):
                if _inside(cb.site, loop_site):
                    return Repeat(a, b, cb.site, loop_site, True) if _meant_to_share(ca, cb, analysis) else None
            return None
    return None


def _meant_to_share(first: CallInfo, second: CallInfo, analysis: Analysis) -> bool:
    if id(first.site.node) in second.inputs:
        return False  # the second call is fed by the first: stacked blocks
    callee = analysis.callees.get(id(first.site.node))
    if callee is not analysis.callees.get(id(second.site.node)):
        return False  # two functions (an actor's and a critic's) that both build some block
    if getattr(callee, "name", None) == "__init__":
        return False  # a class instantiated twice: two objects, as the code asks
    if first.receiver is not None and second.receiver is not None and first.receiver != second.receiver:
        return False  # one method run on two objects built apart: a model for each, as asked
    if any(_is_size(value) for _, value in first.consts):
        return False  # a block configured at the call (`conv_bn(x, filters=256)`): architecture
    if first.consts != second.consts or first.prefix != second.prefix or _factory(first) != _factory(second):
        return False
    if _configured_apart(first, second):
        return False  # `demo(age)`, `demo(breed)`: a layer made from each call's own column
    if _named_apart(first, second):
        return False  # `tower(x, prefix + "word")`, `tower(y, prefix + "char")`: two towers
    # A model applied twice takes independent inputs: real data and the generator's fakes,
    # the two sides of a siamese pair. A block applied to two tensors that share an ancestor
    # is one network's architecture: a backbone's branches, a detector's heads. Ancestry
    # lost on the way (a layer applied to a value two `if` paths left unknown) proves no
    # independence: EfficientNet's blocks lost it in a conditionally padded conv helper.
    if first.partial or second.partial:
        return False
    if first.inputs | second.inputs <= analysis.keras_inputs:
        # `branch(acc)`, `branch(gyro)` on a functional model's own `Input`s: one tower per
        # input, trained together (round 34's sensor and stain towers, each with its weights).
        return False
    return bool(first.inputs) and bool(second.inputs) and not (first.inputs & second.inputs)


def rebuilt_models(analysis: Analysis) -> list[Repeat]:
    """A builder of Keras layers called twice alike, once kept under a name (`discriminator =
    build_d()`) and once applied on the spot (`Model(z, build_d()(build_g()(z)))`): the model
    applied on the spot is a second one, with weights of its own, not the one kept. Twin
    networks kept under two names (an online and a target network) are left alone."""
    if "rebuilt_models" in analysis.memo:
        return analysis.memo["rebuilt_models"]
    found: list[Repeat] = []
    reported: set[int] = set()
    seen: dict[tuple, _Firsts] = {}
    for b in analysis.builds:
        if b.kind != "keras":
            continue
        earlier = seen.setdefault((b.trace, b.graph, id(b.site.node)), _Firsts(analysis, share=False))
        for a in earlier.candidates(b):
            repeat = _rebuilt(a, b, analysis)
            if repeat is not None:
                if id(repeat.site.node) not in reported:
                    reported.add(id(repeat.site.node))
                    found.append(repeat)
                break
        earlier.add(b)
    analysis.memo["rebuilt_models"] = found
    return found


def _rebuilt(a: Build, b: Build, analysis: Analysis) -> Repeat | None:
    if not compatible(a, b):
        return None
    for ca, cb in zip(a.calls, b.calls):
        if ca.site.node is cb.site.node:
            continue
        callee = analysis.callees.get(id(ca.site.node))
        if callee is None or callee is not analysis.callees.get(id(cb.site.node)):
            return None
        if getattr(callee, "name", None) == "__init__" or ca.inputs or cb.inputs:
            return None  # objects of a class, or blocks applied to tensors (repeated_builds)
        if any(_is_size(value) for _, value in ca.consts):
            return None
        if ca.consts != cb.consts or ca.prefix != cb.prefix or _configured_apart(ca, cb) or _named_apart(ca, cb):
            return None
        applied_a, applied_b = _applied_on_the_spot(ca.site, analysis), _applied_on_the_spot(cb.site, analysis)
        if applied_a == applied_b:
            return None  # two kept (twin networks) or two applied at once (an ensemble)
        if not _kept(cb.site if applied_a else ca.site, analysis):
            # The first is a part of something else (`Sequential([conv, get_norm()])`): a
            # factory of one layer per position, as `get_norm()(x)` is later on (round 27, TF2).
            return None
        return Repeat(a, b, cb.site, ca.site, False) if applied_b else Repeat(b, a, ca.site, cb.site, False)
    return None


def _applied_on_the_spot(site: Site, analysis: Analysis) -> bool:
    """`build_d()(x)`: the call's result is called at once, never kept."""
    return id(site.node) in _builder_calls(site.path, analysis)[0]


def _kept(site: Site, analysis: Analysis) -> bool:
    """`discriminator = build_d()`, `self.d = build_d()`, `return build_g(), build_d()`: the
    call's result is kept as a model of its own, not placed inside another."""
    return id(site.node) in _builder_calls(site.path, analysis)[1]


def _builder_calls(path: str, analysis: Analysis) -> tuple[frozenset, frozenset]:
    """The calls of one module applied on the spot, and those kept (by id), in one walk."""
    key = f"builder calls:{path}"
    found = analysis.memo.get(key)
    if found is None:
        tree = getattr(analysis.sources.get(path), "tree", None)
        applied, kept = set(), set()
        for n in ast.walk(tree) if tree is not None else ():
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Call):
                applied.add(id(n.func))
            elif isinstance(n, (ast.Assign, ast.AnnAssign, ast.Return)) and n.value is not None:
                values = n.value.elts if isinstance(n.value, ast.Tuple) else [n.value]
                kept.update(id(v) for v in values if isinstance(v, ast.Call))
        found = analysis.memo[key] = (frozenset(applied), frozenset(kept))
    return found


def _configured_apart(first: CallInfo, second: CallInfo) -> bool:
    """Does an argument that a Keras constructor inside the call takes as is (a feature
    column, a normalization layer placed in a Sequential) differ between the two calls? Then
    each call builds what its own argument asks for, as a constant size would."""
    a, b = dict(first.args), dict(second.args)
    return any(key not in a or key not in b or a[key] is not b[key] for key in first.configured | second.configured)


def _named_apart(first: CallInfo, second: CallInfo) -> bool:
    """Do the two calls pass, in one place, strings that can never be equal, their known
    parts starting or ending differently (`prefix + "deep_word"` and `prefix + "deep_char"`,
    `prefix` unknown)? Then they are named apart, as two different constant names are: each
    call asks for a network of its own. Read from the calls' text: the analysis keeps no
    value of a string that is only partly known."""
    a, b = _string_arguments(first.site.node), _string_arguments(second.site.node)
    return any(_never_equal(a[key], b[key]) for key in a.keys() & b.keys())


@dataclass(frozen=True)
class _Affixes:
    """What the text of a string expression tells of its value: how it starts and ends
    (both the whole string where `exact`)."""

    head: str
    tail: str
    exact: bool = False


_ANYTHING = _Affixes("", "")


def _string_arguments(node: ast.AST) -> dict:
    """A call's arguments whose text tells something of the string they make, by position
    and keyword; positions after a `*args` are not known."""
    if not isinstance(node, ast.Call):
        return {}
    found: dict = {}
    for i, arg in enumerate(node.args):
        if isinstance(arg, ast.Starred):
            break
        affixes = _affixes(arg)
        if affixes is not None:
            found[i] = affixes
    for kw in node.keywords:
        affixes = _affixes(kw.value) if kw.arg is not None else None
        if affixes is not None:
            found[kw.arg] = affixes
    return found


def _affixes(node: ast.AST) -> _Affixes | None:
    """The known head and tail of a string built from literal parts: `x + "_a"`, `"a_" + x`,
    `"%s_a" % x`, `f"{x}_a"`, `"{}_a".format(x)`; None where the text tells nothing."""
    if isinstance(node, ast.Constant):
        return _Affixes(node.value, node.value, True) if isinstance(node.value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _affixes(node.left), _affixes(node.right)
        if left is None and right is None:
            return None
        left, right = left or _ANYTHING, right or _ANYTHING
        return _Affixes(left.head + right.head if left.exact else left.head,
                        left.tail + right.tail if right.exact else right.tail, left.exact and right.exact)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        if isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
            return _around_fields(_percent_parts(node.left.value))
        return None
    if isinstance(node, ast.JoinedStr):
        return _around_fields([v.value if isinstance(v, ast.Constant) else None for v in node.values])
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)):
        return _around_fields(_format_parts(node.func.value.value))
    return None


def _around_fields(parts: list | None) -> _Affixes | None:
    """Literal text (str) and fields (None), in order: the text before the first field and
    after the last. A string with no field is the `Constant` case's, left to it."""
    if not parts or None not in parts:
        return None
    first, last = parts.index(None), len(parts) - 1 - parts[::-1].index(None)
    return _Affixes("".join(parts[:first]), "".join(parts[last + 1:]))


# A `%` conversion specifier (Python's printf-style formatting), `%%` included.
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")


def _percent_parts(text: str) -> list:
    parts: list = []
    at = 0
    for m in _PERCENT.finditer(text):
        parts.append(text[at:m.start()])
        parts.append("%" if m.group(1) == "%" else None)
        at = m.end()
    parts.append(text[at:])
    return parts


def _format_parts(text: str) -> list | None:
    parts: list = []
    try:
        for literal, field_name, _spec, _conversion in string.Formatter().parse(text):
            parts.append(literal)
            if field_name is not None:
                parts.append(None)
    except ValueError:  # a malformed format string: `format` raises on it
        return None
    return parts


def _never_equal(a: _Affixes, b: _Affixes) -> bool:
    n = min(len(a.head), len(b.head))
    if a.head[:n] != b.head[:n]:
        return True
    n = min(len(a.tail), len(b.tail))
    return n > 0 and a.tail[-n:] != b.tail[-n:]


def _is_size(value) -> bool:
    """A layer size: an int, or a tuple of them (`(3, 3)`), not a flag."""
    if isinstance(value, tuple):
        return bool(value) and all(_is_size(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool)


def _factory(call: CallInfo) -> str | None:
    """`Head(512, name="out_0")(x)`: how the called object was made, where the call says."""
    func = getattr(call.site.node, "func", None)
    return ast.unparse(func) if isinstance(func, ast.Call) else None


def auto_scopes_entered_again(builds, kind: str) -> set[int]:
    """Builds of `kind` under AUTO_REUSE made in a variable scope, known by name, in which the
    same line made one before (in one run and graph): by id of the later build. Under
    AUTO_REUSE a copy is made only there: a scope entered once asks for no sharing."""
    seen: set[tuple] = set()
    again: set[int] = set()
    for b in builds:
        if b.kind != kind or b.reuse != AUTO or b.scope is None:
            continue
        key = (b.trace, b.graph, id(b.site.node), b.scope)
        if key in seen:
            again.add(id(b))
        seen.add(key)
    return again


def shares_nothing(analysis: Analysis, b: Build) -> bool:
    """A build under reuse whose reusing scope held no variable when its reuse was switched
    on, in this run and graph: the reuse asks to share what does not exist (an encoder that
    opens its scope with reuse and is built once per graph), so a new variable is all TF can
    make and all the code needs. A scope whose name is unknown is not known to have held
    anything: a line that made a variable before may have made it under another name (one
    scope per worker, `"net" + str(worker_id)`, each switching its reuse on)."""
    if b.reuse_scope is None:
        return True
    first = _first_under(analysis).get((b.trace, b.graph, b.reuse_scope))
    return first is None or first >= b.reuse_seq


def _first_under(analysis: Analysis) -> dict[tuple, int]:
    """(trace, graph, scope name) -> when a variable was first made under that scope (at any
    depth; "" for the root): get_variable and layer requests by their names, tf.Variable
    builds by the scope they are made in."""
    memo = analysis.memo.get("first_under")
    if memo is not None:
        return memo
    first: dict[tuple, int] = {}

    def note(trace: int, graph: int, scope: str, seq: int) -> None:
        while True:
            key = (trace, graph, scope)
            if key not in first or seq < first[key]:
                first[key] = seq
            if not scope:
                return
            scope = scope.rpartition("/")[0]

    for c in analysis.creations:
        if c.name is not None and not c.unrun:
            note(c.trace, c.graph, c.name.rpartition("/")[0], c.seq)
    for b in analysis.builds:
        if b.kind == "variable" and b.scope is not None:
            note(b.trace, b.graph, b.scope, b.seq)
    analysis.memo["first_under"] = first
    return first


def created_before(analysis: Analysis) -> dict[int, bool]:
    """For each creation, was its name created earlier in its graph (by id of the event)? Not
    by a creation on another item's arm of a pick (see `_picks`): that item was not picked."""
    if "created_before" in analysis.memo:
        return analysis.memo["created_before"]
    names: dict[tuple, dict[str, list]] = {}
    result: dict[int, bool] = {}
    for c in analysis.creations:
        key = (c.trace, c.graph)
        made = names.get(key, {}).get(c.name, ()) if c.name is not None else ()
        picks = _picks(c)
        result[id(c)] = any(_same_picks(picks, other) for other in made)
        if c.reuse != TRUE and c.name is not None:
            creators = names.setdefault(key, {}).setdefault(c.name, [])
            if picks not in creators:
                creators.append(picks)
    analysis.memo["created_before"] = result
    return result


def _picks(c: Creation) -> dict:
    """The arm of each pick an event was made on: (pick, its loops) -> arm."""
    return {(cond.if_id, cond.loops): cond.arm for cond in c.conds if cond.pick}


def _same_picks(a: dict, b: dict) -> bool:
    """Can one run hold both? Not when one pick took two different items."""
    return all(b.get(k, arm) == arm for k, arm in a.items())


def created_after(analysis: Analysis) -> dict[int, Creation]:
    """Lookups (reuse on) whose name a later request in one run and graph creates with reuse
    off, on a path that can follow the lookup's: the first such creation, by id of the lookup.
    TensorFlow never deletes a variable from a graph, so one of the two fails whatever the
    graph held before the run."""
    if "created_after" in analysis.memo:
        return analysis.memo["created_after"]
    pending: dict[tuple, list[Creation]] = {}
    result: dict[int, Creation] = {}
    for c in analysis.creations:
        if c.name is None:
            continue
        key = (c.trace, c.graph, c.name)
        if c.reuse == TRUE:
            waiting = pending.setdefault(key, [])
            if len(waiting) < MAX_VARIANTS:
                waiting.append(c)
        elif c.reuse == FALSE and key in pending:
            for lookup in pending.pop(key):
                if compatible(lookup, c):
                    result[id(lookup)] = c
                else:
                    pending.setdefault(key, []).append(lookup)
    analysis.memo["created_after"] = result
    return result


def is_reuse_variables_call(site: Site | None) -> bool:
    node = site.node if site is not None else None
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "reuse_variables"


def reused_site(stack, fallback: Site | None) -> Site:
    """The call that asked for reuse: the outermost call passing a literal reuse=True."""
    for site in stack:
        node = site.node
        if isinstance(node, ast.Call) and any(
            kw.arg == "reuse" and isinstance(kw.value, ast.Constant) and kw.value.value is True
            for kw in node.keywords
        ):
            return site
    return fallback if fallback is not None else stack[-1]


def reached_models(loss) -> frozenset:
    """The model scopes whose trainable variables a gradient of `loss` reaches."""
    from reuse_lint.engine.values import Tensor

    return frozenset(s for s in loss.scopes if isinstance(s, str)) if isinstance(loss, Tensor) else frozenset()


def reached_unscoped(loss) -> frozenset:
    """The trainable variables made outside any variable scope that a gradient of `loss`
    reaches, by name."""
    from reuse_lint.engine.values import Tensor

    if not isinstance(loss, Tensor):
        return frozenset()
    return frozenset(s[1] for s in loss.scopes if isinstance(s, tuple))


def _creations_by_name(analysis: Analysis, trace: int, graph: int) -> dict[str, Creation]:
    key = f"by_name:{trace}:{graph}"
    if key not in analysis.memo:
        table: dict[str, Creation] = {}
        for c in analysis.creations:
            if c.trace == trace and c.graph == graph and c.name is not None and c.reuse != TRUE:
                table.setdefault(c.name, c)
        analysis.memo[key] = table
    return analysis.memo[key]


def model_scope_of(analysis: Analysis, trace: int, graph: int, name: str) -> str | None:
    c = _creations_by_name(analysis, trace, graph).get(name)
    return c.model_scope if c is not None else None


def model_scopes_of(analysis: Analysis, sel) -> frozenset:
    return frozenset(
        m for n in sel.names if (m := model_scope_of(analysis, sel.trace, sel.graph, n)) is not None
    )


def wrongly_trained(analysis: Analysis, use) -> frozenset:
    """Models that an optimizer taking every variable (no `var_list`, or all trainable
    variables) trains although they are evidently another step's to train.

    A loss that reaches two models is no bug by itself (a VAE's encoder and decoder, an
    A3C trunk under two heads). It is one when another optimizer of the graph trains one of
    those models with an explicit list of its own (a GAN's discriminator step, DDPG's actor
    step), or when two steps without lists reach the very same models (a GAN whose steps
    both forgot `var_list`): each then trains its adversary.
    """
    reached = reached_models(use.loss)
    if len(reached) < 2:
        return frozenset()
    # A step on another arm of an `if` (`if clip > 0: compute_gradients(loss) ... else:
    # minimize(loss)`) is this one taken another way, never a second step of the same run.
    others = [u for u in analysis.optimizers if u is not use and (u.trace, u.graph) == (use.trace, use.graph)
              and compatible(u, use)]
    wrong: set[str] = set()
    players: list[frozenset] = []  # what each adversary step lists as its own
    by_list_only = True
    mine = _all_list_models(analysis, use)
    for other in others:
        selection = getattr(other.var_list, "selection", None)
        theirs = _all_list_models(analysis, other)
        if selection is not None and selection.how != "all":
            theirs_listed = set(model_scopes_of(analysis, selection))
            through = reached_models(other.loss)
            # The other step is this one's adversary only if its own loss runs through a
            # model this step trains and it does not (a GAN's d_loss through the generator,
            # DDPG's actor loss through the critic). An adversarial autoencoder's encoder is
            # listed by the regularisation step, whose loss never meets the decoder: the
            # reconstruction step is meant to train both.
            if through and not (through & (reached - theirs_listed)):
                continue
            wrong |= theirs_listed & reached
            if other.loss is use.loss:
                by_list_only = False  # the same objective again, now over every variable
            players.append(frozenset(theirs_listed))
        elif mine is not None and theirs is not None and mine != theirs:
            # Two lists of "every variable so far", taken at different times (a network
            # object's `self.variables = tf.get_collection(TRAINABLE)`): the shorter one is
            # its step's own, and the longer one takes it too.
            if theirs < mine:
                wrong |= theirs & reached
                by_list_only = False
        elif ((other.method != "apply_gradients" or other.by_hand) and _takes_everything(other)
              and reached_models(other.loss) == reached and other.site.node is not use.site.node):
            wrong |= reached
            by_list_only = False
    if wrong and by_list_only and len(set(players)) >= 2 and _joint_objective(analysis, use, others, reached, players):
        # InfoGAN's mutual-information step, AC-GAN's auxiliary class step: every player this
        # loss reaches already has an adversarial step of its own (D's, G's), and this third
        # objective is meant to train them all together. A GAN step that forgot its list
        # leaves its own player without one and stays reported.
        return frozenset()
    return frozenset(wrong & mine if mine is not None else wrong)


def _joint_objective(analysis: Analysis, use, others: list, reached: frozenset, players: list) -> bool:
    """The loss reaches the players (the models other steps list as their own) and, at
    most, heads that are this step's alone: models no other step lists or reaches (InfoGAN's
    Q head, inside D's scope or beside it; AC-GAN's class head on D's features). A model
    that another step's loss also runs through (a VAE-GAN's encoder under the decoder's
    loss) is not a head of this objective, and the step stays judged as before."""
    heads = reached - frozenset().union(*players)
    if not heads:
        return True
    for other in others:
        selection = getattr(other.var_list, "selection", None)
        listed = model_scopes_of(analysis, selection) if selection is not None and selection.how != "all" else frozenset()
        if heads & (reached_models(other.loss) | listed):
            return False
    return True


def _all_list_models(analysis: Analysis, use) -> frozenset | None:
    """The models in an optimizer's list when it is a known list of every trainable variable
    at some moment (or lists of them added up); None otherwise."""
    from reuse_lint.engine.values import VarList

    var_list = use.var_list
    selection = getattr(var_list, "selection", None)
    if not isinstance(var_list, VarList) or selection is None or selection.how != "all":
        return None
    return frozenset(m for n in var_list.names if (m := model_scope_of(analysis, use.trace, use.graph, n)) is not None)


def _takes_everything(use) -> bool:
    selection = getattr(use.var_list, "selection", None)
    return use.var_list is None or (selection is not None and selection.how == "all")


# ----- TF2 training steps: which models a tape's gradient reaches -------------------------------
def model_parts(model) -> list:
    """A Keras model and every Keras object it holds: a Sequential's stages, a functional
    model's, a subclassed model's attributes (its `trainable_variables` are all of theirs)."""
    out, stack, seen = [], [model], set()
    while stack:
        m = stack.pop()
        if id(m) in seen:
            continue
        seen.add(id(m))
        out.append(m)
        if isinstance(m, KerasObject):
            stack.extend(m.parts)
        elif isinstance(m, Instance):
            for value in m.attrs.values():
                items = value.items if isinstance(value, ListVal) else [value]
                stack.extend(v for v in items if isinstance(v, (KerasObject, Instance)))
    return out


def model_key(m) -> tuple:
    """A Keras model by where the code builds it, not by object: each method of a class runs
    on an object its `__init__` built anew, and a script's own `Agent()` is another one, yet
    they are the same models of one program."""
    if isinstance(m, KerasObject):
        return ("keras", id(m.node))
    if isinstance(m, Instance):
        return ("class", id(m.cls.node))
    if isinstance(m, ForeignObject):
        return ("foreign", m.qualname)  # as a class of the program's: by class
    return ("object", id(m))


def _keys(models) -> set[tuple]:
    """The keys of these models and of every part they hold."""
    return {model_key(p) for m in models for p in model_parts(m)}


# ----- TF2 optimizers: whether a later step's models hold weights an earlier step's do not -------
# Layers given another layer whose weights they use (a wrapper, an RNN of a cell made elsewhere).
_LAYERS_OF_LAYERS = frozenset({"TimeDistributed", "Bidirectional", "RNN", "StackedRNNCells", "Wrapper"})
# Attribute values that hold no Keras object (what Keras tracks as a model's weights).
_HOLDS_NO_MODEL = (Const, Tensor, VarRef, KerasOptimizer, Optimizer, FuncVal, ClassVal, TFRef)


def weight_holders(models) -> set[tuple] | None:
    """The keys (`model_key`) of everything whose weights these models' `trainable_variables`
    may hold: the models, their stages, a subclass's attributes and what they hold, down to
    the layers. None when not all is known: an attribute the analysis lost, a model whose
    stages it did not see, a class with a base it does not know or with a method other than
    `__init__` that sets an attribute (a `build` may set a layer we never saw)."""
    keys: set[tuple] = set()
    todo, seen = list(models), set()
    while todo:
        m = todo.pop()
        if id(m) in seen:
            continue
        seen.add(id(m))
        keys.add(model_key(m))
        if isinstance(m, KerasObject):
            if m.model and not m.parts:
                return None
            todo.extend(m.parts)
        elif isinstance(m, Instance):
            if not _attributes_known(m.cls):
                return None
            for value in m.attrs.values():
                held = _held(value)
                if held is None:
                    return None
                todo.extend(held)
        elif not isinstance(m, ForeignObject):  # one holds none of the program's layers
            return None
    return keys


def trained_layers(models) -> list:
    """Weighted Keras layers whose variables these models' `trainable_variables` certainly
    hold: reached from a model through its stages and through what a subclass of a Keras
    class keeps in its attributes (a layer, or a list or dict of them), none of them frozen
    on the way, and a layer of one's own that makes a trainable weight itself
    (`self.add_weight` in `build`). A layer built around another layer
    (`TimeDistributed(dense)`) is not one."""
    out: list = []
    todo, seen = list(models), set()
    while todo:
        m = todo.pop()
        if id(m) in seen:
            continue
        seen.add(id(m))
        if isinstance(m, KerasObject):
            if m.trainable != TRUE:
                continue
            if m.model:
                todo.extend(m.parts)
            elif _weighted_layer(m.canon):
                out.append(m)
        elif isinstance(m, Instance):
            keras = derives_from_keras_model(m.cls) or derives_from_keras_layer(m.cls)
            if not keras or m.attrs.get("trainable", TRUE) != TRUE:
                continue
            if derives_from_keras_layer(m.cls) and makes_trainable_weight(m.cls):
                out.append(m)
            for value in m.attrs.values():
                todo.extend(_held(value) or ())
    return out


def _weighted_layer(canon: str) -> bool:
    last = canon.rsplit(".", 1)[-1]
    return (canon.startswith("keras.layers.") and tfnames.is_keras_object(canon)
            and not tfnames.is_weightless_layer(canon) and last not in _LAYERS_OF_LAYERS)


def _held(value) -> list | None:
    """The Keras objects an attribute's value is or holds (a list, tuple or dict of them, a
    list of a model's variables); None when the value may hold one we do not know."""
    if isinstance(value, (KerasObject, Instance)):
        return [value]
    if isinstance(value, ModelVars):
        return list(value.models)
    if isinstance(value, ListVal):
        items = value.items
    elif isinstance(value, DictVal):
        if value.open:
            return None
        items = list(value.items.values())
    elif isinstance(value, _HOLDS_NO_MODEL):
        return []
    else:
        return None
    out: list = []
    for item in items:
        held = _held(item)
        if held is None:
            return None
        out.extend(held)
    return out


def _attributes_known(cls: ClassVal) -> bool:
    """Every class `cls` derives from is the program's own or a TF one, none sets an
    attribute of `self` in a method but `__init__`, and none sets one by a computed name."""
    todo, seen = [cls], set()
    while todo:
        c = todo.pop()
        if id(c) in seen:
            continue
        seen.add(id(c))
        methods = [(k, v.node) for k, v in c.attrs.items() if isinstance(v, FuncVal)]
        if any(_sets_by_name(node) or (k != "__init__" and _sets_self_attribute(node)) for k, node in methods):
            return False
        for base in c.bases:
            if isinstance(base, ClassVal):
                todo.append(base)
            elif not isinstance(base, TFRef):
                return False
    return True


def _sets_self_attribute(func: ast.AST) -> bool:
    return any(
        is_self_attribute(t)
        for n in ast.walk(func) if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign))
        for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
    )


def _sets_by_name(func: ast.AST) -> bool:
    """`setattr(self, name, layer)` or `self.__dict__`: attributes the analysis may not see."""
    return any(
        (isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "setattr")
        or (isinstance(n, ast.Attribute) and n.attr == "__dict__")
        for n in ast.walk(func)
    )


def crossed_pairings(analysis: Analysis) -> list[tuple]:
    """`zip(tape.gradient(loss, a.trainable_variables), b.trainable_variables)` where the two
    lists can share no variable (every model, stage and attribute of both is known, and none
    is in both): each gradient is paired with a variable of another model. (gradient, the
    paired ModelVars, the zip's site), once per gradient site."""
    found, seen = [], set()
    for taken, paired, site in analysis.gradient_pairings:
        if id(taken.site.node) in seen:
            continue
        mine, theirs = weight_holders(taken.var_list.models), weight_holders(paired.models)
        if mine is None or theirs is None or not mine or not theirs or mine & theirs:
            continue
        seen.add(id(taken.site.node))
        found.append((taken, paired, site))
    return found


def part_pairings(analysis: Analysis) -> list[tuple]:
    """`zip(tape.gradient(loss, L), P)` where P is a part of L that does not start it, so zip
    pairs the first gradients of L with P's variables: a later model's list
    (`zip(tape.gradient(loss, enc.trainable_variables + dec.trainable_variables),
    dec.trainable_variables)`, every model, stage and attribute known, the models before it
    holding weights P does not), or a name filter over L (`[v for v in
    m.trainable_variables if "decoder" in v.name]`). (gradient, the paired list, the zip's
    site, "filter" | "model"), once per gradient site."""
    found, seen = [], set()
    for taken, paired, site in analysis.gradient_pairings:
        models, theirs = taken.var_list.models, paired.models
        keys = [model_key(m) for m in models]
        wanted = [model_key(m) for m in theirs]
        if id(taken.site.node) in seen or not wanted or not set(wanted) <= set(keys) or keys[:len(wanted)] == wanted:
            continue
        lead = [m for m in models[:len(wanted)] if model_key(m) not in wanted]
        held, other = weight_holders(lead), weight_holders(theirs)
        # A frozen model's list is empty: the pairs after it are not shifted.
        if held is None or other is None or not held or held & other or not all(map(_trainable_model, lead)):
            continue
        seen.add(id(taken.site.node))
        found.append((taken, paired, site, "model"))
    for taken, picked, site in analysis.gradient_part_pairings:
        if id(taken.site.node) in seen:
            continue
        keys = {model_key(m) for m in taken.var_list.models}
        if not picked.source.models or not {model_key(m) for m in picked.source.models} <= keys:
            continue
        seen.add(id(taken.site.node))
        found.append((taken, picked, site, "filter"))
    return found


@dataclass
class TapeFinding:
    gradient: object  # the TapeGradient
    model: object  # the Keras model the finding is about
    # "untrained" (in no list, feeds a listed model) | "untaped" (listed, applied outside the
    # tape) | "wide" (a listed container's part that another step trains as its own) |
    # "left_out" (another step trains it, this loss flows through it into listed models only)
    kind: str
    # "untrained": the `zip` that pairs this gradient with a longer list holding the model
    paired_at: object = None


def tape_findings(analysis: Analysis) -> list[TapeFinding]:
    """What TF2 gradient lists get wrong, one finding per model:

    - "untrained": a user-built model the loss flows through, upstream of a listed model (or
      downstream of one, applied under the tape), that no list anywhere holds, nothing else
      touches (a load, a polyak update, a `fit`), and that is not frozen: no step ever trains
      it. A longer list zipped with the gradients that holds the model names the step.
    - "untaped": a listed model the loss reached only through a forward pass made while the
      tape was not recording (and the tape saw no unknown call): its gradients are None.
    - "wide": see `_wide`.

    "untrained" is not claimed when any gradient list of the file is not known."""
    key = "tape_findings"
    if key in analysis.memo:
        return analysis.memo[key]
    found: list[TapeFinding] = []
    analysis.memo[key] = found
    grads = analysis.tape_gradients
    if not grads:
        return found
    # Any other list (a `minimize` without one, a list we cannot see) may hold any model.
    lists_known = all(isinstance(g.var_list, ModelVars) for g in grads + analysis.optimizers)
    trained = _keys(m for g in grads if isinstance(g.var_list, ModelVars) for m in g.var_list.models)
    handled = _keys(analysis.models_handled)
    handled |= _keys(m for r in analysis.model_reads if not r.consumed for m in r.models)
    inference = {model_key(m) for m in analysis.inference_applied}
    # The objects (not keys: one helper's blocks in two networks share a key) some list holds.
    stepped = {id(p) for g in grads if isinstance(g.var_list, ModelVars) for m in g.var_list.models
               for p in model_parts(m)}
    reported: set[tuple] = set()
    wide_sites: set[int] = set()
    if lists_known:
        for f in _cut_short(analysis, trained | handled):
            reported.add(model_key(f.model))
            found.append(f)
    for g in grads:
        if not isinstance(g.var_list, ModelVars) or not isinstance(g.loss, Tensor):
            continue
        listed = _keys(g.var_list.models)
        reached: dict[tuple, list] = {}
        for m, tapes in g.loss.models:
            reached.setdefault(model_key(m), [m, False])[1] |= g.tape in tapes
        taped = _keys(m for m, on in reached.values() if on)
        if not g.tape.blind:
            applied = {id(m) for m, _ in g.loss.models}
            for m in g.var_list.models:
                k = model_key(m)
                if id(m) in applied and k not in taped and k not in reported:
                    reported.add(k)
                    found.append(TapeFinding(g, m, "untaped"))
        if id(g.site.node) not in wide_sites:
            wide = _wide(g, grads, taped)
            if wide is not None:
                wide_sites.add(id(g.site.node))
                found.append(wide)
        left_out = _left_out(g, grads, reached, listed, trained, inference)
        if left_out is not None and model_key(left_out) not in reported:
            reported.add(model_key(left_out))
            found.append(TapeFinding(g, left_out, "left_out"))
        if not lists_known:
            continue
        # In source order of where each model is made: the loss's models are a set, and the
        # model named for a gradient must not change from run to run.
        for k, (m, on) in sorted(reached.items(), key=lambda item: _made_order(item[1][0])):
            if k in reported or k in trained or k in handled or k in listed or not _trainable_model(m):
                continue
            if any(id(p) in stepped for p in model_parts(m)[1:]):
                continue  # a container (`self(z)` of a GAN model) whose parts the steps train
            # A head on a listed model's output (`head(encoder(x))`), applied under this tape
            # as a model being trained (not with `training=False`), is left out as much.
            if (any(model_key(up) == k and model_key(down) in listed for up, down in g.loss.feeds)
                    or (on and k not in inference
                        and any(model_key(down) == k and model_key(up) in listed for up, down in g.loss.feeds))):
                reported.add(k)
                found.append(TapeFinding(g, m, "untrained"))
    return found


def _made_order(m) -> tuple:
    """Where a model is made (its constructor call, else its class), to order models by."""
    if isinstance(m, KerasObject):
        return m.path or "", getattr(m.node, "lineno", 0), getattr(m.node, "col_offset", 0)
    site = getattr(m, "made", None)
    node = site.node if site is not None else getattr(getattr(m, "cls", None), "node", None)
    path = site.path if site is not None else ""
    return path or "", getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def _cut_short(analysis: Analysis, trained: set) -> list[TapeFinding]:
    """`zip(tape.gradient(loss, g.trainable_variables), g.trainable_variables +
    e.trainable_variables)`: the step means to train `e` (its list holds it) but takes no
    gradient for it, and `zip` stops at the shorter list. When the loss flows through `e`
    under that tape and no gradient list anywhere holds it, this is the step that leaves it
    untrained, whatever other loss also reaches it."""
    found, seen = [], set()
    for taken, paired, site in analysis.gradient_pairings:
        if not isinstance(taken.loss, Tensor) or not isinstance(taken.var_list, ModelVars):
            continue
        listed = _keys(taken.var_list.models)
        applied = {model_key(m) for m, tapes in taken.loss.models if taken.tape in tapes}
        for m in paired.models:
            k = model_key(m)
            if k in listed or k in trained or k in seen or k not in applied or not _trainable_model(m):
                continue
            # Not a container of a listed model (a functional model around it holds its weights).
            if _keys([m]) & listed:
                continue
            seen.add(k)
            found.append(TapeFinding(taken, m, "untrained", paired_at=site))
    return found


def _left_out(g, grads, reached: dict, listed: set, trained: set, inference: set) -> object:
    """A model (a shared encoder) that another step's list trains, applied under this tape,
    whose output this loss carries only into models of this list, each of which runs here on
    its output alone (never on data, nor on another model's output): the list should hold
    it too, or this loss trains a head on features it never shapes (SAC-AE's critic).
    A discriminator applied to real data, or to two generators' outputs, is a model of its
    own: the generators upstream of it are left out on purpose. Not claimed when another
    gradient of the same tape has a list we cannot see or holds the model, for a model
    the code applies with `training=False` (a fixed feature extractor under a linear probe),
    nor for one whose own output is also a term of this loss (its target)."""
    # One step split into a gradient per model (`tape.gradient(ae_loss, encoder...)`, then
    # `tape.gradient(ae_loss, decoder...)`, on one tape or on a tape per model): a model
    # another gradient of this tape or of this same loss takes is trained by this loss.
    steps = [o for o in grads if o.tape is g.tape or (o.loss is g.loss and o.trace == g.trace and g.loss is not UNKNOWN)]
    if any(not isinstance(o.var_list, ModelVars) for o in steps):
        return None
    tape_lists = _keys(m for o in steps for m in o.var_list.models)
    raw = _keys(g.loss.raw)
    # A model whose own output is also a term of the loss (`mse(h[:, 1:], supervisor(h))`)
    # is the loss's target, not a feature extractor under a head: the step holds it while
    # the head learns to predict it (TimeGAN's supervisor phase; another phase trains the
    # embedder on this same loss).
    targets = _keys(g.loss.direct)
    for k, (m, on) in reached.items():
        if not on or k in tape_lists or k not in trained or not _trainable_model(m) or k in inference or k in targets:
            continue
        downstream = {model_key(d) for up, d in g.loss.feeds if model_key(up) == k}
        if not downstream or not downstream <= listed or downstream & raw:
            continue
        upstream = {model_key(up) for up, d in g.loss.feeds if model_key(d) in downstream}
        if upstream - listed == {k}:
            return m
    return None


def _wide(g, grads, taped: set[tuple]) -> TapeFinding | None:
    """A list that is a whole container's (`self.trainable_variables` of a GAN model) while a
    part of it, applied in this loss on the output of another listed part, has a step of its
    own whose list leaves that other part out: this loss trains the part too (RL109)."""
    for container in g.var_list.models:
        parts = model_parts(container)
        inside = {model_key(p) for p in parts}
        for part in parts[1:]:
            k = model_key(part)
            if k not in taped or not _trainable_model(part):
                continue
            for other in grads:
                if other is g or not isinstance(other.var_list, ModelVars):
                    continue
                its = _keys(other.var_list.models)
                if k not in its or model_key(container) in its:
                    continue
                if not isinstance(other.loss, Tensor) or any(model_key(up) == k for up, _ in other.loss.feeds):
                    # Its own step feeds its output to another model: a generator there (a
                    # VAE-GAN's decoder under the discriminator), trained by two objectives
                    # by design, not a critic that this loss must leave alone. A loss not
                    # followed (a loss object the analysis cannot call) cannot tell which.
                    continue
                if any(model_key(down) == k and model_key(up) in inside and model_key(up) not in its
                       for up, down in g.loss.feeds):
                    return TapeFinding(g, part, "wide")
    return None


def _trainable_model(m) -> bool:
    """A model the code built itself, or a layer class of its own that makes a trainable
    weight (not a library layer, not loaded, not a functional view of a packaged or loaded
    model's layers: a perceptual loss's VGG features), did not freeze, and that holds a
    trainable weight the analysis knows of (not an augmentation `Sequential`)."""
    if isinstance(m, KerasObject):
        return m.model and m.trainable == TRUE and not m.holds_no_trainable_weight and not m.of_whole_models
    if isinstance(m, Instance):
        # A layer of one's own that makes a trainable weight (an ArcFace margin head's
        # `add_weight`) is trained through a list as a model is.
        return ((derives_from_keras_model(m.cls) or derives_from_keras_layer(m.cls) and makes_trainable_weight(m.cls))
                and m.attrs.get("trainable", TRUE) == TRUE)
    return False


def creation_of(analysis: Analysis, trace: int, graph: int, name: str) -> Creation | None:
    """The request that first created `name` in its graph."""
    return _creations_by_name(analysis, trace, graph).get(name)


def builder_call(creation: Creation, others: list[Creation]) -> tuple | None:
    """The deepest user call, on `creation`'s stack, during which one of `others` was also
    created: the call of a model builder (`generator(z)`, `Net()`, `self.build()`) that the
    two variables share, as the call sites from the outermost in. None when they share no
    call (one of them made at module level, or by different top-level calls)."""
    frames = creation.stack[:-1]
    best = 0
    for other in others:
        depth = 0
        for a, b in zip(frames, other.stack[:-1]):
            if a.node is not b.node:
                break
            depth += 1
        best = max(best, depth)
    return tuple(id(s.node) for s in frames[:best]) or None


def made_during(creation: Creation, call: tuple) -> bool:
    """Was `creation` made during the builder call `call` (see builder_call)?"""
    frames = creation.stack[:-1]
    return len(frames) >= len(call) and all(id(s.node) == n for s, n in zip(frames, call))


@dataclass(frozen=True)
class CallbackRecompile:
    """A hook of a Keras callback that changes a `trainable` flag and compiles its model again
    while `fit` runs."""

    write: Site  # an `x.trainable = ...` of the hook
    compile: Site  # the `self.model.compile(...)`, or the call of a function that compiles it
    callback: str  # `SetTrainable.on_epoch_begin`


def callback_recompiles(analysis: Analysis) -> list[CallbackRecompile]:
    found = []
    for cls in analysis.keras_callbacks:
        for item in cls.node.body:
            if not (isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in tfnames.KERAS_FIT_HOOKS):
                continue
            writes = [t for node in ast.walk(item) if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                      for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                      if isinstance(t, ast.Attribute) and t.attr == "trainable"]
            compiles = [node for node in ast.walk(item) if isinstance(node, ast.Call)
                        and _compiles_callback_model(node, cls.module.globals)]
            if writes and compiles:
                call = min(compiles, key=lambda n: (n.lineno, n.col_offset))
                found += [CallbackRecompile(Site(cls.module.path, w), Site(cls.module.path, call),
                                            f"{cls.node.name}.{item.name}")
                          for w in sorted(writes, key=lambda n: (n.lineno, n.col_offset))]
    return found


def _is_callback_model(node: ast.expr) -> bool:
    """`self.model`: the model whose `fit` runs the callback."""
    return is_self_attribute(node) and node.attr == "model"


def _compiles_callback_model(call: ast.Call, globals_: dict) -> bool:
    return _compiles(call, _is_callback_model, globals_, 0)


def _compiles(call: ast.Call, is_model, globals_: dict, depth: int) -> bool:
    """`model.compile(...)` on what `is_model` accepts (`self.model`), or `helper(model, ...)`
    where the program's `helper` compiles that parameter: itself, or through helpers of its
    own, a few calls deep."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "compile" and is_model(func.value):
        return True
    positions = [i for i, arg in enumerate(call.args) if is_model(arg)]
    helper = globals_.get(func.id) if isinstance(func, ast.Name) else None
    node = getattr(helper, "node", None)
    if not positions or depth > 3 or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    params = positional_names(node.args)
    names = {params[i] for i in positions if i < len(params)}
    if not names:
        return False
    # `model = model_fn`: a plain copy of the parameter is the same model.
    assigns = [n for n in ast.walk(node) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Name)]
    grown = True
    while grown:
        grown = False
        for a in assigns:
            if a.value.id in names:
                for t in a.targets:
                    if isinstance(t, ast.Name) and t.id not in names:
                        names.add(t.id)
                        grown = True
    is_param = lambda e: isinstance(e, ast.Name) and e.id in names  # noqa: E731
    return any(isinstance(sub, ast.Call) and _compiles(sub, is_param, helper.module.globals, depth + 1)
               for sub in ast.walk(node))


@dataclass(frozen=True)
class ReplacedWeight:
    """`self.kernel = self.kernel * coef` in a Keras layer's `build`: the weight's attribute
    now holds a tensor computed from it once."""

    site: Site  # the assignment
    attr: str  # `kernel`
    made: Site | None  # where the layer's own `build`/`__init__` made the weight; None: its Keras base did
    layer: str  # the class's name


# The weights a Keras library layer's `build` stores on the object (Dense, Conv*, Embedding,
# the normalization layers, the separable and recurrent ones).
_LIBRARY_WEIGHTS = frozenset({"kernel", "bias", "embeddings", "gamma", "beta", "depthwise_kernel",
                              "pointwise_kernel", "recurrent_kernel"})
_WEIGHT_MAKERS = frozenset({"add_weight", "add_variable", "Variable", "variable"})


def replaced_weights(analysis: Analysis) -> list[ReplacedWeight]:
    """In the `build` of a Keras layer of the program, a weight's attribute given a tensor
    computed from the weight (an arithmetic expression or a TF op of it). Graph-mode
    programs are left out: there the tensor stays in the graph the layer is applied in, and
    gradients still reach the weight through it."""
    if analysis.graph_program:
        return []
    found = []
    for cls in analysis.keras_layer_classes:
        build = next((item for item in cls.node.body
                      if isinstance(item, ast.FunctionDef) and item.name == "build"), None)
        if build is None:
            continue
        own = _weights_made(cls)
        library = derives_from_keras_library_layer(cls)
        in_build = set(ast.walk(build))
        for node in ast.walk(build):
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and is_self_attribute(node.targets[0])):
                continue
            attr = node.targets[0].attr
            made = own.get(attr)
            if made is None and not (attr in _LIBRARY_WEIGHTS and library and _calls_base_build(build, node.lineno)):
                continue
            if made is not None and made.lineno >= node.lineno and made in in_build:
                continue  # made again after this line
            if _computed_from(node.value, attr, cls.module.globals):
                found.append(ReplacedWeight(Site(cls.module.path, node), attr,
                                            Site(cls.module.path, made) if made is not None else None, cls.node.name))
    return found


def _weights_made(cls: ClassVal) -> dict[str, ast.AST]:
    """`self.w = self.add_weight(...)` (or `tf.Variable(...)`) in the `__init__` or `build` of
    the class or of the program's classes it derives from: attribute -> the assignment."""
    made: dict[str, ast.AST] = {}
    for c in cls.program_classes():
        for item in c.node.body:
            if not (isinstance(item, ast.FunctionDef) and item.name in ("__init__", "build")):
                continue
            for node in ast.walk(item):
                if (isinstance(node, ast.Assign) and len(node.targets) == 1 and is_self_attribute(node.targets[0])
                        and isinstance(node.value, ast.Call) and _callee_name(node.value) in _WEIGHT_MAKERS):
                    made.setdefault(node.targets[0].attr, node)
    return made


def _callee_name(call: ast.Call) -> str | None:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _calls_base_build(build: ast.FunctionDef, before: int) -> bool:
    """`super().build(input_shape)` (or `Base.build(self, ...)`) on a line before `before`."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "build"
               and n.lineno < before for n in ast.walk(build))


def _computed_from(value: ast.expr, attr: str, globals_: dict) -> bool:
    """`self.kernel * coef`, `-self.kernel`, `tf.clip_by_norm(self.kernel, 1.0)`: a tensor
    made of the weight. A call of anything else (a method, a Variable) may return a variable."""
    reads = any(is_self_attribute(n) and n.attr == attr for n in ast.walk(value))
    if not reads:
        return False
    if isinstance(value, (ast.BinOp, ast.UnaryOp)):
        return True
    if isinstance(value, ast.Call) and _callee_name(value) not in _WEIGHT_MAKERS:
        root = value.func
        while isinstance(root, ast.Attribute):
            root = root.value
        return isinstance(root, ast.Name) and isinstance(globals_.get(root.id), TFRef)
    return False


@dataclass(frozen=True)
class UntrackedVariable:
    """`self.log_sigma = tf.Variable(...)` in a Keras 3 layer or model of the program: Keras 3
    tracks only its own variables, so this one is in none of the layer's lists."""

    site: Site  # the assignment
    attr: str
    layer: str  # the class's name
    why: str  # what says the layer is Keras 3's


# `tf.Variable` itself: `K.variable` is not in Keras 3, and the rest make Keras weights.
_BARE_VARIABLES = frozenset({"tf.Variable", "tf.compat.v2.Variable"})


def untracked_variables(analysis: Analysis) -> list[UntrackedVariable]:
    """Trainable `tf.Variable`s kept on `self` by the methods of a Keras layer or model class
    of the program that runs under Keras 3: its module uses a name only Keras 3 has, or the
    project's requirements ask for TensorFlow 2.16 or later (or Keras 3) and never switch
    back to tf_keras. Left out: tf_keras layers, modules that switch or import tf_keras,
    graph-mode programs, variables made with `trainable=False`, and attributes the program
    names in a list, a tuple or a gradient call (`tape.gradient(loss, [layer.log_sigma])`,
    a `trainable_weights` property of its own): those it trains or tracks by hand."""
    if analysis.graph_program:
        return []
    found: list[UntrackedVariable] = []
    listed: set[str] | None = None
    for cls in analysis.keras_layer_classes:
        bases = keras_bases(cls)
        if not bases or any(b == r or b.startswith(r + ".") for b in bases for r in tfnames.KERAS2_ROOTS):
            continue
        generation = keras_generation(cls.module)
        if generation == 2 or (generation is None and not analysis.keras3_project):
            continue
        why = ("its module uses a name only Keras 3 has" if generation == 3
               else "the project requires TensorFlow 2.16 or later, whose `tf.keras` is Keras 3")
        for item in cls.node.body:
            if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(item):
                if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and is_self_attribute(node.targets[0])
                        and isinstance(node.value, ast.Call)
                        and _tf_name(node.value.func, cls.module.globals) in _BARE_VARIABLES
                        and _made_trainable(node.value)):
                    continue
                if listed is None:
                    listed = _listed_attributes(analysis)
                attr = node.targets[0].attr
                # State the layer writes itself (a counter, a running maximum) is no weight,
                # unless the code asks for it to be trainable (`trainable=trainable`: a
                # bandwidth set from the data on the first call, then learned).
                asked = any(kw.arg == "trainable" for kw in node.value.keywords)
                if attr not in listed and (asked or attr not in _assigned_state(cls)):
                    found.append(UntrackedVariable(Site(cls.module.path, node), attr, cls.node.name, why))
    return found


def _assigned_state(cls: ClassVal) -> set[str]:
    """Attributes the class's methods write with `assign`, `assign_add` or `assign_sub`
    (`self.step.assign_add(1)`): state the layer keeps, not a weight a gradient trains."""
    return {n.func.value.attr for n in ast.walk(cls.node)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr.startswith("assign")
            and is_self_attribute(n.func.value)}


def _tf_name(func: ast.expr, globals_: dict) -> str | None:
    """The canonical TF name a callee spells (`tf.Variable`, `Variable` imported from tensorflow)."""
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    bound = globals_.get(func.id) if isinstance(func, ast.Name) else None
    if not isinstance(bound, TFRef):
        return None
    return tfnames.canonical(".".join([bound.qualname, *reversed(parts)]))


def _made_trainable(call: ast.Call) -> bool:
    """Not `tf.Variable(0, trainable=False)` nor `tf.Variable(0, False)`, nor an integer
    (`tf.Variable(0)`, `dtype=tf.int64`): no gradient trains a counter."""
    value = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "initial_value"), None)
    if isinstance(value, ast.Constant) and type(value.value) in (int, bool):
        return False
    for kw in call.keywords:
        if kw.arg == "dtype" and re.search(r"int|bool", ast.unparse(kw.value)):
            return False
    for kw in call.keywords:
        if kw.arg == "trainable":
            return not (isinstance(kw.value, ast.Constant) and kw.value.value is False)
    position = tfnames.TRAINABLE_POSITION["tf.Variable"]
    if len(call.args) > position:
        value = call.args[position]
        return not (isinstance(value, ast.Constant) and value.value is False)
    return True


# Calls that hand variables over to be trained or tracked by hand.
_VARIABLE_TAKERS = frozenset({"gradient", "apply_gradients", "minimize", "watch", "_track_variable", "append", "extend"})


def _listed_attributes(analysis: Analysis) -> set[str]:
    """Attribute names the program's modules put in a list, tuple or set display, or pass to
    a call that trains or tracks variables: `[model.log_sigma]`, `tape.watch(self.scale)`."""
    names: set[str] = set()
    for module in analysis.sources.values():
        for node in ast.walk(module.tree):
            if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
                names.update(e.attr for e in node.elts if isinstance(e, ast.Attribute))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _VARIABLE_TAKERS:
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    names.update(n.attr for n in ast.walk(arg) if isinstance(n, ast.Attribute))
    return names
