from __future__ import annotations

import ast
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.rules.base import Rule, RuleContext


class RepeatedRnnCell(Rule):
    """
    ## What it does
    Finds one RNN cell object used for several layers: `MultiRNNCell([cell] * n)`,
    `MultiRNNCell([cell for _ in range(n)])` with `cell` built once, the same with the cell
    in a wrapper (`[DropoutWrapper(cell)] * n`, `[ResidualWrapper(cell)] * n`), chosen by an
    `if` (GRU or LSTM), wrapped on one arm of an `if` (dropout only in training) or passed in
    as a parameter (`[cell] * n` holds one object whatever it is, except a cell of the
    project's own class whose `__call__` makes its weights by name and keeps none on the
    object: each layer runs it under its own `cell_i` scope, also when the cell is a
    parameter the analysis does not know and every call the project makes passes a new
    object of such a class); the same cell object given
    to both directions of a bidirectional RNN, or to two `dynamic_rnn` calls in different
    scopes (an encoder and a decoder). One encoder applied to two independent inputs (a
    context and a question through one pair of cells, the same runner, the same roles, neither
    run fed by the other's outputs or states) shares its weights by design and is not
    reported; a run whose inputs the analysis lost still is. Every path TF kept its cells under counts:
    `tf.nn.rnn_cell`, `tf.compat.v1.nn.rnn_cell`, `tf.contrib.rnn` and its `core_rnn_cell`,
    `tensorflow.python.ops.rnn_cell_impl`. It reports the list (or the second use). A stack
    that provably goes nowhere (bound only to a function's names that nothing reads, never
    returned, stored or passed on) builds no layer and is not reported. A layer count read
    from the program's settings (`tf.app.flags` defaults, `argparse` defaults, a namespace
    filled with literals) is the value the program runs with as written; a count it cannot
    pin down is taken as more than one, except a parameter left at an integer default in a
    function run on its own, its arguments unknown (no call to it was followed), that the body
    neither rebinds nor tests (`if n_layer > 1:`): the default is the count, and a call that
    passes another count runs the function with that count.

    ## Why is this bad?
    A cell object owns one set of weights. Stacked n times, every layer uses the same
    weights (or TensorFlow fails on the second layer when its input size differs:
    `ValueError: Trying to share variable rnn/multi_rnn_cell/cell_0/lstm_cell/kernel, but
    specified shape (256, 512) and found shape (160, 512).`, or in TF 2's `tf.compat.v1`
    `ValueError: Dimensions must be equal`). When the input is as wide as the cell nothing
    fails: TensorFlow makes `cell_0`'s variables only, and every layer runs on them. A
    decoder given the encoder's cell, or a backward direction given the forward one, runs
    on the other's weights the same silent way. TF 1.1 refused all of these (`ValueError:
    Attempt to reuse RNNCell ... with a different variable scope than its first use`,
    tensorflow/tensorflow#9401); from TF 1.2 a cell keeps the weights of its first use,
    which is what TF 2's `tf.compat.v1` still does. Seq2seq encoders and stacked LSTM
    language models were often written this way (in TF 0.x, before cells owned their
    weights, it was the idiom).

    ## Example
    ```python
    cell = tf.nn.rnn_cell.LSTMCell(128)
    stack = tf.nn.rnn_cell.MultiRNNCell([cell] * 3)
    ```

    Use instead:
    ```python
    stack = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(128) for _ in range(3)])
    ```

    ## Fix safety
    No automatic fix: building one cell per layer needs the cell's constructor arguments repeated, which the rule does not rewrite.
    """

    CODE = "RL117"
    NAME = "repeated-rnn-cell"
    VALID = (
        # A new cell appended per layer: `cell_0/` and `cell_1/` weights.
        """
import tensorflow as tf
cells = []
for _ in range(2):
    cells.append(tf.nn.rnn_cell.BasicLSTMCell(16))
stack = tf.nn.rnn_cell.MultiRNNCell(cells)
out, _ = tf.nn.dynamic_rnn(stack, tf.zeros([3, 5, 16]), dtype=tf.float32)
""",
        # A graph-convolution cell of the project's own that keeps sparse supports, computed
        # from the adjacency matrix and appended in `__init__`, and makes its weights by name
        # in its own `__call__`: each layer gets its own (TF 2.21 `tf.compat.v1`:
        # `cell_0/graph_gru_cell/w`, `cell_1/graph_gru_cell/w`; DCRNN's DCGRUCell, session 20).
        """
import numpy as np
import tensorflow as tf
class GraphGRUCell(tf.nn.rnn_cell.RNNCell):
    def call(self, inputs, **kwargs):
        pass
    def __init__(self, num_units, supports):
        super(GraphGRUCell, self).__init__()
        self._num_units = num_units
        self._supports = []
        for support in supports:
            self._supports.append(tf.sparse_reorder(tf.SparseTensor(*support)))
    @property
    def state_size(self):
        return self._num_units
    @property
    def output_size(self):
        return self._num_units
    def __call__(self, inputs, state, scope=None):
        with tf.variable_scope(scope or "graph_gru_cell"):
            x = tf.concat([inputs, state], axis=1)
            w = tf.get_variable("w", [int(x.shape[1]), self._num_units])
            h = tf.tanh(tf.matmul(x, w))
        return h, h
supports = [(np.array([[0, 0]]), np.array([1.0]), [2, 2])]
cell = GraphGRUCell(4, supports)
stack = tf.nn.rnn_cell.MultiRNNCell([cell] * 2)
out, _ = tf.nn.dynamic_rnn(stack, tf.zeros([3, 5, 4]), dtype=tf.float32)
""",
        # A cell class of the project's own whose `__call__` makes its weights by name: the
        # stack calls layer i under `cell_i`, so each layer gets its own (TF 2.21 builds
        # `rnn/multi_rnn_cell/cell_0/MyGRU/w`, `.../cell_1/MyGRU/w`, ...).
        """
import tensorflow as tf
class MyGRU(tf.nn.rnn_cell.RNNCell):
    def __init__(self, units):
        self._units = units
    def __call__(self, inputs, state, scope=None):
        with tf.variable_scope(scope or type(self).__name__):
            w = tf.get_variable("w", [inputs.get_shape()[-1] + self._units, self._units])
            out = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w))
        return out, out
def g_encoder(x, layers):
    cell = MyGRU(8)
    stack = tf.nn.rnn_cell.MultiRNNCell([cell] * layers)
    return tf.nn.dynamic_rnn(stack, x, dtype=tf.float32)
def d_encoder(x, layers):
    cell = MyGRU(8)
    return tf.nn.rnn_cell.MultiRNNCell([cell for _ in range(layers)])
""",
        # Round 29 (rebornfly): a helper stacks the cell it is given, and every call passes a
        # new object of the module's own cell class whose `__call__` makes its weights by
        # name (through a helper of its own): the helper, run on its own with its cell
        # unknown, repeats one object, but each layer's weights are its own (TF 2.21
        # `tf.compat.v1`: `cell_0/GRUCellLN/gates/W` `[24, 16]`, `cell_1/GRUCellLN/gates/W` `[16, 16]`).
        """
import tensorflow as tf
def _affine(args, size):
    x = tf.concat(args, 1)
    w = tf.get_variable("W", [x.get_shape()[1], size])
    return tf.matmul(x, w)
class GRUCellLN(tf.contrib.rnn.RNNCell):
    def __init__(self, num_units, activation=tf.tanh):
        self._num_units = num_units
        self._activation = activation
    @property
    def state_size(self):
        return self._num_units
    @property
    def output_size(self):
        return self._num_units
    def __call__(self, inputs, state, scope=None):
        with tf.variable_scope(scope or type(self).__name__):
            with tf.variable_scope("gates"):
                r, u = tf.split(tf.sigmoid(_affine([inputs, state], 2 * self._num_units)), 2, 1)
            with tf.variable_scope("candidate"):
                c = self._activation(_affine([inputs, r * state], self._num_units))
            h = u * state + (1 - u) * c
        return h, h
def add_dropout_and_layers(single_cell, keep_prob, num_layers):
    cell = tf.contrib.rnn.DropoutWrapper(single_cell, output_keep_prob=keep_prob)
    if num_layers > 1:
        cell = tf.contrib.rnn.MultiRNNCell([single_cell] * num_layers)
    return cell
class Model(object):
    def build(self, x):
        cell = add_dropout_and_layers(single_cell=GRUCellLN(8), keep_prob=0.5, num_layers=2)
        return tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
""",
        # A subclass whose `__init__` hands its base a list it computes: not known what the
        # base receives.
        """
import tensorflow as tf
class FirstOnly(tf.contrib.rnn.MultiRNNCell):
    def __init__(self, cells, residual=False):
        super(FirstOnly, self).__init__(cells[:1], state_is_tuple=True)
        self._residual = residual
cell = tf.contrib.rnn.BasicLSTMCell(8)
stack = FirstOnly([cell] * 2)
""",
        # Options kept on the object and read by a method of the subclass's own: not known.
        """
import tensorflow as tf
class Gated(tf.contrib.rnn.MultiRNNCell):
    def __init__(self, cells, gate=False):
        super(Gated, self).__init__(cells)
        self._gate = gate
    def __call__(self, inputs, state, scope=None):
        return super(Gated, self).__call__(inputs, state, scope)
    def gated_call(self, inputs, state):
        return inputs, state
cell = tf.contrib.rnn.BasicLSTMCell(8)
stack = Gated([cell] * 2)
""",
        # A subclass with a `__call__` of its own may run its cells in any way: not known.
        """
import tensorflow as tf
class OwnStack(tf.contrib.rnn.MultiRNNCell):
    def __call__(self, inputs, state, scope=None):
        return inputs, state
cell = tf.contrib.rnn.BasicLSTMCell(8)
stack = OwnStack([cell] * 2)
""",
        # Round 8 (Yagami360): `model` runs as an entry point, and every construction of the
        # class keeps the default of one layer: one cell, one layer, nothing shared.
        """
import tensorflow as tf
class Many2One(object):
    def __init__(self, n_hidden, n_layers=1):
        self._n_hidden = n_hidden
        self._n_layers = n_layers
    def model(self, inputs):
        cell = tf.nn.rnn_cell.BasicLSTMCell(self._n_hidden)
        cells = tf.nn.rnn_cell.MultiRNNCell([cell] * self._n_layers, state_is_tuple=True)
        return tf.nn.dynamic_rnn(cells, inputs, dtype=tf.float32)
def main():
    rnn = Many2One(n_hidden=20, n_layers=1)
    other = Many2One(10)
""",
        """
import tensorflow as tf
stack = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(8) for _ in range(3)])
""",
        # A model that builds its weights in `__init__` by running its own `encode` on dummy
        # inputs in its scope, then runs `encode` again when applied: one object, its weights.
        """
import tensorflow as tf
class Translator(object):
    def __init__(self, name):
        with tf.variable_scope(name):
            self.enc = tf.nn.rnn_cell.GRUCell(8)
            self.encode(tf.placeholder(tf.float32, [None, None, 4]))
    def encode(self, inp):
        _, last = tf.nn.dynamic_rnn(self.enc, inp, dtype=tf.float32)
        return last
    def score(self, inp):
        return self.encode(inp)
model = Translator("model")
last = model.score(tf.placeholder(tf.float32, [None, None, 4]))
""",
        # A cell made (and wrapped) by a function called once per layer.
        """
import tensorflow as tf
def make_cell(training):
    cell = tf.nn.rnn_cell.GRUCell(8)
    if training:
        cell = tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=0.5)
    return cell
def build(n, training):
    a = tf.nn.rnn_cell.MultiRNNCell([make_cell(training) for _ in range(n)])
    b = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.DropoutWrapper(make_cell(False)) for _ in range(n)])
    return a, b
""",
        # A cell rebuilt in each iteration of a loop; cells picked one by one from a list.
        """
import tensorflow as tf
def build(n, sizes):
    cells = []
    for i in range(n):
        cells.append(tf.contrib.rnn.BasicLSTMCell(sizes[i]))
    stack = tf.contrib.rnn.MultiRNNCell(cells)
    again = tf.contrib.rnn.MultiRNNCell([cells[i] for i in range(n)])
    return stack, again
""",
        # One cell used once; one layer of `[cell] * 1`.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 5, 4])
cell = tf.nn.rnn_cell.LSTMCell(8)
outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([cell] * 1), x, dtype=tf.float32)
""",
        # Round 11 (danilocsm): a stack built and left unread while the single cell runs;
        # TF makes that one cell's weights, no layer is stacked.
        """
