"""Keras: layer and model objects (`keras.layers.Dense(...)`, `Sequential`, functional
`Model(inputs, outputs)`), which build their weights their own way (a `Build`); a model's
`compile` / `fit` / `add` and its `trainable` flag (`KerasStep`s, in order, for the freezing
rules); and subclasses, whose `call` Keras re-runs on every call and whose `train_step` runs in
a `tf.function`.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from functools import lru_cache
from typing import Any, Callable

from reuse_lint import tfnames
from reuse_lint.engine.events import KerasStep, LayerUse, ReappliedLayer, Site
from reuse_lint.engine.syntax import parameter_names, positional_names
from reuse_lint.engine.tfapi import NOT_SPECIAL, TFMethod, attributes, callable_values, context, register, register_family
from reuse_lint.engine.tfapi.core import build, legacy_optimizers
from reuse_lint.engine.tfapi import NOT_SPECIAL
from reuse_lint.engine.tfapi.tapes import blind, model_list
from reuse_lint.engine.values import (
    UNKNOWN, ClassVal, Const, DictVal, ForeignObject, FuncVal, Instance, KerasObject, KerasOptimizer, ListVal, ModelLayers, ModelVars, ModuleState, Tensor, TFRef, deps, same,
)

_KERAS_STEPS = frozenset({"train_step", "test_step", "predict_step"})
_OWN_FORWARD = frozenset({"call", "__call__", "build"})  # where `self(x)` is no step's forward pass
# Keras wrappers whose weights are the layer or cell they are given, made where that is made
# (an `RNN` around a cell of one's own that holds no weight makes none).
_WEIGHT_SHARING_WRAPPERS = frozenset({"TimeDistributed", "RNN", "StackedRNNCells"})
# A Keras object's attributes that are its variables, as a gradient list. `weights` and
# `variables` add the non-trainable ones (moving statistics): a tape gives them no gradient
# and a step drops those, so as a step's list they name the same trainable variables.
_MODEL_LISTS = frozenset({"trainable_variables", "trainable_weights", "weights", "variables"})
# Attributes that let code we do not follow set, load or train a model's weights.
_KERAS_TRAINING = frozenset({"fit", "fit_generator", "train_on_batch", "compile"})
_KERAS_FITS = _KERAS_TRAINING - {"compile"}  # the calls that run the model's `train_step`
_MODEL_TOUCHES = _KERAS_TRAINING | frozenset({
    "non_trainable_weights", "non_trainable_variables", "get_weights", "set_weights",
    "load_weights", "layers", "get_layer", "submodules",
})


@register_family(tfnames.is_keras_metric)
def _keras_metric(interp, canon, node, args, kwargs, module) -> Any:
    build(interp, "metric", canon, node, module)  # it holds variables (totals, counts)
    return NOT_SPECIAL


@register_family(tfnames.is_keras_object)
def _keras_object(interp, canon, node, args, kwargs, module) -> Any:
    if canon.rsplit(".", 1)[-1] == "Input":
        return Tensor(calls=frozenset({id(node)}))  # a source, as `keras.Input` and placeholders are
    # A functional `Model(inputs, outputs)` wraps layers already applied (another
    # model's: `Model(vgg.input, vgg.get_layer(...).output)`); it makes no weights.
    functional = canon in tfnames.FUNCTIONAL_MODELS and (len(args) >= 2 or "outputs" in kwargs)
    # `TimeDistributed(layer)` and `RNN(cell)` apply what they are given: the weights are that
    # layer's or cell's, made (and reported) where it is made. (Bidirectional copies its
    # layer: new weights.)
    wrapper = canon.rsplit(".", 1)[-1] in _WEIGHT_SHARING_WRAPPERS
    if not functional:
        _note_configuration(interp, node, args, kwargs)
    if canon == tfnames.KERAS_LAMBDA:
        _run_lambda_function(interp, args, kwargs)
    if not tfnames.is_weightless_layer(canon) and not functional and not wrapper:
        if not _wraps_layers(canon, args, kwargs):
            build(interp, "keras", canon, node, module)
        interp.tf.graph.opaque = True  # Keras names its variables its own way
    made = KerasObject(canon, node, path=module.path)
    if canon in tfnames.KERAS_MODELS:
        made.model, made.lasts = True, _last_stages(interp, canon, args, kwargs)
        made.parts = _parts(canon, args, kwargs)
        made.open_parts = _open_stages(canon, args, kwargs)
        if functional:
            flows = deps([args[1] if len(args) > 1 else kwargs["outputs"]], {})
            made.of_whole_models = (not flows.models and not flows.scopes
                                    and bool(flows.calls & interp.tf.whole_models))
    return made


@register(*sorted(tfnames.KERAS_MODEL_LOADERS))
def _load_model(interp, canon, node, args, kwargs, module) -> Any:
    """A model read back from a file: its layers and optimizer are unknown, as any unmodelled
    Keras call's result is, but remembered (see `resumed_or_built`, `whole_model`)."""
    interp.tf.unknown_effect()
    loaded = Tensor(calls=frozenset({id(node)}))
    interp.tf.loaded_models[id(loaded)] = loaded
    interp.tf.whole_models.add(id(node))
    return loaded


@register_family(tfnames.is_keras_application)
def _keras_application(interp, canon, node, args, kwargs, module) -> Any:
    """`VGG19(include_top=False, weights="imagenet")`: a model of layers it makes itself,
    unknown as any unmodelled Keras call's result is, but remembered (see `whole_model`).
    Given a tensor (`input_tensor=x`), it is what flows from that tensor, as before."""
    interp.tf.unknown_effect()
    made = deps(args, kwargs)
    if made.calls or made.scopes:
        return made
    interp.tf.whole_models.add(id(node))
    return Tensor(calls=frozenset({id(node)}), norms=made.norms)


