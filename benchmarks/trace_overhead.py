"""How much the trace hooks slow down graph building.

Builds the same TF 1.x graph (a GAN-shaped pair of 50-layer MLPs: 200 variables created,
100 more looked up with reuse, two Adam optimizers adding 400 slot variables) in a fresh
tf.Graph, alternately without and with the hooks, in one process. Prints the median of
each and their ratio; the target is under 1.3x. The "with" time includes the analysis.

    python benchmarks/trace_overhead.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402

from reuse_lint.trace import hooks  # noqa: E402
from reuse_lint.trace.analysis import analyze  # noqa: E402
from reuse_lint.trace.recorder import UserCode  # noqa: E402

v1 = tf.compat.v1
LAYERS, WIDTH = 50, 32


def mlp(x, scope: str, reuse: bool = False):
    with v1.variable_scope(scope, reuse=reuse):
        for i in range(LAYERS):
            w = v1.get_variable(f"w{i}", [WIDTH, WIDTH])
            b = v1.get_variable(f"b{i}", [WIDTH], initializer=v1.zeros_initializer())
            x = tf.nn.relu(tf.matmul(x, w) + b)
    return x


def build() -> None:
    with tf.Graph().as_default():
        z = v1.placeholder(tf.float32, [None, WIDTH])
        x = v1.placeholder(tf.float32, [None, WIDTH])
        fake = mlp(z, "generator")
        d_real, d_fake = mlp(x, "discriminator"), mlp(fake, "discriminator", reuse=True)
        d_loss = tf.reduce_mean(d_real) - tf.reduce_mean(d_fake)
        v1.train.AdamOptimizer().minimize(d_loss, var_list=v1.trainable_variables("discriminator"))
        v1.train.AdamOptimizer().minimize(-tf.reduce_mean(d_fake),
                                          var_list=v1.trainable_variables("generator"))


RECORDED: list[tuple[int, int]] = []  # (creations, reuse lookups) seen by the hooks


def timed(traced: bool) -> float:
    start = time.perf_counter()
    if traced:
        # This file plays the user's script: its frames are the "user code" the hooks record.
        tracer = hooks.install(UserCode(os.path.dirname(os.path.abspath(__file__))), steps=0)
        try:
            build()
            analyze(tracer.rec)
            RECORDED.append((len(tracer.rec.creations), len(tracer.rec.lookups)))
        finally:
            tracer.uninstall()
    else:
        build()
    return time.perf_counter() - start


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=7)
    repeats = p.parse_args().repeats
    v1.disable_v2_behavior()
    timed(False), timed(True)  # warm-up: TF's first graph pays one-off costs
    plain, traced = [], []
    for _ in range(repeats):
        plain.append(timed(False))
        traced.append(timed(True))
    base, hooked = statistics.median(plain), statistics.median(traced)
    print(f"graph build without hooks: {base * 1000:8.1f} ms (median of {repeats})")
    print(f"graph build with hooks:    {hooked * 1000:8.1f} ms (median of {repeats})")
    created, looked_up = RECORDED[-1]
    print(f"hooks recorded {created} variable creations and {looked_up} reuse lookups per build")
    print(f"overhead ratio: {hooked / base:.2f}x (target < 1.30x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
