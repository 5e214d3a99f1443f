from __future__ import annotations

from typing import Iterable

import ast

from reuse_lint import tfnames
from reuse_lint.diagnostics import Diagnostic, Fix
from reuse_lint.engine.events import Site
from reuse_lint.engine.queries import Clash, clashes, crosses_entries
from reuse_lint.rules.base import Rule, RuleContext


class RepeatedScopeWithoutReuse(Rule):
    """
    ## What it does
    Finds variables that are created a second time in the same graph without reuse: a
    builder called twice or in a loop, two `with tf.variable_scope("d"):` blocks that both
    create `d/w`, a scoped helper called twice with the same scope name, two layers with
    the same explicit `name=` in one scope, a fresh RNN cell (TF's `LSTMCell`, `GRUCell`,
    `BasicLSTMCell`, `BasicRNNCell`, or a cell class of the project's own whose `__call__`
    makes its weights) that an RNN runner such as `dynamic_rnn` runs under its own scope
    (`rnn` unless `scope=` is given) where an earlier run or a direct call already made
    them, also inside a wrapper (`DropoutWrapper`, `ResidualWrapper`: the same scope) or a
    `MultiRNNCell` (layer i under `multi_rnn_cell/cell_i`) built afresh for a second run;
    or a builder run in both branches of a `tf.cond` (or `tf.case`), or in one branch and
    again after it: graph mode builds every branch once, in order. It
    reports the repeated call, with the first one as the related location, and names the
    variable that clashes.

    ## Why is this bad?
    TensorFlow refuses to create a variable whose name exists: the second call raises
    `ValueError: Variable discriminator/dense/kernel already exists, disallowed. Did you mean
    to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?`, with a traceback that points into
    TensorFlow's internals rather than at the call that needed `reuse=True`. It bites every
    GAN whose discriminator judges real and fake inputs (the article's Example 1), and
    multi-tower models whose towers should share one set of weights.

    ## Example
    ```python
    def discriminator(x, reuse=False):
        with tf.variable_scope("discriminator", reuse=reuse):
            return tf.layers.dense(x, 1)

    real_logits = discriminator(real_images)
    fake_logits = discriminator(generated_images)  # creates discriminator/dense/kernel again
    ```

    Use instead:
    ```python
    real_logits = discriminator(real_images)
    fake_logits = discriminator(generated_images, reuse=True)
    ```

    ## Fix safety
    Where the repeated call goes to a builder that forwards a `reuse` parameter to its
    `variable_scope`, the fix passes `reuse=True` on that call; this is safe when the call
    gives the builder what the first call gave it, its input and mode flags aside: it does
    what the code evidently meant. When the settings differ (two layers of other shapes under
    one name), the same fix is unsafe: the second would be handed the first one's weights.
    Otherwise the fix gives the builder's `variable_scope`
    `reuse=tf.AUTO_REUSE` (spelled through the file's own TensorFlow alias). That fix is
    unsafe: every later call of the builder then shares too, which also hides a call that
    was meant to have weights of its own. No fix is offered when the scope lives in another
    file or the file has no TensorFlow module name to spell `AUTO_REUSE` with.
    """

    CODE = "RL101"
    NAME = "repeated-scope-without-reuse"
    FIXABLE = True
    VALID = (
        # A network picked from a registry by a name not known here: whichever it is, its
        # one build creates `model/fc1` once (the items' builds are other runs), and the
        # evaluation copy runs the same item under reuse.
        """
import sys
import tensorflow.compat.v1 as tf
def small(x):
    with tf.variable_scope("model"):
        return tf.layers.dense(x, 4, name="fc1")
def large(x):
    with tf.variable_scope("model"):
        return tf.layers.dense(tf.layers.dense(x, 64, name="fc1"), 4, name="fc2")
class Trainer(object):
    NETS = {"small": small, "large": large}
    def __init__(self, name):
        self.net = self.NETS[name]
        self.logits = self.net(tf.zeros([2, 3]))
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):
            self.eval_logits = self.net(tf.ones([2, 3]))
Trainer(sys.argv[1])
""",
        # The second call reuses: through a dict of models, and through functools.partial.
        """
import functools
import tensorflow as tf
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(x, 1)
models = {"d": discriminator, "d_shared": functools.partial(discriminator, reuse=True)}
real_logits = models["d"](tf.zeros([8, 2]))
fake_logits = models["d_shared"](tf.zeros([8, 2]))
more_logits = models["d"](tf.zeros([8, 2]), reuse=True)
""",
        # A builder first called without its required arguments (round 8, czcly0/chatbot):
        # Python raises TypeError there, and the second call that would repeat the
        # variable never runs.
        """
import tensorflow as tf
class Seq2Seq(object):
    def __init__(self):
        self.build_model()
    def build_model(self):
        outputs, state = self.build_decoder()
        self.build_decoder(outputs, state)
    def build_decoder(self, encoder_outputs, encoder_state):
        return tf.get_variable("embeddings", [10, 4]), None
try:
    model = Seq2Seq()
except TypeError:
    model = None
""",
        # Clones in a fresh graph (slim's model_deploy, round 6 of TRIAGE.md): each clone after
        # the first reopens the current scope with a reuse known only per iteration.
        """
import tensorflow.compat.v1 as tf
def create_clones(num_clones, model_fn):
    for i in range(num_clones):
        with tf.variable_scope(tf.get_variable_scope(), reuse=True if i > 0 else None):
            model_fn()
def main(num_clones):
    with tf.Graph().as_default():
        create_clones(num_clones, lambda: tf.get_variable("w", [3]))
""",
        # A path that ends in sys.exit() never reaches the second build.
        """
import sys
import tensorflow.compat.v1 as tf
def policy(name):
    with tf.variable_scope(name):
        return tf.get_variable("logstd", [1, 2])
def main(mode):
    if mode == "evaluate":
        policy("pi")
        sys.exit()
    policy("pi")
main(sys.argv[1])
""",
        # A scope spelled through TensorFlow's internal module: its names are unknown here.
        """
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import variable_scope as vs
def linear(x, n):
    with tf.variable_scope("Linear"):
        return tf.matmul(x, tf.get_variable("Matrix", [2, n]))
with vs.variable_scope("decoder"):
    h = linear(tf.zeros([1, 2]), 2)
    with vs.variable_scope("Attention"):
        a = linear(h, 2)
""",
        # An arg_scope that sets reuse for the layers inside it.
        """
import tensorflow.compat.v1 as tf
import tf_slim as slim
x = tf.zeros([1, 2])
a = slim.fully_connected(x, 2, scope="fc")
with slim.arg_scope([slim.fully_connected], reuse=True):
    b = slim.fully_connected(x, 2, scope="fc")
""",
        # Towers in a loop, in a method nothing here calls: its caller shares them by wrapping
        # the model in AUTO_REUSE, a reuse that no scope inside can switch off.
        """
import tensorflow.compat.v1 as tf
class Tacotron:
    def initialize(self, inputs, num_gpus):
        outs = []
        for i in range(num_gpus):
            with tf.variable_scope("inference"):
                table = tf.get_variable("inputs_embedding", [10, 4])
                outs.append(tf.nn.embedding_lookup(table, inputs))
        return outs
""",
        # Reuse passed on the second call.
        """
import tensorflow as tf
def d(x, reuse=False):
    with tf.variable_scope("d", reuse=reuse):
        return tf.layers.dense(x, 1)
a = d(tf.zeros([1, 2]))
b = d(tf.zeros([1, 2]), reuse=True)
""",
        # AUTO_REUSE under an alias.
        """
import tensorflow.compat.v1 as v1
def d(x):
    with v1.variable_scope("d", reuse=v1.AUTO_REUSE):
        return v1.layers.dense(x, 1)
a = d(v1.zeros([1, 2]))
b = d(v1.zeros([1, 2]))
""",
        # A reuse flag only known at run time: no finding.
        """
import sys
import tensorflow as tf
def d(x, reuse):
    with tf.variable_scope("d", reuse=reuse):
        return tf.layers.dense(x, 1)
a = d(tf.zeros([1, 2]), sys.argv[1] == "x")
b = d(tf.zeros([1, 2]), sys.argv[2] == "y")
""",
        # Exclusive branches.
        """
import sys
import tensorflow as tf
def d(x):
    with tf.variable_scope("d"):
        return tf.layers.dense(x, 1)
if len(sys.argv) > 1:
    a = d(tf.zeros([1, 2]))
else:
    a = d(tf.ones([1, 2]))
""",
        # Separate graphs.
        """
import tensorflow as tf
def d(x):
    with tf.variable_scope("d"):
        return tf.layers.dense(x, 1)
with tf.Graph().as_default():
    a = d(tf.zeros([1, 2]))
with tf.Graph().as_default():
    b = d(tf.zeros([1, 2]))
""",
        # A notebook builds each model in a graph of its own, entered through its session:
        # `sess.graph` is the graph it was given, and `sess.as_default()` sets only the
        # session (round 23: Fine-Grained-Style-Transfer).
        """
import tensorflow.compat.v1 as tf
def embed(vocab):
    return tf.get_variable("emb", [vocab, 2])
conf = tf.ConfigProto(allow_soft_placement=True)
g = tf.Graph()
sess = tf.Session(graph=g, config=conf)
with sess.as_default():
    with sess.graph.as_default():
        style = embed(5)
g_cnn = tf.Graph()
sess_cnn = tf.Session(graph=g_cnn, config=conf)
with sess_cnn.as_default():
    with sess_cnn.graph.as_default():
        cnn = embed(5)
""",
        # make_template shares on every call.
        """
import tensorflow as tf
def net(x):
    return tf.layers.dense(x, 1)
d = tf.make_template("d", net)
a = d(tf.zeros([1, 2]))
b = d(tf.zeros([1, 2]))
""",
        # reuse_variables() inside the scope's own block.
        """
import tensorflow as tf
with tf.variable_scope("d") as scope:
    a = tf.get_variable("w", [1])
    scope.reuse_variables()
    b = tf.get_variable("w", [1])
""",
        # A local `tf` that is not TensorFlow.
        """
class tf:
    @staticmethod
    def variable_scope(name):
        return open(name)
    @staticmethod
    def get_variable(name, shape):
        return name
with tf.variable_scope("d"):
    a = tf.get_variable("w", [1])
with tf.variable_scope("d"):
    b = tf.get_variable("w", [1])
""",
        # Towers that set reuse after the first iteration.
        """
import tensorflow as tf
with tf.variable_scope(tf.get_variable_scope()):
    for i in range(4):
        with tf.name_scope("tower_%d" % i):
            w = tf.get_variable("w", [1])
            tf.get_variable_scope().reuse_variables()
""",
        # Issue #16: two separate `if`s (not elif) on one name against different constants.
        """
import tensorflow as tf
def model(x):
    with tf.variable_scope("model"):
        return tf.layers.dense(x, 1, name="out")
def train():
    return tf.train.AdamOptimizer().minimize(tf.reduce_mean(model(tf.zeros([8, 2]))))
def evaluate():
    return model(tf.zeros([8, 2]))
if args.mode == 'train':
    train()
if args.mode == 'eval':
    evaluate()
""",
        # Likewise `if x:` and `if not x:` (or `x == c` and `x != c`) on one name.
        """
import tensorflow as tf
def model(x):
    with tf.variable_scope("model"):
        return tf.layers.dense(x, 1, name="out")
def build(is_training, phase):
    if is_training:
        a = model(tf.zeros([8, 2]))
    if not is_training:
        b = model(tf.zeros([8, 2]))
def build_phase(phase):
    if phase == 'train':
        a = model(tf.zeros([8, 2]))
    if phase != 'train':
        b = model(tf.zeros([8, 2]))
""",
        # Issue #16: a builder that memoises by input and reuses every build after the first.
        """
import tensorflow as tf
class LanguageModel(object):
    def __init__(self):
        self._built = {}
    def __call__(self, inputs):
        key = id(inputs)
        if key in self._built:
            return self._built[key]
        if self._built:
            with tf.variable_scope('', reuse=True):
                out = self._build(inputs)
        else:
            out = self._build(inputs)
        self._built[key] = out
        return out
    def _build(self, inputs):
        with tf.variable_scope("lm"):
            return tf.matmul(inputs, tf.get_variable("softmax_w", [2, 4]))
lm = LanguageModel()
x = tf.zeros([8, 2])
a = lm(x)
b = lm(x * 2.0)
c = lm(x)
""",
        # Issue #16: modules on tf.make_template, instantiated twice: a scope each.
        """
import tensorflow as tf
class GraphModule(object):
    def __init__(self, name=None):
        self.name = name or type(self).__name__
        self._template = tf.make_template(self.name, self._build)
    def __call__(self, *args):
        return self._template(*args)
class Classifier(GraphModule):
    def _build(self, x):
        return tf.layers.dense(tf.layers.dense(x, 4, name="hidden"), 1, name="logits")
def test_two_models():
    x = tf.zeros([8, 2])
    a = Classifier()
    b = Classifier()
    return a(x), b(x), a(x)
""",
        # An unrolled RNN that reuses once its list of outputs holds one: `outputs` is empty
        # only on the first pass, whichever way the flag reads it.
        """
import tensorflow as tf
def rnn(inputs):
    outputs, state = [], tf.zeros([8, 4])
    for x in inputs:
        with tf.variable_scope("rnn", reuse=True if outputs else None):
            state = tf.tanh(tf.matmul(x, tf.get_variable("w", [2, 4])) + state)
        outputs.append(state)
    return outputs
def towers(x):
    logits = []
    for i in range(2):
        with tf.variable_scope("tower", reuse=not not logits):
            logits.append(tf.layers.dense(x, 1))
    return logits
rnn([tf.zeros([8, 2])] * 3)
towers(tf.zeros([8, 2]))
""",
        # A cell class of the project's own, run by `dynamic_rnn` under the default `rnn`
        # scope once a step has made its weights there: the second run reuses them.
        """
import tensorflow.compat.v1 as tf
class GatedCell(tf.nn.rnn_cell.RNNCell):
    def __init__(self, n):
        self._n = n
    def __call__(self, inputs, state, scope="gated"):
        with tf.variable_scope(scope):
            w = tf.get_variable("w", [inputs.get_shape()[-1] + self._n, self._n])
        h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w))
        return h, h
cell = GatedCell(4)
with tf.variable_scope("rnn"):
    step, _ = cell(tf.zeros([2, 3]), tf.zeros([2, 4]))
with tf.variable_scope(tf.get_variable_scope(), reuse=True):
    seq, _ = tf.nn.dynamic_rnn(cell, tf.zeros([2, 5, 3]), initial_state=tf.zeros([2, 4]))
other, _ = tf.nn.dynamic_rnn(GatedCell(4), tf.zeros([2, 5, 3]), dtype=tf.float32, scope="decoder")
""",
        # A stack of the project's own cells run twice: the one MultiRNNCell object enters its
        # first scope again with reuse; a fresh stack under reuse finds the same weights.
        """
import tensorflow.compat.v1 as tf
class GatedCell(tf.nn.rnn_cell.RNNCell):
    def __init__(self, n):
        self._n = n
    state_size = output_size = property(lambda self: self._n)
    def __call__(self, inputs, state, scope=None):
        with tf.variable_scope(scope or "gated"):
            w = tf.get_variable("w", [inputs.get_shape()[-1] + self._n, self._n])
        h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w))
        return h, h
def stack(keep):
    return tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.DropoutWrapper(GatedCell(4), keep) for _ in range(2)])
train = stack(0.8)
a, _ = tf.nn.dynamic_rnn(train, tf.zeros([2, 5, 3]), dtype=tf.float32)
b, _ = tf.nn.dynamic_rnn(train, tf.ones([2, 5, 3]), dtype=tf.float32)
with tf.variable_scope(tf.get_variable_scope(), reuse=True):
    c, _ = tf.nn.dynamic_rnn(stack(1.0), tf.zeros([2, 5, 3]), dtype=tf.float32)
""",
        # Both branches of a tf.cond build the classifier, the second with reuse on.
        """
import tensorflow.compat.v1 as tf
def classifier(x, reuse=None):
    with tf.variable_scope("classifier", reuse=reuse):
        w = tf.get_variable("w", [3, 2])
    return tf.matmul(x, w)
x = tf.placeholder(tf.float32, [None, 3])
training = tf.placeholder(tf.bool, [])
logits = tf.cond(training, lambda: classifier(tf.nn.dropout(x, 0.5)), lambda: classifier(x, reuse=True))
""",
        # Round 18: `__call__` returns from both arms of an `if` on a setting the analysis does
        # not know; each helper marks the object built, so the second call reuses on either arm.
        """
import tensorflow.compat.v1 as tf
class Critic(object):
    def __init__(self, name, use_conv):
        self.name, self.use_conv, self.reuse = name, use_conv, False
    def __call__(self, x):
        if self.use_conv:
            return self._conv_net(x)
        else:
            return self._mlp_net(x)
    def _conv_net(self, x):
        with tf.variable_scope(self.name, reuse=self.reuse):
            out = tf.layers.conv2d(x, 8, 3, name="c_conv1")
        self.reuse = True
        return out
    def _mlp_net(self, x):
        with tf.variable_scope(self.name, reuse=self.reuse):
            out = tf.layers.dense(x, 8, name="c_fc1")
        self.reuse = True
        return out
def build_critic(real, fake, use_conv):
    critic = Critic("critic", use_conv)
    return critic(real), critic(fake)
""",
        # The same with an early return, the other path building nothing: after the first
        # call, the flag is set on the path that built.
        """
import tensorflow.compat.v1 as tf
class Critic(object):
    def __init__(self, name, use_conv):
        self.name, self.use_conv, self.reuse = name, use_conv, False
    def __call__(self, x):
        if self.use_conv:
            return self._conv_net(x)
        return tf.identity(x)
    def _conv_net(self, x):
        with tf.variable_scope(self.name, reuse=self.reuse):
            out = tf.layers.conv2d(x, 8, 3, name="c_conv1")
        self.reuse = True
        return out
def build_critic(real, fake, use_conv):
    critic = Critic("critic", use_conv)
    return critic(real), critic(fake)
""",
    )
    VALID = VALID + (
        # A `while` whose body makes its own test false runs once per pass of the `for`, and
        # the graph is reset before the next (round 28): TF builds `fusion/w` once per graph.
        """
import tensorflow.compat.v1 as tf
def restore_and_test(epoch):
    with tf.variable_scope("fusion"):
        return tf.get_variable("w", [3, 3])
num_epoch = 28
for checkpoint in range(28, 30):
    while num_epoch == checkpoint:
        w = restore_and_test(num_epoch)
        num_epoch = num_epoch + 1
    tf.reset_default_graph()
""",
        # TF's own cells: one cell object run twice re-enters its first scope with reuse;
        # fresh cells under other scopes, or under a reusing one, clash with nothing; fresh
        # cells called directly at the root are counted (`lstm_cell`, `lstm_cell_1`).
        """
import tensorflow.compat.v1 as tf
def encode(x, reuse=False):
    with tf.variable_scope("encoder", reuse=reuse):
        _, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(8), x, dtype=tf.float32)
    return state
question = encode(tf.placeholder(tf.float32, [None, 5, 3]))
answer = encode(tf.placeholder(tf.float32, [None, 5, 3]), reuse=True)
shared = tf.nn.rnn_cell.GRUCell(4)
a, _ = tf.nn.dynamic_rnn(shared, tf.zeros([2, 5, 3]), dtype=tf.float32)
b, _ = tf.nn.dynamic_rnn(shared, tf.ones([2, 5, 3]), dtype=tf.float32)
with tf.variable_scope("left"):
    l, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), tf.zeros([2, 5, 3]), dtype=tf.float32)
with tf.variable_scope("right"):
    r, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), tf.zeros([2, 5, 3]), dtype=tf.float32)
state = tf.nn.rnn_cell.LSTMCell(4).zero_state(2, tf.float32)
h1, _ = tf.nn.rnn_cell.LSTMCell(4)(tf.zeros([2, 3]), state)
h2, _ = tf.nn.rnn_cell.LSTMCell(4)(tf.zeros([2, 3]), state)
""",
        # A unit makes its closing norm only when the caller says it is the last one; the
        # test also reads what cannot be known here, but `unknown and False` is false, so
        # the calls with `last=False` make nothing and TF builds `d/last_norm/p` once.
        """
import functools
import tensorflow.compat.v1 as tf
def g_block(x, deconv=False):
    return x
def d_unit(x, name, last=False):
    block = functools.partial(g_block, deconv=False)
    with tf.variable_scope(name):
        w = tf.get_variable("w", [])
    if hasattr(block, "func") and block.func == g_block and last:
        with tf.variable_scope("last_norm"):
            p = tf.get_variable("p", [])
    return x * w
def d_net(x):
    with tf.variable_scope("d"):
        h = d_unit(x, "u1", last=False)
        h = d_unit(h, "u2", last=False)
        return d_unit(h, "u3", last=True)
""",
        # One input layer object called per feature group (round 25, alibaba/EasyRec): the key
        # projection two calls deep is built only for a group the configuration lists, and
        # the gate reads the group, which the two calls give apart. The configuration may
        # list one of them only; no certain repeat.
        """
import tensorflow.compat.v1 as tf
class SequenceEncoder(object):
    def __init__(self, key_transform):
        self._key_transform = key_transform
    def __call__(self, key, history, sampled):
        if sampled and self._key_transform:
            key = tf.layers.dense(key, 4, name="key_proj")
        return tf.concat([key, history], 1)
class FeatureInput(object):
    def __init__(self, config):
        self._sequence_groups = config.sequence_groups
        self._sampled_groups = config.sampled_groups
        self._encoder = SequenceEncoder(config.key_transform)
    def __call__(self, features, group):
        return self._combined(features, group)
    def _combined(self, features, group):
        x = features[group]
        if group in self._sequence_groups:
            x = self._encoder(x, features[group + "_hist"], group in self._sampled_groups)
        return x
def two_tower_inputs(features, config):
    inputs = FeatureInput(config)
    return inputs(features, "user"), inputs(features, "item")
""",
        # A module constant in a constant's case tested against string constants: the name is
        # what is tested (`MODE == "train"`, then `MODE == "eval"`), not a named constant.
        """
import os
import tensorflow as tf
MODE = os.environ.get("RUN_MODE", "train")
def model(x):
    with tf.variable_scope("model"):
        return tf.layers.dense(x, 1, name="out")
if MODE == "train":
    a = model(tf.zeros([8, 2]))
if "eval" == MODE:
    b = model(tf.zeros([8, 2]))
""",
        # One object's mode, set by its constructor, tested against one named constant by `!=`
        # and by `==` (round 31, a seq2seq model): one of the two decoders is built, whatever
        # INFER holds.
        """
import tensorflow as tf
class Seq2Seq(object):
    def __init__(self, mode):
        self.mode = mode
        if self.mode != tf.contrib.learn.ModeKeys.INFER:
            self.train_logits = self._decoder()
        if self.mode == tf.contrib.learn.ModeKeys.INFER:
            self.sample = self._decoder()
    def _decoder(self):
        with tf.variable_scope("decoder"):
            return tf.get_variable("tgt_embedding", [10, 4])
""",
    )
    VALID = VALID + (
        # A generator function builds the scorer once, then yields one result per split; the
        # list comprehension runs it once.
        """
import tensorflow as tf
def build_scorer():
    w = tf.get_variable("w", [3, 1])
    return w
def evaluate():
    w = build_scorer()
    for split in ["train", "val"]:
        yield split, w
train_auc, val_auc = [score for score in evaluate()]
""",
    )

    VALID = VALID + (
        # An upsampler whose two layers of one name sit under tests of one setting that cannot
        # both hold (3, or 2 or 4): one layer is built, whatever the command line gives.
        """
import sys
import tensorflow as tf
def upsample(x, ratio):
    with tf.variable_scope("upsample"):
        if ratio == 3:
            x = tf.layers.conv2d(x, 9, 3, padding="same", name="subpixel")
        if ratio == 2 or ratio == 4:
            x = tf.layers.conv2d(x, 4, 3, padding="same", name="subpixel")
        if ratio not in (2, 3, 4):
            raise ValueError(ratio)
    return x
hr = upsample(tf.placeholder(tf.float32, [1, 16, 16, 1]), float(sys.argv[1]))
""",
        # TF 1's eager execution keeps no variable store: each call makes its own weight.
        """
import tensorflow as tf
tf.enable_eager_execution()
def highway(x, size, name):
    w = tf.get_variable(name + "/W", [int(x.shape[1]), size], initializer=tf.constant_initializer(0.1))
    return tf.tanh(tf.matmul(x, w))
h = tf.ones([2, 3])
for step in range(4):
    h = highway(h, 3, name="transform")
""",
    )

    INVALID = (
        # The same model class built twice in one graph, for two modes, or by a build method
        # that sets the mode and is called again: each object (each call) builds a decoder.
        """
import tensorflow as tf
from tensorflow.contrib.learn import ModeKeys
class Seq2Seq(object):
    def __init__(self, mode):
        self.mode = mode
        if self.mode != ModeKeys.INFER:
            self.train_logits = self._decoder()
        if self.mode == ModeKeys.INFER:
            self.sample = self._decoder()
    def _decoder(self):
        with tf.variable_scope("decoder"):
            return tf.get_variable("tgt_embedding", [10, 4])
    def rebuild(self, mode):
        self.mode = mode
        if self.mode != ModeKeys.INFER:
            self.train_logits = self._decoder()
        if self.mode == ModeKeys.INFER:
            self.sample = self._decoder()
def main(flags):
    train_model = Seq2Seq(flags.mode)
    infer_model = Seq2Seq(ModeKeys.INFER)  # expect: RL101
def other(flags):
    model = Seq2Seq(None)
    model.rebuild(flags.mode)  # expect: RL101
""",
        # The same `while`, with a test the body keeps true for a second pass: TF raises
        # "Variable fusion/w already exists" there.
        """
import tensorflow.compat.v1 as tf
def restore_and_test(epoch):
    with tf.variable_scope("fusion"):
        return tf.get_variable("w", [3, 3])
num_epoch = 0
while num_epoch < 2:
    w = restore_and_test(num_epoch)  # expect: RL101
    num_epoch = num_epoch + 1
""",
        # As EasyRec's input layer above, but the projection's gate is the layer's setting,
        # the same for both calls; and a gate that reads the group, called twice for one
        # group: each repeat is certain once the configuration turns the gate on.
        """
import tensorflow.compat.v1 as tf
class FeatureInput(object):
    def __init__(self, config):
        self._key_transform = config.key_transform
    def __call__(self, features, group):
        return self._combined(features, group)
    def _combined(self, features, group):
        x = features[group]
        if self._key_transform:
            x = tf.layers.dense(x, 4, name="key_proj")
        return x
class SequenceInput(object):
    def __init__(self, config):
        self._sequence_groups = config.sequence_groups
    def __call__(self, features, group):
        x = features[group]
        if group in self._sequence_groups:
            x = tf.layers.dense(x, 4, name="seq_proj")
        return x
def two_tower_inputs(features, config):
    inputs = FeatureInput(config)
    user = inputs(features, "user")
    item = inputs(features, "item")  # expect: RL101
    return user, item
def sampled_inputs(features, sampled, config):
    inputs = SequenceInput(config)
    pos = inputs(features, "item")
    neg = inputs(sampled, "item")  # expect: RL101
    return pos, neg
""",
        # The same registry, the evaluation copy built without reuse: whichever network was
        # picked, `model/fc1` is created a second time.
        """
import sys
import tensorflow.compat.v1 as tf
def small(x):
    with tf.variable_scope("model"):
        return tf.layers.dense(x, 4, name="fc1")
def large(x):
    with tf.variable_scope("model"):
        return tf.layers.dense(tf.layers.dense(x, 64, name="fc1"), 4, name="fc2")
class Trainer(object):
    NETS = {"small": small, "large": large}
    def __init__(self, name):
        self.net = self.NETS[name]
        self.logits = self.net(tf.zeros([2, 3]))
        self.eval_logits = self.net(tf.ones([2, 3]))  # expect: RL101
Trainer(sys.argv[1])
""",
        # As in the notebook above, but the second session is given the first one's graph.
        """
import tensorflow.compat.v1 as tf
def embed(vocab):
    return tf.get_variable("emb", [vocab, 2])
conf = tf.ConfigProto(allow_soft_placement=True)
g = tf.Graph()
sess = tf.Session(graph=g, config=conf)
with sess.as_default():
    with sess.graph.as_default():
        style = embed(5)
sess_eval = tf.Session(graph=g, config=conf)
with sess_eval.as_default():
    with sess_eval.graph.as_default():
        again = embed(5)  # expect: RL101
""",
        # As above, but the helpers never mark the object built: on either arm the second
        # call creates the critic again.
        """
import tensorflow.compat.v1 as tf
class Critic(object):
    def __init__(self, name, use_conv):
        self.name, self.use_conv, self.reuse = name, use_conv, False
    def __call__(self, x):
        if self.use_conv:
            return self._conv_net(x)
        else:
            return self._mlp_net(x)
    def _conv_net(self, x):
        with tf.variable_scope(self.name, reuse=self.reuse):
            return tf.layers.conv2d(x, 8, 3, name="c_conv1")
    def _mlp_net(self, x):
        with tf.variable_scope(self.name, reuse=self.reuse):
            return tf.layers.dense(x, 8, name="c_fc1")
def build_critic(real, fake, use_conv):
    critic = Critic("critic", use_conv)
    return critic(real), critic(fake)  # expect: RL101
""",
        # The reuse flag reads a list the loop never fills: it is empty on every pass.
        """
import tensorflow as tf
def towers(x):
    seen, logits = [], []
    for i in range(2):
        with tf.variable_scope("tower", reuse=True if seen else None):
            logits.append(tf.layers.dense(x, 1))  # expect: RL101
    return logits
towers(tf.zeros([8, 2]))
""",
        # Models kept in a dict and read back by constant keys, or over its items.
        """
import tensorflow as tf
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(x, 1)
def generator(z):
    with tf.variable_scope("generator"):
        return tf.layers.dense(z, 2)
models = {"g": generator, "d": discriminator}
fake = models["g"](tf.zeros([8, 4]))
real_logits = models["d"](tf.zeros([8, 2]))
fake_logits = models["d"](fake)  # expect: RL101
heads = {"a": generator, "b": generator}
for name, head in heads.items():
    head(tf.zeros([8, 4]))  # expect: RL101
""",
        # Two `if`s on one name can both hold when they test the same constant (or the
        # second is an `else`): only different constants exclude each other.
        """
import tensorflow as tf
def model(x):
    with tf.variable_scope("model"):
        return tf.layers.dense(x, 1, name="out")
if args.mode == 'train':
    a = model(tf.zeros([8, 2]))
if args.mode == 'train':
    b = model(tf.zeros([8, 2]))  # expect: RL101
if args.mode == 'eval':
    pass
else:
    c = model(tf.zeros([8, 2]))  # expect: RL101
if not args.mode:
    d = model(tf.zeros([8, 2]))  # expect: RL101
""",
        # A builder whose reuse test reads state that nothing ever sets: every call builds.
        """
import tensorflow as tf
class LanguageModel(object):
    def __init__(self):
        self._built = {}
    def __call__(self, inputs):
        if self._built:
            with tf.variable_scope('', reuse=True):
                return self._build(inputs)
        return self._build(inputs)
    def _build(self, inputs):
        with tf.variable_scope("lm"):
            return tf.matmul(inputs, tf.get_variable("softmax_w", [2, 4]))
lm = LanguageModel()
a = lm(tf.zeros([8, 2]))
b = lm(tf.ones([8, 2]))  # expect: RL101
""",
        # The article's Example 1.
        """
import tensorflow as tf
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(x, 1)
real = discriminator(tf.zeros([1, 2]))
fake = discriminator(tf.ones([1, 2]))  # expect: RL101
""",
        # A builder class constructed twice inside a function nothing calls (an entry point).
        """
import tensorflow.compat.v1 as tf
class Discriminator:
    def __init__(self, x):
        with tf.variable_scope("disc"):
            self.logit = tf.layers.dense(x, 1)
def build(real_images, fake_images):
    real = Discriminator(real_images)
    fake = Discriminator(fake_images)  # expect: RL101
    return real, fake
""",
        # Two `with` blocks of one scope name.
        """
from tensorflow.compat.v1 import variable_scope as vs, get_variable
with vs("d"):
    a = get_variable("w", [1])
with vs("d"):
    b = get_variable("w", [1])  # expect: RL101
""",
        # A scoped helper called twice with the same literal name.
        """
import tensorflow as tf
def linear(x, n, scope=None):
    with tf.variable_scope(scope or "Linear"):
        w = tf.get_variable("w", [2, n])
        return tf.matmul(x, w)
h = linear(tf.zeros([1, 2]), 2, "d_h1_lin")
h = linear(h, 2, "d_h1_lin")  # expect: RL101
""",
        # A builder in a loop.
        """
import tensorflow as tf
v1 = tf.compat.v1
def tower(x):
    with v1.variable_scope("tower"):
        return v1.layers.dense(x, 1)
outs = []
for x in [tf.zeros([1, 2]), tf.ones([1, 2])]:
    outs.append(tower(x))  # expect: RL101
""",
        # Two layers with the same explicit name in one scope.
        """
import tensorflow as tf
with tf.variable_scope("g"):
    h = tf.layers.dense(tf.zeros([1, 2]), 4, name="fc")
    h = tf.layers.dense(h, 4, name="fc")  # expect: RL101
""",
        # A method called twice through self.
        """
import tensorflow as tf
class GAN:
    def __init__(self, x, g):
        self.real = self.discriminator(x)
        self.fake = self.discriminator(g)  # expect: RL101
    def discriminator(self, x):
        with tf.variable_scope("D"):
            return tf.layers.dense(x, 1)
""",
        # A discriminator class whose __call__ takes reuse with a default.
        """
import tensorflow as tf
class Discriminator:
    def __call__(self, x, reuse=False):
        with tf.variable_scope("D") as scope:
            if reuse:
                scope.reuse_variables()
            return tf.layers.dense(x, 1)
d = Discriminator()
real = d(tf.zeros([1, 2]))
fake = d(tf.ones([1, 2]))  # expect: RL101
""",
        # A cell class of the project's own with a `__call__` of its own: `dynamic_rnn` runs
        # it under its default scope `rnn`, where the one-step call already made `rnn/gated/w`.
        """
import tensorflow.compat.v1 as tf
class GatedCell(tf.nn.rnn_cell.RNNCell):
    def __init__(self, n):
        self._n = n
    def __call__(self, inputs, state, scope="gated"):
        with tf.variable_scope(scope):
            w = tf.get_variable("w", [inputs.get_shape()[-1] + self._n, self._n])
        h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w))
        return h, h
cell = GatedCell(4)
with tf.variable_scope("rnn"):
    step, _ = cell(tf.zeros([2, 3]), tf.zeros([2, 4]))
seq, _ = tf.nn.dynamic_rnn(cell, tf.zeros([2, 5, 3]), initial_state=tf.zeros([2, 4]))  # expect: RL101
""",
        # The project's own cells, each in a DropoutWrapper, stacked afresh for inference and
        # run under `encoder` again: MultiRNNCell runs layer i under multi_rnn_cell/cell_i.
        """
import tensorflow.compat.v1 as tf
class GatedCell(tf.nn.rnn_cell.RNNCell):
    def __init__(self, n):
        self._n = n
    state_size = output_size = property(lambda self: self._n)
    def __call__(self, inputs, state, scope=None):
        with tf.variable_scope(scope or "gated"):
            w = tf.get_variable("w", [inputs.get_shape()[-1] + self._n, self._n])
        h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w))
        return h, h
def encode(x, keep):
    cells = [tf.nn.rnn_cell.DropoutWrapper(GatedCell(4), output_keep_prob=keep) for _ in range(2)]
    return tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), x, dtype=tf.float32, scope="encoder")
train, _ = encode(tf.zeros([2, 5, 3]), 0.8)
infer, _ = encode(tf.zeros([2, 5, 3]), 1.0)  # expect: RL101
""",
        # Graph mode builds both branches of a tf.cond, in order: the second makes
        # `classifier/w` again; so does a call after a cond whose branch made it.
        """
import tensorflow.compat.v1 as tf
def classifier(x):
    with tf.variable_scope("classifier"):
        w = tf.get_variable("w", [3, 2])
    return tf.matmul(x, w)
x = tf.placeholder(tf.float32, [None, 3])
training = tf.placeholder(tf.bool, [])
logits = tf.cond(training,
                 lambda: classifier(tf.nn.dropout(x, 0.5)),
                 lambda: classifier(x))  # expect: RL101
""",
        """
import tensorflow.compat.v1 as tf
def classifier(x):
    with tf.variable_scope("classifier"):
        w = tf.get_variable("w", [3, 2])
    return tf.matmul(x, w)
def noisy():
    return classifier(tf.random_normal([4, 3]))
x = tf.placeholder(tf.float32, [None, 3])
sample = tf.cond(tf.placeholder(tf.bool, []), noisy, lambda: tf.zeros([4, 2]))
logits = classifier(x)  # expect: RL101
""",
        # An encoder and a decoder each run a fresh LSTM with `dynamic_rnn` under one scope
        # and no `scope=`: both ask for seq2seq/rnn/lstm_cell/kernel.
        """
import tensorflow.compat.v1 as tf
def seq2seq(source, target):
    with tf.variable_scope("seq2seq"):
        _, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(16), source, dtype=tf.float32)
        out, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(16), target, initial_state=state)  # expect: RL101
    return out
seq2seq(tf.placeholder(tf.float32, [None, 7, 4]), tf.placeholder(tf.float32, [None, 9, 4]))
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        # Causes that other rules name better: a dropped reuse (RL103), a misplaced reuse flag
        # (RL115), a misplaced scope argument that two entries of the scope lost (RL115).
        dropped = {id(e.site.node) for e in ctx.analysis.dropped_reuse if e.created}
        dropped |= {id(call) for _site, kind, call in ctx.analysis.misplaced if kind == "reuse"}
        lost_names = {id(call): call for _site, kind, call in ctx.analysis.misplaced if kind == "scope"}.values()
        for clash in clashes(ctx.analysis):
            if clash.first.name_scopes != clash.second.name_scopes:
                continue  # variable-in-name-scope (RL104) explains that one better
            if any(id(node) in dropped for node in clash.second.scope_nodes):
                continue
            if any(crosses_entries(clash, call) for call in lost_names):
                continue
            name = clash.second.name
            if clash.in_loop:
                related = ctx.related(clash.related, "the loop runs it more than once")
                message = f"Variable `{name}` is created again on the next iteration of this loop, without reuse"
            else:
                related = ctx.related(clash.related, f"`{name}` is first created here")
                message = f"Variable `{name}` is created a second time in this graph, without reuse"
            yield from ctx.report(
                self,
                clash.site,
                message,
                related=[related],
                help="pass reuse=True on the repeated call, or use reuse=tf.AUTO_REUSE in the builder's variable_scope",
                fix=self._fix(ctx, clash),
            )

    def _fix(self, ctx: RuleContext, clash: Clash) -> Fix | None:
        site = clash.site
        callee = ctx.analysis.callees.get(id(site.node))
        if isinstance(callee, (ast.FunctionDef, ast.AsyncFunctionDef)) and _forwards_reuse(callee):
            position = ctx.parameter_position(site.node, callee, "reuse")
            edit = ctx.keyword_edit(site, "reuse", "True", position)
            return Fix("pass reuse=True", (edit,), safe=_configured_alike(clash)) if edit else None
        scope = _scope_to_share(clash, callee)
        if scope is None or scope.path != site.path:
            return None
        alias = ctx.tf_alias(scope.path, scope.node)
        if alias is None:
            return None
        edit = ctx.keyword_edit(scope, "reuse", f"{alias}.AUTO_REUSE", tfnames.VARIABLE_SCOPE_REUSE_POSITION)
        return Fix(f"share with reuse={alias}.AUTO_REUSE", (edit,), safe=False) if edit else None


# Flags that switch a builder's mode, not its weights: a discriminator called again with
# `is_training=False` still means the first call's weights.
_MODE_KEYWORDS = frozenset({"reuse", "training", "is_training", "is_train", "train", "phase_train", "mode"})


def _configured_alike(clash: Clash) -> bool:
    """The repeated call gives the builder what the first call gave it, its input aside: sharing
    is what the code means. Two calls with other settings under one name (`deconv2d(x, 64,
    name="d3")` in a loop, then `deconv2d(x, 3, name="d3")`) are two layers that collide:
    `reuse=True` would hand the second the first one's weights, of another shape."""
    first, second = clash.related.node, clash.site.node
    if clash.in_loop:
        return True  # one call repeated by its loop: the same text, the same settings
    if not (isinstance(first, ast.Call) and isinstance(second, ast.Call)):
        return False
    if len(first.args) != len(second.args):
        return False
    if any(ast.dump(a) != ast.dump(b) for a, b in zip(first.args[1:], second.args[1:])):
        return False

    def settings(call: ast.Call) -> dict:
        return {k.arg: ast.dump(k.value) for k in call.keywords if k.arg not in _MODE_KEYWORDS}

    return settings(first) == settings(second)


def _forwards_reuse(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    params = {a.arg for a in func.args.args + func.args.kwonlyargs}
    return "reuse" in params and any(
        isinstance(n, ast.Name) and n.id == "reuse" and isinstance(n.ctx, ast.Load) for n in ast.walk(func)
    )


def _scope_to_share(clash: Clash, callee: ast.AST | None) -> Site | None:
    """The builder's outermost variable_scope, or the repeated block's own scope."""
    path = clash.second.stack[-1].path
    # Only a scope the code wrote: a runner's own (`dynamic_rnn`'s `rnn`) takes no `reuse`.
    nodes = tuple(n for n in clash.second.scope_nodes if _writes_variable_scope(n))
    if callee is not None:
        inside = [n for n in nodes if n is not None and callee.lineno <= n.lineno <= callee.end_lineno]
        if inside:
            return Site(path, inside[0])
    own = [n for n in nodes if n is not None and all(n is not m for m in clash.first.scope_nodes)]
    return Site(path, own[-1]) if own else None


def _writes_variable_scope(node: ast.AST | None) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name == "variable_scope"
