from __future__ import annotations

import ast
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import TRUE, created_before, is_reuse_variables_call
from reuse_lint.engine.values import AUTO
from reuse_lint.rules.base import Rule, RuleContext


class LayerAutonameReuse(Rule):
    """
    ## What it does
    Finds functional layers without `name=` (`tf.layers.dense(x, 64)`) applied again after
    `scope.reuse_variables()` inside the same entry of the `with tf.variable_scope(...)`
    block, and unnamed `tf.layers` layers given their own `reuse=` (a builder's `reuse`
    parameter, `tf.AUTO_REUSE`) after another unnamed layer of the same kind in one scope
    entry. One statement run again by the next step of a loop around it (a decoder's
    per-step `dense`) is shared by design and not reported, unless its arguments read that
    loop's variable (a new width each iteration).

    ## Why is this bad?
    An unnamed layer takes the next free name in its scope: `dense`, `dense_1`, and after
    `reuse_variables()` `dense_2`, which was never created. The reuse looks it up and
    fails: `ValueError: Variable d/dense_2/kernel does not exist, or was not created with
    tf.get_variable()`. Explicit names, or entering the scope again (which restarts the
    counter), share as intended.

    A `tf.layers` layer whose own `reuse` is on skips the counter altogether: every unnamed
    `dense` of the scope is `dense`, so the second one takes the first one's weights
    (`Trying to share variable att/dense/kernel, but specified shape (8, 1) and found shape
    (16, 8)`, or, when the widths agree, two layers silently become one).

    ## Example
    ```python
    with tf.variable_scope("d") as scope:
        a = tf.layers.dense(x, 1)
        scope.reuse_variables()
        b = tf.layers.dense(y, 1)  # looks for d/dense_1
    ```

    Use instead:
    ```python
    with tf.variable_scope("d") as scope:
        a = tf.layers.dense(x, 1, name="out")
        scope.reuse_variables()
        b = tf.layers.dense(y, 1, name="out")
    ```

    ```python
    def d_attention(x, reuse):
        with tf.variable_scope("att", reuse=reuse):
            h = tf.layers.dense(x, 8, reuse=reuse)
            return tf.layers.dense(h, 1, reuse=reuse)  # is `att/dense` when reuse is on
    ```

    Use instead:
    ```python
    def d_attention(x, reuse):
        with tf.variable_scope("att", reuse=reuse):
            h = tf.layers.dense(x, 8, name="hidden")
            return tf.layers.dense(h, 1, name="score")
    ```

    ## Fix safety
    No automatic fix: inventing layer names would rename variables and break checkpoints.
    """

    CODE = "RL112"
    NAME = "layer-autoname-reuse"
    VALID = (
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 2])
with tf.variable_scope("d") as scope:
    a = tf.layers.dense(x, 1, name="out")
    scope.reuse_variables()
    b = tf.layers.dense(x, 1, name="out")
""",
        # The layers' own reuse, with names: each layer finds its own variables.
        """
import tensorflow as tf
def d_attention(x, reuse):
    with tf.variable_scope("att", reuse=reuse):
        h = tf.layers.dense(x, 8, reuse=reuse, name="hidden")
        return tf.layers.dense(h, 1, reuse=reuse, name="score")
x = tf.placeholder(tf.float32, [None, 4])
a = d_attention(x, False)
b = d_attention(x, True)
""",
        # A settings dict without reuse, spread into unnamed layers: the counter names them.
        """
import tensorflow as tf
def d_net(x, reuse=False):
    settings = dict(activation=tf.nn.relu, use_bias=True)
    with tf.variable_scope("disc", reuse=reuse):
        return tf.layers.dense(tf.layers.dense(x, 16, **settings), 1, **settings)
