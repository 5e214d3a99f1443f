"""Optimizers and what consumes a variable list: `tf.train.*Optimizer` and
`ExponentialMovingAverage` objects, their `minimize` / `compute_gradients` /
`apply_gradients` / `apply` (an `OptimizerUse`, and slot or shadow variables made on the
spot), gradients carried from `compute_gradients` (or `zip(grads, var_list)`) to
`apply_gradients`, and `tf.train.Saver(var_list)`.
"""

from __future__ import annotations

import ast
from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.events import HandGradients, OptimizerUse, Site, TapeGradient
from reuse_lint.engine.syntax import parameter_names
from reuse_lint.engine.tfapi import NOT_SPECIAL, TFMethod, attributes, builtin, register, register_family, selections
from reuse_lint.engine.tfapi.core import effective_reuse, legacy_optimizers
from reuse_lint.engine.values import (
    AUTO, EMPTY_TENSOR, UNKNOWN, Const, FuncVal, KerasOptimizer, KeyedVars, ListVal, ModelVars, Optimizer, TapeVal, Tensor,
    TFRef, VarList,
)


class Gradients:
    """What `compute_gradients` returns, carried to `apply_gradients`: (gradient, variable)
    pairs, or (`pairs=False`) the bare gradients of `tf.gradients(loss, var_list)`, in the
    list's order, which `zip(grads, var_list)` pairs up again. `by_hand`: they came from
    `tf.gradients`, so the `apply_gradients` that takes them is the step's only record."""

    __slots__ = ("loss", "var_list", "pairs", "by_hand")

    def __init__(self, loss: Any, var_list: Any, pairs: bool = True, by_hand: bool = False) -> None:
        self.loss, self.var_list, self.pairs, self.by_hand = loss, var_list, pairs, by_hand


def tape_gradient(interp, tape: Any, loss: Any, sources: Any, node, module) -> Gradients:
    """One tape step's gradients, `tape.gradient(loss, sources)` or the step a Keras
    optimizer's `minimize` takes itself, recorded for the rules that compare its list."""
    if isinstance(sources, ModelVars):
        sources.consume()
    interp.analysis.tape_gradients.append(TapeGradient(Site(module.path, node), tape, loss, sources, interp.trace))
    return Gradients(loss, sources)


class SaverUse:
    """A Saver built on a selection: an empty list makes it save nothing, silently."""

    method = "saver"
    loss = None

    def __init__(self, site: Site, var_list: Any = None) -> None:
        self.site, self.var_list = site, var_list


@register(*tfnames.SAVERS)
def _saver(interp, canon, node, args, kwargs, module) -> Any:
    var_list = kwargs.get("var_list", args[0] if args else None)
    if isinstance(var_list, KeyedVars):
        var_list = var_list.var_list  # a dict by checkpoint name saves its values
    if isinstance(var_list, VarList) and var_list.selection is not None:
        var_list.selection.used_by.append(SaverUse(Site(module.path, node), var_list))
    return UNKNOWN


@register(tfnames.EMA)
@register_family(tfnames.is_optimizer)
def _optimizer(interp, canon, node, args, kwargs, module) -> Any:
    return Optimizer(canon, node)


@register(*tfnames.OPTIMIZER_WRAPPERS)
def _wrapper(interp, canon, node, args, kwargs, module) -> Any:
    """`opt = tf.train.SyncReplicasOptimizer(opt, ...)` (often on one arm of `if sync:`): every
    step of the wrapper is the wrapped optimizer's, its slots made there and named by it, so
    the wrapper is that object. What it makes of its own (a local step, a contrib wrapper's
    averages) is what the graph learns of any such call. Around anything else it is what it
    was (a `tf.train` one a new optimizer, a contrib one an unknown call)."""
    inner = args[0] if args else kwargs.get("opt", kwargs.get("optimizer"))
    if not isinstance(inner, Optimizer):
        return _optimizer(interp, canon, node, args, kwargs, module) if canon.startswith("tf.train.") else NOT_SPECIAL
    if tfnames.may_create_opaquely(canon):
        interp.tf.unknown_effect()
    return inner