import tensorflow as tf
def encode(x):
    cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(16))
    stacked = tf.nn.rnn_cell.MultiRNNCell([cell] * 2)
    outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    return outputs
""",
        # Round 12 (wudongming97): the layer count is a flag whose default, the only value
        # the program runs with as written, is 1; an argparse default or a namespace filled
        # attribute by attribute is read the same way.
        """
import tensorflow as tf
flags = tf.app.flags
flags.DEFINE_integer("num_layers", 1, "")
FLAGS = flags.FLAGS
class Decoder(object):
    def __init__(self, opts):
        self.opts = opts
        cell = tf.nn.rnn_cell.GRUCell(16)
        self.cell = tf.nn.rnn_cell.MultiRNNCell([cell] * self.opts.num_layers)
def main(_):
    Decoder(FLAGS)
if __name__ == "__main__":
    tf.app.run()
""",
        """
import argparse
import tensorflow as tf
def g_cells(args):
    cell = tf.nn.rnn_cell.LSTMCell(args.hidden)
    return tf.nn.rnn_cell.MultiRNNCell([cell] * args.num_layers)
parser = argparse.ArgumentParser()
parser.add_argument("--hidden", type=int, default=32)
parser.add_argument("--num-layers", type=int, default=1)
args = parser.parse_args()
stack = g_cells(args)
""",
        # The same default read through `parse_known_args`, whose leftover arguments go on
        # to `tf.app.run` (TensorFlow's own example scripts parse their flags so).
        """
