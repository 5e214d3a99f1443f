"""Separate `if`s on one name: which pairs of tests exclude each other (issue #16's
`if args.mode == 'train':` / `if args.mode == 'eval':`). A builder runs under each test;
a repeated creation is reported exactly when both tests can hold together."""

from __future__ import annotations

import pytest

from reuse_lint.checker import lint_source

TEMPLATE = '''import tensorflow as tf
def model(x):
    with tf.variable_scope("model"):
        return tf.layers.dense(x, 1, name="out")
def build(mode, other):
    if {first}:
        a = model(tf.zeros([8, 2]))
    if {second}:
        b = model(tf.zeros([8, 2]))
'''


@pytest.mark.parametrize("first, second, both_can_hold", [
    ("mode == 'train'", "mode == 'eval'", False),
    ("'train' == mode", "mode == 'eval'", False),
    ("mode == 'train'", "mode != 'train'", False),
    ("mode == 'train'", "not mode == 'train'", False),
    ("mode", "not mode", False),
    ("mode == 'train'", "not mode", False),
    ("mode == ''", "mode", False),
    ("mode == 'train'", "mode == 'train'", True),
    ("mode != 'train'", "mode != 'eval'", True),
    ("mode != 'train'", "mode == 'eval'", True),
    ("mode == ''", "not mode", True),
    ("mode", "mode == 'eval'", True),
    ("mode == 1", "mode == True", True),  # 1 == True: different types are not told apart
    ("mode == 'train'", "other == 'eval'", True),  # two names
    ("mode.a == 'train'", "mode.b == 'eval'", True),
    ("f(mode) == 'train'", "f(mode) == 'eval'", True),  # not a dotted name: a call
])
def test_two_ifs_on_one_name(first, second, both_can_hold):
    found = [(d.code, d.line) for d in lint_source(TEMPLATE.format(first=first, second=second), "x.py")]
    assert found == ([("RL101", 9)] if both_can_hold else [])
