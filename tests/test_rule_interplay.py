"""One bug, one finding: where a cause and its symptom are two rules, only the cause speaks."""

from __future__ import annotations

import textwrap

from reuse_lint.checker import lint_source


def codes(source: str) -> list[tuple[int, str]]:
    return [(d.line, d.code) for d in lint_source(textwrap.dedent(source), "example.py")]


def test_default_name_copies_are_rl105_not_a_prefix_clash():
    assert codes("""
        import tensorflow as tf
        def d(x):
            with tf.variable_scope(None, default_name="d"):
                return tf.layers.dense(x, 1)
        a = d(tf.placeholder(tf.float32, [None, 2]))
        b = d(tf.random.normal([8, 2]))
        d_vars = tf.trainable_variables("d")
    """) == [(7, "RL105")]


def test_dropped_reuse_is_rl103_not_a_repeated_scope():
    assert codes("""
        import tensorflow as tf
        def d(x, reuse=False):
            with tf.variable_scope("d"):
                return tf.layers.dense(x, 1)
        a = d(tf.placeholder(tf.float32, [None, 2]))
        b = d(tf.random.normal([8, 2]), reuse=True)
    """) == [(4, "RL103")]


def test_misplaced_reuse_is_rl115_not_a_repeated_scope():
    assert codes("""
        import tensorflow as tf
        def d(x, reuse=False):
            with tf.variable_scope("d", reuse):
                return tf.layers.dense(x, 1)
        a = d(tf.placeholder(tf.float32, [None, 2]))
        b = d(tf.random.normal([8, 2]), True)
    """) == [(4, "RL115")]


def test_inherited_reuse_false_is_rl110_not_reuse_before_creation():
    assert codes("""
        import tensorflow as tf
        with tf.variable_scope("m"):
            v = tf.get_variable("v", [1])
        with tf.variable_scope("m", reuse=True):
            v = tf.get_variable("v", [1])
            with tf.variable_scope("head", reuse=False):
                w = tf.get_variable("w", [1])
    """) == [(7, "RL110")]
