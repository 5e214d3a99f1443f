"""Builds fixture scripts under real TensorFlow in one child process and reports, for each,
what TensorFlow did: the error it raised, the variables it created (through a variable
creator, so Keras and eager variables count too), and, for every training op the script
defines (and each compiled Keras model it binds to a name), which trainable variables one
run of that op (one `train_on_batch`) changed.

Run as `python tests/tf_build.py [--eager] FILE...`; prints JSON. Graph-mode scripts run
through `tf.compat.v1` with v2 behaviour disabled; `--eager` runs TF2 scripts as they are.
"""

from __future__ import annotations

import json
import os
import random
import runpy
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel("ERROR")
v1 = tf.compat.v1


def _tf_slim_on_current_tensorflow() -> None:
    """Fixtures written with `tf_slim` (1.1, made for TF <= 2.15) need the two names it lost:
    `ops.Tensor` and `tf_keras.legacy_tf_layers` (as reuse_lint.trace.shim does)."""
    import importlib

    from tensorflow.python.framework import ops, tensor

    if not hasattr(ops, "Tensor"):
        ops.Tensor = tensor.Tensor
    legacy = importlib.import_module("tf_keras.src.legacy_tf_layers")
    sys.modules.setdefault("tf_keras.legacy_tf_layers", legacy)
    for name in ("base", "core", "convolutional", "normalization", "pooling"):
        sys.modules.setdefault(f"tf_keras.legacy_tf_layers.{name}",
                               importlib.import_module(f"tf_keras.src.legacy_tf_layers.{name}"))


if os.environ["TF_USE_LEGACY_KERAS"] == "1":  # a Keras 3 build imports no tf_keras
    _tf_slim_on_current_tensorflow()


def _run(path: str, created: list[str], made: list | None = None) -> tuple[dict | None, dict]:
    def creator(next_creator, **kwargs):
        variable = next_creator(**kwargs)
        created.append(variable.name)
        if made is not None and variable.trainable and tf.executing_eagerly():
            made.append((variable, variable.numpy().copy()))
        return variable

    # As `python path` would: the script's directory first on the import path.
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        with tf.variable_creator_scope(creator):
            return None, runpy.run_path(path, run_name="__main__")
    except Exception as exc:  # noqa: BLE001 - the outcome is what we record
        return {"type": type(exc).__name__, "message": " ".join(str(exc).split())[:4000]}, {}
    finally:
        sys.path.pop(0)


def _feed(graph) -> dict:
    feed = {}
    for op in graph.get_operations():
        if op.type == "Placeholder":
            tensor = op.outputs[0]
            shape = [8 if d is None else d for d in tensor.shape.as_list()]  # the fixtures batch by 8
            feed[tensor] = np.random.RandomState(0).normal(size=shape).astype(tensor.dtype.as_numpy_dtype)
    return feed


def _steps(graph, namespace: dict) -> dict[str, list[str]]:
    """One run of each training op the script binds to a name; which variables moved."""
    ops = {k: v for k, v in namespace.items() if isinstance(v, tf.Operation) and k.endswith("step")}
    if not ops:
        return {}
    trainable = v1.trainable_variables()
    changed: dict[str, list[str]] = {}
    with v1.Session(graph=graph) as sess:
        sess.run(v1.global_variables_initializer())
        feed = _feed(graph)
        for name, op in sorted(ops.items()):
            before = sess.run(trainable)
            sess.run(op, feed_dict=feed)
            after = sess.run(trainable)
            changed[name] = sorted(v.name for v, a, b in zip(trainable, before, after) if not np.allclose(a, b))
    return changed


def _keras_steps(namespace: dict) -> dict[str, list[str]]:
    """One `train_on_batch` of each compiled Keras model the script binds to a name, on
    random data of its shapes; which trainable weights, of all those models, it changed."""
    models = {k: v for k, v in namespace.items() if isinstance(v, tf.keras.Model) and getattr(v, "optimizer", None)}
    if not models:
        return {}
    weights = {id(w): w for m in namespace.values() if isinstance(m, tf.keras.Model) for w in m.weights if w.trainable}
    weights = list(weights.values())
    sess = v1.keras.backend.get_session()
    rng = np.random.RandomState(0)
    changed: dict[str, list[str]] = {}
    for name, model in sorted(models.items()):
        x = rng.normal(size=[8 if d is None else d for d in model.input_shape]).astype("float32")
        shapes = model.output_shape if isinstance(model.output_shape, list) else [model.output_shape]
        ys = [rng.normal(size=[8 if d is None else d for d in shape]).astype("float32") for shape in shapes]
        y = ys if isinstance(model.output_shape, list) else ys[0]  # a model of several outputs
        before = sess.run(weights)
        model.train_on_batch(x, y)
        after = sess.run(weights)
        changed[name] = sorted(w.name for w, a, b in zip(weights, before, after) if not np.allclose(a, b))
    return changed


def _variable_lists(namespace: dict) -> dict[str, list[str]]:
    """The lists of variables the script bound to names (`d_vars`), as names."""
    return {
        k: [v.name for v in value]
        for k, value in namespace.items()
        if isinstance(value, list) and all(isinstance(v, tf.Variable) for v in value)
    }


def build_graph(path: str) -> dict:
    graph = tf.Graph()
    created: list[str] = []
    with graph.as_default():
        # Initial weights are drawn from this seed: a silent bug's damage (which variables a
        # step moved) is then the same on every run, never hidden by an unlucky draw of dead
        # ReLUs (rl108_object_lists_bad's d_step once moved no generator kernel).
        v1.set_random_seed(0)
        error, namespace = _run(path, created)
        result = {
            "error": error,
            "created": created,
            "variables": [v.name for v in v1.global_variables()],
            "trainable": [v.name for v in v1.trainable_variables()],
            "steps": _steps(graph, namespace) if error is None else {},
            "keras_steps": _keras_steps(namespace) if error is None else {},
            "lists": _variable_lists(namespace),
        }
    return result


def build_eager(path: str) -> dict:
    """A TF2 script's training runs inside it: `changed` names the trainable variables made
    eagerly whose values differ at the end from their initial ones (what the script's steps
    trained), `unchanged` the others."""
    created: list[str] = []
    made: list = []
    # As in build_graph: the same initial weights on every run (Keras 3 draws its default
    # seeds from Python's `random`, tf_keras from TF's global seed).
    random.seed(0)
    np.random.seed(0)
    tf.random.set_seed(0)
    error, _ = _run(path, created, made)
    moved = [v.name for v, first in made if not np.allclose(v.numpy(), first)]
    still = [v.name for v, first in made if np.allclose(v.numpy(), first)]
    return {"error": error, "created": created, "variables": created, "trainable": [], "steps": {}, "lists": {},
            "changed": sorted(moved), "unchanged": sorted(still)}


if __name__ == "__main__":
    args = sys.argv[1:]
    eager = args[:1] == ["--eager"]
    paths = args[1:] if eager else args
    if not eager:
        v1.disable_v2_behavior()
    json.dump({p: (build_eager(p) if eager else build_graph(p)) for p in paths}, sys.stdout)
