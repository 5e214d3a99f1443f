"""Tensors: what flows into each (the calls and model scopes it depends on), so that a rule
can tell which model a loss comes out of. `tf.stop_gradient` cuts the scopes off; a tensor's
attributes and calls (`x.shape`, `x.get_shape()`) keep what flowed in.
"""

from __future__ import annotations

from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.tfapi import attributes, callable_values, context, register
from reuse_lint.engine.values import Tensor, deps


@register(tfnames.STOP_GRADIENT)
def _stop_gradient(interp, canon, node, args, kwargs, module) -> Any:
    return Tensor(calls=deps(args, kwargs).calls)


@attributes(Tensor)
def _tensor_attribute(base: Tensor, attr: str) -> Any:
    return base  # `x.shape`, `x.get_shape` (calling a Tensor keeps its inputs)


@callable_values(Tensor)
def _call_tensor(interp, func: Tensor, node, args, kwargs, module, site, starred) -> Any:
    return func | deps(args, kwargs)


@context(Tensor)
def _enter_tensor(interp, ctx: Tensor, module, node) -> Any:
    return ctx  # `with tf.Session() as sess`: a TF object, no scope
