"""Two calls of one layer-making helper whose string arguments can never be equal (their
known heads or tails differ, the rest unknown) are configured apart, as two different
constants are: two towers, not one model applied twice. Every spelling Python offers for
such a string is read; strings that may be equal leave the pair, and its finding, alone."""

from __future__ import annotations

import pytest

from reuse_lint.checker import lint_source

TOWERS = '''import tensorflow as tf
def mlp(x, scope_name):
    with tf.variable_scope(scope_name):
        return tf.keras.layers.Dense(8)(x)
def towers(p):
    word = tf.placeholder(tf.float32, [None, 4])
    char = tf.placeholder(tf.float32, [None, 4])
    a = mlp(word, {first})
    b = mlp(char, {second})
    return a, b
'''


def findings(first: str, second: str) -> list[tuple[int, int, str]]:
    source = TOWERS.format(first=first, second=second)
    return [(d.line, d.column, d.code) for d in lint_source(source, "towers.py")]


@pytest.mark.parametrize(("first", "second"), [
    ('p + "word"', 'p + "char"'),
    ('"word_" + p', '"char_" + p'),
    ('"%s_word" % p', '"%s_char" % p'),
    ('f"{p}_word"', 'f"{p}_char"'),
    ('"{}_word".format(p)', '"{}_char".format(p)'),
    ('"a_" + p + "_x"', '"b_" + p + "_x"'),
    ('"deep" + p + "_word"', 'p + "_char"'),
])
def test_strings_that_can_never_be_equal_name_two_towers(first, second):
    assert findings(first, second) == []


@pytest.mark.parametrize(("first", "second"), [
    ('p + "word"', 'p + "word"'),
    ('p + "word"', 'p + "sword"'),  # p may be "s" in the first call
    ('"%s_word" % p', 'p + "_word"'),
    ('p', 'p + "_char"'),
    ('"net" + p', 'p + "_char"'),  # both may be "net_char"
    ('"word"[::-1] + p', '"char" + p'),  # a slice: its value is not read from the text
])
def test_strings_that_may_be_equal_leave_the_finding(first, second):
    assert findings(first, second) == [(9, 9, "RL106")]
