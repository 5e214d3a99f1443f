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


SIZES = '''import tensorflow as tf
def model(x):
    with tf.variable_scope("model"):
        return tf.layers.dense(x, 1, name="out")
def helper(*args, **kwargs):
    if {test}:
        model(tf.zeros([8, 2]))
model(tf.zeros([8, 2]))
helper({call})
'''


@pytest.mark.parametrize("test, call, can_hold", [
    # `**kwargs` holds the keywords no parameter takes: none, so it is empty.
    ("len(kwargs) == 0", "", True),
    ("len(kwargs) > 0", "", False),
    ("len(kwargs) > 0", "a=1", True),
    ("kwargs", "", False),
    ("not kwargs", "a=1", False),
    ("len(kwargs) > 0", "**opts", True),  # keywords we do not know
    # `*args` holds the positional arguments no parameter takes.
    ("args", "", False),
    ("len(args) == 2", "1", False),
    ("len(args) == 2", "1, 2", True),
    ("len(args) == 2", "*xs", True),
    # Containers known whole, and constants.
    ("len((1, 2)) == 3", "", False),
    ("len([1]) == 1", "", True),
    ("len({'a': 1}) == 2", "", False),
    ("len('ab') == 3", "", False),
    # A comprehension over a long list walks its first items only; its length is the list's.
    ("len([i for i in range(5)]) == 2", "", False),
    ("len([i for i in range(5)]) == 5", "", True),
    # Equal items of a set are one.
    ("len({i for i in [1, 1]}) == 2", "", False),
    ("len({i % 2 for i in range(2)}) == 2", "", True),
    ("len({k for k in kwargs}) == 2", "a=1, b=2", True),
])
def test_a_known_length_decides_an_if(test, call, can_hold):
    found = [d.code for d in lint_source(SIZES.format(test=test, call=call), "x.py")]
    assert found == (["RL101"] if can_hold else [])


def test_a_list_grown_where_it_is_not_followed_has_no_known_length():
    source = SIZES.format(test="len([o for o in outs]) == 0", call="").replace(
        "def helper", "outs = []\nfor step in range(3):\n    outs.append(step)\ndef helper")
    assert [d.code for d in lint_source(source, "x.py")] == ["RL101"]