def whole_model(interp, value: Any) -> bool:
    """A model Keras made whole, read from a file or packaged (`VGG19(...)`), or a layer of
    one (`vgg.get_layer(name)`, an item of `vgg.layers`): none of the layers the program
    builds is in it, so freezing it freezes none of theirs."""
    return (isinstance(value, Tensor) and bool(value.calls) and value.calls <= interp.tf.whole_models
            and not value.models and not value.scopes)


def item_of(interp, iterable: Any) -> Any:
    """What each item of a value we iterate over without knowing its items is: a layer of a
    whole model (`for layer in vgg.layers`) stands for that model; NOT_SPECIAL otherwise."""
    return iterable if whole_model(interp, iterable) or isinstance(iterable, ModelLayers) else NOT_SPECIAL


def resumed_or_built(interp, a: Any, b: Any) -> Any:
    """What an `if` leaves where one arm read a model back with `load_model` and the other
    built one (`if os.path.exists(path): d = load_model(path) else: d = build(); d.compile(...)`,
    a run that resumes or starts): the built model. The file holds what an earlier run saved,
    so the first run took the building arm, and what the program does to that model then is
    what TF runs. UNKNOWN for any other two values."""
    loaded = interp.tf.loaded_models
    if id(a) in loaded and loaded[id(a)] is a and _is_model(b):
        return b
    if id(b) in loaded and loaded[id(b)] is b and _is_model(a):
        return a
    return UNKNOWN


def same_kind(a: Any, b: Any) -> bool:
    """Two Keras models the program built, or two layers of one class (weights alike)."""
    if not (isinstance(a, KerasObject) and isinstance(b, KerasObject)):
        return False
    return (a.model and b.model) or (not a.model and not b.model and a.canon == b.canon)


def _wraps_layers(canon: str, args, kwargs) -> bool:
    """`Sequential([self.hidden, self.out])`: a container of layers that already exist owns
    no weights of its own, so making it (in `call`, in a loop) makes nothing. A layer built
    inside the list (`Sequential([Dense(4)])`) is a build of its own, reported where it is made."""
    if not canon.endswith("Sequential"):
        return False
    stages = _stages(args, kwargs)
    return (isinstance(stages, ListVal) and not stages.sample and bool(stages.items)
            and all(_keras_value(i) for i in stages.items))


def _note_configuration(interp, node, args, kwargs) -> None:
    """A parameter of the function being run, handed as is to this constructor (`DenseFeatures(
    column)`, `Sequential([norm, Dense(64)])`): the enclosing calls that passed that object
    in configure what they build with it (`CallInfo.configured`). Only a bare parameter name
    counts: `Dense(x.shape[-1])` reads an input, it is not configured by one."""
    func = interp.funcs[-1] if interp.funcs else None
    if func is None or not interp.call_info:
        return
    params = _parameter_names(func.node)
    given = []
    if not any(isinstance(a, ast.Starred) for a in node.args):
        given += zip(node.args, args)
    given += ((kw.value, kwargs.get(kw.arg)) for kw in node.keywords if kw.arg is not None)
    taken = []
    for expr, value in given:
        if isinstance(expr, (ast.List, ast.Tuple)) and isinstance(value, ListVal) and not value.sample:
            pairs = zip(expr.elts, value.items) if len(expr.elts) == len(value.items) else ()
        else:
            pairs = ((expr, value),)
        taken += (v for e, v in pairs if isinstance(e, ast.Name) and e.id in params)
    taken = [v for v in taken if v is not None and v is not UNKNOWN and not isinstance(v, Const)]
    for call in interp.call_info if taken else ():
        for key, value in call.args:
            if any(value is v for v in taken):
                call.configured.add(key)


def _parameter_names(node: ast.AST) -> frozenset:
    a = node.args
    names = parameter_names(a)
    names += [p.arg for p in (a.vararg, a.kwarg) if p is not None]
    return frozenset(names)


def _stages(args, kwargs) -> Any:
    """The list a `Sequential(...)` is given: its first argument or `layers=`."""
    return args[0] if args else kwargs.get("layers")


def _parts(canon: str, args, kwargs) -> tuple:
    """The Keras objects a new model is made of: a Sequential's stages, or every one a
    functional model's outputs flowed through."""
    if canon.endswith("Sequential"):
        stages = _stages(args, kwargs)
        items = stages.items if isinstance(stages, ListVal) else []
        return tuple(i for i in items if _keras_value(i))
    outputs = args[1] if len(args) > 1 else kwargs.get("outputs", UNKNOWN)
    return tuple(m for m, _ in deps([outputs], {}).models)


def _open_stages(canon: str, args, kwargs) -> bool:
    """A Sequential given stages that are not all Keras objects the analysis knows: an
    `Input`, a third-party layer (`keras_cv.layers.RandomBrightness(...)`), a list it
    cannot see."""
    if not canon.endswith("Sequential"):
        return False
    stages = _stages(args, kwargs)
    if stages is None:
        return False  # `Sequential()`: its stages come from `add`
    if not isinstance(stages, ListVal):
        return True
    return any(not _keras_value(i) for i in stages.items)


def _keras_value(value: Any) -> bool:
    """A Keras layer or model: built by a Keras class, or an object of a subclass."""
    return isinstance(value, KerasObject) or (isinstance(value, Instance) and _keras_class(value.cls))


def _keras_class(cls: ClassVal) -> bool:
    return derives_from_keras_model(cls) or derives_from_keras_layer(cls)


def _last_stages(interp, canon: str, args, kwargs) -> tuple:
    """The models a new model's outputs come out of: the last of `Sequential([g, d])`,
    or the model applied last in each output of `Model(z, d(g(z)))` and of
    `Model(z, [d(g(z)), g(z)])` (a GAN's verdict beside the generated image)."""
    if canon.endswith("Sequential"):
        stages = args[0] if args else kwargs.get("layers")
        last = stages.items[-1] if isinstance(stages, ListVal) and stages.items and not stages.sample else None
        return _models([last])
    outputs = args[1] if len(args) > 1 else kwargs.get("outputs")
    if isinstance(outputs, ListVal):
        each = [] if outputs.sample else outputs.items
    elif isinstance(outputs, DictVal):
        each = [] if outputs.open else list(outputs.items.values())
    else:
        each = [outputs]
    return _models([_made_by(interp, out) for out in each])


