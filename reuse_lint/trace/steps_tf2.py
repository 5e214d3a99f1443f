"""Keras training under the trace: the TF 2 `--steps N` measurement and the TF 1 stop at
Keras' own training loop.

A TF 2 training step is one call of a tf_keras optimizer's apply_gradients (the new and
the legacy optimizer; Keras' fit reaches it through minimize) or of a Keras 3 optimizer's
apply (its apply_gradients calls it). Each (optimizer, call site)
is one OptimizerUse, as a v1 minimize is in TF 1. Around each call every trainable
variable is read before and after, and the ones whose value differs are the use's
`changed`:

  * eagerly, by comparing numpy copies, and the trace stops before an optimizer's N+1th
    apply_gradients;
  * inside a tf.function, apply_gradients runs once, while the function is traced, so the
    reads, the comparison and a py_function that records the result are put into the
    graph; automatic control dependencies order each read against the update of the same
    variable as the Python code reads. Which optimizers a function holds is noted while it
    is traced, and the trace stops before the outermost call of a function one of whose
    optimizers has already run N times (the step does not run half-way);
  * inside a jit_compile'd tf.function (XLA compiles no py_function), around each call of
    the whole function from Python, after the first call that traces it: its changes are
    its optimizer's when it holds one; with several only their steps are counted.

So each optimizer runs at most N times (per optimizer, not in total); one that the script
calls less often than another (k discriminator steps for one generator step, with N < k)
may not run at all before the stop.
"""

from __future__ import annotations

import functools
import gc

import numpy as np
import tensorflow as tf
from tensorflow.python.eager.polymorphic_function import polymorphic_function
from tensorflow.python.framework import ops

from reuse_lint.trace.hooks import var_name
from reuse_lint.trace.recorder import OptimizerUse, StopTrace

try:
    from tf_keras.src import backend as keras_backend
    from tf_keras.src.engine import training as keras_training
    from tf_keras.src.engine import training_v1 as keras_training_v1
    from tf_keras.src.optimizers import optimizer as keras_optimizer
    from tf_keras.src.optimizers.legacy import optimizer_v2 as keras_optimizer_v2
except ImportError:  # no tf_keras: nothing Keras is hooked
    keras_training = None


def _keras3():
    """Keras 3's base optimizer and Model, or None. Imported only under --steps (~0.5 s)."""
    try:
        from keras.src.models import model as keras3_model
        from keras.src.optimizers import base_optimizer
    except ImportError:
        return None
    return base_optimizer.BaseOptimizer, keras3_model.Model


def install(tracer) -> None:
    if keras_training is None:
        return
    _wrap_fit_in_tf1(tracer)
    if tracer.steps:
        tracer.model_classes = (keras_training.Model,)
        for cls in (keras_optimizer.Optimizer, keras_optimizer_v2.OptimizerV2):
            _wrap_apply_gradients(tracer, cls)
        keras3 = _keras3()
        if keras3 is not None:
            _wrap_keras3_apply(tracer, keras3[0])
            tracer.model_classes = (keras_training.Model, keras3[1])
        _wrap_function_call(tracer)


def _tf1() -> bool:
    return not ops.executing_eagerly_outside_functions()


def _wrap_fit_in_tf1(tracer) -> None:
    """Keras' fit runs its Session.runs from its own code (a callable, not Session.run),
    which the Session hook does not see. Without --steps: stop at the user's fit (the first
    training step). With --steps N: let fit run, and measure each call of the model's train
    function as one step of its optimizer, stopping before the N+1th."""
    if tracer.steps:
        _wrap_train_function_in_tf1(tracer)
        return
    for cls in (keras_training.Model, keras_training_v1.Model):
        for name in ("fit", "fit_generator", "train_on_batch"):
            if name not in vars(cls):
                continue
            original = getattr(cls, name)

            @functools.wraps(original)
            def hooked(self, *args, _original=original, _name=name, **kwargs):
                if not _tf1():
                    return _original(self, *args, **kwargs)
                where = tracer.site()
                label = where.label() if where else "(TensorFlow internals)"
                raise StopTrace(f"Model.{_name} at {label}: the first training step")

            tracer.patch(cls, name, hooked)


def _wrap_train_function_in_tf1(tracer) -> None:
    original = keras_training_v1.Model._make_train_function

    @functools.wraps(original)
    def hooked(self):
        original(self)
        if not isinstance(self.train_function, _MeasuredTrainFunction):
            self.train_function = _MeasuredTrainFunction(tracer, self, self.train_function)

    tracer.patch(keras_training_v1.Model, "_make_train_function", hooked)


