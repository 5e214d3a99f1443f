"""Models of TensorFlow's APIs, one module a family (STYLE.md, "Models of TensorFlow's APIs").

The interpreter runs Python and knows no TensorFlow. When it calls a TensorFlow name, reads an
attribute of a value a model made, calls such a value, enters one in a `with`, or hands one to
a builtin, it asks this registry. Each family module registers what it models:

- `register(*canonical_names)`: a handler for calls of those names (`tfnames.canonical` form);
- `register_family(predicate)`: a handler for every name the predicate accepts (RNN cells,
  optimizers, Keras classes). Exact names are looked up first, then families in registration
  order; no exact name is also a family's (tests/test_layers.py), so the order cannot matter;
- `attributes(type)`, `callable_values(type)`, `context(type)`, `builtin(name)`: what reading
  an attribute of, calling, or entering a value of a type the models made does, and what a
  builtin does to one.

A call handler takes (interp, canon, node, args, kwargs, module) and returns the call's value,
or NOT_SPECIAL to leave it to the treatment every unmodelled TensorFlow call gets (`call`).
Adding an API is adding an entry in its family module. The interpreter uses only the hooks
below (and `TFState`, TensorFlow's state, which it holds as `interp.tf`); handlers read and
change that state and record facts in `interp.analysis`.
"""

from __future__ import annotations

import ast
import collections
import difflib
from typing import Any, Callable

from reuse_lint import tfnames
from reuse_lint.engine.values import UNKNOWN, KerasObject, ModelVars, ScopeVal, Tensor, TFRef, VarList, deps

Handler = Callable[..., Any]

NOT_SPECIAL = object()  # a handler's "not mine after all": the generic treatment applies

_EXACT: dict[str, Handler] = {}
_FAMILIES: list[tuple[Callable[[str], bool], Handler]] = []
_ATTRIBUTES: dict[type, Handler] = {}
_CALLABLES: dict[type, Handler] = {}
_CONTEXTS: dict[type, tuple[Handler, Handler | None]] = {}
_BUILTINS: dict[str, list[Handler]] = {}


def register(*names: str) -> Callable[[Handler], Handler]:
    def add(handler: Handler) -> Handler:
        for name in names:
            if name in _EXACT:
                raise ValueError(f"{name} is modelled twice")
            _EXACT[name] = handler
        return handler
    return add


def register_family(predicate: Callable[[str], bool]) -> Callable[[Handler], Handler]:
    def add(handler: Handler) -> Handler:
        _FAMILIES.append((predicate, handler))
        return handler
    return add


def attributes(value_type: type) -> Callable[[Handler], Handler]:
    """handler(value, attr) -> the attribute's value (UNKNOWN when not modelled)."""
    def add(handler: Handler) -> Handler:
        _ATTRIBUTES[value_type] = handler
        return handler
    return add


def callable_values(value_type: type) -> Callable[[Handler], Handler]:
    """handler(interp, value, node, args, kwargs, module, site, starred) -> the call's value."""
    def add(handler: Handler) -> Handler:
        _CALLABLES[value_type] = handler
        return handler
    return add


def context(value_type: type, exit: Handler | None = None) -> Callable[[Handler], Handler]:
    """enter(interp, value, module, node) -> the `as` value; exit(interp, value) at the end."""
    def add(enter: Handler) -> Handler:
        _CONTEXTS[value_type] = (enter, exit)
        return enter
    return add


def builtin(name: str) -> Callable[[Handler], Handler]:
    """handler(interp, args, node, module) -> the value, or NOT_SPECIAL when not its case."""
    def add(handler: Handler) -> Handler:
        _BUILTINS.setdefault(name, []).append(handler)
        return handler
    return add


def lookup(canon: str) -> Handler | None:
    handler = _EXACT.get(canon)
    if handler is not None:
        return handler
    for predicate, family_handler in _FAMILIES:
        if predicate(canon):
            return family_handler
    return None


def registered_names() -> frozenset[str]:
    return frozenset(_EXACT)


def family_predicates() -> list[Callable[[str], bool]]:
    return [predicate for predicate, _ in _FAMILIES]