def _made_by(interp, output) -> Any:
    made = interp.tf.keras_outputs.get(id(output))
    return made[1] if made is not None and made[0] is output else None


def _models(stages: list) -> tuple:
    """The Keras models among `stages`, each once, in order."""
    found: list = []
    for stage in stages:
        if isinstance(stage, KerasObject) and stage.model and not any(stage is f for f in found):
            found.append(stage)
    return tuple(found)


@callable_values(KerasObject)
def _apply(interp, func: KerasObject, node, args, kwargs, module, site, starred) -> Any:
    _note_layer_call(interp, func, node, module)
    _note_inference(interp, func, kwargs)
    inputs = deps(args, kwargs)
    if _unknown_input(args, kwargs):
        inputs = replace(inputs, partial=True)
    if not func.model:
        _note_applied_at(interp, func, node)
        out = _applied(interp, func, node, inputs, fresh=False)
        return _apply_norm(interp, func, out, node, module) if tfnames.is_stacked_layer(func.canon) else out
    # A model applied to tensors: a fresh tensor that remembers which model made it,
    # so `Model(z, d(g(z)))` knows the model it ends in.
    out = _applied(interp, func, node, inputs)
    interp.tf.keras_outputs[id(out)] = (out, func)
    return out


def _unknown_input(args, kwargs) -> bool:
    """The layer's input (`layer(x)`, `Add()([x, y])`) is, or holds, a value the analysis lost."""
    first = args[0] if args else kwargs.get("inputs")
    if isinstance(first, ListVal) and (not first.items or first.sample):
        # `Concatenate()(groups)` after a loop the analysis could not count: the list it
        # saw (empty, or one sample) is not what the layer is applied to.
        return True
    items = first.items if isinstance(first, ListVal) else [first]
    return any(item is UNKNOWN for item in items)


def _note_layer_call(interp, layer: KerasObject, node, module: ModuleState) -> None:
    """A Keras object with weights applied in the `call` of a Keras subclass."""
    if tfnames.is_weightless_layer(layer.canon) or not interp.tf.tf_functions:
        return
    func = interp.tf.tf_functions[-1][1]
    if func.keras_call:
        interp.analysis.layer_calls.append((Site(module.path, node), layer.canon, func.node))


def _applied(interp, model: Any, node, inputs: Tensor, fresh: bool = True) -> Tensor:
    """What comes out of a Keras object applied to `inputs`: it flowed through the object
    (under the tapes recording now), after every model upstream of it."""
    label = _label(node.func)
    if label != "self":  # `self(dummy)` in its own __init__: the caller's name says more
        interp.analysis.model_labels.setdefault(id(model), label)
    feeds = inputs.feeds | {(up, model) for up, _ in inputs.models if up is not model}
    raw = inputs.raw if inputs.models and not inputs.samples else inputs.raw | {model}
    direct = frozenset({model}) if _is_model(model) else inputs.direct
    return replace(inputs, calls=inputs.calls | {id(node)} if fresh else inputs.calls,
                   models=inputs.models | {(model, frozenset(interp.tf.tapes))}, feeds=feeds, raw=raw,
                   direct=direct, samples=False)


def _is_model(obj: Any) -> bool:
    """A Keras model (built from layers, or a subclass of Model), not a layer or a loss."""
    if isinstance(obj, KerasObject):
        return obj.model
    return isinstance(obj, Instance) and derives_from_keras_model(obj.cls)


def _label(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute) and node.attr == "call":
        node = node.value  # `encoder.call(x)`: the model is `encoder`
    try:
        return ast.unparse(node)
    except (ValueError, TypeError, RecursionError):
        return "the model"


def apply_subclass(interp, instance: Instance, node, args, kwargs, module: ModuleState) -> Any:
    """An object of a Keras Model or Layer subclass applied to tensors: what its `call`
    creates is RL111's; here only what flows through it."""
    if not _keras_class(instance.cls):
        return NOT_SPECIAL
    _note_application(interp, instance, "call")
    _note_inference(interp, instance, kwargs)
    out = _applied(interp, instance, node, deps(args, kwargs))
    if derives_from_keras_model(instance.cls) or not _owns_weights(instance):
        return out
    return _apply_norm(interp, instance, out, node, module, _fed_back(instance, args, kwargs))


def _note_application(interp, instance: Instance, method_name: str) -> None:
    method = instance.cls.lookup(method_name)
    owner = getattr(method, "owner", None)
    if owner is not None:
        interp.analysis.keras_applications.append((id(owner.node), interp.trace, interp.tf.graph.gid))


def call_written_out(interp, func: FuncVal, node, args, kwargs, module: ModuleState, ran: Any) -> Any:
    """What `encoder.call(x)` returns, the forward pass of an object of a Keras subclass of
    the program's own run by hand: it flowed through the object as `encoder(x)`'s output does
    (not `super().call(x)`, which runs a base's `call` inside the object's own)."""
    written_out = (isinstance(func.bound_self, Instance) and getattr(func.node, "name", None) == "call"
                   and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "call"
                   and not (isinstance(node.func.value, ast.Call) and isinstance(node.func.value.func, ast.Name)
                            and node.func.value.func.id == "super"))
    if not written_out:
        return ran
    applied = apply_subclass(interp, func.bound_self, node, args, kwargs, module)
    return ran if applied is NOT_SPECIAL else through_parts(applied, ran)


