"""Tensors: what flows into each (the calls and model scopes it depends on), so that a rule
can tell which model a loss comes out of. `tf.stop_gradient` cuts the scopes off; a tensor's
attributes and calls (`x.shape`, `x.get_shape()`), operators and subscripts keep what flowed in.
"""

from __future__ import annotations

import ast
from dataclasses import fields, replace
from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.tfapi import NOT_SPECIAL, attributes, builtin, callable_values, context, register
from reuse_lint.engine.values import UNKNOWN, Const, ListVal, Tensor, deps


@register(tfnames.STOP_GRADIENT)
def _stop_gradient(interp, canon, node, args, kwargs, module) -> Any:
    made = deps(args, kwargs)
    return made.cut()


@register(*sorted(tfnames.REVERSALS))
def _reversal(interp, canon, node, args, kwargs, module) -> Any:
    made = deps(args, kwargs)
    if not (made.calls or made.scopes):
        made = made | Tensor(calls=frozenset({id(node)}))  # a source, as any unmodelled op's
    return replace(made, reversed=True)


@register(*sorted(tfnames.BATCH_JOINS))
def _batch_join(interp, canon, node, args, kwargs, module) -> Any:
    """`tf.concat([fake, real], axis=0)`: along the batch axis, the samples that came out of no
    model (the real ones, a parameter the analysis does not know) stay data, so a
    discriminator applied to the batch is applied to data too (`keras._applied`)."""
    made = deps(args, kwargs)
    axis = kwargs.get("axis", args[1] if len(args) > 1 else UNKNOWN)
    values = args[0] if args else kwargs.get("values", UNKNOWN)
    items = values.items if isinstance(values, ListVal) and not values.sample else []
    if axis == Const(0) and made.models and (made.calls or made.scopes) and any(
            item is UNKNOWN or isinstance(item, Tensor) and not item.models for item in items):
        return replace(made, samples=True)
    return NOT_SPECIAL  # what any op gives


@attributes(Tensor)
def _tensor_attribute(base: Tensor, attr: str) -> Any:
    return base  # `x.shape`, `x.get_shape` (calling a Tensor keeps its inputs)


@callable_values(Tensor)
def _call_tensor(interp, func: Tensor, node, args, kwargs, module, site, starred) -> Any:
    return func | deps(args, kwargs)


@context(Tensor)
def _enter_tensor(interp, ctx: Tensor, module, node) -> Any:
    return ctx  # `with tf.Session() as sess`: a TF object, no scope


# ----- how tensors flow through the Python the interpreter runs ------------------------------------
def binary(op: ast.operator, left: Any, right: Any) -> Any:
    """`x + y`, `x * 2`: a tensor of everything in either."""
    if isinstance(left, Tensor) or isinstance(right, Tensor):
        made = deps([left, right], {})
        if isinstance(op, (ast.Add, ast.Sub)) and isinstance(left, Tensor) and isinstance(right, Tensor) \
                and left.parts and right.parts:
            made = replace(made, terms=_terms(left) | _terms(right))
        return made
    return NOT_SPECIAL


def _terms(t: Tensor) -> frozenset:
    return t.terms or frozenset({t.parts})


def extended(a: Any, b: Any) -> Tensor | None:
    """What an `if` leaves where one arm only added terms to the tensor the other left
    (`if self.use_aux_heads: loss = loss + 0.4 * aux_loss`, `if l2 > 0: loss += l2 * reg`):
    the larger one, every field of which holds the other's. It is that arm's own value, not
    a union of two runs: what follows sees exactly what the arm that extends sees, and the
    other arm's run is a part of it. None for two tensors that differ otherwise."""
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)):
        return None
    if _holds(a, b):
        return a
    if _holds(b, a):
        return b
    return None


# Every set a tensor carries, read from its class: a field added later is compared too.
_SETS = tuple(f.name for f in fields(Tensor) if f.type == "frozenset")


def _holds(big: Tensor, small: Tensor) -> bool:
    return (not small.partial or big.partial) and all(getattr(small, f) <= getattr(big, f) for f in _SETS)


def unpacked(value: Any) -> Any:
    """Each name of `mean, var = encoder(x)`: a model's outputs each carry all it flowed
    through (UNKNOWN for anything else). `outputs, state = dynamic_rnn(...)` keeps only
    which runner made them, so a decoder fed the encoder's state is still told apart."""
    if isinstance(value, Tensor) and not value.models and value.runs:
        return Tensor(runs=value.runs, reversed=value.reversed)
    if isinstance(value, Tensor) and not value.models and value.calls:
        # `i_a, i_b = tf.split(incoming, 2, 3)` in a layer helper: each part comes out of calls
        # the whole came out of, perhaps not all. Kept, so that a block stacked on the helper's
        # output is still seen fed by it, and marked partial: they prove no independence.
        return Tensor(calls=value.calls, partial=True)
    return value if isinstance(value, Tensor) and value.models else UNKNOWN


def unary(operand: Any) -> Any:
    return operand if isinstance(operand, Tensor) else NOT_SPECIAL


def subscript(base: Any) -> Any:
    return base if isinstance(base, Tensor) else NOT_SPECIAL  # `x[0]`, `x[:, 1]`


def external_result(args, kwargs) -> Any:
    """What a function of a library we do not analyse (numpy) makes of tensors."""
    return deps(args, kwargs) if any(isinstance(a, Tensor) for a in args) else UNKNOWN


def call_inputs(args, kwargs) -> Tensor:
    """What flows into a call's arguments: the calls whose results do (`.calls`), and whether
    some of that ancestry is unknown (`.partial`)."""
    return deps(args, kwargs)


def through(interp, value: Any, call: int) -> Any:
    """A user function's result, and each tensor of a returned tuple, now also flow out of
    the call `call`, so a later call can see it is fed by this one. A model read back from a
    file (`load_model`) is still that model once a helper returns it."""
    if isinstance(value, Tensor):
        passed = replace(value, calls=value.calls | {call})
        loaded = interp.tf.loaded_models
        if loaded.get(id(value)) is value:
            loaded[id(passed)] = passed
        return passed
    if isinstance(value, ListVal) and any(isinstance(item, Tensor) for item in value.items):
        return ListVal([through(interp, item, call) for item in value.items], value.sample)
    return value


@builtin("zip")
def _zip_tensors(interp, args, node, module) -> Any:
    """`zip(features(a), features(b))`: each pair holds an item of each, so what flows into
    the loss a comprehension sums over the pairs is what flows out of both (a perceptual
    loss over a feature model's outputs). A sample pair stands for them all."""
    if len(args) >= 2 and all(isinstance(a, Tensor) for a in args):
        return ListVal([ListVal(list(args))], sample=True)
    return NOT_SPECIAL


@builtin("sum")
def _sum_tensors(interp, args, node, module) -> Any:
    """`sum(losses.values())`, `sum([mse(y, head(h)) for h in outs])`: a total of loss terms
    carries what flows into each term."""
    if args and isinstance(args[0], ListVal) and any(isinstance(i, Tensor) for i in args[0].items):
        return deps(list(args), {})
    return NOT_SPECIAL