@attributes(Optimizer)
def _optimizer_attribute(base: Optimizer, attr: str) -> Any:
    if attr in ("minimize", "compute_gradients", "apply_gradients"):
        return TFMethod(_USES[attr], base)
    if attr == "apply":
        return TFMethod(_apply_average, base)
    if attr in ("average", "average_name"):
        return TFMethod(_read_average, base)
    return UNKNOWN


def _apply_average(interp, optimizer: Optimizer, node, module, args, kwargs) -> Any:
    """ExponentialMovingAverage.apply makes shadow variables."""
    var_list = kwargs.get("var_list", args[0] if args else UNKNOWN)
    primaries = var_list.names if isinstance(var_list, VarList) and _complete(var_list) else None
    _note_computed_average(interp, var_list, node, module)
    _make_slots(interp, optimizer, Site(module.path, node), primaries)
    return EMPTY_TENSOR


def _read_average(interp, optimizer: Optimizer, node, module, args, kwargs) -> Any:
    """`ema.average(v)`, `ema.average_name(v)`: a lookup of what `apply` made, nothing new."""
    return UNKNOWN


def _note_computed_average(interp, var_list: Any, node: ast.Call, module) -> None:
    """An average of op outputs (a batch norm's `tf.nn.moments`) made under `reuse=True`: TF
    names each shadow `<scope>/<op name>/ExponentialMovingAverage` through `get_variable`,
    and the op's name carries the name scope, new at every call (`disc_1/bn/moments/...`), so
    the lookup never finds it: `Variable .../ExponentialMovingAverage/ does not exist` (TF
    2.21). An average of variables is named after the variable and is found again."""
    if not (isinstance(var_list, ListVal) and var_list.items and _averages_moments(interp, node, module)):
        return
    reuse, reuse_site = effective_reuse(interp)
    if reuse == Const(True):
        stack = tuple(interp.calls) + (Site(module.path, node),)
        interp.analysis.computed_averages.append((stack, reuse_site, tuple(interp.conds)))


def _averages_moments(interp, call: ast.Call, module) -> bool:
    """`ema.apply([mean, variance])` where every name is bound, in the running function, only
    by unpacking a `tf.nn.moments(...)` call."""
    arg = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "var_list"), None)
    if not isinstance(arg, (ast.List, ast.Tuple)) or not arg.elts:
        return False
    owner = interp.funcs[-1].node if interp.funcs else module.tree
    return all(isinstance(e, ast.Name) and _bound_to_moments(owner, e.id, module) for e in arg.elts)


def _bound_to_moments(owner: ast.AST, name: str, module) -> bool:
    """Every binding of `name` in `owner` is a target of `a, b = tf.nn.moments(...)`."""
    if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)):
        a = owner.args
        if name in set(parameter_names(a)) | {v.arg for v in (a.vararg, a.kwarg) if v}:
            return False
    stores = 0
    from_moments = 0
    for node in ast.walk(owner):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            stores += 1
        elif (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
              and _canonical(node.value.func, module) in tfnames.MOMENTS):
            from_moments += sum(1 for t in node.targets if isinstance(t, (ast.Tuple, ast.List))
                                for e in t.elts if isinstance(e, ast.Name) and e.id == name)
    return stores > 0 and stores == from_moments


def _canonical(func: ast.expr, module) -> str | None:
    """The canonical name of `tf.nn.moments` written through the module's TF import."""
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    root = module.globals.get(func.id)
    if not isinstance(root, TFRef):
        return None
    for part in reversed(parts):
        root = root.attr(part)
    return tfnames.canonical(root.qualname)