def own_call_applied(interp, instance: Instance, node, args, kwargs, result: Any) -> Any:
    """What an object of a Keras subclass whose class overrides `__call__` (not `call`, as
    early TF2 code often did) returns: that `__call__` is the forward pass, so what it returns
    also flowed through the object itself, as a `call`'s output does (`apply_subclass`)."""
    if not _keras_class(instance.cls):
        return result
    _note_application(interp, instance, "__call__")
    _note_inference(interp, instance, kwargs)
    inputs = deps(args, kwargs)
    # The object's own layers and blocks, applied inside: its weights, as a `call`'s are, not
    # models of their own (blocks of one class in two networks would pass for one model).
    inner = _held(instance) - {id(m) for m, _ in inputs.models}

    def through(value: Any) -> Any:
        if not isinstance(value, Tensor):
            return value
        value = replace(
            value, models=frozenset(p for p in value.models if id(p[0]) not in inner),
            feeds=frozenset(f for f in value.feeds if id(f[0]) not in inner and id(f[1]) not in inner),
            raw=frozenset(m for m in value.raw if id(m) not in inner),
            direct=frozenset(m for m in value.direct if id(m) not in inner))
        out = value | _applied(interp, instance, node, inputs)
        if not _is_model(instance):
            return out
        out = replace(out, direct=frozenset({instance}))
        interp.tf.keras_outputs[id(out)] = (out, instance)
        return out

    if isinstance(result, ListVal) and not result.sample:
        return replace(result, items=[through(v) for v in result.items])
    return through(result)


def call_in_own_step(interp, instance: Instance) -> FuncVal | None:
    """`self(data)` in a model's own `train_step`, or in a step of its own under another name
    (`train_batch`, `update`): the `call` to run there on the step's data, so that the loss is
    known to flow through the parts the step's lists name (`self.model`, the heads) in the
    order `call` applies them. Not in `call` or `build` themselves."""
    func = interp.funcs[-1] if interp.funcs else None
    if func is None or func.bound_self is not instance or getattr(func.node, "name", None) in _OWN_FORWARD:
        return None
    method = instance.cls.lookup("call")
    if not isinstance(method, FuncVal) or not derives_from_keras_model(instance.cls):
        return None
    return method.bound(instance)


def through_parts(applied: Tensor, ran: Any) -> Any:
    """What `self(data)` returns when its `call` ran there: each output as `call` made it
    (through the parts), and through the object."""
    if isinstance(ran, Tensor):
        return ran | applied
    if isinstance(ran, ListVal) and not ran.sample:
        return replace(ran, items=[v | applied if isinstance(v, Tensor) else v for v in ran.items])
    return applied


def _held(instance: Instance) -> set:
    """The ids of the Keras objects an object of one's own class holds, at any depth."""
    out: set = set()
    todo = list(instance.attrs.values())
    while todo:
        value = todo.pop()
        if isinstance(value, ListVal):
            todo.extend(value.items)
        elif isinstance(value, DictVal):
            todo.extend(value.items.values())
        elif isinstance(value, (KerasObject, Instance)) and id(value) not in out:
            out.add(id(value))
            todo.extend(value.parts if isinstance(value, KerasObject) else value.attrs.values())
    return out


# The parameters by which a layer of one's own takes the state its previous step returned
# (`decoder(tokens, state=dec_state)`, the NMT tutorial's step-by-step decoding).
_STATE_PARAMS = frozenset({"state", "states", "initial_state", "cache"})


def _fed_back(instance: Instance, args, kwargs) -> frozenset:
    """The earlier applications of `instance` whose output comes back into this one as its
    state: one recurrence run a step at a time, where one weight set is the point."""
    values = [v for k, v in kwargs.items() if k in _STATE_PARAMS]
    method = instance.cls.lookup("call")
    if isinstance(method, FuncVal) and isinstance(method.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        params = positional_names(method.node.args)[1:]  # after self
        values += [v for p, v in zip(params, args) if p in _STATE_PARAMS]
    values = [item for v in values for item in (v.items if isinstance(v, ListVal) else [v])]
    return frozenset(id(use) for v in values if isinstance(v, Tensor)
                     for owner, use, _ in v.norms if owner is instance)


def _owns_weights(instance: Instance) -> bool:
    """A layer of one's own that holds a weighted Keras layer (`self.conv = Conv1D(...)`)
    or makes a weight of its own (`self.add_weight`)."""
    if any(_adds_weight(f.node) for f in (instance.cls.lookup(n) for n in ("__init__", "build"))
           if isinstance(f, FuncVal)):
        return True
    if any(isinstance(v, KerasObject) and not v.model and not v.weightless for v in instance.attrs.values()):
        return True
    # Keras runs `build` at the first call, after `__init__`: the layers it stores on the
    # object (`self.norm = LayerNormalization()` in `build`) are not among the attributes yet.
    method = instance.cls.lookup("build")
    return isinstance(method, FuncVal) and _builds_weighted_layer(method)


def _builds_weighted_layer(method: FuncVal) -> bool:
    """`build` stores a weighted Keras layer on the object: `self.x = Dense(...)`, the class
    named as the method's module imported it (`Dense`, `layers.Dense`, `tf.keras.layers.Dense`)."""
    for node in ast.walk(method.node):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and any(isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"
                        for t in node.targets)):
            ref = _imported(node.value.func, method.module.globals)
            canon = tfnames.canonical(ref.qualname) if isinstance(ref, TFRef) else ""
            if tfnames.is_keras_object(canon) and canon not in tfnames.KERAS_MODELS and not tfnames.is_weightless_layer(canon):
                return True
    return False


def _imported(expr: ast.AST, names: dict) -> Any:
    """The TensorFlow name a dotted expression of module-level names spells, or None."""
    if isinstance(expr, ast.Name):
        return names.get(expr.id)
    if isinstance(expr, ast.Attribute):
        base = _imported(expr.value, names)
        return base.attr(expr.attr) if isinstance(base, TFRef) else None
    return None


def _note_inference(interp, model: Any, kwargs) -> None:
    """`encoder(x, training=False)`: the code runs the model as a fixed feature extractor."""
    flag = kwargs.get("training")
    if isinstance(flag, Const) and flag.value is False:
        interp.analysis.inference_applied.append(model)