class TFMethod:
    """A bound method of a value a model made (`scope.reuse_variables`, `opt.minimize`)."""

    __slots__ = ("fn", "target")

    def __init__(self, fn: Handler, target: Any) -> None:
        self.fn = fn  # fn(interp, target, node, module, args, kwargs)
        self.target = target


# ----- the hooks the interpreter calls -------------------------------------------------------------
UNKNOWN_SCOPE = object()  # what an unmodelled scope-like TF call returns: a `with` of it is opaque


def call(interp, canon: str, node, args, kwargs, module) -> Any:
    """A call of a TensorFlow name: its model, or what an unmodelled TF op gives."""
    handler = lookup(canon)
    result = handler(interp, canon, node, args, kwargs, module) if handler is not None else NOT_SPECIAL
    if result is not NOT_SPECIAL:
        return result
    if tfnames.makes_configuration(canon):
        return UNKNOWN  # a setting for a layer: no tensor, so no input of the call it is passed to
    if tfnames.may_create_opaquely(canon):
        interp.tf.unknown_effect()
    if tfnames.opens_unknown_scope(canon, frozenset(kwargs), any(k.arg is None for k in node.keywords)):
        return UNKNOWN_SCOPE  # a `with` of it: names and reuse inside are unknown
    made = deps(args, kwargs)
    # A source (a placeholder, noise) is its own input, so two sources stay apart.
    if made.calls or made.scopes:
        return made
    return made.cut(frozenset({id(node)}))


def third_party_call(interp, qualname: str, node, args, kwargs, module) -> Any:
    """A call of a name from a package the analysis does not follow that is a TF model's
    all the same (TensorFlow Addons' weighted layers), or NOT_SPECIAL."""
    twin = tfnames.ADDON_LAYERS.get(qualname)
    return call(interp, twin, node, args, kwargs, module) if twin is not None else NOT_SPECIAL


def attribute_handler(value_type: type) -> Handler | None:
    return _ATTRIBUTES.get(value_type)


def call_handler(value_type: type) -> Handler | None:
    return _CALLABLES.get(value_type)


def context_handlers(value_type: type) -> tuple[Handler, Handler | None] | None:
    return _CONTEXTS.get(value_type)


def builtin_call(interp, name: str | None, args, node, module) -> Any:
    for handler in _BUILTINS.get(name, ()):
        result = handler(interp, args, node, module)
        if result is not NOT_SPECIAL:
            return result
    return NOT_SPECIAL


def models_subclass(base: Any) -> bool:
    """Whether a user class that subclasses `base` and adds no behaviour of its own may be
    run as `base` itself: a name a model answers for (`MultiRNNCell`), not a Keras layer or
    model class, whose subclasses Keras runs in its own way (`keras.class_methods`)."""
    if not isinstance(base, TFRef):
        return False
    canon = tfnames.canonical(base.qualname)
    return lookup(canon) is not None and not tfnames.is_keras_layer_class(canon)


def default_equality(interp, value: Any) -> bool:
    """A TensorFlow object whose `==` is Python's default, identity (`model == None` is
    False): a Keras layer or model, built or read back from a file. A tensor's `==` is
    elementwise, or an error (a variable), or a symbolic tensor (Keras 3). Optimizers are
    left unknown: `if opt == None: opt = Adam()` decides which models share one, a reading
    not yet judged in TF."""
    if isinstance(value, KerasObject) or interp.tf.loaded_models.get(id(value)) is value:
        return True
    # a Keras layer or model class as a user class's base: none defines `__eq__`
    return isinstance(value, TFRef) and tfnames.is_keras_layer_class(tfnames.canonical(value.qualname))


def is_modelled_module(name: str) -> bool:
    """An import of TensorFlow or a sibling: its names are TFRefs, never loaded."""
    return name.split(".")[0] in tfnames.ROOT_MODULES


@attributes(TFRef)
def _tf_name_attribute(base: TFRef, attr: str) -> Any:
    named = base.attr(attr)
    return versions.of(named.qualname) or named