def _make_slots(interp, optimizer: Optimizer, site: Site, primaries: tuple | None, reach: tuple | None = None) -> None:
    """A step that makes slot variables (or an average's shadows): recorded as a creation
    unless, under reuse, it finds every one of them already made (`_slots_found`)."""
    reuse = effective_reuse(interp)
    here, arms = (interp.tf.graph.gid, interp.trace), frozenset(interp.conds)
    if primaries and all(optimizer.made.get((here, p), None) is not None and optimizer.made[(here, p)] <= arms
                         for p in primaries):
        return  # `ema.apply(d_vars)` again: this object has every one's average (or slots) already
    graph = interp.tf.graph
    if not _slots_found(interp, optimizer, primaries, reuse[0], reach):
        # The slots' names not followed (the step's variables are not all known: a model built
        # by calls the engine cannot see), but this step made slots before in this graph and a
        # scope above it was reopened since, which resets the counts of the slot names below:
        # the model built again under reuse may find them (round 34's chatbot, its generation
        # model rebuilt for training under `scope.reuse_variables()` in `models` opened again).
        named = primaries is not None and not graph.slots_unknown
        last = graph.slot_sites.get(id(site.node))
        prefix = interp.tf.prefix() or ""
        parts = prefix.split("/") if prefix else []
        # Not a moving average: its shadow of a tensor is named by the tensor's op, new each time.
        maybe_found = not named and last is not None and "MovingAverage" not in optimizer.canon and any(
            graph.opened.get("/".join(parts[:i]), -1) > last for i in range(1, len(parts) + 1))
        interp.analysis.slot_creations.append(
            (graph.gid, interp.trace, interp.analysis.tick(), site, optimizer.canon, reuse,
             graph.after_constructor, maybe_found))
    graph.slot_sites[id(site.node)] = graph.tick
    for p in primaries or ():
        optimizer.made.setdefault((here, p), arms)


# Per slot-making class: the default `name` (a slot of `net/w` lives in the variable scope
# `<current scope>/net/w/<name>`, uniquified `<name>_1`, ... like any default-named scope),
# the slots it makes per variable, and where `name` comes among the constructor's arguments.
_SLOTS = {
    "AdamOptimizer": ("Adam", 2, 5),
    "MomentumOptimizer": ("Momentum", 1, 3),
    "RMSPropOptimizer": ("RMSProp", 2, 6),  # rms and momentum; mg too when centered
    "AdagradOptimizer": ("Adagrad", 1, 3),
    "AdadeltaOptimizer": ("Adadelta", 2, 4),
    "ExponentialMovingAverage": ("ExponentialMovingAverage", 1, 3),
}


def _slot_layout(optimizer: Optimizer) -> tuple[str, int] | None:
    """(slot scope name, slots per variable) from the constructor call's literals; None when
    an argument that decides them is not a literal."""
    entry = _SLOTS.get(optimizer.canon.split(".")[-1])
    call = optimizer.node
    if entry is None or not isinstance(call, ast.Call):
        return None
    name, count, position = entry
    given = {k.arg: k.value for k in call.keywords}
    if None in given or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    if len(call.args) > position:
        given["name"] = call.args[position]
    if optimizer.canon.endswith("RMSPropOptimizer") and len(call.args) > 5:
        given["centered"] = call.args[5]
    for key in ("name", "centered"):
        if key in given and not isinstance(given[key], ast.Constant):
            return None
    if "name" in given:
        name = given["name"].value
    if given.get("centered") is not None and given["centered"].value:
        count += 1
    return (name, count) if isinstance(name, str) and name else None


def _complete(var_list: VarList) -> bool:
    selection = var_list.selection
    return selection is None or getattr(selection, "complete", False)


def _reach(loss: Any) -> tuple[frozenset, frozenset] | None:
    """The model scopes, and the unscoped variables by name, that a gradient of `loss`
    reaches; None when the loss is not followed."""
    if not isinstance(loss, Tensor) or loss.partial:
        return None
    models = frozenset(s for s in loss.scopes if isinstance(s, str))
    unscoped = frozenset(s[1] for s in loss.scopes if isinstance(s, tuple))
    return models, unscoped


def _reached_variables(interp, reach: tuple | None) -> tuple[str, ...] | None:
    """The trainable variables a step with no list gives slots to: those of the graph that
    the loss's gradient reaches (TF makes no slot for a variable whose gradient is None).
    None when the graph holds variables we cannot name or the loss is not followed."""
    graph = interp.tf.graph
    if reach is None or not any(reach) or graph.unnamed or graph.opaque or not graph.fresh:
        return None
    models, unscoped = reach
    names = tuple(n for n, c in graph.variables.items() if c.trainable and (c.model_scope in models or n in unscoped))
    return names or None