def model_attribute(interp, base: Any, attr: str) -> Any:
    """`model.trainable_variables`: a list known by its model. Weights read any other way,
    loaded, set, or a model trained by Keras' own loop, leave the model to code we do not
    follow (a subclass whose `train_step` picks its lists is still ours to follow).
    NOT_SPECIAL: the attribute is read as usual."""
    if attr in _ADD_WEIGHT and isinstance(base, Instance) and _keras_class(base.cls):
        return TFMethod(_add_weight, base)
    if (attr not in _MODEL_LISTS and attr not in _MODEL_TOUCHES) or not _keras_value(base):
        return NOT_SPECIAL
    if attr in _MODEL_LISTS:
        return model_list(interp, base, attr)
    own_step = base.cls.lookup("train_step") if isinstance(base, Instance) else None
    if own_step is not None and attr in _KERAS_FITS and isinstance(own_step, FuncVal):
        return TFMethod(_fit_own_step, base)
    if not (own_step is not None and attr in _KERAS_TRAINING):
        interp.analysis.models_handled.append(base)
    return NOT_SPECIAL


def _fit_own_step(interp, model: Instance, node, module, args, kwargs) -> Any:
    """`gan.fit(data)` of a subclass with a `train_step` of its own: Keras' loop runs that step,
    traced once in its train function, on this object. Run it so, with an unknown batch: run
    only as an entry, on an object whose `__init__` got unknown arguments, a step over models
    the object was handed (`GAN(discriminator=d, generator=g)`) sees none of their lists."""
    step = model.cls.lookup("train_step")
    if isinstance(step, FuncVal) and id(step.node) not in interp.executed:
        interp.call_function(step.bound(model, True), [], {}, None, unknown_args=True)
    return UNKNOWN


def value_attribute(interp, base: Any, attr: str) -> Any:
    """`model_attribute` of a Keras object the models built (a subclass's object is asked
    only when neither it nor its class has the attribute)."""
    if isinstance(base, ForeignObject):
        # Only its variable lists: `teacher.trainable_variables` is that object's own list,
        # told from another class's object's by the `zip` that pairs them.
        return model_list(interp, base) if attr in _MODEL_LISTS else UNKNOWN
    return model_attribute(interp, base, attr) if isinstance(base, KerasObject) else NOT_SPECIAL


def hand_over(interp, func: Any, args, kwargs) -> None:
    """A Keras model given to code we do not follow (`tf.train.Checkpoint(encoder=enc)`
    restores it, a helper may train it): its training is no longer ours to judge. Applying
    a model, or calling the program's own code, is followed."""
    # Every call of the program passes here: no list is built for the common case.
    if (not args and not kwargs) or isinstance(func, (FuncVal, ClassVal, KerasObject, Instance)):
        return
    for values in (args, kwargs.values()):
        for value in values:
            if _keras_value(value):
                interp.analysis.models_handled.append(value)


def _note_applied_at(interp, layer: KerasObject, node: ast.AST) -> None:
    """Where each weighted layer object was applied: its call site (in this entry point,
    under this chain of calls) and the loop iterations around it."""
    if tfnames.is_weightless_layer(layer.canon):
        return
    key = (id(node), interp.trace, tuple(id(site.node) for site in interp.calls))
    loops = tuple(interp.loops)
    interp.tf.layers_at.setdefault(key, []).append((loops, layer))
    interp.tf.sites_of.setdefault(id(layer), []).append((layer, key, loops))


def _distinct_per_pass(interp, layer: KerasObject, passes: frozenset) -> bool:
    """The layer's call site applied another object on another iteration of the loops in
    `passes` (a `Conv2D(f)` made per iteration, `self.convs[i](x)`): a stack of distinct
    layers, not one block repeated."""
    for _, key, loops in interp.tf.sites_of.get(id(layer), ()):
        fixed = {loop: i for loop, i in loops if loop not in passes}
        for other_loops, other in interp.tf.layers_at.get(key, ()):
            if other is not layer and {loop: i for loop, i in other_loops if loop not in passes} == fixed:
                return True
    return False


def _apply_norm(interp, layer: KerasObject | Instance, inputs: Tensor, node: ast.AST, module: ModuleState,
                fed_back: frozenset = frozenset()) -> Tensor:
    """A weighted layer object applied (a normalization layer, a `Dense`, a block of one's own): if what goes in came out of this same object
    at another place of this pass, one set of weights serves two places of one stack.

    Across loop iterations (or from before a loop into it) one object applied again is
    weight tying when the loop repeats the same layers (`x = norm(x + conv(x))`); it is a
    stack only when a weighted layer the first output did not come through, from a site
    that applies another object each pass, lies between the two applications."""
    # A recurrent op's step function counts as a loop's body: applied again after the loop (to
    # its results), the layer is the step function run once more, as after a Python loop.
    loops = tuple(interp.loops) + tuple(interp.tf.recurrences)
    use = LayerUse(Site(module.path, node), tuple(interp.conds), loops, interp.trace)
    upstream = frozenset(id(m) for m, _ in inputs.models)
    # A set's order follows object ids, which vary from run to run: take the applications in
    # source order, so the one reported as first is the same every run.
    for owner, earlier, before in sorted(inputs.norms, key=_in_source_order):
        if owner is not layer or earlier.trace != use.trace or id(earlier) in fed_back:
            continue
        if earlier.loops == use.loops:
            found = earlier.site.node is not node
        else:
            passes = frozenset(loop for loop, _ in set(earlier.loops) ^ set(use.loops))
            found = any(
                id(m) not in before and m is not layer and isinstance(m, KerasObject) and not m.model
                and _distinct_per_pass(interp, m, passes)
                for m, _ in inputs.models
            )
        if found:
            _note_reapplied(interp, layer, earlier, use)
            break
    else:
        if isinstance(layer, KerasObject) and tfnames.is_normalization_layer(layer.canon):
            came_through = ({id(m): m for m, _ in inputs.models}, inputs.feeds)
            earlier = _applied_at_other_depth(interp, layer, use, came_through)
            if earlier is not None:
                _note_reapplied(interp, layer, earlier, use)
            interp.tf.layer_inputs.setdefault(id(layer), []).append((use, came_through))
    return replace(inputs, norms=inputs.norms | {(layer, use, upstream | {id(layer)})})