import argparse
import sys
import tensorflow as tf
parser = argparse.ArgumentParser()
parser.add_argument("--hidden", type=int, default=32)
parser.add_argument("--num_layers", type=int, default=1)
def main(_):
    cell = tf.nn.rnn_cell.LSTMCell(FLAGS.hidden)
    stack = tf.nn.rnn_cell.MultiRNNCell([cell] * FLAGS.num_layers)
    outputs, _ = tf.nn.dynamic_rnn(stack, tf.placeholder(tf.float32, [None, 5, 3]), dtype=tf.float32)
if __name__ == "__main__":
    FLAGS, unparsed = parser.parse_known_args()
    tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
""",
        # A vendored seq2seq wrapper (round 9) stacks a name bound nowhere: Python raises
        # NameError before the list exists, so no cell is ever repeated.
        """
import tensorflow as tf
set_keep = globals()
set_keep["_layers_name_list"] = []
def build(num_layers, cell_creator):
    cell = cell_creator()
    if num_layers > 1:
        cell = tf.nn.rnn_cell.MultiRNNCell([single_cell] * num_layers)
        cell = tf.nn.rnn_cell.MultiRNNCell([single_cell for _ in range(num_layers)])
    return cell
""",
        # The layer count is a parameter whose default is 1 and no call passes another (round
        # 21): each list holds one cell, one layer per direction (TF 2.21 builds
        # `birnn/bidirectional_rnn/fw/multi_rnn_cell/cell_0/...` and the same under `bw`).
        """