def _slots_found(interp, optimizer: Optimizer, primaries: tuple | None, reuse: Any, reach: tuple | None = None) -> bool:
    """Follow TF's naming of the slot variables this step makes, and tell whether reuse is
    on and every one of them already exists: the step then finds the slots an earlier build
    made (a model built twice, its second build under `reuse_variables()`). A slot of `net/w`
    lives in the default-named scope `<current scope>/net/w/Adam` (then `Adam_1`, ...): it
    is the earlier build's name again only if a scope above it was reopened between the two
    builds, which sets TF's name counts below it back to zero; otherwise it gains a suffix
    (`Adam_2`), is new, and under reuse TF fails on it."""
    graph = interp.tf.graph
    layout = _slot_layout(optimizer)
    prefix = interp.tf.prefix()
    if layout is None or prefix is None:
        graph.slots_unknown = True  # its scopes were counted, and we did not follow them
        return False
    on = reuse == Const(True) or reuse is AUTO
    arms = frozenset(interp.conds)
    found = None
    if primaries is not None and not graph.slots_unknown:
        found = _named_slots_found(graph, optimizer, primaries, layout, prefix, arms)
    else:
        graph.slots_unknown = True
    if reach is not None:
        key = (id(optimizer.node), prefix, reach, layout)
        footprint = _footprint(interp)
        if found is None:
            found = _same_step_again(graph, graph.slot_steps.get(key), prefix, arms, footprint)
        # A run without reuse makes its slots; one with reuse has them only if it found them.
        graph.slot_steps[key] = (graph.tick, found or not on, arms, footprint)
    return bool(found) and on


def _footprint(interp) -> tuple:
    """What makes new variables (new slots to make): named ones, `tf.Variable`s and Keras
    objects, and unknown calls (RNN cells run under reuse look theirs up)."""
    graph = interp.tf.graph
    made = sum(1 for b in interp.analysis.builds if b.kind != "default_scope")
    return len(graph.variables), graph.unnamed, graph.opaque_events - graph.cell_events, made


def _named_slots_found(graph, optimizer: Optimizer, primaries: tuple, layout: tuple, prefix: str, arms: frozenset) -> bool:
    """Name this step's slots from its variables' names, as TF does, and record them."""
    kind, per_variable = layout
    names = []
    for primary in primaries:
        if primary in optimizer.slotted:
            continue  # the same object made this variable's slots already: none again
        optimizer.slotted.add(primary)
        for _ in range(per_variable):
            base = graph.unique(prefix, f"{primary}/{kind}")
            full = f"{prefix}/{base}" if prefix else base
            graph.open(full)
            names.append(full)
    found = bool(names) and all(n in graph.slots and graph.slots[n] <= arms for n in names)
    for n in names:
        graph.slots.setdefault(n, arms)
    return found


def _same_step_again(graph, last: tuple | None, prefix: str, arms: frozenset, footprint: tuple) -> bool:
    """The variables cannot all be named (a cell's, made TF's way), but this is the same step
    (code, scope, models reached) as one that had its slots, no variable was made since,
    and the step's own scope or one above it was reopened since, which resets the counts of
    every slot name below it: the names are that run's again."""
    if last is None:
        return False
    tick, had, earlier_arms, earlier_footprint = last
    if not had or not earlier_arms <= arms or earlier_footprint != footprint:
        return False
    parts = prefix.split("/") if prefix else []
    return any(graph.opened.get("/".join(parts[:i]), 0) > tick for i in range(1, len(parts) + 1))


def _use(kind: str):
    def use(interp, optimizer: Optimizer, node, module, args, kwargs) -> Any:
        return _optimizer_use(interp, kind, optimizer, node, module, args, kwargs)
    return use