def _in_source_order(norm: tuple) -> tuple:
    site = norm[1].site
    return site.path, getattr(site.node, "lineno", 0), getattr(site.node, "col_offset", 0)


def _note_reapplied(interp, layer: KerasObject | Instance, earlier: LayerUse, use: LayerUse) -> None:
    own = isinstance(layer, Instance)  # a layer of the program's own class
    made = layer.made if own else Site(layer.path, layer.node) if layer.path else None
    canon = layer.cls.node.name if own else layer.canon
    method = layer.cls.lookup("call") if own else None
    call = method.node if isinstance(method, FuncVal) else None
    interp.analysis.reapplied_layers.append(ReappliedLayer(canon, made, earlier, use, call))


def _applied_at_other_depth(interp, layer: KerasObject, use: LayerUse, here: dict) -> LayerUse | None:
    """An earlier application of the normalization layer `layer`, in this pass, to a tensor
    one weighted layer deeper or shallower than this one's (a residual path
    `self.bn(self.conv(h))` and its shortcut `self.bn(h)`): one input came through every
    layer the other came through, and through a weighted layer more that one of those layers
    fed. Inputs that came through no layer are not compared (two raw inputs are a siamese
    pair), nor a real and a fake batch through one discriminator's layers (the generator is
    upstream of them all, not between). Other weighted layers are left out: a detection
    head's layers applied to two pyramid levels, one computed from the other, are shared on
    purpose. `here`: ({id: object} of the layers the input came through, its feeds)."""
    for earlier, there in interp.tf.layer_inputs.get(id(layer), ()):
        if earlier.trace != use.trace or earlier.loops != use.loops or earlier.site.node is use.site.node:
            continue
        (small, _), (big, feeds) = (here, there) if len(here[0]) < len(there[0]) else (there, here)
        if len(small) < 2 or not small.keys() < big.keys():
            continue  # (both hold the layer itself)
        between = {id(down) for up, down in feeds if id(up) in small and id(up) != id(layer)}
        if any(_weighted(big[k]) for k in (big.keys() - small.keys()) & between):
            return earlier
    return None


def _weighted(m: Any) -> bool:
    if isinstance(m, KerasObject):
        return not tfnames.is_weightless_layer(m.canon)
    return isinstance(m, Instance) and _owns_weights(m)


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
    if attr == "optimizer" and base.optimizer is not None:
        return base.optimizer
    if attr == "layers":
        return ModelLayers((base,))
    if attr == "get_layer":
        return TFMethod(_get_layer, base)
    return UNKNOWN


def _get_layer(interp, model: KerasObject, node, module, args, kwargs) -> Any:
    return ModelLayers((model,))


def pickable(value: Any) -> bool:
    """A model the program built, or a method of one: an `if` chain that binds one name to
    a model on each arm leaves a pick of them (engine.values.OneOf), whose `compile` and
    `fit` run on each model's arm."""
    if isinstance(value, TFMethod):
        value = value.target
    return isinstance(value, KerasObject) and value.model


def picked_layers(values: list) -> Any:
    """`model.layers` read through a pick of models: the layers of one of them."""
    if values and all(isinstance(v, ModelLayers) for v in values):
        return ModelLayers(tuple(m for v in values for m in v.models))
    return NOT_SPECIAL


@attributes(ModelLayers)
def _layers_attribute(base: ModelLayers, attr: str) -> Any:
    return UNKNOWN  # `layer.name`, `layer.output`: nothing the analysis follows


@callable_values(ModelLayers)
def _apply_model_layer(interp, func: ModelLayers, node, args, kwargs, module, site, starred) -> Any:
    """`model.layers[-1](x)`: a layer we cannot name, applied as any unknown callable is."""
    interp.tf.unknown_effect()
    blind(interp)
    return UNKNOWN


@callable_values(ForeignObject)
def _apply_foreign(interp, func: ForeignObject, node, args, kwargs, module, site, starred) -> Any:
    """Applied, it runs code we do not read, as any unknown callable does."""
    interp.tf.unknown_effect()
    blind(interp)
    return UNKNOWN


def layers_item(value: Any) -> Any:
    """`model.layers[:k]`, `model.layers[i]`, an item of a loop over them: still some
    layers of that model. NOT_SPECIAL for any other value."""
    return value if isinstance(value, ModelLayers) else NOT_SPECIAL


def _compile(interp, model: KerasObject, node, module, args, kwargs) -> Any:
    _keras_step(interp, "compile", model, node, module)
    given = kwargs.get("optimizer", args[0] if args else None)
    model.optimizer = given if isinstance(given, KerasOptimizer) else None
    model.compiled_parts = None if interp.analysis.unseen_freezing else _trained_parts(model)
    run_compiled(interp, args, kwargs)
    return UNKNOWN


def _trained_parts(model: KerasObject) -> tuple | None:
    """The objects owning the weights a `compile`d model steps: its parts down to the ones
    made of nothing known, leaving out the frozen ones. None when a flag is not known."""
    out: list = []
    todo, seen = [model], set()
    while todo:
        m = todo.pop()
        if id(m) in seen:
            continue
        seen.add(id(m))
        if not isinstance(m, KerasObject) or not isinstance(m.trainable, Const):
            return None
        if m.trainable.value is False:
            continue
        if m.parts:
            todo.extend(m.parts)
        else:
            out.append(m)
    return tuple(out)