@callable_values(TFRef)
def _call_tf_name(interp, func: TFRef, node, args, kwargs, module, site, starred) -> Any:
    return call(interp, tfnames.canonical(func.qualname), node, args, kwargs, module)


@callable_values(TFMethod)
def _call_method(interp, method: TFMethod, node, args, kwargs, module, site, starred) -> Any:
    return method.fn(interp, method.target, node, module, args, kwargs or {})


# The families register on import. Kept last: they import the registry above.
from reuse_lint.engine.tfapi import (  # noqa: E402, F401  (layers, optimizers... only register)
    core,
    functions,
    graphs,
    keras,
    layers,
    optimizers,
    rnn,
    scopes,
    selections,
    templates,
    tapes,
    tensors,
    variables,
    versions,
)

# Hooks whose model lives in one family.
TFState = core.TFState
enter_unknown = scopes.enter_unknown


def comprehension(interp, node, env, module, elts, outer: Any) -> Any:
    """A comprehension a model gives a meaning to (a name filter over variables, gradients
    carried with their variables), or None. `outer`: the value of its outermost iterable,
    which the interpreter evaluated."""
    selected = selections.select_by_name(interp, node, env, module, elts, outer)
    return selected if selected is not None else optimizers.carry_gradients(interp, node, env, module, elts, outer)


dict_comprehension = selections.key_by_variable
picked = tapes.picked


def loop_over(interp, stmt: ast.For, iterable: Any, env, module) -> list[tuple[ast.AST, Any]]:
    """The lists a `for` fills that a model knows after it (variables a name test keeps,
    gradients rebuilt one by one), as (the list's expression, its value) to bind."""
    return selections.loop_over(interp, stmt, iterable, env, module) or optimizers.loop_appends(
        interp, stmt, iterable, env, module)


def handler_creates(handlers: list, env, module) -> bool:
    """Does an `except` make variables: call TF's variable makers (`tf.Variable`,
    `tf.get_variable`) or a functional layer, by a name the module imported from TensorFlow,
    or a function or method of the module's own (`self.weight_variable(...)`) that does?"""
    body = [n for handler in handlers for stmt in handler.body for n in ast.walk(stmt)]
    if _calls_creator(body, env, module):
        return True
    called = {c.func.id if isinstance(c.func, ast.Name) else c.func.attr for c in body
              if isinstance(c, ast.Call) and isinstance(c.func, (ast.Name, ast.Attribute))}
    helpers = [n for n in ast.walk(module.tree)
               if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name in called]
    return any(_calls_creator(list(ast.walk(h)), [], module) for h in helpers)


def _calls_creator(nodes: list, env, module) -> bool:
    names = collections.ChainMap(*env, module.globals)  # a local binding first, as Python looks it up
    return any(isinstance(n, ast.Call) and core.names_api(n.func, names, _CREATORS) for n in nodes)


_CREATORS = tfnames.VARIABLE | tfnames.FILLED_VARIABLES | {tfnames.GET_VARIABLE} | set(tfnames.LAYER_FUNCTIONS)


def set_attribute(interp, base: Any, attr: str, value: Any, node: ast.AST, module: Any) -> None:
    """`x.attr = value` on anything but an object of the program's own classes."""
    if isinstance(base, ScopeVal):
        scopes.set_scope_attribute(interp, base, attr, value)
    else:
        keras.set_attribute(interp, base, attr, value, node, module)


eager_program = core.eager_program


def unmodelled_scope(value: Any, node: ast.AST) -> bool:
    """`with tf.vraiable_scope("RNN"):` (misspelt: TF raises), `tf.variable_op_scope(...)`: a TF
    call no model knows, named like a variable or name scope. What reuse it sets and where the
    block's variables go are unknown. Other TF objects entered (`tf.Session()`, `tf.device(...)`,
    contrib's `arg_scope`, which only sets defaults) stay plain objects."""
    if not (isinstance(value, Tensor) and isinstance(node, ast.Call)):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return bool(difflib.get_close_matches(name, _SCOPE_MANAGERS, n=1, cutoff=0.8))