def _optimizer_use(interp, kind: str, optimizer: Optimizer, node, module, args, kwargs) -> Any:
    position = {"minimize": 2, "compute_gradients": 1}.get(kind)
    var_list = kwargs.get("var_list", args[position] if position is not None and len(args) > position else None)
    loss = kwargs.get("loss", args[0] if args else UNKNOWN)
    if kind == "apply_gradients":
        grads = kwargs.get("grads_and_vars", args[0] if args else UNKNOWN)
        loss, var_list = (grads.loss, grads.var_list) if isinstance(grads, Gradients) else (UNKNOWN, UNKNOWN)
    use = OptimizerUse(
        site=Site(module.path, node), method=kind, optimizer=optimizer.canon, graph=interp.tf.graph.gid,
        trace=interp.trace, loss=loss, var_list=var_list,
        by_hand=kind == "apply_gradients" and isinstance(grads, Gradients) and grads.by_hand,
        conds=tuple(interp.conds),
    )
    if isinstance(var_list, VarList) and var_list.selection is not None:
        var_list.selection.used_by.append(use)
    interp.analysis.optimizers.append(use)
    if kind == "compute_gradients":
        return Gradients(loss, var_list)
    if optimizer.canon.split(".")[-1] in tfnames.SLOT_OPTIMIZERS:
        every = var_list is None or var_list == Const(None)
        reach = _reach(loss) if every else None
        if isinstance(var_list, VarList):
            primaries = var_list.names if _complete(var_list) else None
        else:
            primaries = _reached_variables(interp, reach)
        _make_slots(interp, optimizer, use.site, primaries, reach)
    return EMPTY_TENSOR


_USES = {kind: _use(kind) for kind in ("minimize", "compute_gradients", "apply_gradients")}


@register_family(tfnames.is_keras_optimizer)
def _keras_optimizer(interp, canon, node, args, kwargs, module) -> Any:
    frame = interp.tf.tf_functions[-1] if interp.tf.tf_functions else None
    if frame is not None and interp.guards > frame[0]:
        frame = None  # `if self.opt is None: self.opt = Adam()`: the documented singleton
    loops = tuple(interp.loops)
    guarded = bool(loops) and any(c.loops == loops for c in interp.conds)
    return KerasOptimizer(canon, Site(module.path, node), interp.trace, loops, frame, guarded)


@attributes(KerasOptimizer)
def _keras_optimizer_attribute(base: KerasOptimizer, attr: str) -> Any:
    if attr == "apply_gradients":
        return TFMethod(_keras_step, base)
    if attr == "minimize":
        return TFMethod(_keras_minimize, base)
    if attr == "build":
        base.built = True
    return UNKNOWN


def _keras_minimize(interp, optimizer: KerasOptimizer, node, module, args, kwargs) -> Any:
    """`opt.minimize(loss_fn, var_list)` of a Keras optimizer: Keras runs `loss_fn` under a
    GradientTape of its own and applies the gradients of its result for `var_list`, one tape
    step as `tape.gradient` and `apply_gradients` write it (a tensor loss needs `tape=`, the
    tape it was recorded on)."""
    loss = args[0] if args else kwargs.get("loss", UNKNOWN)
    var_list = args[1] if len(args) > 1 else kwargs.get("var_list", UNKNOWN)
    tape = kwargs.get("tape", UNKNOWN)
    if isinstance(loss, FuncVal) and not loss.node.args.args[loss.bound_self is not None:]:
        tape = TapeVal(node)
        interp.tf.tapes.append(tape)
        try:
            loss = interp.call_function(loss, [], {}, Site(module.path, node))
        finally:
            interp.tf.tapes.remove(tape)
    elif not (isinstance(loss, Tensor) and isinstance(tape, TapeVal)):
        return _keras_step(interp, optimizer, node, module, [], {})
    return _keras_step(interp, optimizer, node, module, [tape_gradient(interp, tape, loss, var_list, node, module)], {})


def _keras_step(interp, optimizer: KerasOptimizer, node, module, args, kwargs) -> Any:
    """A Keras optimizer applied: if it was made in this same step (this run of the
    tf.function, or this iteration of the loop, with no model made there too), every step
    has a new optimizer."""
    step = args[0] if args else kwargs.get("grads_and_vars")
    if isinstance(step, Gradients) and isinstance(step.var_list, ModelVars):
        interp.analysis.keras_optimizer_steps.append(
            (optimizer, step.var_list, Site(module.path, node), interp.trace, False, tuple(interp.conds),
             legacy_optimizers(interp)))
    how = None
    if optimizer.trace == interp.trace:
        optimizer.steps += 1
    if optimizer.trace != interp.trace or optimizer.reported:
        return UNKNOWN
    if optimizer.frame is not None and any(f is optimizer.frame for f in interp.tf.tf_functions):
        how = "tf.function"
    elif optimizer.loops and optimizer.loops == tuple(interp.loops) and not optimizer.loop_guarded and not any(
        b.kind == "keras" and b.trace == optimizer.trace and b.loops == optimizer.loops for b in interp.analysis.builds
    ):
        how = "loop"  # (a model made in the same pass is a fresh model per pass: a sweep)
    if how is not None:
        optimizer.reported = True
        interp.analysis.optimizers_per_step.append((optimizer.site, optimizer.canon, how, optimizer))
    return UNKNOWN


