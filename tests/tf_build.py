"""Builds fixture scripts under real TensorFlow (graph mode through tf.compat.v1) in one
child process, and reports for each what TensorFlow did: the error it raised, if any, and
the variables it made. Run as `python tests/tf_build.py FILE...`; prints JSON."""

from __future__ import annotations

import json
import os
import runpy
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel("ERROR")
v1 = tf.compat.v1


def build(path: str) -> dict:
    graph = tf.Graph()
    error = None
    with graph.as_default():
        try:
            runpy.run_path(path, run_name="__main__")
        except Exception as exc:  # noqa: BLE001 - the outcome is what we record
            error = {"type": type(exc).__name__, "message": str(exc).split("\n")[0]}
        names = [v.name for v in v1.global_variables()]
        trainable = [v.name for v in v1.trainable_variables()]
    return {"error": error, "variables": names, "trainable": trainable}


if __name__ == "__main__":
    v1.disable_v2_behavior()
    json.dump({p: build(p) for p in sys.argv[1:]}, sys.stdout)