def run_compiled(interp, args, kwargs) -> None:
    """`model.compile(loss=f, metrics=[g])`: Keras runs `f` and `g` inside its train
    function, a tf.function; run them so, with unknown arguments."""
    given = [kwargs.get("loss"), kwargs.get("metrics"), kwargs.get("weighted_metrics"), *args[1:3]]
    for item in [v for value in given for v in (value.items if isinstance(value, ListVal) else [value])]:
        if isinstance(item, FuncVal) and not item.is_context_manager and id(item.node) not in interp.executed:
            traced = replace(item.bound(item.bound_self, True), compiled=True)
            interp.call_function(traced, [], {}, None, unknown_args=True)


def _run_lambda_function(interp, args, kwargs) -> None:
    """`Lambda(fn)`: Keras runs `fn` on every call of the layer, traced under `fit`, and owns
    nothing `fn` makes (tf_keras refuses a variable made there; Keras 3 makes it again on every
    call). Run it so, as a layer's `call` is, with unknown arguments."""
    fn = args[0] if args else kwargs.get("function")
    if isinstance(fn, FuncVal) and not fn.is_context_manager and id(fn.node) not in interp.executed:
        traced = replace(fn.bound(fn.bound_self, True), lambda_layer=True)
        interp.call_function(traced, [], {}, None, unknown_args=True)


# Layer methods that make a weight of the layer's own.
_ADD_WEIGHT = frozenset({"add_weight", "add_variable"})


def run_keras_build(interp, cls: ClassVal, instance: Instance, site) -> bool:
    """A layer of one's own made where it is made again (in a `call`): Keras runs its
    `build` on its first call, so what `build` creates belongs to each new object. Runs
    `build` with an unknown input shape (its creations are recorded as usual); True when
    `build` or `__init__` calls `self.add_weight`, which makes a weight we do not model."""
    method = cls.lookup("build")
    if isinstance(method, FuncVal) and not isinstance(method.node, ast.Lambda):
        interp.call_function(method.bound(instance, False), [], {}, site, unknown_args=True)
    return any(_adds_weight(f.node) for f in (cls.lookup("__init__"), method) if isinstance(f, FuncVal))


def _add_weight(interp, layer: Instance, node, module, args, kwargs) -> Any:
    """`self.add_weight(...)` of a Layer subclass: a new variable each time it runs (in
    `build`, once; in `call`, on every call). What it returns is left unknown, as before."""
    build(interp, "weight", "add_weight", node, module)
    interp.tf.unknown_effect()
    blind(interp)
    return UNKNOWN


@lru_cache(maxsize=4096)
def _adds_weight(func: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _ADD_WEIGHT
        and isinstance(n.func.value, ast.Name) and n.func.value.id == "self"
        for n in ast.walk(func)
    )


def derives_from_keras_layer(cls: ClassVal) -> bool:
    return _derives_from(cls, tfnames.is_keras_layer_class)


def makes_trainable_weight(cls: ClassVal) -> bool:
    """Whether the `__init__` or `build` a layer class of one's own runs calls
    `self.add_weight(...)`, on every run (under no `if`, loop or `try`) and without
    `trainable=False` (a clustering layer's centres): the layer's `trainable_variables` hold
    a weight no Keras layer of it made."""
    methods = [cls.lookup(name) for name in ("__init__", "build")]
    return any(_adds_trainable_weight(f.node) for f in methods if isinstance(f, FuncVal))


@lru_cache(maxsize=4096)
def _adds_trainable_weight(func: ast.AST) -> bool:
    todo = list(getattr(func, "body", ()))
    while todo:
        n = todo.pop()
        if isinstance(n, (ast.If, ast.IfExp, ast.For, ast.While, ast.Try, ast.FunctionDef, ast.Lambda,
                          ast.AsyncFunctionDef, ast.ClassDef, ast.BoolOp, ast.comprehension)):
            continue
        if (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _ADD_WEIGHT
                and isinstance(n.func.value, ast.Name) and n.func.value.id == "self"):
            flag = next((k.value for k in n.keywords if k.arg == "trainable"), None)
            if flag is None or (isinstance(flag, ast.Constant) and flag.value is True):
                return True
        todo.extend(ast.iter_child_nodes(n))
    return False


def _train(interp, model: KerasObject, node, module, args, kwargs) -> Any:
    _keras_step(interp, "train", model, node, module)
    if isinstance(model.optimizer, KerasOptimizer) and model.compiled_parts:
        # Keras' own step applies the compiled optimizer to the compiled model's weights.
        # The arms it runs on (picks among them: a model an `if` chain built on each arm,
        # compiled with an optimizer made once for the pick): steps of two items are never
        # one run's.
        interp.analysis.keras_optimizer_steps.append(
            (model.optimizer, ModelVars(model.compiled_parts), Site(module.path, node), interp.trace, True,
             tuple(interp.conds), legacy_optimizers(interp)))
    return UNKNOWN


def _add(interp, model: KerasObject, node, module, args, kwargs) -> Any:
    """`Sequential().add(stage)`: the last stage so far."""
    stage = args[0] if args else kwargs.get("layer")
    model.lasts = _models([stage])
    if _keras_value(stage):
        model.parts += (stage,)
    else:
        model.open_parts = True
    return Const(None)


def _keras_step(interp, kind: str, model: KerasObject, node: ast.AST, module: ModuleState, value: Any = None) -> None:
    last = tuple(m.trainable for m in model.lasts) if kind == "compile" else None
    interp.analysis.keras_steps.append(KerasStep(
        kind, model, Site(module.path, node), tuple(interp.loops), interp.trace, interp.analysis.tick(), last,
        value, tuple(interp.conds)))