x = tf.placeholder(tf.float32, [None, 32])
real = d_net(x)
fake = d_net(x, reuse=True)
""",
        # A layer made with reuse off, then shared by an unnamed twin given reuse=True.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 4])
train_bn = tf.layers.batch_normalization(x, training=True)
test_bn = tf.layers.batch_normalization(x, training=False, reuse=True)
""",
        # One unnamed layer a scope: its bare name is the counter's name.
        """
import tensorflow as tf
def d_score(x, reuse):
    with tf.variable_scope("att", reuse=reuse):
        return tf.layers.dense(x, 1, reuse=reuse)
x = tf.placeholder(tf.float32, [None, 4])
a = d_score(x, False)
b = d_score(x, True)
""",
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 2])
with tf.variable_scope("d"):
    a = tf.layers.dense(x, 1)
with tf.variable_scope("d", reuse=True):
    b = tf.layers.dense(x, 1)
""",
        # An LSTM cell called step by step (its weights made once, on its first call, under
        # encoder/); the decoder's output layer is made after its reusing scope is left.
        """
import tensorflow as tf
frames = tf.placeholder(tf.float32, [4, 3, 8])
lstm = tf.contrib.rnn.LSTMCell(num_units=16)
with tf.variable_scope("encoder") as scope:
    state = lstm.zero_state(4, "float")
    for t in range(3):
        if t > 0:
            scope.reuse_variables()
        output, state = lstm(frames[:, t, :], state)
with tf.variable_scope("decoder") as scope:
    outputs = []
    for t in range(3):
        if t > 0:
            scope.reuse_variables()
        output, state = lstm(tf.zeros([4, 8]), state)
        outputs.append(output)
recon = tf.contrib.layers.fully_connected(tf.concat(outputs, 1), 24, activation_fn=None)
""",
        # Round 29 (zouguojian): a decoder's per-step loop maps the state with one unnamed
        # dense given `reuse=tf.AUTO_REUSE`, the only unnamed layer of its scope: every step
        # asks for the bare `dense`, made by the first and shared by design (TF 2.21
        # `tf.compat.v1`: one `dense/kernel` `[8, 8]` and one `head/kernel` for three steps).
        """
import tensorflow as tf
class Decoder(object):
    def __init__(self, steps, units):
        self.steps = steps
        self.cell = tf.nn.rnn_cell.GRUCell(units)
    def decode(self, h, features):
        preds = []
        state = h
        for i in range(self.steps):
            h = tf.layers.dense(inputs=h, units=features.shape[-1], reuse=tf.AUTO_REUSE)
            out, state = self.cell(tf.tanh(h) + features[:, i, :], state)
            h = out
            preds.append(tf.layers.dense(out, 1, name="head", reuse=tf.AUTO_REUSE))
        return tf.concat(preds, axis=-1)
""",
        # Issue #16: a sampler analysed alone (nothing in view calls it) looks up the
        # unnamed layers that `generator` made; it creates nothing before its reuse.
        """
import tensorflow as tf
class DCGAN(object):
    def generator(self, z):
        with tf.variable_scope("generator"):
            return tf.layers.dense(tf.layers.dense(z, 4), 2)
    def sampler(self, z):
        with tf.variable_scope("generator") as scope:
            scope.reuse_variables()
            return tf.layers.dense(tf.layers.dense(z, 4), 2)
""",
    )
    INVALID = (
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 2])
with tf.variable_scope("d") as scope:
    a = tf.layers.dense(x, 1)
    scope.reuse_variables()
    b = tf.layers.dense(x, 1)  # expect: RL112
""",
        # The same, after an LSTM cell called step by step: its direct calls make its weights
        # on the first and nothing after, so the graph's history stays known and the decoder's
        # output layer, still under the loop's reuse, looks up what nothing made.
        """
import tensorflow as tf
frames = tf.placeholder(tf.float32, [4, 3, 8])
lstm = tf.contrib.rnn.LSTMCell(num_units=16)
with tf.variable_scope("encoder") as scope:
    state = lstm.zero_state(4, "float")
    for t in range(3):
        if t > 0:
            scope.reuse_variables()
        output, state = lstm(frames[:, t, :], state)
with tf.variable_scope("decoder") as scope:
    outputs = []
    for t in range(3):
        if t > 0:
            scope.reuse_variables()
        output, state = lstm(tf.zeros([4, 8]), state)
        outputs.append(output)
    recon = tf.contrib.layers.fully_connected(tf.concat(outputs, 1), 24, activation_fn=None)  # expect: RL112
""",
        # A MultiRNNCell of wrapped GRU cells called directly in the loop.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [4, 8])