import tensorflow as tf
class BiStack(object):
    def __init__(self, name="birnn", units=16):
        self.name = name
        self.units = units
    def __call__(self, x, reuse=False, num_layer=1):
        with tf.variable_scope(self.name, reuse=reuse):
            fw = tf.nn.rnn_cell.BasicLSTMCell(self.units)
            bw = tf.nn.rnn_cell.BasicLSTMCell(self.units)
            fw = tf.nn.rnn_cell.MultiRNNCell([fw] * num_layer)
            bw = tf.nn.rnn_cell.MultiRNNCell([bw] * num_layer)
            out, _, _ = tf.nn.static_bidirectional_rnn(fw, bw, x, dtype=tf.float32)
        return out
def g_features(x):
    return BiStack(units=8)(x)
""",
        # Round 26 (bloomsburyai): one BiLSTM encoder, its two cells made once, run over the
        # context and over the question in sibling scopes (TF 2.21 builds one fw and one bw
        # set, four variables, used by both runs).
        """
import tensorflow as tf
class Reader(object):
    def __init__(self, units):
        self.context = tf.placeholder(tf.float32, [None, None, 6])
        self.question = tf.placeholder(tf.float32, [None, None, 6])
        with tf.variable_scope("fwd_cell"):
            cell_fw = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(units), output_keep_prob=0.9)
        with tf.variable_scope("bwd_cell"):
            cell_bw = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(units), output_keep_prob=0.9)
        with tf.variable_scope("context_rnn"):
            self.c_enc, _ = tf.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, self.context, dtype=tf.float32)
        with tf.variable_scope("q_rnn"):
            self.q_enc, _ = tf.nn.bidirectional_dynamic_rnn(cell_fw, cell_bw, self.question, dtype=tf.float32)