class _MeasuredTrainFunction:
    """A TF 1 Keras model's train function, one optimizer step a call: the model's trainable
    variables are read before and after it, in the model's session."""

    def __init__(self, tracer, model, function) -> None:
        self.tracer, self.model, self.function = tracer, model, function
        self.variables = list(model._collected_trainable_weights)
        names = [var_name(v) for v in self.variables]
        trainable = {c.name for c in tracer.rec.creations if c.trainable}
        self.use = OptimizerUse(kind=type(model.optimizer).__name__, site=tracer.site(), var_list=names,
                                implicit=False, takes_all=bool(trainable) and trainable <= set(names),
                                keras_model=model.name)
        tracer.rec.optimizers.append(self.use)

    def __call__(self, inputs):
        if self.use.steps >= self.tracer.steps:
            raise _stop(self.tracer, self.use)
        session = keras_backend.get_session()
        before = session.run(self.variables)
        outputs = self.function(inputs)
        after = session.run(self.variables)
        flags = [not np.array_equal(b, a) for b, a in zip(before, after)]
        _count(self.tracer, self.use, self.use.var_list, flags)
        return outputs

    def __getattr__(self, name):
        return getattr(self.function, name)  # Keras may read the function's inputs, outputs


def _wrap_apply_gradients(tracer, cls) -> None:
    original = cls.apply_gradients

    @functools.wraps(original)
    def hooked(self, grads_and_vars, *args, **kwargs):
        if _tf1() or tracer.applying:
            return original(self, grads_and_vars, *args, **kwargs)
        grads_and_vars = list(grads_and_vars)
        run = functools.partial(original, self, grads_and_vars, *args, **kwargs)
        return _measured(tracer, self, grads_and_vars, run)

    tracer.patch(cls, "apply_gradients", hooked)


def _wrap_keras3_apply(tracer, cls) -> None:
    """Keras 3: apply_gradients calls apply(grads, variables); its variables hold the
    tf.Variables (named by their path, `generator/dense/kernel`) in `.value`."""
    original = cls.apply

    @functools.wraps(original)
    def hooked(self, grads, trainable_variables=None):
        if _tf1() or tracer.applying:
            return original(self, grads, trainable_variables)
        grads = list(grads)
        keras_vars = trainable_variables if trainable_variables is not None else self._trainable_variables
        pairs = [(g, _tf_variable(v)) for g, v in zip(grads, keras_vars)]
        run = functools.partial(original, self, grads, trainable_variables)
        return _measured(tracer, self, pairs, run)

    tracer.patch(cls, "apply", hooked)


def _tf_variable(v):
    return v if isinstance(v, tf.Variable) else v.value


def _measured(tracer, optimizer, grads_and_vars: list, run):
    use = _use_of(tracer, optimizer, grads_and_vars)
    tracer.applying = True
    try:
        if tf.inside_function():
            return _apply_in_graph(tracer, use, run, grads_and_vars)
        return _apply_eagerly(tracer, use, run, grads_and_vars)
    finally:
        tracer.applying = False


def _use_of(tracer, optimizer, grads_and_vars) -> OptimizerUse:
    site = tracer.site()
    key = (id(optimizer), site.key if site else None)
    use = tracer.keras_uses.get(key)
    if use is None:
        _map_models(tracer)
        names = [var_name(v) for g, v in grads_and_vars if g is not None]
        # Every trainable variable of the Keras models (their batch counters are
        # "trainable" tf.Variables too, but no optimizer could take those).
        trainable = set(tracer.rec.model_of) or {c.name for c in tracer.rec.creations if c.trainable}
        use = OptimizerUse(kind=type(optimizer).__name__, site=site, var_list=names,
                           implicit=False, takes_all=bool(trainable) and trainable <= set(names))
        tracer.keras_uses[key] = use
        tracer.rec.optimizers.append(use)
    if tracer.calls:  # being traced into a tf.function: the outermost one holds this step
        tracer.function_uses.setdefault(id(tracer.calls[0]), set()).add(use)
    return use