@register(tfnames.GRADIENTS)
def _gradients(interp, canon, node, args, kwargs, module) -> Any:
    """`tf.gradients(loss, tvars)`: the gradients of a step that `apply_gradients(zip(grads,
    tvars))` will take. With respect to anything but a variable list (a gradient penalty's
    inputs) it stays an ordinary op on its inputs."""
    loss = args[0] if args else kwargs.get("ys", UNKNOWN)
    xs = args[1] if len(args) > 1 else kwargs.get("xs", UNKNOWN)
    if not isinstance(xs, VarList):
        return NOT_SPECIAL
    grad_ys = args[2] if len(args) > 2 else kwargs.get("grad_ys", Const(None))
    if not (isinstance(grad_ys, Const) and grad_ys.value is None):
        # DDPG's actor step, `tf.gradients(a, actor_vars, grad_ys=-dq_da)`: the gradient is
        # the critic's, pushed through the actor, and often fed by a placeholder; what it
        # reaches is not what `a` reaches.
        loss = UNKNOWN
    interp.analysis.hand_gradients.append(HandGradients(
        Site(module.path, node), loss, xs, interp.tf.graph.gid, interp.trace))
    return Gradients(loss, xs, pairs=False, by_hand=True)


@register(tfnames.CLIP_BY_GLOBAL_NORM)
def _clip_by_global_norm(interp, canon, node, args, kwargs, module) -> Any:
    """`grads, norm = tf.clip_by_global_norm(grads, 5.0)`: the same gradients, rescaled."""
    grads = args[0] if args else kwargs.get("t_list", UNKNOWN)
    if isinstance(grads, Gradients) and not grads.pairs:
        return ListVal([Gradients(grads.loss, grads.var_list, pairs=False, by_hand=grads.by_hand), UNKNOWN])
    return NOT_SPECIAL


def same_gradients(a: Any, b: Any) -> Gradients | None:
    """`if clip_mode == "global": grads, _ = tf.clip_by_global_norm(grads, c) elif ...: grads =
    [tf.clip_by_norm(g, c) for g in grads]`: each arm rescales the same step's gradients, so
    after the `if` the step is the same either way. None unless both are one step's. Each arm
    may read the models' list again (`if mixed: grads = opt.get_unscaled_gradients(
    tape.gradient(scaled, m.trainable_variables)) else: grads = tape.gradient(loss,
    m.trainable_variables)`): lists of the same models are one list. Tape gradients of two
    losses (the scaled one bound on one arm only) over one list are still that list's: the
    loss is then not known."""
    if not (isinstance(a, Gradients) and isinstance(b, Gradients) and _same_list(a.var_list, b.var_list)
            and (a.pairs, a.by_hand) == (b.pairs, b.by_hand)):
        return None
    if a.loss is b.loss:
        return a
    # Either `tape.gradient` call names the list; the later arm's (most often the plain,
    # unscaled path) is the one a finding then points at.
    return Gradients(UNKNOWN, b.var_list, b.pairs, b.by_hand) if isinstance(b.var_list, ModelVars) else None


def _same_list(a: Any, b: Any) -> bool:
    if a is b:
        return True
    return (isinstance(a, ModelVars) and isinstance(b, ModelVars) and type(a) is type(b) is ModelVars
            and len(a.models) == len(b.models) and all(x is y for x, y in zip(a.models, b.models)))