""",
    )
    INVALID = (
        # One cell appended once per layer: the list holds the same object twice (TF 2.21
        # `tf.compat.v1`: only `cell_0/basic_lstm_cell` weights, for both layers).
        """
import tensorflow as tf
cell = tf.nn.rnn_cell.BasicLSTMCell(16)
cells = []
for _ in range(2):
    cells.append(cell)
stack = tf.nn.rnn_cell.MultiRNNCell(cells)  # expect: RL117
out, _ = tf.nn.dynamic_rnn(stack, tf.zeros([3, 5, 16]), dtype=tf.float32)
""",
        # A decoder started from the encoder's state, on the encoder's cell: TF 2.21 makes
        # `encoder/rnn/gru_cell/...` only, and the decoder runs on those four variables.
        """
import tensorflow as tf
src = tf.placeholder(tf.float32, [None, None, 8])
tgt = tf.placeholder(tf.float32, [None, None, 8])
cell = tf.nn.rnn_cell.GRUCell(8)
with tf.variable_scope("encoder"):
    enc_out, enc_state = tf.nn.dynamic_rnn(cell, src, dtype=tf.float32)
with tf.variable_scope("decoder"):
    dec_out, _ = tf.nn.dynamic_rnn(cell, tgt, initial_state=enc_state)  # expect: RL117
