"""The TensorFlow hooks. Each wraps one TF entry point, records what happened into the
Recording and, where TF would raise a reuse error, records it and carries on so that one
run reports every problem. Installed only in the trace's child process.
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
import threading

import numpy as np
import tensorflow as tf
from tensorflow.python.client import session as tf_session
from tensorflow.python.eager import backprop
from tensorflow.python.framework import ops
from tensorflow.python.ops import variable_scope, variable_v1, variables
from tensorflow.python.training import monitored_session
from tensorflow.python.training import optimizer as v1_optimizer
from tensorflow.python.util import tf_stack

from reuse_lint.trace.recorder import (
    Creation, Lookup, OptimizerUse, Recording, Selection, Site, StopTrace, UserCode,
)


def var_name(v) -> str:
    return v.name.split(":", 1)[0]


def _shape(shape) -> tuple:
    shape = tf.TensorShape(shape)
    return tuple(shape.as_list()) if shape.rank is not None else ()


class Tracer:
    """Holds the state the hooks share: the recording, which code is the user's, and how
    many training steps may run before the trace stops."""

    def __init__(self, user: UserCode, steps: int):
        self.steps = steps
        self._patched: list[tuple[object, str, object]] = []
        self.reset(user)

    def reset(self, user: UserCode) -> None:
        """Start a new recording: the next target of a batch, under its own project root."""
        self.rec = Recording()
        self.rec.chained = self.chained
        self.user = user
        user.origin = _autograph_origin
        self.train_ops: dict[str, OptimizerUse] = {}
        self._seen_vars: set[int] = set()
        self._forward_end: dict[int, int] = {}  # graph id -> op id where optimizers begin
        # [reuse flag or None, builder that wrote it] per open variable_scope, innermost
        # last; the root scope's entry changes only through reuse_variables().
        self.scopes: list[list] = []
        self.root_reuse: list = [None, None]
        # TF 2 --steps (steps_tf2): one use per (optimizer, call site); the uses each
        # tf.function was traced with; the tf.functions being called, outermost first.
        self.keras_uses: dict[tuple, OptimizerUse] = {}
        self.function_uses: dict[int, set] = {}
        self.model_vars: dict[int, object] = {}  # the Keras models' trainable variables
        self.whole_call_uses: dict[int, set] = {}  # jit_compile'd functions: measured whole
        self.calls: list = []
        self.applying = False
        # The user's Keras layers and models being called, innermost last, each as
        # (id, class name, which call of it); and how often each was called.
        self.keras_calls: list[tuple[int, str, int]] = []
        self.keras_call_counts: dict[int, tuple[object, int]] = {}
        self.keras_callers: list = []  # per entry of keras_calls, the frame that called it

    def patch(self, owner, attr: str, replacement) -> None:
        self._patched.append((owner, attr, getattr(owner, attr)))
        setattr(owner, attr, replacement)

    def uninstall(self) -> None:
        """Put every original back (the benchmark times the same build with and without)."""
        for owner, attr, original in reversed(self._patched):
            setattr(owner, attr, original)
        self._patched.clear()

    # -- helpers -------------------------------------------------------------------------
    def stack(self) -> tuple[Site, ...]:
        return self.user.stack(sys._getframe(2))

    def site(self) -> Site | None:
        stack = self.user.stack(sys._getframe(2))
        return stack[-1] if stack else None

    def builder_of(self, frame) -> tuple | None:
        """The user function running `frame`, None for TensorFlow's (or a library's) code."""
        code = frame.f_code
        return (code.co_filename, code.co_name, code.co_firstlineno) if self.user.is_user(code.co_filename) else None

    def reuse_origin(self) -> tuple[str, tuple | None] | None:
        for flag, builder in reversed([self.root_reuse, *self.scopes]):
            if flag is not None:
                return flag, builder
        return None

    def handles(self, graph=None) -> list:
        return [c.handle for c in self.rec.creations
                if graph is None or getattr(c.handle, "graph", None) is graph]

    # -- variable creation (every path: get_variable, tf.Variable, Keras) ----------------
    def created(self, v) -> None:
        if id(v) in self._seen_vars:
            return  # a v1 creator may delegate to the v2 one; record the variable once
        self._seen_vars.add(id(v))
        owner, call_site = self._creating_call()
        self.rec.creations.append(Creation(
            name=var_name(v), shape=_shape(v.shape), dtype=v.dtype.base_dtype.name,
            trainable=bool(getattr(v, "trainable", True)),
            stack=self.user.stack(sys._getframe(2)), handle=v, owner=owner, call_site=call_site,
        ))

    def _creating_call(self) -> tuple[tuple | None, Site | None]:
        """The user's Keras call a new variable belongs to, and the line of that call's code
        that made it (None: the creating line itself). A layer object on its first call that
        its caller does not track (`DNN(...)(x)` in a `call`, weights made in DNN's `build`)
        is new with each call of the caller: its weights belong to the caller's line."""
        calls = self.keras_calls
        k = len(calls) - 1
        while k > 0 and calls[k][2] == 1 and self._untracked(calls[k - 1][0], calls[k][0]):
            k -= 1
        if k < 0:
            return None, None
        if k == len(calls) - 1:
            return calls[k], None
        stack = self.user.stack(self.keras_callers[k + 1])
        return (calls[k], stack[-1]) if stack else (calls[-1], None)

    def _untracked(self, parent_id: int, child_id: int) -> bool:
        parent = self.keras_call_counts[parent_id][0]
        child = self.keras_call_counts[child_id][0]
        flatten = getattr(parent, "_flatten_layers", None)
        if flatten is None:
            return False
        try:
            return all(layer is not child for layer in flatten(include_self=False, recursive=True))
        except (TypeError, AttributeError, ValueError):
            return False  # a Keras without this walk: keep the creating line

    def chained(self, originals: list, copies: list) -> bool:
        """True when the forward graph of the copies reads an original: stacked blocks."""
        try:
            graph = copies[0].graph
            starts = [c.op for c in copies]
        except AttributeError:
            return False  # eager variables: no graph to follow
        targets = {v.op for v in originals}
        limit = self._forward_end.get(id(graph), sys.maxsize)
        todo = [consumer for op in starts for out in op.outputs for consumer in out.consumers()]
        seen = set(starts)
        while todo:
            op = todo.pop()
            if op in seen or op._id >= limit:  # skip gradients and train ops
                continue
            seen.add(op)
            if op in targets:
                return True
            todo.extend(t.op for t in op.inputs)
            todo.extend(op.control_inputs)
        return False


def _wrap_creators(tracer: Tracer) -> None:
    # The default creators sit under every creator scope and every graph, so wrapping
    # them sees all variables, including those of graphs made after install().
    for module, attr in ((variable_v1, "default_variable_creator"),
                         (variables, "default_variable_creator_v2")):
        original = getattr(module, attr)

        @functools.wraps(original)
        def creator(next_creator=None, _original=original, **kwargs):
            v = _original(next_creator, **kwargs)
            tracer.created(v)
            return v

        tracer.patch(module, attr, creator)


def _wrap_variable_store(tracer: Tracer) -> None:
    store = variable_scope._VariableStore
    original = store._get_single_variable
    signature = inspect.signature(original)

    @functools.wraps(original)
    def get_single_variable(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        a = bound.arguments
        name, reuse = a["name"], a["reuse"]
        shape = tf.TensorShape(a["shape"]) if a["shape"] is not None else None
        existing = self._vars.get(name)
        if existing is None:
            if reuse is True:
                # TF: "Variable ... does not exist". Record, then create it so the run goes on.
                tracer.rec.lookups.append(Lookup(name, _shape(shape) if shape else None, "True",
                                                 tracer.stack(), problem="missing"))
                a["reuse"] = tf.compat.v1.AUTO_REUSE
            return original(*bound.args, **bound.kwargs)
        look = Lookup(name, _shape(shape) if shape else None, _reuse_text(reuse), tracer.stack(),
                      found_shape=_shape(existing.shape), origin=tracer.reuse_origin())
        if reuse is False:
            look.problem = "duplicate"  # TF: "Variable ... already exists, disallowed."
            a["reuse"] = True
        elif shape is not None and not shape.is_compatible_with(existing.shape):
            look.problem = "shape"  # TF: "Trying to share variable ..., but specified shape"
        if look.problem in ("duplicate", "shape"):
            a["shape"] = None
        tracer.rec.lookups.append(look)
        return original(*bound.args, **bound.kwargs)

    tracer.patch(store, "_get_single_variable", get_single_variable)


def _reuse_text(reuse) -> str:
    return "AUTO_REUSE" if reuse is tf.compat.v1.AUTO_REUSE else str(reuse)


def _wrap_scopes(tracer: Tracer) -> None:
    """Track which code switched reuse on: RT205 tells reuse that a builder asked for
    (reuse=True, reuse_variables() in its own code) from reuse it merely inherited."""
    cls = variable_scope.variable_scope
    enter, exit_ = cls.__enter__, cls.__exit__
    reuse_variables = variable_scope.VariableScope.reuse_variables

    @functools.wraps(enter)
    def hooked_enter(self):
        builder = tracer.builder_of(sys._getframe(1))
        entered = enter(self)
        flag = _reuse_text(self._reuse) if self._reuse in (True, tf.compat.v1.AUTO_REUSE) else None
        tracer.scopes.append([flag, builder])
        return entered

    @functools.wraps(exit_)
    def hooked_exit(self, *exc):
        if tracer.scopes:
            tracer.scopes.pop()
        return exit_(self, *exc)

    @functools.wraps(reuse_variables)
    def hooked_reuse_variables(self):
        entry = tracer.scopes[-1] if tracer.scopes else tracer.root_reuse
        entry[:] = ["True", tracer.builder_of(sys._getframe(1))]
        return reuse_variables(self)

    tracer.patch(cls, "__enter__", hooked_enter)
    tracer.patch(cls, "__exit__", hooked_exit)
    tracer.patch(variable_scope.VariableScope, "reuse_variables", hooked_reuse_variables)


def _wrap_collections(tracer: Tracer) -> None:
    """Record a selection by a plain scope string that returned another scope's variables:
    TensorFlow matches the scope with re.match, so "disc" also takes "disc_aux/"."""
    original = ops.Graph.get_collection

    @functools.wraps(original)
    def hooked(self, name, scope=None):
        items = original(self, name, scope)
        if isinstance(scope, str) and scope and re.escape(scope) == scope:
            prefix = scope.rstrip("/") + "/"
            names = [var_name(v) for v in items if isinstance(v, variables.Variable)]
            if any(not n.startswith(prefix) for n in names):
                tracer.rec.selections.append(Selection(scope, names, tracer.site()))
        return items

    tracer.patch(ops.Graph, "get_collection", hooked)


def _takes_all(loss, var_list) -> bool:
    """No var_list, or one that holds every trainable variable of the loss's graph."""
    if var_list is None:
        return True
    graph = getattr(loss, "graph", None)
    trainable = graph.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES) if graph is not None else []
    return bool(trainable) and {id(v) for v in trainable} <= {id(v) for v in var_list}


def _wrap_v1_optimizers(tracer: Tracer) -> None:
    base = v1_optimizer.Optimizer
    minimize, compute, apply = base.minimize, base.compute_gradients, base.apply_gradients

    @functools.wraps(minimize)
    def hooked_minimize(self, loss, global_step=None, var_list=None, *args, **kwargs):
        tracer.mark_forward_end(loss)
        var_list = list(var_list) if var_list is not None else None
        if var_list is not None and not var_list:
            # TF: "No variables to optimize." Record it and hand back a train op that does nothing.
            tracer.rec.empty_var_lists.append((type(self).__name__, tracer.site()))
            return tf.no_op(name="reuse_lint_empty_var_list")
        return minimize(self, loss, global_step, var_list, *args, **kwargs)

    @functools.wraps(compute)
    def hooked_compute(self, loss, var_list=None, *args, **kwargs):
        tracer.mark_forward_end(loss)
        var_list = list(var_list) if var_list is not None else None
        self._reuse_lint_implicit = var_list is None
        self._reuse_lint_takes_all = _takes_all(loss, var_list)
        return compute(self, loss, var_list, *args, **kwargs)

    @functools.wraps(apply)
    def hooked_apply(self, grads_and_vars, *args, **kwargs):
        grads_and_vars = list(grads_and_vars)
        train_op = apply(self, grads_and_vars, *args, **kwargs)
        use = OptimizerUse(
            kind=type(self).__name__, site=tracer.site(),
            var_list=[var_name(v) for g, v in grads_and_vars if g is not None],
            implicit=getattr(self, "_reuse_lint_implicit", False),
            takes_all=getattr(self, "_reuse_lint_takes_all", False),
            graph=0 if tf.executing_eagerly() else id(train_op.graph),
            no_gradient=[var_name(v) for g, v in grads_and_vars if g is None],
        )
        # A later apply_gradients(zip(grads, vars)) of the same optimizer has its own list.
        self._reuse_lint_implicit = self._reuse_lint_takes_all = False
        tracer.rec.optimizers.append(use)
        if not tf.executing_eagerly():
            tracer.train_ops[train_op.name] = use
            use.train_ops.add(train_op.name)
        return train_op

    tracer.patch(base, "minimize", hooked_minimize)
    tracer.patch(base, "compute_gradients", hooked_compute)
    tracer.patch(base, "apply_gradients", hooked_apply)


def _mark_forward_end(tracer: Tracer, tensor) -> None:
    graph = getattr(tensor, "graph", None)
    if graph is not None and id(graph) not in tracer._forward_end:
        ops = graph.get_operations()
        tracer._forward_end[id(graph)] = max((op._id for op in ops), default=0) + 1


Tracer.mark_forward_end = _mark_forward_end


class _SessionRun:
    """Session.run: let variable initializers through, stop at the first other run (or let
    --steps training runs through, measuring which variables each train op changes)."""

    def __init__(self, tracer: Tracer, original):
        self.tracer, self.original = tracer, original

    def __call__(self, sess, fetches, feed_dict=None, options=None, run_metadata=None):
        t = self.tracer
        flat = tf.nest.flatten(fetches)
        ops = [_op_of(sess.graph, f) for f in flat]
        train = [self._train_ops(op) for op in ops]
        if not any(train):
            if all(op is not None and self._is_init(op, sess.graph) for op in ops):
                return self.original(sess, fetches, feed_dict, options, run_metadata)
            caller = sys._getframe(1).f_code.co_filename
            if t.steps == 0 and t.user.is_user(caller):
                raise StopTrace(f"Session.run at {_label(t.site())}: the first run that is not "
                                "a variable initializer")
            return self.original(sess, fetches, feed_dict, options, run_metadata)
        if t.steps == 0:
            raise StopTrace(f"Session.run at {_label(t.site())}: the first training step")
        result = self._measured(sess, fetches, flat, ops, train, feed_dict, options, run_metadata)
        t.rec.steps_run += 1
        if t.rec.steps_run >= t.steps:
            raise StopTrace(f"after {t.rec.steps_run} training steps (--steps {t.steps})")
        return result

    def _train_ops(self, op) -> list:
        """Train ops reachable from a fetch through control edges (tf.group, control deps)."""
        found, todo, seen = [], [op], set()
        while todo:
            op = todo.pop()
            if op is None or op in seen:
                continue
            seen.add(op)
            if op.name in self.tracer.train_ops:
                found.append(op)
            else:
                todo.extend(op.control_inputs)
        return found

    def _is_init(self, op, graph) -> bool:
        inits = {v.initializer for v in self.tracer.handles(graph) if hasattr(v, "initializer")}
        todo, seen = [op], set()
        while todo:
            op = todo.pop()
            if op in seen or op in inits:
                continue
            seen.add(op)
            if op.type != "NoOp":
                return False
            todo.extend(op.control_inputs)
        return True

    def _measured(self, sess, fetches, flat, ops, train, feed_dict, options, run_metadata):
        """Run the non-training fetches first, then each train op alone, so the variables a
        train op changed can be told apart even when one run fetches two train ops."""
        run = functools.partial(self.original, sess, feed_dict=feed_dict, options=options,
                                run_metadata=run_metadata)
        values = [None] * len(flat)
        others = [i for i, found in enumerate(train) if not found]
        if others:
            for i, value in zip(others, run([flat[i] for i in others])):
                values[i] = value
        handles = [v for v in self.tracer.handles(sess.graph) if v.trainable]
        for i, found in enumerate(train):
            units = [(flat[i], found)] if ops[i].type != "NoOp" else [(op, [op]) for op in found]
            for fetch, train_ops in units:
                before = run(handles)
                value = run(fetch)
                after = run(handles)
                if ops[i].type != "NoOp":
                    values[i] = value
                changed = {var_name(v) for v, b, a in zip(handles, before, after)
                           if not np.array_equal(b, a)}
                for op in train_ops:
                    use = self.tracer.train_ops[op.name]
                    use.changed |= changed
                    use.steps += 1
        return tf.nest.pack_sequence_as(fetches, values)


def _op_of(graph, fetch):
    try:
        element = graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
    except (TypeError, ValueError, KeyError):
        return None
    return element if isinstance(element, tf.Operation) else getattr(element, "op", None)


def _label(site: Site | None) -> str:
    return site.label() if site else "(TensorFlow internals)"


def _wrap_session(tracer: Tracer) -> None:
    run = _SessionRun(tracer, tf_session.BaseSession.run)

    def hooked_run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        return run(self, fetches, feed_dict, options, run_metadata)

    tracer.patch(tf_session.BaseSession, "run", hooked_run)


def _wrap_monitored_session(tracer: Tracer) -> None:
    original = monitored_session.MonitoredTrainingSession
    signature = inspect.signature(original)

    @functools.wraps(original)
    def hooked(*args, **kwargs):
        if tracer.steps == 0:
            raise StopTrace(f"MonitoredTrainingSession at {_label(tracer.site())}: training starts")
        bound = signature.bind(*args, **kwargs)
        # The trace must not write checkpoints or summaries into the user's directories.
        bound.arguments["checkpoint_dir"] = None
        bound.arguments["summary_dir"] = None
        return original(*bound.args, **bound.kwargs)

    tracer.patch(monitored_session, "MonitoredTrainingSession", hooked)
    tracer.patch(tf.compat.v1.train, "MonitoredTrainingSession", hooked)


def _wrap_gradient_tape(tracer: Tracer) -> None:
    # In TF2 code a training step is whatever asks a GradientTape for gradients: custom
    # loops and Keras' train_step alike, eager or while a tf.function is being traced.
    # Under --steps the optimizers' apply_gradients count the steps instead (steps_tf2).
    original = backprop.GradientTape.gradient

    @functools.wraps(original)
    def hooked(self, *args, **kwargs):
        if tracer.steps:
            return original(self, *args, **kwargs)
        raise StopTrace(f"GradientTape.gradient at {_label(tracer.site())}: the first TF2 "
                        "training step")

    tracer.patch(backprop.GradientTape, "gradient", hooked)


def _keras_layer_classes() -> list[type]:
    found = []
    try:
        from tf_keras.src.engine import base_layer
        found.append(base_layer.Layer)
    except ImportError:
        pass
    try:
        from keras.src.layers import layer as keras3_layer
        found.append(keras3_layer.Layer)
    except ImportError:
        pass
    return found


def _wrap_keras_calls(tracer: Tracer) -> None:
    """Count the calls of each Keras layer or model the user defined, so that a variable
    made again on a later call of the same object (a layer built inside `call`) shows as
    what it is: new weights per call (RT208), not one legitimate set."""
    for cls in _keras_layer_classes():
        original = cls.__call__

        @functools.wraps(original)
        def hooked(self, *args, _original=original, **kwargs):
            user_class = tracer.user.is_user(getattr(sys.modules.get(type(self).__module__), "__file__", None) or "<>")
            if not user_class:
                return _original(self, *args, **kwargs)
            # The object is kept with its count: a dead layer's id may be given to a new one.
            count = tracer.keras_call_counts.get(id(self), (self, 0))[1] + 1
            tracer.keras_call_counts[id(self)] = (self, count)
            tracer.keras_calls.append((id(self), type(self).__name__, count))
            tracer.keras_callers.append(sys._getframe(1))
            try:
                return _original(self, *args, **kwargs)
            finally:
                tracer.keras_calls.pop()
                tracer.keras_callers.pop()

        tracer.patch(cls, "__call__", hooked)


def _autograph_origin(filename: str, line: int) -> tuple[str, int, str] | None:
    """Where autograph's rewrite of a tf.function body came from: TensorFlow keeps the map
    for its own tracebacks while the function is traced."""
    stack = tf_stack._source_mapper_stacks.get(threading.get_ident())
    return stack[-1].get_effective_source_map().get((filename, line)) if stack else None


def install(user: UserCode, steps: int) -> Tracer:
    tracer = Tracer(user, steps)
    _wrap_creators(tracer)
    _wrap_variable_store(tracer)
    _wrap_scopes(tracer)
    _wrap_collections(tracer)
    _wrap_v1_optimizers(tracer)
    _wrap_session(tracer)
    _wrap_monitored_session(tracer)
    _wrap_gradient_tape(tracer)
    _wrap_keras_calls(tracer)
    from reuse_lint.trace import steps_tf2  # it builds on this module's helpers

    steps_tf2.install(tracer)
    return tracer