def carry_gradients(interp, node, env, module, elts, source: Any) -> Any:
    """`[(tf.clip_by_value(g, -1., 1.), v) for g, v in gvs]` over `compute_gradients` pairs,
    or `[tf.clip_by_norm(g, 5.) for g in grads]` over `tf.gradients`: each gradient is
    transformed and stays with its variable, so the step's loss and list are carried. None
    for any other comprehension; a test on the variable (which could drop some) or nested
    loops lose the pairs, and the result is then unknown as before."""
    gens = node.generators
    if len(gens) != 1 or len(elts) != 1:
        return None
    gen, elt = gens[0], elts[0]
    target = gen.target
    if isinstance(target, ast.Tuple) and len(target.elts) == 2 and all(isinstance(t, ast.Name) for t in target.elts):
        var = target.elts[1].id
        pairs = source_pairs = True
        if not _keeps_variable(elt, target):
            # `[tf.clip_by_norm(g, c) for g, v in zip(grads, tvars)]`: bare gradients again
            # (`[v for g, v in gvs]` is the variables)
            if gen.ifs or isinstance(elt, ast.Tuple) or _reads_variable(elt, target):
                return None
            pairs = False
        elif any(isinstance(n, ast.Name) and n.id == var for cond in gen.ifs for n in ast.walk(cond)):
            return None  # a test of the variable may drop variables from the list
    elif isinstance(target, ast.Name) and not gen.ifs:
        pairs = source_pairs = False  # a dropped gradient would shift every later one against the list
    else:
        return None
    if not (isinstance(source, Gradients) and source.pairs == source_pairs):
        return None
    return Gradients(source.loss, source.var_list, pairs=pairs, by_hand=source.by_hand)


@builtin("zip")
def _zip(interp, args, node, module) -> Any:
    selections.note_zipped(interp, args, node, module)  # pairs of variables (a target update)
    if len(args) == 2 and isinstance(args[1], VarList):
        # zip(grads, var_list) for apply_gradients; the loss is known when the gradients
        # came from tf.gradients.
        grads = args[0]
        if isinstance(grads, Gradients) and not grads.pairs:
            return Gradients(grads.loss, args[1], by_hand=grads.by_hand)
        return Gradients(UNKNOWN, args[1])
    return NOT_SPECIAL


@builtin("zip(*)")
def _unzip(interp, args, node, module) -> Any:
    """`grads, tvars = zip(*opt.compute_gradients(loss, var_list))`: the bare gradients and
    the list, which `zip(clipped, tvars)` pairs up again."""
    pairs = args[0]
    if isinstance(pairs, Gradients) and pairs.pairs:
        tvars = pairs.var_list if isinstance(pairs.var_list, VarList) else UNKNOWN
        return ListVal([Gradients(pairs.loss, pairs.var_list, pairs=False, by_hand=pairs.by_hand), tvars])
    return NOT_SPECIAL


@builtin("list")
@builtin("sorted")
@builtin("tuple")
def _copy(interp, args, node, module) -> Any:
    return args[0] if len(args) == 1 and isinstance(args[0], Gradients) else NOT_SPECIAL


def loop_appends(interp, stmt: ast.For, iterable: Any, env, module) -> list[tuple[ast.AST, Any]]:
    """`clipped = []; for g in grads: clipped.append(tf.clip_by_norm(g, 5.))` over
    `tf.gradients`, or `for g, v in gvs: if g is not None: capped.append((clip(g), v))` over
    `compute_gradients` pairs (or `zip(grads, tvars)`): the loop rebuilds the step's gradients
    as carry_gradients' comprehensions do, so the list it fills holds the same loss and
    variable list afterwards, bound by the interpreter once the loop ran. A bare gradient must
    be appended once on every way through the body: one dropped would shift every later one
    against the list `zip` pairs them with. A pair may be dropped (a None gradient), but not by
    a test of its variable, which could leave variables out. Not followed: a body that loops
    again, leaves by `break` or `return`, or reads the list any other way."""
    target = stmt.target
    if not isinstance(iterable, Gradients) or stmt.orelse:
        return []
    if iterable.pairs:
        if not (isinstance(target, ast.Name) or (
                isinstance(target, ast.Tuple) and len(target.elts) == 2
                and all(isinstance(t, ast.Name) for t in target.elts))):
            return []
    elif not isinstance(target, ast.Name):
        return []
    appends: list[ast.Call] = []
    tests: list[ast.expr] = []
    counted = _append_counts(stmt.body, appends, tests)
    if counted is None or not appends:
        return []
    ways = counted[0] | counted[1]
    keys = {_list_key(call.func.value) for call in appends}
    if len(keys) != 1 or None in keys:
        return []
    key = keys.pop()
    if sum(_list_key(n) == key for s in stmt.body for n in ast.walk(s)) != len(appends):
        return []  # read, rebound or grown otherwise in the body
    receiver = appends[0].func.value
    before = interp.eval(receiver, env, module)
    if not (isinstance(before, ListVal) and not before.items and not before.sample and not before.changed):
        return []
    elements = [call.args[0] for call in appends]
    kept_pairs = iterable.pairs and all(_keeps_variable(e, target) for e in elements)
    if kept_pairs:
        if not ways <= {0, 1} or any(_reads_variable(t, target) for t in tests):
            return []
    elif ways != {1} or any(isinstance(e, ast.Tuple) or (iterable.pairs and _reads_variable(e, target))
                             for e in elements):
        return []  # (`tvars.append(v)` collects the variables)
    return [(receiver, Gradients(iterable.loss, iterable.var_list, pairs=kept_pairs, by_hand=iterable.by_hand))]