_SCOPE_MANAGERS = ("variable_scope", "name_scope")
item_of = keras.item_of
pickable = keras.pickable
picked_layers = keras.picked_layers
class_methods = keras.class_methods
derives_from_keras_callback = keras.derives_from_keras_callback
is_keras_layer_class = keras.derives_from_keras_layer
run_compiled = keras.run_compiled
run_keras_build = keras.run_keras_build
build = core.build
traces = functions.traces
run_given_function = functions.run_given_function
unary_op = tensors.unary
external_result = tensors.external_result
call_inputs = tensors.call_inputs
through = tensors.through
model_attribute = keras.model_attribute
instance_attribute_set = keras.instance_attribute_set
unpacked = tensors.unpacked
apply_subclass = keras.apply_subclass
own_call_applied = keras.own_call_applied
call_written_out = keras.call_written_out
call_in_own_step = keras.call_in_own_step
through_parts = keras.through_parts
hand_over = keras.hand_over
blind = tapes.blind


def subscript(base: Any, index: Any) -> Any:
    """`x[i]` on a value the models made, or NOT_SPECIAL."""
    result = keras.layers_item(base)
    if result is not NOT_SPECIAL:
        return result
    result = versions.subscript(base, index)
    return result if result is not NOT_SPECIAL else tensors.subscript(base)


compare = versions.compare


def join(interp, a: Any, b: Any) -> Any:
    """What two arms of an `if` leave in one name where they leave different values:
    UNKNOWN, unless a model says which one a run meets (a model built or read back), or
    one arm only added to the other's tensor (`if aux: loss += 0.4 * aux_loss`), or both hold
    one step's gradients, clipped one way or another, or one arm filters the list the other
    takes whole (see tapes.picked_or_whole)."""
    extended = tensors.extended(a, b)
    if extended is None:
        extended = optimizers.same_gradients(a, b)
    if extended is None:
        extended = tapes.picked_or_whole(a, b)
    return extended if extended is not None else keras.resumed_or_built(interp, a, b)


def same_kind(a: Any, b: Any) -> bool:
    """Two Keras models, or two layers of one class: see interp._same_kind."""
    return keras.same_kind(a, b)


def value_attribute(interp, base: Any, attr: str) -> Any:
    """An attribute whose value depends on what TensorFlow holds now (a scope's reuse, a
    Keras object's weights), or NOT_SPECIAL."""
    if isinstance(base, ScopeVal):
        return scopes.scope_attribute(interp, base, attr)
    return keras.value_attribute(interp, base, attr)


def binary_op(op, left: Any, right: Any) -> Any:
    """A binary operator on values the models made, or NOT_SPECIAL."""
    result = tensors.binary(op, left, right)
    if result is NOT_SPECIAL and isinstance(op, ast.Add):
        result = tapes.add_lists(left, right)
    return result if result is not NOT_SPECIAL else selections.binary(op, left, right)


def tensor_op(op, left: Any, right: Any) -> Any:
    """`x op= y` where either is a tensor the models made (what `x` is then), or None."""
    result = tensors.binary(op, left, right)
    return None if result is NOT_SPECIAL else result


def is_var_list(value: Any) -> bool:
    """A variable list the models made (`model.trainable_variables`, `tf.get_collection`)."""
    return isinstance(value, (ModelVars, VarList))


def grow_list(left: Any, right: Any) -> Any:
    """`x += y` or `x.extend(y)` on a variable list the models made (or on `[]`): the list
    x then is, or NOT_SPECIAL."""
    result = tapes.grow(left, right)
    return result if result is not NOT_SPECIAL else selections.grow(left, right)


def changed_in_place(value: Any) -> Any:
    """A list the models made, changed in place where the interpreter does not follow it
    (`g_vars.append(w)`, `tvars.remove(w)`): what it is then, or NOT_SPECIAL."""
    return selections.changed(value)


def imported(name: str) -> Any:
    """The value of `import name` when the models own it (a TFRef), else None."""
    return TFRef(name) if is_modelled_module(name) else None


def is_modelled(value: Any) -> bool:
    """A name of a modelled library (a decorator from it wraps nothing we must see)."""
    return isinstance(value, TFRef)