def set_attribute(interp, base: Any, attr: str, value: Any, node: ast.AST, module: ModuleState) -> None:
    """`x.trainable = ...` on anything but an object of the program's own classes."""
    if attr != "trainable":
        return
    if whole_model(interp, base):
        return  # a pretrained or loaded model of its own (a perceptual loss's VGG): none of ours
    if not (isinstance(base, KerasObject) and base.model):
        interp.analysis.unseen_freezing = True  # a layer of `model.layers`, an unknown object
        # Which weights it freezes is not known, but whose: a layer of a model we know, or
        # a layer object itself.
        owners = base.models if isinstance(base, ModelLayers) else (base,) if isinstance(base, KerasObject) else ()
        for owner in owners:
            _keras_step(interp, "freeze-layers", owner, node, module, value)
        if not owners:
            # Any model's flag may have changed here (`for m in nets: m.trainable = True`).
            _keras_step(interp, "freeze-unknown", None, node, module, value)
        return
    # On one arm of an unknown `if`, the flag is known only if it does not change.
    base.trainable = value if not interp.journals or same(value, base.trainable) else UNKNOWN
    _keras_step(interp, "freeze", base, node, module, value)


def instance_attribute_set(interp, base: Instance, attr: str, value: Any, node: ast.AST, module: ModuleState) -> None:
    """`x.trainable = ...` on an object of a Keras subclass of the program's own: Keras sets
    the flag of every layer and model it tracks, which the analysis does not list."""
    if attr == "trainable" and _keras_class(base.cls):
        _keras_step(interp, "freeze-unknown", None, node, module, value)


def class_methods(cls: ClassVal) -> Any:
    """A hook for the methods of a new class: (name, FuncVal) -> the FuncVal to store.
    None for classes Keras does not run in its own way."""
    keras_model = derives_from_keras_model(cls)
    keras_layer = derives_from_keras_layer(cls)
    if not (keras_model or keras_layer):
        return None

    def adapt(name: str, method: FuncVal) -> FuncVal:
        if keras_model and name in _KERAS_STEPS:
            return method.bound(None, True)  # Keras' fit runs it in a tf.function
        if keras_layer and (name == "call" or (name == "__call__" and not _calls_super_call(method.node))):
            # Keras runs `call` on every call of the object, traced in a tf.function
            # under `fit`: what it creates is created again each time. A `__call__` of
            # one's own replaces Keras' and runs on every call the same way, unless it
            # hands the call on to Keras' (`super().__call__`), which then runs `call`.
            return replace(method.bound(None, True), keras_call=True)
        return method
    return adapt


def _calls_super_call(node: ast.AST) -> bool:
    """`super().__call__(...)` (or `super(Cls, self).__call__`) anywhere in the method."""
    return any(
        isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "__call__"
        and isinstance(sub.func.value, ast.Call) and isinstance(sub.func.value.func, ast.Name)
        and sub.func.value.func.id == "super"
        for sub in ast.walk(node)
    )


@register(*tfnames.KERAS_INPUTS)
def _keras_input(interp, canon, node, args, kwargs, module) -> Tensor:
    """`keras.Input(shape=...)`: a source of its own, remembered as a model input."""
    interp.analysis.keras_inputs.add(id(node))
    return Tensor(calls=frozenset({id(node)}))


def derives_from_keras_library_layer(cls: ClassVal) -> bool:
    """A Keras layer with weights of its own (`Dense`, `Conv2D`, `Embedding`) up the bases,
    not only the bare `Layer` base."""
    return _derives_from(cls, lambda canon: tfnames.is_keras_layer_class(canon)
                         and canon.rsplit(".", 1)[-1] not in ("Layer", "Model", "Sequential"))


def derives_from_keras_callback(cls: ClassVal) -> bool:
    return _derives_from(cls, lambda canon: tfnames.keras_base_class(canon) == tfnames.KERAS_CALLBACK)


def derives_from_keras_model(cls: ClassVal) -> bool:
    return _derives_from(cls, lambda canon: tfnames.keras_base_class(canon) in tfnames.KERAS_MODELS)


def _derives_from(cls: ClassVal, is_base: Callable[[str], bool], depth: int = 0) -> bool:
    """A TF base (by its canonical name) that `is_base` accepts, directly or through the
    program's own classes, at most 8 levels up."""
    for base in cls.bases:
        if isinstance(base, TFRef) and is_base(tfnames.canonical(base.qualname)):
            return True
        if isinstance(base, ClassVal) and depth < 8 and _derives_from(base, is_base, depth + 1):
            return True
    return False


def keras_bases(cls: ClassVal, depth: int = 0) -> list[str]:
    """The qualified names, as imported, of the Keras classes up `cls`'s bases
    (`tensorflow.keras.layers.Layer`, `keras.Model`, `tf_keras.layers.Dense`): which Keras
    package the layer is, since canonical names fold tf.keras, keras and tf_keras together."""
    found: list[str] = []
    for base in cls.bases:
        if isinstance(base, TFRef) and tfnames.is_keras_layer_class(tfnames.canonical(base.qualname)):
            found.append(base.qualname)
        elif isinstance(base, ClassVal) and depth < 8:
            found.extend(keras_bases(base, depth + 1))
    return found


def keras_generation(module) -> int | None:
    """3 when the module uses a name only Keras 3 has (`keras.ops.mean`, `from keras import
    random`, `keras_core`); 2 when it imports tf_keras or names the switch that makes
    `tf.keras` Keras 2 (`os.environ["TF_USE_LEGACY_KERAS"] = "1"`); None when it says neither."""
    if module.keras != 0:
        return module.keras
    keras3 = False
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and tfnames.LEGACY_KERAS_SWITCH in node.value:
            module.keras = 2
            return 2
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            bound = module.globals.get(node.value.id)
            if isinstance(bound, TFRef) and bound.qualname == "keras":
                names = [f"keras.{node.attr}"]
        if any(n == "tf_keras" or n.startswith("tf_keras.") for n in names):
            module.keras = 2
            return 2
        keras3 = keras3 or any(_keras3_only(n) for n in names)
    module.keras = 3 if keras3 else None
    return module.keras


def _keras3_only(name: str) -> bool:
    """`keras.ops`, `keras.random.normal`, `keras_core.layers`: a name only Keras 3 has."""
    head, _, rest = name.partition(".")
    if head == tfnames.KERAS3_PREVIEW:
        return True
    return head == "keras" and rest.split(".", 1)[0] in tfnames.KERAS3_ONLY
