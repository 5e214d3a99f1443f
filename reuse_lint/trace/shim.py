"""Let TF 1.x scripts run unmodified on TF 2.x, in the trace's child process only.

`import tensorflow as tf` gives `tf.compat.v1` with v2 behaviour disabled, and
`tf.contrib.layers` / `tf.contrib.slim` map to tf_slim. A contrib API with no replacement
becomes a placeholder that records an RT207 finding and stops the trace when it is used.
"""

from __future__ import annotations

import importlib
import re
import sys
import types

from reuse_lint.trace.recorder import StopTrace

# Names that only exist in TF 1.x style code. A script that mentions none of them (and so
# uses tf.keras, tf.function, GradientTape) runs on plain TF 2.x without the shim.
_V1_MARKERS = re.compile(
    r"\b(compat\.v1|placeholder|Session|InteractiveSession|variable_scope|get_variable|"
    r"get_collection|GraphKeys|global_variables_initializer|reuse_variables|AUTO_REUSE|"
    r"contrib|MonitoredTrainingSession|disable_v2_behavior|train\.\w+Optimizer|"
    r"layers\.(dense|conv2d|conv2d_transpose|batch_normalization|dropout|flatten))\b"
)


def looks_like_tf1(source: str) -> bool:
    return _V1_MARKERS.search(source) is not None


class _LazyModule(types.ModuleType):
    """A module whose attributes come from the first of `providers` that has them."""

    def __init__(self, name: str, providers: tuple[str, ...], missing):
        super().__init__(name)
        self._providers, self._missing = providers, missing

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        for provider in self._providers:
            value = getattr(importlib.import_module(provider), attr, None)
            if value is not None:
                return value
        return self._missing(f"{self.__name__.split('.', 1)[1]}.{attr}")


class _Missing:
    """Stands in for a tf.contrib API that has no replacement: using it stops the trace."""

    def __init__(self, name: str, stop):
        self._name, self._stop = name, stop

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Missing(f"{self._name}.{attr}", self._stop)

    def __call__(self, *args, **kwargs):
        self._stop(self._name)


def _contrib(tracer) -> dict[str, types.ModuleType]:
    def stop(name: str):
        # The tracer's recording and user code change from target to target in a batch.
        stack = tracer.user.stack(sys._getframe(1))
        tracer.rec.missing_contrib.append((name.removeprefix("contrib."), stack[-1] if stack else None))
        raise StopTrace(f"tf.{name} has no TF 2.x replacement")

    slim = _LazyModule("tensorflow.contrib.slim", ("tf_slim",), lambda n: _Missing(n, stop))
    # contrib.framework's arg_scope, add_arg_scope and variable helpers are tf_slim's.
    framework = _LazyModule("tensorflow.contrib.framework", ("tf_slim", "tf_slim.ops.variables"),
                            lambda n: _Missing(n, stop))
    layers = _LazyModule("tensorflow.contrib.layers", ("tf_slim.layers", "tf_slim"),
                         lambda n: _Missing(n, stop))
    contrib = types.ModuleType("tensorflow.contrib")
    contrib.slim, contrib.layers, contrib.framework = slim, layers, framework
    contrib.__getattr__ = lambda attr: _Missing(f"contrib.{attr}", stop)
    return {"tensorflow.contrib": contrib, "tensorflow.contrib.slim": slim,
            "tensorflow.contrib.layers": layers, "tensorflow.contrib.framework": framework}


class _V1Tensorflow(types.ModuleType):
    """`tensorflow` as TF 1.x scripts expect it: tf.compat.v1 plus tf.contrib."""

    def __init__(self, real, v1, contrib):
        super().__init__("tensorflow")
        self.__path__ = real.__path__  # so `import tensorflow.python...` still resolves
        self.__file__ = real.__file__
        self.__version__ = real.__version__
        self.contrib = contrib
        self._v1 = v1

    def __getattr__(self, attr: str):
        return getattr(self._v1, attr)


def _tf_slim_on_current_tensorflow() -> None:
    """tf_slim 1.1 was written for TF <= 2.15; two names it needs moved since:
    `ops.Tensor` (now `tensor.Tensor`; slim's layers check `isinstance(x, ops.Tensor)`), and
    TF's own `layers.normalization` loads `tf_keras.legacy_tf_layers`, which tf_keras keeps
    under `tf_keras.src` (slim's batch_norm and layer_norm go through it)."""
    from tensorflow.python.framework import ops, tensor

    if not hasattr(ops, "Tensor"):
        ops.Tensor = tensor.Tensor
    try:
        legacy = importlib.import_module("tf_keras.src.legacy_tf_layers")
    except ImportError:  # no tf_keras: slim's normalization layers stay unavailable
        return
    sys.modules.setdefault("tf_keras.legacy_tf_layers", legacy)
    for name in ("base", "core", "convolutional", "normalization", "pooling"):
        sys.modules.setdefault(f"tf_keras.legacy_tf_layers.{name}",
                               importlib.import_module(f"tf_keras.src.legacy_tf_layers.{name}"))


def install_v1(tracer) -> None:
    import tensorflow as tf

    tf.compat.v1.disable_v2_behavior()
    _tf_slim_on_current_tensorflow()
    modules = _contrib(tracer)
    sys.modules.update(modules)
    sys.modules["tensorflow"] = _V1Tensorflow(tf, tf.compat.v1, modules["tensorflow.contrib"])