""",
        # The second run reads the first one's outputs (through a dense layer): stacked, not
        # two applications of one encoder.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, None, 4])
cell = tf.nn.rnn_cell.LSTMCell(4)
with tf.variable_scope("enc"):
    out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
h = tf.layers.dense(out, 4)
with tf.variable_scope("dec"):
    y, _ = tf.nn.dynamic_rnn(cell, h, dtype=tf.float32)  # expect: RL117
""",
        # Inputs the analysis does not know (parameters of a function run on its own): not
        # shown independent.
        """
import tensorflow as tf
def build(x, y):
    cell = tf.nn.rnn_cell.LSTMCell(4)
    with tf.variable_scope("enc"):
        tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    with tf.variable_scope("dec"):
        return tf.nn.dynamic_rnn(cell, y, dtype=tf.float32)  # expect: RL117
""",
        # Round 15 (therne/dmn-tensorflow): one GRU runs the facts forward and, reversed, backward.
        """
import tensorflow as tf
facts = tf.placeholder(tf.float32, [None, 6, 8])
lengths = tf.placeholder(tf.int32, [None])
gru = tf.nn.rnn_cell.GRUCell(8)
with tf.variable_scope("Forward"):
    fwd, _ = tf.nn.dynamic_rnn(gru, facts, lengths, dtype=tf.float32)
with tf.variable_scope("Backward"):
    bwd, _ = tf.nn.dynamic_rnn(gru, tf.reverse_sequence(facts, lengths, 1), lengths, dtype=tf.float32)  # expect: RL117
""",
        # The cell runs forward in one bidirectional run and alone in the other: another role.
        """
import tensorflow as tf
a = tf.placeholder(tf.float32, [None, None, 4])
b = tf.placeholder(tf.float32, [None, None, 4])
cell = tf.nn.rnn_cell.LSTMCell(4)
with tf.variable_scope("enc"):
    tf.nn.bidirectional_dynamic_rnn(cell, tf.nn.rnn_cell.LSTMCell(4), a, dtype=tf.float32)
with tf.variable_scope("dec"):
    tf.nn.dynamic_rnn(cell, b, dtype=tf.float32)  # expect: RL117
""",
        # The same kind of cell holding a weight made in `__init__` on the object: every
        # layer multiplies by that one `tied/w` (TF 2.21 makes one variable for three layers).
        """
import tensorflow as tf
class TiedGRU(tf.nn.rnn_cell.RNNCell):
    def __init__(self, units):
        self._units = units
        with tf.variable_scope("tied"):
            self._w = tf.get_variable("w", [2 * units, units])
    def __call__(self, inputs, state, scope=None):
        out = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), self._w))
        return out, out
def g_encoder(x, layers):
    cell = TiedGRU(8)
    stack = tf.nn.rnn_cell.MultiRNNCell([cell] * layers)  # expect: RL117
    return tf.nn.dynamic_rnn(stack, x, dtype=tf.float32)
""",
        # The same helper given a cell class that makes its weights in `build` with
        # `add_weight` (or `add_variable`) and keeps them on the object: one set for both
        # layers (TF 2.21 makes `cell_0/built_gru/kernel` only).
        """
import tensorflow as tf
class BuiltGRU(tf.nn.rnn_cell.RNNCell):
    def __init__(self, num_units):
        super(BuiltGRU, self).__init__()
        self._num_units = num_units
    @property
    def state_size(self):
        return self._num_units
    @property
    def output_size(self):
        return self._num_units
    def build(self, inputs_shape):
        self._kernel = self.add_weight("kernel", [inputs_shape[-1] + self._num_units, self._num_units])
        self.built = True
    def call(self, inputs, state):
        h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), self._kernel))
        return h, h
def add_dropout_and_layers(single_cell, keep_prob, num_layers):
    cell = tf.nn.rnn_cell.DropoutWrapper(single_cell, output_keep_prob=keep_prob)
    if num_layers > 1:
        cell = tf.nn.rnn_cell.MultiRNNCell([single_cell] * num_layers)  # expect: RL117
    return cell
class Model(object):
    def build(self, x):
        cell = add_dropout_and_layers(single_cell=BuiltGRU(8), keep_prob=0.5, num_layers=2)
        return tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
""",
        # The same helper given TF's own cell: one `basic_lstm_cell` for both layers.
        """
import tensorflow as tf
def add_dropout_and_layers(single_cell, keep_prob, num_layers):
    cell = tf.nn.rnn_cell.DropoutWrapper(single_cell, output_keep_prob=keep_prob)
    if num_layers > 1:
        cell = tf.nn.rnn_cell.MultiRNNCell([single_cell] * num_layers)  # expect: RL117
    return cell
def build(x):
    cell = add_dropout_and_layers(tf.nn.rnn_cell.BasicLSTMCell(8), 0.5, 2)
    return tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
""",
        # google/seq2seq: the subclass keeps its options on the object and its `__call__`
        # hands the call to MultiRNNCell's unless residual connections are asked for.
        """
import tensorflow as tf
class ExtendedMultiRNNCell(tf.contrib.rnn.MultiRNNCell):
    def __init__(self, cells, residual_connections=False):
        super(ExtendedMultiRNNCell, self).__init__(cells, state_is_tuple=True)
        self._residual_connections = residual_connections
    def __call__(self, inputs, state, scope=None):
        if not self._residual_connections:
            return super(ExtendedMultiRNNCell, self).__call__(inputs, state, scope)
        return inputs, state
cell = tf.contrib.rnn.BasicLSTMCell(8)
stack = ExtendedMultiRNNCell(cells=[cell] * 2)  # expect: RL117
""",
        # google/seq2seq: the project's own subclass of MultiRNNCell adds nothing, so it is
        # MultiRNNCell, and one cell handed to it for two layers is shared.
        """
import tensorflow as tf
class ExtendedMultiRNNCell(tf.contrib.rnn.MultiRNNCell):
    pass
cell = tf.contrib.rnn.BasicLSTMCell(8)
stack = ExtendedMultiRNNCell([cell] * 2)  # expect: RL117
""",
        # The flag's default asks for two layers.
        """
import tensorflow as tf
flags = tf.app.flags
flags.DEFINE_integer("num_layers", 2, "")
FLAGS = flags.FLAGS
class Decoder(object):
    def __init__(self, opts):
        self.opts = opts
        cell = tf.nn.rnn_cell.GRUCell(16)
        self.cell = tf.nn.rnn_cell.MultiRNNCell([cell] * self.opts.num_layers)  # expect: RL117
def main(_):
    Decoder(FLAGS)
if __name__ == "__main__":
    tf.app.run()
""",
        # The argparse default read through `parse_known_args` asks for two layers.
        """
import argparse
import sys
import tensorflow as tf
parser = argparse.ArgumentParser()
parser.add_argument("--hidden", type=int, default=32)
parser.add_argument("--num_layers", type=int, default=2)
def main(_):
    cell = tf.nn.rnn_cell.LSTMCell(FLAGS.hidden)
    stack = tf.nn.rnn_cell.MultiRNNCell([cell] * FLAGS.num_layers)  # expect: RL117
    outputs, _ = tf.nn.dynamic_rnn(stack, tf.placeholder(tf.float32, [None, 5, 3]), dtype=tf.float32)
if __name__ == "__main__":
    FLAGS, unparsed = parser.parse_known_args()
    tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
""",
        # A namespace whose layer count is set to 1 and then to 3: not one layer on every path.
        """
import tensorflow as tf
class Config:
    pass
config = Config()
config.num_layers = 1
config.num_layers = 3
def g_cells(config):
    cell = tf.nn.rnn_cell.LSTMCell(8)
    return tf.nn.rnn_cell.MultiRNNCell([cell] * config.num_layers)  # expect: RL117
stack = g_cells(config)
""",
        # The same class where one construction asks for three layers.
        """
import tensorflow as tf
class Many2One(object):
    def __init__(self, n_hidden, n_layers=1):
        self._n_hidden = n_hidden
        self._n_layers = n_layers
    def model(self, inputs):
        cell = tf.nn.rnn_cell.BasicLSTMCell(self._n_hidden)
        cells = tf.nn.rnn_cell.MultiRNNCell([cell] * self._n_layers, state_is_tuple=True)  # expect: RL117
        return tf.nn.dynamic_rnn(cells, inputs, dtype=tf.float32)
def main():
    rnn = Many2One(n_hidden=20, n_layers=1)
    other = Many2One(10, 3)
""",
        """
import tensorflow as tf
cell = tf.nn.rnn_cell.LSTMCell(8)
stack = tf.nn.rnn_cell.MultiRNNCell([cell] * 3)  # expect: RL117
""",
        """
import tensorflow as tf
cell = tf.nn.rnn_cell.GRUCell(8)
layers = 2
stack = tf.nn.rnn_cell.MultiRNNCell([cell for _ in range(layers)])  # expect: RL117
""",
        # Old paths, with the cell in a wrapper.
        """
import tensorflow as tf
from tensorflow.python.ops import rnn_cell_impl
def encoder(size, n):
    cell = tf.contrib.rnn.core_rnn_cell.BasicLSTMCell(size)
    stack = tf.contrib.rnn.core_rnn_cell.MultiRNNCell([tf.contrib.rnn.core_rnn_cell.DropoutWrapper(cell)] * n)  # expect: RL117
    res = rnn_cell_impl.MultiRNNCell([rnn_cell_impl.ResidualWrapper(rnn_cell_impl.GRUCell(size))] * n)  # expect: RL117
    return stack, res
""",
        # Chosen by an `if`, wrapped on one arm of another, then stacked.
        """
import tensorflow.compat.v1 as tf
def build(args, training):
    if args.model == "gru":
        cell_fn = tf.nn.rnn_cell.GRUCell
    elif args.model == "lstm":
        cell_fn = tf.nn.rnn_cell.BasicLSTMCell
    else:
        raise Exception(args.model)
    cell = cell_fn(args.rnn_size)
    if training:
        cell = tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=args.keep_prob)
    return tf.nn.rnn_cell.MultiRNNCell([cell for _ in range(args.num_layers)])  # expect: RL117
""",
        # A library layer: the cell class is a parameter (nothing in the file builds it).
        """
import tensorflow as tf
class DynamicRNNLayer(object):
    def __init__(self, inputs, cell_fn=None, n_hidden=256, dropout=None, n_layer=1):
        self.cell = cell_fn(num_units=n_hidden)
        if dropout:
            self.cell = tf.contrib.rnn.DropoutWrapper(self.cell, input_keep_prob=dropout)
        if n_layer > 1:
            self.cell = tf.contrib.rnn.MultiRNNCell([self.cell] * n_layer)  # expect: RL117
        self.outputs, _ = tf.nn.dynamic_rnn(self.cell, inputs, dtype=tf.float32)
""",
        # A new wrapper per layer, around one cell: the weights are still the one cell's.
        """
import tensorflow.compat.v1 as tf
lstm = tf.nn.rnn_cell.LSTMCell(8)
stack = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.DropoutWrapper(lstm, output_keep_prob=0.5) for _ in range(3)])  # expect: RL117
""",
        # A name a star import may bind: whatever it is, the list holds one object.
        """
import tensorflow as tf
from cells import *
stack = tf.nn.rnn_cell.MultiRNNCell([shared_cell] * 3)  # expect: RL117
""",
        # The same stack read later, by a closure: it may be run, so it counts.
        """
import tensorflow as tf
def encode(x):
    cell = tf.nn.rnn_cell.BasicLSTMCell(16)
    stacked = tf.nn.rnn_cell.MultiRNNCell([cell] * 2)  # expect: RL117
    def run():
        return tf.nn.dynamic_rnn(stacked, x, dtype=tf.float32)
    return run
""",
        # Both directions of a bidirectional RNN on one cell.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 5, 4])
cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(4), output_keep_prob=0.9)
outputs, states = tf.nn.bidirectional_dynamic_rnn(cell, cell, x, dtype=tf.float32)  # expect: RL117
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for site, cell, what in ctx.analysis.repeated_cells:
            if cell is None:  # `[x] * n`: one object, whatever cell it is
                yield from ctx.report(
                    self, site, "One cell object is used for every layer of this list: they share its weights",
                    help="build a new cell for each layer: [make_cell() for _ in range(n)]",
                )
                continue
            owner = cell.owner
            related = [ctx.related(type(site)(site.path, owner.node), "the single cell is built here")]
            if what == "directions":
                yield from ctx.report(
                    self, site,
                    f"One `{_name(owner)}` object runs both directions: the backward pass uses the forward weights",
                    related=related, help="give each direction a cell of its own",
                )
                continue
            yield from ctx.report(
                self, site,
                f"One `{_name(owner)}` object is used for several layers: they share its weights",
                related=related, help="build a new cell for each layer: [Cell(...) for _ in range(n)]",
            )
        seen: dict[tuple, tuple] = {}
        for cell, site, prefix, graph, trace, _conds, run in ctx.analysis.cell_uses:
            key = (id(cell), graph, trace)
            if key in seen and seen[key][1] != prefix:
                first_site, _, first_run = seen[key]
                if first_site.node is site.node and _own_cell(site.node):
                    # One method run again on its object's own cell (`self.enc`) from another
                    # scope: a model built on dummy inputs in `__init__`, then applied. The
                    # object's one set of weights is what its author meant.
                    continue
                if _one_encoder(first_run, first_site, run, site):
                    continue
                yield from ctx.report(
                    self, site,
                    f"This `{_name(cell)}` object already ran in another scope: both runs share its weights",
                    related=[ctx.related(first_site, "first used here")],
                    help="build one cell per use",
                )
            seen.setdefault(key, (site, prefix, run))


def _one_encoder(first, first_site, second, second_site) -> bool:
    """One encoder applied to two independent inputs (a context and a question through one
    BiLSTM): the same runner with the same cells in the same roles, neither run fed (inputs
    or initial state) by the other's outputs or states. Sharing is the design, as for RL120's
    siamese towers. A decoder started from the encoder's state is fed by it; a run whose
    inputs the analysis lost cannot be told from one, and stays reported."""
    if first.reversed or second.reversed:
        return False  # `dynamic_rnn(gru, reverse_sequence(x))`: the backward direction, by hand
    if not (first.known and second.known) or first.canon != second.canon or len(first.owners) != len(second.owners):
        return False
    if any(a is None or a is not b for a, b in zip(first.owners, second.owners)):
        return False
    return id(first_site.node) not in second.runs and id(second_site.node) not in first.runs


def _name(cell) -> str:
    return cell.canon.split(".")[-1]


def _own_cell(call) -> bool:
    """`dynamic_rnn(self.cell, ...)`: the cell is the running object's attribute."""
    if not isinstance(call, ast.Call):
        return False
    cell = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in ("cell", "cell_fw")), None)
    return isinstance(cell, ast.Attribute) and isinstance(cell.value, ast.Name) and cell.value.id == "self"
