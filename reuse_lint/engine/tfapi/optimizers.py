"""Optimizers and what consumes a variable list: `tf.train.*Optimizer` and
`ExponentialMovingAverage` objects, their `minimize` / `compute_gradients` /
`apply_gradients` / `apply` (an `OptimizerUse`, and slot or shadow variables made on the
spot), gradients carried from `compute_gradients` (or `zip(grads, var_list)`) to
`apply_gradients`, and `tf.train.Saver(var_list)`.
"""

from __future__ import annotations

from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.events import OptimizerUse, Site
from reuse_lint.engine.tfapi import NOT_SPECIAL, TFMethod, attributes, builtin, register, register_family
from reuse_lint.engine.tfapi.core import effective_reuse
from reuse_lint.engine.values import EMPTY_TENSOR, UNKNOWN, KerasOptimizer, Optimizer, VarList


class Gradients:
    """What `compute_gradients` returns, carried to `apply_gradients`."""

    __slots__ = ("loss", "var_list")

    def __init__(self, loss: Any, var_list: Any) -> None:
        self.loss, self.var_list = loss, var_list


class SaverUse:
    """A Saver built on a selection: an empty list makes it save nothing, silently."""

    method = "saver"
    loss = None

    def __init__(self, site: Site, var_list: Any = None) -> None:
        self.site, self.var_list = site, var_list


@register(*tfnames.SAVERS)
def _saver(interp, canon, node, args, kwargs, module) -> Any:
    var_list = kwargs.get("var_list", args[0] if args else None)
    if isinstance(var_list, VarList) and var_list.selection is not None:
        var_list.selection.used_by.append(SaverUse(Site(module.path, node), var_list))
    return UNKNOWN


@register(tfnames.EMA)
@register_family(tfnames.is_optimizer)
def _optimizer(interp, canon, node, args, kwargs, module) -> Any:
    return Optimizer(canon, node)


@attributes(Optimizer)
def _optimizer_attribute(base: Optimizer, attr: str) -> Any:
    if attr in ("minimize", "compute_gradients", "apply_gradients"):
        return TFMethod(_USES[attr], base)
    if attr == "apply":
        return TFMethod(_apply_average, base)
    return UNKNOWN


def _apply_average(interp, optimizer: Optimizer, node, module, args, kwargs) -> Any:
    """ExponentialMovingAverage.apply makes shadow variables."""
    interp.analysis.slot_creations.append(
        (interp.tf.graph.gid, interp.trace, interp.analysis.tick(), Site(module.path, node), optimizer.canon,
         effective_reuse(interp)))
    return EMPTY_TENSOR


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
    )
    if isinstance(var_list, VarList) and var_list.selection is not None:
        var_list.selection.used_by.append(use)
    interp.analysis.optimizers.append(use)
    if kind == "compute_gradients":
        return Gradients(loss, var_list)
    if optimizer.canon.split(".")[-1] in tfnames.SLOT_OPTIMIZERS:
        interp.analysis.slot_creations.append(
            (interp.tf.graph.gid, interp.trace, interp.analysis.tick(), use.site, optimizer.canon, effective_reuse(interp)))
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
    if attr in ("apply_gradients", "minimize"):
        return TFMethod(_keras_step, base)
    return UNKNOWN


def _keras_step(interp, optimizer: KerasOptimizer, node, module, args, kwargs) -> Any:
    """A Keras optimizer applied: if it was made in this same step (this run of the
    tf.function, or this iteration of the loop, with no model made there too), every step
    has a new optimizer."""
    how = None
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
        interp.analysis.optimizers_per_step.append((optimizer.site, optimizer.canon, how))
    return UNKNOWN


@builtin("zip")
def _zip(interp, args, node, module) -> Any:
    if len(args) == 2 and isinstance(args[1], VarList):
        return Gradients(UNKNOWN, args[1])  # zip(grads, var_list) for apply_gradients
    return NOT_SPECIAL


@builtin("list")
@builtin("sorted")
@builtin("tuple")
def _copy(interp, args, node, module) -> Any:
    return args[0] if len(args) == 1 and isinstance(args[0], Gradients) else NOT_SPECIAL
