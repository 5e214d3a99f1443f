from __future__ import annotations

import ast
import re
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import compatible
from reuse_lint.engine.syntax import positional_names
from reuse_lint.rules.base import Rule, RuleContext

# Words by which code says that one layer at two places is meant (`self.shared_norm`,
# "# tied weights").
_MEANT = re.compile(r"shar|tied|tying|\btie\b|same weights", re.I)
# Arguments that change how a layer runs, not what it computes with its weights.
_RUN_FLAGS = frozenset({"training", "mask"})


class LayerReusedInStack(Rule):
    """
    ## What it does
    Finds one weighted layer object (a normalization layer such as `BatchNormalization` or
    `LayerNormalization`, a `Dense`, a `Conv2D`, a block of one's own that holds such
    layers, made in `__init__` or in the `build` Keras runs at its first call) applied at
    two places of one stack: the second application's input is computed from the first
    one's output (`x = self.norm(x)` ... `x = self.norm(x2)`), or, for a
    normalization layer, one input came through the other's layers and a weighted layer more
    (a residual block's path `z = self.bn(self.conv(h))` and its shortcut `self.bn(h)`, in
    either order). `Embedding`
    (tied embeddings are an idiom), recurrent layers and cells, and layers without weights
    are left out. The same layer applied to independent inputs (the two towers of a
    siamese network) is sharing by design and is not reported, nor is code that says the
    sharing is meant (a name or comment with "shared" or "tied"), nor a layer of one's own
    whose applications pass different values to a parameter its `call` branches on
    (`vocab(tokens)`, then `vocab(h, to_logits=True)`: one weight set run as two functions),
    nor a layer of one's own given back, as its `state`, what its earlier application
    returned (`decoder(tokens, state=dec_state)`, or its `cache=` of keys and values in
    incremental decoding: one recurrence run a step at a time). In a loop, the object is
    reported only when each pass applies other layers before it (`for conv in self.convs:
    x = self.bn(conv(x))`, a `Conv2D(f)` made per pass): a block of the same layers applied
    again by a loop is weight tying across depth, and is not reported. The step function of a
    `tf.while_loop` (or `tf.scan`, `tf.foldl`) counts as such a loop's body: TF runs it once per
    step on what the previous step returned, so a layer it applies, applied again to the
    loop's results, is that step function run once more (`tf.map_fn` runs on each element
    apart, and is no such loop).

    ## Why is this bad?
    A Keras layer object owns one set of weights. Applied after two blocks, it normalizes
    both with one scale and offset (batch norm: one set of moving statistics for two
    different distributions): a transformer block whose pre-attention and pre-MLP norms are
    one `LayerNormalization` trains 2 variables where it needs 4, silently; one `Dense`
    applied again to its own output is one layer where the code meant two. After blocks of
    different widths TensorFlow stops: `Input 0 of layer "batch_normalization" is
    incompatible with the layer: expected axis 3 of input shape to have value 8`.

    ## Example
    ```python
    class Block(tf.keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.norm = tf.keras.layers.LayerNormalization()
            self.attn = tf.keras.layers.MultiHeadAttention(2, 8)
            self.mlp = tf.keras.layers.Dense(8)

        def call(self, x):
            h = x + self.attn(self.norm(x), self.norm(x))
            return h + self.mlp(self.norm(h))
    ```

    Use instead:
    ```python
    class Block(tf.keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.norm_attn = tf.keras.layers.LayerNormalization()
            self.norm_mlp = tf.keras.layers.LayerNormalization()
            self.attn = tf.keras.layers.MultiHeadAttention(2, 8)
            self.mlp = tf.keras.layers.Dense(8)

        def call(self, x):
            h = x + self.attn(self.norm_attn(x), self.norm_attn(x))
            return h + self.mlp(self.norm_mlp(h))
    ```

    ## Fix safety
    No automatic fix: a new layer per place changes the model's weights and checkpoints.
    """

    CODE = "RL120"
    NAME = "layer-reused-in-stack"
    VALID = (
        # A batch norm appended beside each conv, paired by `zip` in `call`.
        """
import tensorflow as tf
class Trunk(tf.keras.Model):
    def __init__(self, widths=(8, 16)):
        super().__init__()
        self.convs = []
        self.bns = []
        for w in widths:
            self.convs.append(tf.keras.layers.Conv2D(w, 3, padding="same"))
            self.bns.append(tf.keras.layers.BatchNormalization())
    def call(self, x):
        for conv, bn in zip(self.convs, self.bns):
            x = tf.nn.relu(bn(conv(x)))
        return x
y = Trunk()(tf.zeros([2, 6, 6, 3]))
""",
        # One application a pass: the block normalizes either its projection or its input.
        """
import tensorflow as tf
from tensorflow.keras import layers
class Stage(tf.keras.Model):
    def __init__(self, filters, project):
        super().__init__()
        self.stem = layers.Conv1D(filters, 7, padding="same")
        self.conv = layers.Conv1D(filters, 3, padding="same")
        self.bn = layers.BatchNormalization()
        self.project = project
    def call(self, x):
        h = self.stem(x)
        if self.project:
            return self.bn(self.conv(h))
        return self.bn(h)
""",
        # A real and a fake batch through one discriminator's layers, written out twice: the
        # generator is upstream of the fake batch's layers, not between them.
        """
import tensorflow as tf
from tensorflow.keras import layers
class GAN(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.g_dense = layers.Dense(16)
        self.d_hidden = layers.Dense(8)
        self.d_bn = layers.BatchNormalization()
        self.d_out = layers.Dense(1)
    def call(self, x, z):
        fake = self.g_dense(z)
        d_real = self.d_out(self.d_bn(self.d_hidden(x)))
        d_fake = self.d_out(self.d_bn(self.d_hidden(fake)))
        return d_real, d_fake
""",
        # Siamese towers: one layer on two independent inputs.
        """
import tensorflow as tf
class Siamese(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.embed = tf.keras.layers.Dense(4)
        self.norm = tf.keras.layers.LayerNormalization()
    def call(self, inputs):
        left, right = inputs
        a = self.norm(self.embed(left))
        b = self.norm(self.embed(right))
        return tf.reduce_sum(a * b, axis=-1)
""",
        # One norm per place; and one layer applied by a loop (weight tying across depth).
        """
import tensorflow as tf
class Stem(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.bn1 = tf.keras.layers.BatchNormalization()
        self.bn2 = tf.keras.layers.BatchNormalization()
        self.conv = tf.keras.layers.Conv2D(8, 3, padding="same")
        self.norm = tf.keras.layers.LayerNormalization()
    def call(self, x):
        x = self.bn2(self.conv(self.bn1(x)))
        for _ in range(3):
            x = self.norm(x + self.conv(x))
        return x
""",
        # One norm per conv of the list; one block applied by a loop, norm first (tying).
        """
import tensorflow as tf
class Trunk(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.convs = [tf.keras.layers.Conv2D(w, 3, padding="same") for w in (8, 16)]
        self.bns = [tf.keras.layers.BatchNormalization() for _ in range(2)]
        self.conv = tf.keras.layers.Conv2D(16, 3, padding="same")
        self.norm = tf.keras.layers.LayerNormalization()
    def call(self, x):
        for conv, bn in zip(self.convs, self.bns):
            x = bn(conv(x))
        for _ in range(3):
            x = x + self.conv(self.norm(x))
        return x
""",
        # One cell and one norm over the time steps of a recurrence; one final norm applied
        # to each block's output for a side head (its output does not feed the next block).
        """
import tensorflow as tf
class Recurrent(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.cell = tf.keras.layers.Dense(8)
        self.norm = tf.keras.layers.LayerNormalization()
        self.blocks = [tf.keras.layers.Dense(8) for _ in range(3)]
        self.head_norm = tf.keras.layers.LayerNormalization()
    def call(self, xs):
        h = tf.zeros([2, 8])
        for t in range(4):
            h = self.norm(self.cell(xs[:, t]) + h)
        x, outs = xs[:, 0], []
        for block in self.blocks:
            x = block(x)
            outs.append(self.head_norm(x))
        return h, outs
""",
        # One Dense applied by a loop (a weight-tied recurrence); a layer without weights, of
        # one's own, applied twice; an Embedding read back (tied embeddings).
        """
import tensorflow as tf
class Swish(tf.keras.layers.Layer):
    def call(self, x):
        return x * tf.nn.sigmoid(x)
class Universal(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.step = tf.keras.layers.Dense(8)
        self.act = Swish()
        self.embed = tf.keras.layers.Embedding(10, 8)
    def call(self, ids):
        x = self.embed(ids)
        for _ in range(4):
            x = self.act(self.step(x))
        x = self.act(x)
        return self.embed(tf.argmax(x, -1))
""",
        # A layer of one's own run in two modes (its `call` branches on the keyword the second
        # application passes): one matrix embeds the tokens and scores the outputs, by design.
        """
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
class Vocab(layers.Layer):
    def __init__(self, size, width):
        super().__init__()
        self.lookup = layers.Embedding(size, width)
    def call(self, x, to_logits=False):
        if to_logits:
            return tf.matmul(x, self.lookup.embeddings, transpose_b=True)
        return self.lookup(x)
vocab = Vocab(20, 8)
tokens = keras.Input([12], dtype="int32")
h = layers.LSTM(8, return_sequences=True)(vocab(tokens))
logits = vocab(h, to_logits=True)
""",
        # A decoder run a step at a time (the NMT tutorial): the second step starts from the
        # state the first returned, and decodes a token sampled from its logits.
        """
import tensorflow as tf
class Decoder(tf.keras.layers.Layer):
    def __init__(self, vocab, units):
        super().__init__()
        self.embed = tf.keras.layers.Embedding(vocab, units)
        self.gru = tf.keras.layers.GRU(units, return_sequences=True, return_state=True)
        self.out = tf.keras.layers.Dense(vocab)
    def call(self, x, state=None):
        seq, state = self.gru(self.embed(x), initial_state=state)
        return self.out(seq), state
decoder = Decoder(20, 8)
tokens = tf.zeros([2, 1], tf.int32)
logits, state = decoder(tokens, state=tf.zeros([2, 8]))
tokens = tf.random.categorical(logits[:, -1, :], 1)
logits, state = decoder(tokens, state=state)
""",
        # Incremental self-attention decoding, a step at a time: the second step reads the
        # keys and values the first one cached (TF 2.21: one `dense` kernel per projection,
        # the cache grows from 1 to 2 positions).
        """
import tensorflow as tf
class SelfAttention(tf.keras.layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.qkv = tf.keras.layers.Dense(3 * units)
        self.out = tf.keras.layers.Dense(units)
    def call(self, x, cache):
        q, k, v = tf.split(self.qkv(x), 3, axis=-1)
        k = tf.concat([cache[0], k], axis=1)
        v = tf.concat([cache[1], v], axis=1)
        weights = tf.nn.softmax(tf.matmul(q, k, transpose_b=True), axis=-1)
        return self.out(tf.matmul(weights, v)), (k, v)
attention = SelfAttention(8)
x = tf.random.uniform([2, 1, 8])
y, cache = attention(x, cache=(tf.zeros([2, 0, 8]), tf.zeros([2, 0, 8])))
y, cache = attention(x, cache=cache)
""",
        # The code says the sharing is meant.
        """
import tensorflow as tf
class Block(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.shared_norm = tf.keras.layers.LayerNormalization()
        self.mlp = tf.keras.layers.Dense(8)
    def call(self, x):
        h = self.mlp(self.shared_norm(x))
        return self.shared_norm(h)
""",
        # A block of one's own that makes its sublayers in `build`, one object a place.
        """
import tensorflow as tf
from tensorflow.keras import layers
class EncoderBlock(layers.Layer):
    def build(self, input_shape):
        self.ff = layers.Dense(input_shape[-1])
        self.norm = layers.LayerNormalization()
    def call(self, x):
        return self.norm(x + self.ff(x))
series = tf.keras.Input([6, 4])
x = EncoderBlock()(series)
x = EncoderBlock()(x)
""",
        # A layer of a TF1 model's step function, run by `tf.while_loop` on the states the
        # earlier steps returned, and again after the loop on the pairs of inputs and states:
        # one function of the model by design (Maple728/AEHN, round 29 of TRIAGE.md). TF: one
        # `while/delta_layer/kernel`, applied in the loop and after it.
        """
import tensorflow as tf
from tensorflow.keras import layers
class Hawkes(object):
    def __init__(self, hidden=8):
        self.hidden = hidden
        self.x = tf.placeholder(tf.float32, [None, None, hidden])
        self.intensity = self.intensity_layer(self.x)
    def intensity_layer(self, x):
        delta_layer = layers.Dense(self.hidden, activation=tf.nn.softplus, name="delta_layer")
        length = tf.shape(x)[1]
        def step(i, past):
            current = tf.tile(x[:, i:i + 1], [1, i, 1])
            delta = delta_layer(tf.concat([past[:, :i], current], axis=-1))
            state = tf.reduce_mean(delta, axis=1, keepdims=True)
            return i + 1, tf.concat([past, state], axis=1)
        start = tf.zeros([tf.shape(x)[0], 1, self.hidden])
        _, states = tf.while_loop(lambda i, _: i < length, step, [1, start],
                                  [tf.TensorShape([]), tf.TensorShape([None, None, self.hidden])])
        return delta_layer(tf.concat([x, states], axis=-1))
model = Hawkes()
""",
    )
    INVALID = (
        # The same layer over the steps by `tf.map_fn` (each step apart, nothing fed back), then
        # on what it returned: one layer at two places of one stack. TF: one
        # `map/while/delta_layer/kernel`, applied in the map and after it.
        """
import tensorflow as tf
from tensorflow.keras import layers
class Hawkes(object):
    def __init__(self, hidden=8):
        self.hidden = hidden
        self.x = tf.placeholder(tf.float32, [None, None, hidden])
        self.intensity = self.intensity_layer(self.x)
    def intensity_layer(self, x):
        delta_layer = layers.Dense(self.hidden, activation=tf.nn.softplus, name="delta_layer")
        steps = tf.transpose(x, [1, 0, 2])
        deltas = tf.map_fn(lambda s: delta_layer(tf.concat([s, s], axis=-1)), steps)
        states = tf.transpose(deltas, [1, 0, 2])
        return delta_layer(tf.concat([x, states], axis=-1))  # expect: RL120
model = Hawkes()
""",
        # The convs collected by `.append` in `__init__`, one batch norm after each in `call`.
        """
import tensorflow as tf
class Trunk(tf.keras.Model):
    def __init__(self, widths=(8, 16)):
        super().__init__()
        self.convs = []
        for w in widths:
            self.convs.append(tf.keras.layers.Conv2D(w, 3, padding="same"))
        self.bn = tf.keras.layers.BatchNormalization()
    def call(self, x):
        for conv in self.convs:
            x = tf.nn.relu(self.bn(conv(x)))  # expect: RL120
        return x
y = Trunk()(tf.zeros([2, 6, 6, 3]))
""",
        """
import tensorflow as tf
from tensorflow.keras import layers
class EncoderBlock(layers.Layer):
    def __init__(self, dim):
        super().__init__()
        self.layer_norm = layers.LayerNormalization(epsilon=1e-6)
        self.attn = layers.MultiHeadAttention(num_heads=2, key_dim=dim)
        self.mlp = layers.Dense(dim)
    def call(self, inputs):
        x1 = self.layer_norm(inputs)
        x2 = self.attn(x1, x1) + inputs
        x3 = self.layer_norm(x2)  # expect: RL120
        return self.mlp(x3) + x2
""",
        # A functional model: one BatchNormalization after blocks of 16 and 32 filters.
        """
import keras
from keras import layers
bn = layers.BatchNormalization()
inputs = keras.Input([32, 32, 3])
x = bn(layers.Conv2D(16, 3)(inputs))
x = bn(layers.Conv2D(32, 3)(x))  # expect: RL120
model = keras.Model(inputs, x)
""",
        # One hidden Dense applied to its own output (two layers were meant).
        """
import tensorflow as tf
class Classifier(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.flatten = tf.keras.layers.Flatten()
        self.hidden = tf.keras.layers.Dense(64, activation="relu")
        self.out = tf.keras.layers.Dense(2)
    def call(self, x):
        x = self.hidden(self.flatten(x))
        x = self.hidden(x)  # expect: RL120
        return self.out(x)
""",
        # A block of one's own (it holds weighted layers) applied as two stages of a stack.
        """
import tensorflow as tf
from tensorflow.keras import layers
class SubBlock(layers.Layer):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv1D(8, 3, padding="same")
        self.bn = layers.BatchNormalization()
    def call(self, x):
        return tf.nn.relu(self.bn(self.conv(x)))
class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.block1 = SubBlock()
        self.block2 = SubBlock()
    def call(self, x):
        x = self.block1(x)
        x = self.block2(x)
        return self.block2(x)  # expect: RL120
""",
        # The same block of one's own applied twice in the same mode: two places, one weight set.
        """
from tensorflow import keras
from tensorflow.keras import layers
class Block(layers.Layer):
    def __init__(self, width):
        super().__init__()
        self.dense = layers.Dense(width)
        self.norm = layers.LayerNormalization()
    def call(self, x, residual=True):
        h = self.dense(self.norm(x))
        return x + h if residual else h
block = Block(8)
x0 = keras.Input([8])
x = block(x0, residual=True)
x = block(x, residual=True)  # expect: RL120
""",
        # A recurrent block of one's own stacked on its own output sequence, each application
        # starting from a fresh state: two layers of one weight set, not one run step by step.
        """
import tensorflow as tf
class Recurrent(tf.keras.layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.gru = tf.keras.layers.GRU(units, return_sequences=True, return_state=True)
        self.proj = tf.keras.layers.Dense(units)
    def call(self, x, state=None):
        seq, state = self.gru(x, initial_state=state)
        return self.proj(seq), state
layer = Recurrent(8)
start = tf.zeros([2, 8])
h, _ = layer(tf.zeros([2, 5, 8]), state=start)
h, _ = layer(h, state=start)  # expect: RL120
""",
        # A loop in `call`: one BatchNormalization after convs of 64, 128 and 256 filters.
        """
import tensorflow as tf
class Discriminator(tf.keras.Model):
    def __init__(self, filters=(64, 128, 256)):
        super().__init__()
        self.convs = [tf.keras.layers.Conv2D(f, 3, strides=2) for f in filters]
        self.bn = tf.keras.layers.BatchNormalization()
    def call(self, x):
        for conv in self.convs:
            x = tf.nn.leaky_relu(self.bn(conv(x)))  # expect: RL120
        return x
""",
        # The convolutions kept in an OrderedDict, as in a dict.
        """
import collections
import tensorflow as tf
class Discriminator(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.convs = collections.OrderedDict()
        self.convs["c0"] = tf.keras.layers.Conv2D(8, 3)
        self.convs["c1"] = tf.keras.layers.Conv2D(16, 3)
        self.bn = tf.keras.layers.BatchNormalization()
    def call(self, x):
        x = self.bn(self.convs["c0"](x))
        return self.bn(self.convs["c1"](x))  # expect: RL120
""",
        # A residual block's convolution path and its shortcut normalized by one object.
        """
import tensorflow as tf
from tensorflow.keras import layers
class ResidualStage(tf.keras.Model):
    def __init__(self, filters):
        super().__init__()
        self.stem = layers.Conv1D(filters, 7, padding="same")
        self.conv = layers.Conv1D(filters, 3, padding="same")
        self.bn = layers.BatchNormalization()
    def call(self, x):
        h = self.stem(x)
        z = self.bn(self.conv(h))
        shortcut = self.bn(h)  # expect: RL120
        return tf.nn.relu(shortcut + z)
""",
        # The same with the shortcut first.
        """
import tensorflow as tf
from tensorflow.keras import layers
class ResidualStage(tf.keras.Model):
    def __init__(self, filters):
        super().__init__()
        self.stem = layers.Conv1D(filters, 7, padding="same")
        self.conv = layers.Conv1D(filters, 3, padding="same")
        self.bn = layers.BatchNormalization()
    def call(self, x):
        h = self.stem(x)
        shortcut = self.bn(h)
        z = self.bn(self.conv(h))  # expect: RL120
        return tf.nn.relu(shortcut + z)
""",
        # A block that makes its sublayers in `build` (Keras runs it at the first call): one
        # object applied twice in one stack still holds one set of weights.
        """
import tensorflow as tf
from tensorflow.keras import layers
class EncoderBlock(layers.Layer):
    def build(self, input_shape):
        self.ff = layers.Dense(input_shape[-1])
        self.norm = layers.LayerNormalization()
    def call(self, x):
        return self.norm(x + self.ff(x))
series = tf.keras.Input([6, 4])
encoder = EncoderBlock()
x = encoder(series)
x = encoder(x)  # expect: RL120
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        reported = set()
        for r in ctx.analysis.reapplied_layers:
            if id(r.second.site.node) in reported or not compatible(r.first, r.second):
                continue
            lines = ctx.lines(r.second.site.path)
            said = [
                lines[site.node.lineno - 1] for site in (r.made, r.first.site, r.second.site)
                if site is not None and 0 < site.node.lineno <= len(lines) and site.path == r.second.site.path
            ]
            if any(_MEANT.search(line) for line in said) or _modes_differ(r.call, r.first.site.node, r.second.site.node):
                continue
            reported.add(id(r.second.site.node))
            name = r.canon.split(".")[-1]
            related = [ctx.related(r.first.site, "applied here on the loop's previous pass"
                                   if r.first.site.node is r.second.site.node else "applied here first")]
            if r.made is not None:
                related.append(ctx.related(r.made, "the one layer object, constructed here"))
            yield from ctx.report(
                self, r.second.site,
                f"This `{name}` object was already applied earlier in this stack: both places share one set "
                "of weights (and TF raises if the widths differ)",
                related=related,
                help=f"construct one `{name}` per place (in `__init__`) and apply each once",
            )


def _modes_differ(call: ast.AST | None, first: ast.AST, second: ast.AST) -> bool:
    """The two applications of a layer of the program's own class give different values to
    a parameter its `call` branches on (`tied(tokens)`, then `tied(h, projection_mode=True)`):
    one object run as two functions of one weight set, which is what tying means."""
    if not isinstance(call, (ast.FunctionDef, ast.AsyncFunctionDef)) or not all(
            isinstance(c, ast.Call) for c in (first, second)):
        return False
    positional = positional_names(call.args)[2:]  # after self and the inputs
    params = set(positional) | {a.arg for a in call.args.kwonlyargs}
    branched = _branched_on(call, params - _RUN_FLAGS)
    return any(_argument(first, p, positional) != _argument(second, p, positional) for p in branched)


def _branched_on(func: ast.AST, params: set[str]) -> set[str]:
    """The parameters among `params` that a test of `func`'s body reads (`if mode:`,
    `a if mode else b`, `match mode:`)."""
    tests = [n.test for n in ast.walk(func) if isinstance(n, (ast.If, ast.IfExp, ast.While))]
    tests += [n.subject for n in ast.walk(func) if isinstance(n, ast.Match)]
    return {n.id for t in tests for n in ast.walk(t) if isinstance(n, ast.Name) and n.id in params}


def _argument(call: ast.Call, param: str, positional: list[str]) -> str | None:
    """What the application passes for `param` (by keyword, or by position after the
    inputs), as text; None when it leaves the default."""
    for kw in call.keywords:
        if kw.arg == param:
            return ast.dump(kw.value)
    if param in positional and len(call.args) > positional.index(param) + 1:
        return ast.dump(call.args[positional.index(param) + 1])
    return None