layers = [tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(16), output_keep_prob=0.9) for _ in range(2)]
stack = tf.nn.rnn_cell.MultiRNNCell(layers)
state = stack.zero_state(4, tf.float32)
with tf.variable_scope("decoder") as scope:
    for t in range(3):
        if t > 0:
            scope.reuse_variables()
        output, state = stack(x, state)
    logits = tf.layers.dense(output, 10)  # expect: RL112
""",
        # Issue #16: a builder's reuse handed to its unnamed layers (no caller in view).
        """
import tensorflow as tf
class Memory(object):
    def attention(self, x, reuse):
        with tf.variable_scope("att", reuse=reuse):
            h = tf.layers.dense(x, 8, activation=tf.nn.tanh, reuse=reuse)
            return tf.layers.dense(h, 1, reuse=reuse)  # expect: RL112
""",
        # The same step with its head unnamed too: the head asks for the step's `dense`
        # (TF 2.21: `Trying to share variable dense/kernel, but specified shape (8, 1) and
        # found shape (8, 8)`).
        """
import tensorflow as tf
class Decoder(object):
    def __init__(self, steps, units):
        self.steps = steps
        self.cell = tf.nn.rnn_cell.GRUCell(units)
    def decode(self, h, features):
        preds = []
        state = h
        for i in range(self.steps):
            h = tf.layers.dense(inputs=h, units=features.shape[-1], reuse=tf.AUTO_REUSE)
            out, state = self.cell(tf.tanh(h) + features[:, i, :], state)
            h = out
            preds.append(tf.layers.dense(out, 1, reuse=tf.AUTO_REUSE))  # expect: RL112
        return tf.concat(preds, axis=-1)
""",
        # One statement whose width is the loop's variable: a new layer each iteration, all
        # named `dense` (TF 2.21: `specified shape (16, 4) and found shape (8, 16)`).
        """
import tensorflow as tf
def mlp(h):
    for units in (16, 4):
        h = tf.layers.dense(h, units, reuse=tf.AUTO_REUSE)  # expect: RL112
    return h
""",
        # A per-step loop whose layers get the builder's flag: built with it off, the steps
        # make `dec/dense`, `dense_1`, `dense_2`; built again with it on, all three steps
        # read `dec/dense/kernel` (TF 2.21), unlike the training graph.
        """
import tensorflow as tf
def decode(h, reuse):
    with tf.variable_scope("dec", reuse=reuse):
        for t in range(3):
            h = tf.layers.dense(h, 8, reuse=reuse)  # expect: RL112
    return h
x = tf.placeholder(tf.float32, [None, 8])
train = decode(x, False)
test = decode(x, True)
""",
        # The reuse reaches the layers through a helper's `**layer_kw`.
        """
import tensorflow as tf
def d_block(x, units, **layer_kw):
    h = tf.layers.dense(x, units, activation=tf.nn.relu, **layer_kw)
    return tf.layers.dense(h, 1, **layer_kw)  # expect: RL112
def d_net(x, reuse=False):
    with tf.variable_scope("disc", reuse=reuse):
        return d_block(x, 16, reuse=reuse)
x = tf.placeholder(tf.float32, [None, 32])
real = d_net(x)
fake = d_net(x, reuse=True)
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        seen = set()
        for c in autoname_victims(ctx):
            # TF stops at the first missing variable of a scope entry: report that one.
            key = (id(c.frame_entry), id(c.reuse_site.node))
            if key in seen:
                continue
            seen.add(key)
            yield from ctx.report(
                self, c.stack[-1],
                f"This unnamed layer is looked up as `{c.name}`, which was never created: the layer counter kept counting after reuse_variables()",
                related=[ctx.related(c.reuse_site, "reuse is switched on here, inside the same scope entry")],
                help="give each layer an explicit name=, or re-enter the scope with reuse=True",
            )
        reported = set()
        for c, owner in bare_name_victims(ctx):
            if id(c.stack[-1].node) in reported:
                continue
            reported.add(id(c.stack[-1].node))
            alias = c.reuse_alias.rsplit("/", 1)[0]
            yield from ctx.report(
                self, c.stack[-1],
                f"With its reuse argument on, this unnamed layer is named `{alias}` like an earlier unnamed layer of its scope, and takes that layer's variables",
                related=[ctx.related(owner.stack[-1], f"the layer that made `{alias}`")],
                help="give each layer an explicit name=",
            )


