"""TF2 training steps: `tf.GradientTape` (what is applied while it records is what its
gradients reach), `tape.gradient(loss, model.trainable_variables)` (a `TapeGradient`), the
lists named by their models (`ModelVars`) and `zip(grads, model.trainable_variables)` carried
to `apply_gradients`. Which models a loss flowed through, and under which tapes, is carried by
the tensors (`Tensor.models`, `Tensor.feeds`; see keras.py, which applies the models).
"""

from __future__ import annotations

import ast
from dataclasses import fields
from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.events import ListRead, Site, TapeGradient
from reuse_lint.engine.tfapi import NOT_SPECIAL, TFMethod, attributes, builtin, context, register
from reuse_lint.engine.tfapi.optimizers import Gradients, tape_gradient
from reuse_lint.engine.values import UNKNOWN, Const, ListVal, ModelVars, PickedVars, TapeVal, Tensor


@register(*tfnames.GRADIENT_TAPES)
def _tape(interp, canon, node, args, kwargs, module) -> Any:
    return TapeVal(node)


def _exit_tape(interp, tape: TapeVal) -> None:
    tapes = interp.tf.tapes
    if tape in tapes:
        del tapes[len(tapes) - 1 - tapes[::-1].index(tape)]


@context(TapeVal, exit=_exit_tape)
def _enter_tape(interp, tape: TapeVal, module, node) -> Any:
    interp.tf.tapes.append(tape)
    return tape


@attributes(TapeVal)
def _tape_attribute(base: TapeVal, attr: str) -> Any:
    if attr == "gradient":
        return TFMethod(_gradient, base)
    if attr == "watch":
        return TFMethod(_watch, base)
    return UNKNOWN


def _watch(interp, tape: TapeVal, node, module, args, kwargs) -> Any:
    return Const(None)


def _gradient(interp, tape: TapeVal, node, module, args, kwargs) -> Any:
    loss = args[0] if args else kwargs.get("target", UNKNOWN)
    sources = args[1] if len(args) > 1 else kwargs.get("sources", UNKNOWN)
    if _computed(sources):
        return Gradients(loss, UNKNOWN)  # with respect to tensors (a penalty's inputs): trains nothing
    return tape_gradient(interp, tape, loss, sources, node, module)


def _computed(value: Any) -> bool:
    """Tensors computed by ops (`interpolated` in a gradient penalty), not variables."""
    items = value.items if isinstance(value, ListVal) and not value.sample else [value]
    return bool(items) and all(isinstance(v, Tensor) and v.calls for v in items)


@builtin("zip")
def _zip(interp, args, node, module) -> Any:
    if len(args) == 2 and isinstance(args[0], Gradients) and isinstance(args[1], ModelVars):
        args[1].consume()
        taken = _taken(interp, args[0])
        if taken is not None and isinstance(taken.var_list, ModelVars):
            interp.analysis.gradient_pairings.append((taken, args[1], Site(module.path, node)))
        return Gradients(args[0].loss, args[1])  # zip(tape.gradient(...), model.trainable_variables)
    if len(args) == 2 and isinstance(args[0], Gradients) and isinstance(args[1], PickedVars):
        # Recorded only: what the step then does with the pairs is left as it was.
        taken = _taken(interp, args[0])
        if taken is not None and isinstance(taken.var_list, ModelVars):
            interp.analysis.gradient_part_pairings.append((taken, args[1], Site(module.path, node)))
    return NOT_SPECIAL


@builtin(".get_scaled_loss")
@builtin(".get_unscaled_gradients")
def _loss_scaled(interp, args, node, module) -> Any:
    """Mixed precision's `LossScaleOptimizer` (however it was made): `opt.get_scaled_loss(loss)`
    is the loss times a constant and `opt.get_unscaled_gradients(grads)` the gradients divided
    by it, so the step's loss and gradient list are those it was given."""
    if len(args) == 1 and not node.keywords and isinstance(args[0], (Gradients, Tensor)):
        return args[0]
    return NOT_SPECIAL


def _taken(interp, grads: Gradients) -> TapeGradient | None:
    """The `tape.gradient` call these gradients came from."""
    return next((g for g in reversed(interp.analysis.tape_gradients) if g.var_list is grads.var_list), None)


def picked(interp, node, module, iterable: Any, made: Any) -> Any:
    """`[v for v in model.trainable_variables if <test of v's name>]`: the list the
    comprehension made, known as some of that model list's variables."""
    gens = node.generators
    if not (isinstance(iterable, ModelVars) and isinstance(made, ListVal) and len(gens) == 1 and gens[0].ifs
            and isinstance(gens[0].target, ast.Name) and isinstance(getattr(node, "elt", None), ast.Name)
            and node.elt.id == gens[0].target.id and _tests_name(gens[0].ifs, node.elt.id)):
        return made
    # Every field of the list made, so that one added to ListVal later is carried too.
    return PickedVars(**{f.name: getattr(made, f.name) for f in fields(ListVal)}, source=iterable,
                      site=Site(module.path, node))


def model_list(interp, model: Any, attr: str = "trainable_variables") -> ModelVars:
    """`model.trainable_variables`: a list known by its model, made from the model's
    `trainable` flag as it is when read (a frozen model's is empty)."""
    made = ModelVars((model,))
    interp.analysis.model_reads.append(made)
    interp.analysis.list_reads.append(
        ListRead(made, attr, interp.trace, interp.analysis.tick(), tuple(interp.conds)))
    return made


def add_lists(left: Any, right: Any) -> Any:
    """`g.trainable_variables + e.trainable_variables`: one list of both models (taking
    the sum takes both)."""
    if not (isinstance(left, ModelVars) and isinstance(right, ModelVars)):
        return NOT_SPECIAL
    return ModelVars(left.models + tuple(m for m in right.models if m not in left.models), sources=(left, right))


def grow(left: Any, right: Any) -> Any:
    """`v += d.trainable_variables`: the models of both (`v = []` first: of d alone)."""
    if isinstance(left, ListVal) and not (left.items or left.sample) and isinstance(right, ModelVars):
        return ModelVars(right.models, sources=(right,))
    return add_lists(left, right)


def blind(interp) -> None:
    """An unknown call while tapes record: what they reach is not all known."""
    for tape in interp.tf.tapes:
        tape.blind = True


def _tests_name(tests: list, target: str) -> bool:
    """The test reads the variable's name (`v.name`, `v.op.name`, Keras 3's `v.path`): it
    picks variables by layer. One that reads no name (`v is not None`, `v.trainable`) may keep
    them all."""
    for test in tests:
        for n in ast.walk(test):
            if isinstance(n, ast.Attribute) and n.attr in ("name", "path"):
                base = n.value
                while isinstance(base, ast.Attribute):
                    base = base.value
                if isinstance(base, ast.Name) and base.id == target:
                    return True
    return False


def picked_or_whole(a: Any, b: Any) -> PickedVars | None:
    """`if expr: return [v for v in m.trainable_variables if expr in v.name]` / `return
    m.trainable_variables`: a setting chooses between a part of a model list and the whole
    list. The filtered arm is the one a step can get wrong (a part zipped with the whole
    list's gradients), and it is a path the program means to take, so it is what is kept."""
    for part, whole in ((a, b), (b, a)):
        if (isinstance(part, PickedVars) and isinstance(whole, ModelVars)
                and [id(m) for m in part.source.models] == [id(m) for m in whole.models]):
            return part
    return None
