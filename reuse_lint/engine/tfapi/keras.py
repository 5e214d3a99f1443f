"""Keras: layer and model objects (`keras.layers.Dense(...)`, `Sequential`, functional
`Model(inputs, outputs)`), which build their weights their own way (a `Build`); a model's
`compile` / `fit` / `add` and its `trainable` flag (`KerasStep`s, in order, for the freezing
rules); and subclasses, whose `call` Keras re-runs on every call and whose `train_step` runs in
a `tf.function`.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.events import KerasStep, Site
from reuse_lint.engine.tfapi import TFMethod, attributes, callable_values, context, register_family
from reuse_lint.engine.tfapi.core import build
from reuse_lint.engine.values import (
    UNKNOWN, ClassVal, Const, FuncVal, KerasObject, ListVal, ModuleState, Tensor, TFRef, deps, same,
)

_KERAS_STEPS = frozenset({"train_step", "test_step", "predict_step"})


@register_family(tfnames.is_keras_object)
def _keras_object(interp, canon, node, args, kwargs, module) -> Any:
    # A functional `Model(inputs, outputs)` wraps layers already applied (another
    # model's: `Model(vgg.input, vgg.get_layer(...).output)`); it makes no weights.
    functional = canon in tfnames.FUNCTIONAL_MODELS and (len(args) >= 2 or "outputs" in kwargs)
    if not tfnames.is_weightless_layer(canon) and not functional:
        build(interp, "keras", canon, node, module)
        interp.tf.graph.opaque = True  # Keras names its variables its own way
    made = KerasObject(canon, node)
    if canon in tfnames.KERAS_MODELS:
        made.model, made.last = True, _last_stage(interp, canon, args, kwargs)
    return made


def _last_stage(interp, canon: str, args, kwargs) -> KerasObject | None:
    """The model a new model's output comes out of: the last of `Sequential([g, d])`,
    or the model applied last in `Model(z, d(g(z)))`."""
    if canon.endswith("Sequential"):
        stages = args[0] if args else kwargs.get("layers")
        last = stages.items[-1] if isinstance(stages, ListVal) and stages.items and not stages.sample else None
    else:
        outputs = args[1] if len(args) > 1 else kwargs.get("outputs")
        made = interp.tf.keras_outputs.get(id(outputs))
        last = made[1] if made is not None and made[0] is outputs else None
    return last if isinstance(last, KerasObject) and last.model else None


@callable_values(KerasObject)
def _apply(interp, func: KerasObject, node, args, kwargs, module, site, starred) -> Any:
    if not func.model:
        return deps(args, kwargs)
    # A model applied to tensors: a fresh tensor that remembers which model made it,
    # so `Model(z, d(g(z)))` knows the model it ends in.
    inputs = deps(args, kwargs)
    out = Tensor(inputs.calls | {id(node)}, inputs.scopes)
    interp.tf.keras_outputs[id(out)] = (out, func)
    return out


@context(KerasObject)
def _enter_keras(interp, ctx, module, node) -> Any:
    return UNKNOWN


@attributes(KerasObject)
def _keras_attribute(base: KerasObject, attr: str) -> Any:
    if not base.model:
        return UNKNOWN
    if attr == "compile":
        return TFMethod(_compile, base)
    if attr == "add":
        return TFMethod(_add, base)
    if attr in ("fit", "fit_generator", "train_on_batch"):
        return TFMethod(_train, base)
    if attr == "trainable":
        return base.trainable
    return UNKNOWN


def _compile(interp, model: KerasObject, node, module, args, kwargs) -> Any:
    _keras_step(interp, "compile", model, node, module)
    return UNKNOWN


def _train(interp, model: KerasObject, node, module, args, kwargs) -> Any:
    _keras_step(interp, "train", model, node, module)
    return UNKNOWN


def _add(interp, model: KerasObject, node, module, args, kwargs) -> Any:
    """`Sequential().add(stage)`: the last stage so far."""
    stage = args[0] if args else kwargs.get("layer")
    model.last = stage if isinstance(stage, KerasObject) and stage.model else None
    return Const(None)


def _keras_step(interp, kind: str, model: KerasObject, node: ast.AST, module: ModuleState) -> None:
    last = model.last.trainable if kind == "compile" and model.last is not None else None
    interp.analysis.keras_steps.append(KerasStep(
        kind, model, Site(module.path, node), tuple(interp.loops), interp.trace, interp.analysis.tick(), last))


def set_attribute(interp, base: Any, attr: str, value: Any, node: ast.AST, module: ModuleState) -> None:
    """`x.trainable = ...` on anything but an object of the program's own classes."""
    if attr != "trainable":
        return
    if not (isinstance(base, KerasObject) and base.model):
        interp.analysis.unseen_freezing = True  # a layer of `model.layers`, an unknown object
        return
    # On one arm of an unknown `if`, the flag is known only if it does not change.
    base.trainable = value if not interp.journals or same(value, base.trainable) else UNKNOWN
    _keras_step(interp, "freeze", base, node, module)


def class_methods(cls: ClassVal) -> Any:
    """A hook for the methods of a new class: (name, FuncVal) -> the FuncVal to store.
    None for classes Keras does not run in its own way."""
    keras_model = _derives_from_keras_model(cls)
    keras_layer = _derives_from_keras_layer(cls)
    if not (keras_model or keras_layer):
        return None

    def adapt(name: str, method: FuncVal) -> FuncVal:
        if keras_model and name in _KERAS_STEPS:
            return method.bound(None, True)  # Keras' fit runs it in a tf.function
        if keras_layer and name == "call":
            # Keras runs `call` on every call of the object, traced in a tf.function
            # under `fit`: what it creates is created again each time.
            return replace(method.bound(None, True), keras_call=True)
        return method
    return adapt


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