def autoname_victims(ctx: RuleContext) -> list:
    existed = created_before(ctx.analysis)
    # Scope entries that created something before their reuse_variables(): the counter
    # moved on in view. Without that, only a graph whose whole history is known can say
    # a name was never created (a `sampler()` analysed alone looks up what another
    # method made).
    creating = {id(c.frame_entry) for c in ctx.analysis.creations if c.reuse != TRUE and c.frame_entry is not None}
    return [
        c for c in ctx.analysis.creations
        if c.kind == "layer" and c.auto_named and c.reuse == TRUE and c.name and not c.caught
        and not existed[id(c)] and is_reuse_variables_call(c.reuse_site)
        and ((c.fresh_graph and not c.opaque_before) or id(c.frame_entry) in creating)
    ]


def bare_name_victims(ctx: RuleContext) -> list:
    """Unnamed `tf.layers` layers whose own reuse may be on, paired with the earlier layer of
    their scope entry that holds the bare name they then request. That earlier layer was given
    the same kind of reuse: a layer made with reuse off and looked up by a later `reuse=True`
    twin is the sharing TF documents, not a mistake."""
    made = {}
    victims = []
    for c in sorted(ctx.analysis.creations, key=lambda c: c.seq):
        if c.kind != "layer" or not c.name:
            continue
        if c.reuse_alias:
            owner = made.get((c.graph, id(c.frame_entry), c.reuse_alias))
            if owner is not None and owner.reuse_alias and not _next_step(ctx.analysis.loops, c, owner):
                victims.append((c, owner))
        made.setdefault((c.graph, id(c.frame_entry), c.name), c)
    return victims


def _next_step(loops: dict, c, owner) -> bool:
    """`c` is `owner`'s own statement, reached through the same calls, run again by a later
    iteration of a loop around it in its function: a per-step loop (`for t in range(T): h =
    tf.layers.dense(h, n, reuse=tf.AUTO_REUSE)`) whose layer's own reuse asks for one set
    of weights for every step, and TF gives each step the one `dense` (TF 2.21
    `tf.compat.v1`). When the layer's arguments read the variable of the loop that moved on
    (`for units in (16, 4)`), each iteration asks for another layer, and TF fails on the
    second (`Trying to share variable dense/kernel, but specified shape`): still reported,
    as is one statement reached through another call (a helper called twice) or a second
    unnamed layer of the step. So is a layer whose reuse is a builder's flag rather than
    `AUTO_REUSE`: built with the flag off, the steps made `dense`, `dense_1`..., and built
    again with it on, every step takes the first step's `dense`."""
    if c.reuse != AUTO or owner.reuse != AUTO or c.name != c.reuse_alias:
        return False
    if tuple(id(s.node) for s in c.stack) != tuple(id(s.node) for s in owner.stack):
        return False
    if len(c.loops) != len(owner.loops) or any(a[0] != b[0] for a, b in zip(c.loops, owner.loops)):
        return False
    call = c.stack[-1].node
    moved = [loops.get(lid) for (lid, i), (_, j) in zip(c.loops, owner.loops) if i != j]
    if not moved:
        return False
    read = {n.id for n in ast.walk(call) if isinstance(n, ast.Name)}
    for site in moved:
        loop = site.node if site is not None else None
        if not isinstance(loop, (ast.For, ast.AsyncFor, ast.While)) or not any(n is call for n in ast.walk(loop)):
            return False
        target = loop.target if isinstance(loop, (ast.For, ast.AsyncFor)) else None
        if target is not None and read & {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}:
            return False
    return True