def _append_counts(body: list[ast.stmt], appends: list, tests: list) -> tuple[set[int], set[int]] | None:
    """How many `x.append(item)` calls each way through a loop body makes, for the ways that
    reach its end and those that leave by `continue` (one that raises is no way through),
    collecting the calls and the `if` tests on the way. None when the body has a statement
    that is not followed."""
    running, left = {0}, set()
    for stmt in body:
        if isinstance(stmt, ast.If):
            tests.append(stmt.test)
            arms = [_append_counts(arm, appends, tests) for arm in (stmt.body, stmt.orelse)]
            if None in arms:
                return None
            left |= {c + n for c in running for arm in arms for n in arm[1]}
            running = {c + n for c in running for arm in arms for n in arm[0]}
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            inner = _append_counts(stmt.body, appends, tests)
            if inner is None:
                return None
            left |= {c + n for c in running for n in inner[1]}
            running = {c + n for c in running for n in inner[0]}
        elif isinstance(stmt, ast.Continue):
            left |= running
            running = set()
        elif isinstance(stmt, ast.Raise):
            running = set()
        elif isinstance(stmt, ast.Expr):
            call = stmt.value
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "append"
                    and len(call.args) == 1 and not call.keywords):
                appends.append(call)
                running = {c + 1 for c in running}
            elif any(isinstance(n, (ast.Lambda, ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await))
                     for n in ast.walk(stmt)):
                return None
        elif not isinstance(stmt, (ast.Pass, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Assert)):
            return None  # a nested loop, `break`, `return`, `try`...
    return running, left


def _list_key(node: ast.AST) -> tuple | None:
    if isinstance(node, ast.Name):
        return (node.id,)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return (node.value.id, node.attr)
    return None


def _keeps_variable(element: ast.expr, target: ast.expr) -> bool:
    """`(clip(g), v)` for `for g, v in ...`, `(clip(gv[0]), gv[1])` for `for gv in ...`."""
    if not (isinstance(element, ast.Tuple) and len(element.elts) == 2):
        return False
    second = element.elts[1]
    if isinstance(target, ast.Tuple):
        return isinstance(second, ast.Name) and second.id == target.elts[1].id
    return (isinstance(second, ast.Subscript) and isinstance(second.value, ast.Name) and second.value.id == target.id
            and isinstance(second.slice, ast.Constant) and second.slice.value == 1)


def _reads_variable(node: ast.expr, target: ast.expr) -> bool:
    """Whether a test reads the pair's variable (`v`, or `gv` anywhere but `gv[0]`)."""
    if isinstance(target, ast.Tuple):
        return any(isinstance(n, ast.Name) and n.id == target.elts[1].id for n in ast.walk(node))
    gradient = {id(n.value) for n in ast.walk(node) if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name)
                and isinstance(n.slice, ast.Constant) and n.slice.value == 0}
    return any(isinstance(n, ast.Name) and n.id == target.id and id(n) not in gradient for n in ast.walk(node))