def _map_models(tracer) -> None:
    """Variable name -> the innermost Keras model holding it: a GAN's generator and
    discriminator rather than a combined model around both. TF 2 variable names carry the
    layer's name only (`dense_2/kernel`), so the name cannot tell the model."""
    models = [o for o in gc.get_objects() if isinstance(o, tracer.model_classes)]
    # A Keras 3 Sequential runs through a Functional model of its own, with its variables.
    inner = {id(getattr(m, "_functional", None)) for m in models}
    models = [m for m in models if id(m) not in inner]
    sized = sorted(((len(m.trainable_variables), m) for m in models), key=lambda p: -p[0])
    for _, model in sized:
        for v in map(_tf_variable, model.trainable_variables):
            tracer.rec.model_of[var_name(v)] = model.name
            tracer.model_vars[id(v)] = v


def _trainable(tracer, grads_and_vars) -> list:
    """The trainable variables to compare: those recorded, the Keras models' and the ones
    being applied. A model first built inside a tf.function (Keras' fit) makes its
    variables through tf.function's own creator, which the creation hook does not see."""
    found = {id(c.handle): c.handle for c in tracer.rec.creations
             if c.trainable and not getattr(c.handle, "_in_graph_mode", False)}
    found.update(tracer.model_vars)
    found.update((id(v), v) for _, v in grads_and_vars)
    return list(found.values())


def _count(tracer, use: OptimizerUse, names: list[str], flags) -> None:
    use.changed |= {n for n, changed in zip(names, flags) if changed}
    use.steps += 1
    tracer.rec.steps_run = max(tracer.rec.steps_run, use.steps)


def _stop(tracer, use: OptimizerUse) -> StopTrace:
    return StopTrace(f"after {use.steps} training steps of {use.kind} (--steps {tracer.steps})")


def _apply_eagerly(tracer, use, run, grads_and_vars):
    if use.steps >= tracer.steps:
        raise _stop(tracer, use)
    handles = _trainable(tracer, grads_and_vars)
    before = [v.numpy() for v in handles]
    result = run()
    flags = [not np.array_equal(b, v.numpy()) for b, v in zip(before, handles)]
    _count(tracer, use, [var_name(v) for v in handles], flags)
    return result


def _apply_in_graph(tracer, use, run, grads_and_vars):
    if tracer.calls and getattr(tracer.calls[0], "_jit_compile", False):
        # XLA compiles no py_function: the whole call is measured from Python instead.
        tracer.whole_call_uses.setdefault(id(tracer.calls[0]), set()).add(use)
        return run()
    handles = _trainable(tracer, grads_and_vars)
    before = [v.read_value() for v in handles]
    result = run()
    if handles:
        after = [v.read_value() for v in handles]
        flags = tf.stack([tf.reduce_any(tf.not_equal(a, b)) for a, b in zip(after, before)])
        names = [var_name(v) for v in handles]
        record = functools.partial(_record_flags, tracer, use, names)
        tf.py_function(record, [flags], [])
    return result


def _record_flags(tracer, use, names, flags) -> None:
    _count(tracer, use, names, flags.numpy())


def _wrap_function_call(tracer) -> None:
    original = polymorphic_function.Function.__call__

    @functools.wraps(original)
    def hooked(self, *args, **kwargs):
        if not tracer.calls:
            ran = [u for u in tracer.function_uses.get(id(self), ()) if u.steps >= tracer.steps]
            if ran:
                raise _stop(tracer, ran[0])
        whole = tracer.whole_call_uses.get(id(self)) if not tracer.calls else None
        if whole:
            return _measure_call(tracer, whole, original, self, args, kwargs)
        tracer.calls.append(self)
        try:
            result = original(self, *args, **kwargs)
        finally:
            tracer.calls.pop()
        if not tracer.calls:  # a jit_compile'd step traced just now: it ran once, unmeasured
            for use in tracer.whole_call_uses.get(id(self), ()):
                _count(tracer, use, [], [])
        return result

    tracer.patch(polymorphic_function.Function, "__call__", hooked)


def _measure_call(tracer, uses: set, call, function, args, kwargs):
    """A jit_compile'd step: compare the variables around the whole call. Its changes
    belong to its optimizer when it has one; with several they cannot be told apart,
    so only the steps are counted."""
    handles = _trainable(tracer, [])
    before = [v.numpy() for v in handles]
    tracer.calls.append(function)
    try:
        result = call(function, *args, **kwargs)
    finally:
        tracer.calls.pop()
    flags = [not np.array_equal(b, v.numpy()) for b, v in zip(before, handles)]
    names = [var_name(v) for v in handles]
    for use in uses:
        _count(tracer, use, names, flags if len(uses) == 1 else [])
    return result
