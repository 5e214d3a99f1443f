from __future__ import annotations

import ast
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import FALSE, TRUE, auto_scopes_entered_again, repeated_builds, shares_nothing
from reuse_lint.engine.values import AUTO
from reuse_lint.rules.base import Rule, RuleContext


class VariableIgnoresReuse(Rule):
    """
    ## What it does
    Finds `tf.Variable(...)` (not `tf.get_variable`) under a reusing scope that held
    variables before its reuse was switched on (an earlier call of the same builder made
    them; under `AUTO_REUSE`, one entered again under the same name), or in a scoped builder
    applied twice to different inputs, the scope entered again for the second run (two runs
    in one entry of one scope with reuse off, a layer helper called per layer, ask for no
    sharing). A scope that opens with reuse and is built once per graph (an encoder whose
    output two decoders share) has nothing to share: TF makes one
    set of variables, as the code needs. It reports the `tf.Variable` call, but not
    state kept per call on purpose: a variable made with `trainable=False` (by keyword or
    by position, `tf.Variable(0, False)`; or with a
    `trainable=` flag it cannot decide, a configuration's), or one the same code updates with
    `.assign(...)` (a counter, an accumulator).

    ## Why is this bad?
    `tf.Variable` knows nothing of `variable_scope` reuse: every call makes a new variable
    (`d/Variable`, `d_1/Variable`, ...). The author asked for shared weights and silently got
    copies; an EMA or a saver restoring "the" weights then picks one of them.

    ## Example
    ```python
    def discriminator(x, reuse=False):
        with tf.variable_scope("d", reuse=reuse):
            w = tf.Variable(tf.zeros([2, 1]))
            return tf.matmul(x, w)
    ```

    Use instead:
    ```python
    def discriminator(x, reuse=False):
        with tf.variable_scope("d", reuse=reuse):
            w = tf.get_variable("w", [2, 1], initializer=tf.zeros_initializer())
            return tf.matmul(x, w)
    ```

    ## Fix safety
    No automatic fix: `tf.get_variable` needs a name and an initializer that only the author can choose.
    """

    CODE = "RL113"
    NAME = "variable-ignores-reuse"
    VALID = (
        # The same appended sizes, the forward built once: one weight per layer, nothing
        # asks for sharing.
        """
import tensorflow as tf
class Model(object):
    def __init__(self, hidden_layer):
        self.hidden_layer = []
        for size in hidden_layer.split(","):
            self.hidden_layer.append(int(size))
    def forward(self, x):
        with tf.variable_scope("forward"):
            for i, size in enumerate(self.hidden_layer):
                w = tf.Variable(tf.zeros([4, size]), name="fully_weight_%d" % i)
                x = tf.matmul(x, w)
        return x
train = Model("4,4").forward(tf.zeros([1, 4]))
""",
        """
import tensorflow as tf
step = tf.Variable(0, trainable=False)
def d(x, reuse=False):
    with tf.variable_scope("d", reuse=reuse):
        w = tf.get_variable("w", [2, 1])
        return tf.matmul(x, w)
a = d(tf.zeros([1, 2]))
b = d(tf.ones([1, 2]), reuse=True)
""",
        # Per-call state buffers on purpose (issue #16): each input gets its own state.
        """
import tensorflow as tf
def rnn_step(x, reuse=False):
    with tf.variable_scope("rnn", reuse=reuse):
        state = tf.Variable(tf.zeros([8, 4]), trainable=False, name="state")
        w = tf.get_variable("w", [2, 4])
        return tf.matmul(x, w) + state
a = rnn_step(tf.zeros([8, 2]))
b = rnn_step(tf.ones([8, 2]), reuse=True)
""",
        # Loss counters kept per model and updated in place (round 6 of TRIAGE.md): the
        # validation model, built once the root scope reuses, counts its own batches.
        """
import tensorflow as tf
class CharRNN(object):
    def __init__(self, x):
        w = tf.get_variable("softmax_w", [2, 1])
        self.loss = tf.reduce_mean(tf.matmul(x, w))
        with tf.name_scope("loss_monitor"):
            count = tf.Variable(1.0, name="count")
            self.update = count.assign(count + 1)
with tf.name_scope("training"):
    train_model = CharRNN(tf.zeros([8, 2]))
tf.get_variable_scope().reuse_variables()
with tf.name_scope("validation"):
    valid_model = CharRNN(tf.ones([8, 2]))
""",
        # AUTO_REUSE only as a helper's default, each call in a block scope of its own: no
        # scope is entered twice, so one variable per block is what the code asks for
        # (gaotianyu1350/easyNRE's layer norm, round 10 of TRIAGE.md).
        """
import tensorflow as tf
def shift(x, scope="shift", reuse=tf.AUTO_REUSE):
    with tf.variable_scope(scope, reuse=reuse):
        return x + tf.Variable(tf.zeros([4]))
h = tf.zeros([2, 4])
for k in range(3):
    with tf.variable_scope("block_%d" % k):
        h = shift(h)
""",
        # An encoder that opens its scope with reuse, built once; both decoders read its
        # output, so one `encoder/Variable` is shared through the tensor (round 15 of TRIAGE.md).
        """
import tensorflow as tf
def encoder(x, name, reuse=True):
    with tf.variable_scope(name) as scope:
        if reuse:
            scope.reuse_variables()
        w = tf.Variable(tf.truncated_normal([5, 5, 3, 8]))
        return tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME")
def decoder(code, name):
    with tf.variable_scope(name):
        return tf.layers.conv2d_transpose(code, 3, 4, strides=2, name="out")
faces = tf.placeholder(tf.float32, [None, 64, 64, 3])
code = encoder(faces, "encoder")
face_a = decoder(code, "decoder_a")
face_b = decoder(code, "decoder_b")
""",
        # A memory cell that makes its start state (a constant tf.Variable) only when called
        # with `state=None`, which the model does once, before reuse; every later call passes
        # the dict of tensors the previous call returned, which is never None.
        """
import tensorflow as tf
class MemoryCell(object):
    def __call__(self, x, state=None):
        if state == None:
            state = self.initial_state()
        with tf.variable_scope("controller"):
            w = tf.get_variable("w", [4, 4])
        h = tf.tanh(tf.matmul(x, w) + state["memory"])
        return h, {"memory": h}
    def initial_state(self):
        with tf.variable_scope("init_cell"):
            start = tf.Variable(tf.zeros([1, 4]))
        return {"memory": start}
cell = MemoryCell()
x = tf.placeholder(tf.float32, [1, 4])
with tf.variable_scope("ntm"):
    _, state = cell(x, state=None)
    tf.get_variable_scope().reuse_variables()
    _, state = cell(x, state)
    _, state = cell(x, state)
""",
        # One scope per worker (A3C): each opens its own `"net" + str(i)`, switches its reuse
        # on and makes its weights with tf.Variable; no scope is entered twice, so each worker
        # gets the copy it wants (round 17 of TRIAGE.md).
        """
import tensorflow as tf
def make_weights(scope):
    scope.reuse_variables()
    return tf.Variable(tf.zeros([4, 2]))
class Worker(object):
    def __init__(self, worker_id):
        with tf.variable_scope("net" + str(worker_id)) as scope:
            self.w = make_weights(scope)
global_net = Worker(-1)
workers = [Worker(i) for i in range(4)]
""",
        # Pre-trained word vectors made per segment under AUTO_REUSE, their `trainable=` a
        # configuration flag the model reads from the object it is given (False in the
        # project's config): TF makes three non-trainable, equal copies, constant buffers
        # rather than a weight meant to be shared (pencoa/PCNN, round 21 of TRIAGE.md).
        """
import tensorflow as tf
class Config(object):
    dim_word = 50
    train_word_embeddings = False
class RelationModel(object):
    def __init__(self, config, embeddings):
        self.config = config
        self.embeddings = embeddings
    def embed(self, word_ids):
        with tf.variable_scope("words", reuse=tf.AUTO_REUSE):
            table = tf.Variable(self.embeddings, name="_word_embeddings", dtype=tf.float32,
                                trainable=self.config.train_word_embeddings)
            return tf.nn.embedding_lookup(table, word_ids)
    def build(self):
        self.left = tf.placeholder(tf.int32, [None, None])
        self.middle = tf.placeholder(tf.int32, [None, None])
        self.right = tf.placeholder(tf.int32, [None, None])
        return [self.embed(self.left), self.embed(self.middle), self.embed(self.right)]
""",
        # Two towers under scope names whose known tails differ, the prefix unknown: each
        # its own weights, as asked (TF: `model/dsmm_word/w` and `model/dsmm_char/w`).
        """
import tensorflow as tf
def tower(x, scope_name):
    with tf.variable_scope(scope_name):
        w = tf.Variable(tf.zeros([4, 8]), name="w")
        return tf.matmul(x, w)
def towers(model_name):
    word = tf.placeholder(tf.float32, [None, 4])
    char = tf.placeholder(tf.float32, [None, 4])
    with tf.variable_scope("model"):
        return tower(word, "%s_word" % model_name), tower(char, "%s_char" % model_name)
""",        # A layer helper that opens no scope, called once per layer, both stacks under one
        # entry of one scope with reuse off: separate layers, separate weights, as TF makes
        # them (`encoder/kernel`, `encoder/kernel_1`...; zouguojian/STGIN, round 23 of TRIAGE.md).
        """
import tensorflow as tf
def dense(x, n):
    w = tf.Variable(tf.glorot_uniform_initializer()([int(x.shape[-1]), n]), name="kernel")
    return tf.matmul(x, w)
def fc(x, units):
    for n in units:
        x = dense(x, n)
    return x
se = tf.placeholder(tf.float32, [None, 8])
te = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("encoder"):
    a = fc(se, [64, 64])
    b = fc(te, [64, 64])
""",
        # A scope opened with reuse only to look up one shared variable, beside weights each
        # call makes for itself (round 28, a textbook's shared threshold): the tf.Variable
        # line never ran with reuse off, so it has nothing to share. TF: `gate/bias` once,
        # `gate_1/kernel` ... `gate_3/kernel`.
        """
import tensorflow.compat.v1 as tf
with tf.variable_scope("gate"):
    tf.get_variable("bias", [], initializer=tf.zeros_initializer())
def unit(x):
    with tf.variable_scope("gate", reuse=True):
        bias = tf.get_variable("bias")
        kernel = tf.Variable(tf.random.normal([int(x.shape[1]), 1]), name="kernel")
        return tf.nn.sigmoid(tf.matmul(x, kernel) + bias)
x = tf.placeholder(tf.float32, [None, 4])
units = [unit(x) for _ in range(3)]
""",
        # A step counter kept out of training by position (`tf.Variable(0, False)`) in a model
        # class built again under reuse for evaluation, every weight a `get_variable`
        # (E529KIT/music, round 29 of TRIAGE.md). TF: the weights once (`model/layer0/weights`
        # ...), the counter per model (`model/Variable`, `model_1/Variable`, both non-trainable).
        """
import tensorflow as tf
class NN(object):
    def __init__(self, is_train, sizes=(20, 30)):
        self.global_step = tf.Variable(0, False, dtype=tf.int16)
        self.inputs = tf.placeholder(tf.float32, [None, 20])
        self.labels = tf.placeholder(tf.float32, [None, 20])
        logits, width = self.inputs, 20
        for i, size in enumerate(sizes + (20,)):
            with tf.variable_scope("layer%d" % i):
                w = tf.get_variable("weights", [width, size])
                b = tf.get_variable("biases", [size])
                logits = tf.matmul(logits, w) + b
                if is_train:
                    logits = tf.nn.dropout(logits, 0.9)
            width = size
        self.loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=self.labels, logits=logits))
        self.train_op = tf.train.AdamOptimizer(0.5).minimize(self.loss, self.global_step)
with tf.variable_scope("model"):
    model = NN(True)
with tf.variable_scope("model", reuse=True):
    eval_model = NN(False)
""",
        # An unrolled GRU switches the root scope's reuse on for its own steps; the two
        # co-attention blocks built after it, of different widths, are meant to be apart.
        """
import tensorflow as tf
class CoAttention(object):
    def __init__(self, features, width):
        self.affinity = tf.Variable(tf.random_uniform([width, width], -0.1, 0.1), name="affinity")
        self.out = tf.matmul(features, self.affinity)
words = tf.placeholder(tf.float32, [8, 5, 300])
cell = tf.nn.rnn_cell.GRUCell(300)
state = cell.zero_state(8, tf.float32)
for t in range(5):
    if t > 0:
        tf.get_variable_scope().reuse_variables()
    out, state = cell(words[:, t], state)
question = CoAttention(state, 300)
image = CoAttention(tf.placeholder(tf.float32, [8, 2048]), 2048)
""",
    )
    INVALID = (
        # Hidden sizes parsed from a setting into a list by `.append`: the validation
        # forward, after the root reuse, makes `forward_1/fully_weight_0` (formath's click
        # model, session 20's yardstick row).
        """
import tensorflow as tf
class Model(object):
    def __init__(self, hidden_layer):
        self.hidden_layer = []
        for size in hidden_layer.split(","):
            self.hidden_layer.append(int(size))
    def forward(self, x):
        with tf.variable_scope("forward"):
            for i, size in enumerate(self.hidden_layer):
                w = tf.Variable(tf.zeros([4, size]), name="fully_weight_%d" % i)  # expect: RL113
                x = tf.matmul(x, w)
        return x
model = Model("4,4")
train = model.forward(tf.zeros([1, 4]))
tf.get_variable_scope().reuse_variables()
valid = model.forward(tf.ones([1, 4]))
""",
        # A tf.Variable named as the variable the same entry looks up asks for that one:
        # TF makes `emb_1/table` beside `emb/table`.
        """
import tensorflow.compat.v1 as tf
with tf.variable_scope("emb"):
    table = tf.get_variable("table", [10, 4])
with tf.variable_scope("emb", reuse=True):
    same = tf.get_variable("table")
    again = tf.Variable(tf.zeros([10, 4]), name="table")  # expect: RL113
""",
        # The same mix in a discriminator whose first call made its kernel with reuse off:
        # the second call makes `disc_1/kernel` beside `disc/kernel`.
        """
import tensorflow.compat.v1 as tf
def discriminator(x, reuse=False):
    with tf.variable_scope("disc", reuse=reuse):
        bias = tf.get_variable("bias", [], initializer=tf.zeros_initializer())
        kernel = tf.Variable(tf.random.normal([int(x.shape[1]), 1]), name="kernel")  # expect: RL113
        return tf.matmul(x, kernel) + bias
real = discriminator(tf.placeholder(tf.float32, [None, 4]))
fake = discriminator(tf.random.normal([8, 4]), reuse=True)
""",
        """
import tensorflow as tf
def d(x, reuse=False):
    with tf.variable_scope("d", reuse=reuse):
        w = tf.Variable(tf.zeros([2, 1]))  # expect: RL113
        return tf.matmul(x, w)
a = d(tf.zeros([1, 2]))
b = d(tf.ones([1, 2]), reuse=True)
""",
        # AUTO_REUSE on a scope entered twice: the second entry makes a second `w`.
        """
import tensorflow as tf
def d(x):
    with tf.variable_scope("d", reuse=tf.AUTO_REUSE):
        w = tf.Variable(tf.zeros([2, 1]))  # expect: RL113
        return tf.matmul(x, w)
a = d(tf.zeros([1, 2]))
b = d(tf.ones([1, 2]))
""",
        # The same segment embeddings made trainable: three copies that train apart.
        """
import tensorflow as tf
class RelationModel(object):
    def __init__(self, embeddings):
        self.embeddings = embeddings
    def embed(self, word_ids):
        with tf.variable_scope("words", reuse=tf.AUTO_REUSE):
            table = tf.Variable(self.embeddings, name="_word_embeddings", dtype=tf.float32, trainable=True)  # expect: RL113
            return tf.nn.embedding_lookup(table, word_ids)
    def build(self):
        self.left = tf.placeholder(tf.int32, [None, None])
        self.middle = tf.placeholder(tf.int32, [None, None])
        self.right = tf.placeholder(tf.int32, [None, None])
        return [self.embed(self.left), self.embed(self.middle), self.embed(self.right)]
""",
        # The same encoder built for each face: the second build's reuse asks for the first
        # build's weights, and gets `encoder_1/Variable`.
        """
import tensorflow as tf
def encoder(x, name, reuse=True):
    with tf.variable_scope(name) as scope:
        if reuse:
            scope.reuse_variables()
        w = tf.Variable(tf.truncated_normal([5, 5, 3, 8]))  # expect: RL113
        return tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME")
code_a = encoder(tf.zeros([1, 64, 64, 3]), "encoder", reuse=False)
code_b = encoder(tf.ones([1, 64, 64, 3]), "encoder")
""",
        # Reuse switched on inside the block, after a variable was made there.
        """
import tensorflow as tf
with tf.variable_scope("a") as scope:
    v = tf.get_variable("v", [1])
    scope.reuse_variables()
    v_again = tf.Variable([1.0], name="v")  # expect: RL113
""",
        # Two workers given the same id enter one scope twice: the second asks for the
        # first's weights and gets `net0_1/Variable`.
        """
import tensorflow as tf
def make_weights(scope):
    scope.reuse_variables()
    return tf.Variable(tf.zeros([4, 2]))  # expect: RL113
class Worker(object):
    def __init__(self, worker_id):
        with tf.variable_scope("net" + str(worker_id)) as scope:
            self.w = make_weights(scope)
first = Worker(0)
again = Worker(0)
""",
        # One tower's scope name given twice (the prefix unknown, the tail the same): the
        # second call asks for the first's weights and gets `model/dsmm_word_1/w`.
        """
import tensorflow as tf
def tower(x, scope_name):
    with tf.variable_scope(scope_name):
        w = tf.Variable(tf.zeros([4, 8]), name="w")  # expect: RL113
        return tf.matmul(x, w)
def towers(model_name):
    left = tf.placeholder(tf.float32, [None, 4])
    right = tf.placeholder(tf.float32, [None, 4])
    with tf.variable_scope("model"):
        return tower(left, "%s_word" % model_name), tower(right, "%s_word" % model_name)
""",        # The same stacks under AUTO_REUSE: the scope asks to share, and every layer gets
        # its own `encoder/kernel_N` all the same.
        """
import tensorflow as tf
def dense(x, n):
    w = tf.Variable(tf.glorot_uniform_initializer()([int(x.shape[-1]), n]), name="kernel")  # expect: RL113
    return tf.matmul(x, w)
def fc(x, units):
    for n in units:
        x = dense(x, n)
    return x
se = tf.placeholder(tf.float32, [None, 8])
te = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("encoder", reuse=tf.AUTO_REUSE):
    a = fc(se, [64, 64])
    b = fc(te, [64, 64])
""",
        # The same model with its biases made by tf.Variable, trainable by position: the
        # evaluation model gets `model_1/layer0/biases` ... of its own (and its optimizer then
        # finds no Adam slots for them under reuse).
        """
import tensorflow as tf
class NN(object):
    def __init__(self, is_train, sizes=(20, 30)):
        self.global_step = tf.Variable(0, False, dtype=tf.int16)
        self.inputs = tf.placeholder(tf.float32, [None, 20])
        self.labels = tf.placeholder(tf.float32, [None, 20])
        logits, width = self.inputs, 20
        for i, size in enumerate(sizes + (20,)):
            with tf.variable_scope("layer%d" % i):
                w = tf.get_variable("weights", [width, size])
                b = tf.Variable(tf.zeros([size]), True, name="biases")  # expect: RL113
                logits = tf.matmul(logits, w) + b
                if is_train:
                    logits = tf.nn.dropout(logits, 0.9)
            width = size
        self.loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=self.labels, logits=logits))
        self.train_op = tf.train.AdamOptimizer(0.5).minimize(self.loss, self.global_step)
with tf.variable_scope("model"):
    model = NN(True)
with tf.variable_scope("model", reuse=True):
    eval_model = NN(False)
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        # A non-trainable tf.Variable made per call, or one the code updates in place, is
        # state kept per input or per model (an RNN's state buffer, a loss counter), not a
        # weight meant to be shared. A `trainable=` flag we cannot decide (a configuration's
        # `train_word_embeddings`, often False) may make it such: constant, equal copies.
        reported = {id(b.site.node) for b in ctx.analysis.builds
                    if b.kind == "variable" and (not b.trainable or b.trainable_unknown or b.state)}
        entered_again = auto_scopes_entered_again(ctx.analysis.builds, "variable")
        first_unshared = _first_without_reuse(ctx.analysis.builds)
        first_made: dict[tuple, int] = {}
        for b in ctx.analysis.builds:
            if b.kind == "variable":
                key = (b.trace, b.graph, id(b.site.node))
                first_made[key] = min(first_made.get(key, b.seq), b.seq)
        named = {(c.trace, c.graph, c.name) for c in ctx.analysis.creations if c.name is not None}
        looked_up: dict[int, set] = {}
        for c in ctx.analysis.creations:
            if c.reuse == TRUE and c.kind == "get_variable" and c.frame_entry is not None:
                looked_up.setdefault(id(c.frame_entry), set()).add(c.name)
        for b in ctx.analysis.builds:
            if b.kind != "variable" or id(b.site.node) in reported:
                continue
            # Under AUTO_REUSE a copy is made only where the scope is entered again: a scope
            # entered once (a helper defaulting to AUTO_REUSE, called in its own block scope
            # each time) asks for no sharing, and one variable is what it gets.
            # Under reuse a copy is made only where the scope held variables before its
            # reuse was switched on (an earlier call made them): a scope that opens with
            # reuse, once per graph, has nothing to share.
            # A line that never ran with reuse off, in a scope entry whose reuse serves a
            # `get_variable` lookup, makes one variable per call on purpose (round 28: a
            # threshold shared by lookup beside per-unit weights).
            made_before = first_unshared.get((b.trace, b.graph, id(b.site.node)))
            # (One named as the variable looked up, `tf.Variable(0., name="x")` beside
            # `get_variable("x")`, asks for that variable: it is reported.)
            lookups = looked_up.get(id(b.frame_entry))
            for_lookup = (made_before is None or made_before > b.seq) and lookups is not None and (
                _full_name(b) not in lookups)
            # The earlier variables must include this line's own: reuse switched on for
            # another builder's sake (a GRU loop's `reuse_variables()` on the root) asks this
            # line, which never ran before it, to share nothing (round 34: two attention
            # modules of 512 and 2048 units, each its own `tf.Variable`, meant apart).
            # (One named as a variable made before, `tf.Variable(.., name="table")` beside
            # `get_variable("table")`, asks for that one.)
            first = first_made.get((b.trace, b.graph, id(b.site.node)))
            ran_before = (first is not None and first < b.reuse_seq) or (
                (b.trace, b.graph, _full_name(b)) in named)
            if (b.reuse == TRUE and not shares_nothing(ctx.analysis, b) and not for_lookup and ran_before) or (
                    b.reuse == AUTO and id(b) in entered_again):
                reported.add(id(b.site.node))
                related = [ctx.related(b.reuse_site, "reuse is switched on here")] if b.reuse_site else []
                yield from ctx.report(
                    self, b.site,
                    "tf.Variable ignores variable_scope reuse: this makes a new variable on every call",
                    related=related,
                    help="use tf.get_variable(name, shape, initializer=...) so that reuse shares it",
                )
        for r in repeated_builds(ctx.analysis, "variable"):
            if id(r.second.site.node) in reported or not any(c.prefix for c in r.second.calls):
                continue
            # Both runs in one entry of one scope, reuse off there: nothing asks for sharing
            # (a helper that opens no scope, called per layer under one `with`). A scope
            # entered again for the second run, by the builder or around its call, asks for
            # the first run's variables, as reuse in force does.
            if r.second.reuse == FALSE and r.second.frame_entry is not None and r.second.frame_entry is r.first.frame_entry:
                continue
            reported.add(id(r.second.site.node))
            yield from ctx.report(
                self, r.second.site,
                "tf.Variable makes a new variable each time this builder runs; the second call gets its own copy",
                related=[ctx.related(r.site, "the builder runs again here")],
                help="use tf.get_variable(name, shape, initializer=...) with reuse to share it",
            )


def _full_name(b) -> str | None:
    """The name a tf.Variable asks for by its `name=` keyword, under its scope (`my_scope/x`)."""
    name = next((k.value.value for k in getattr(b.site.node, "keywords", ())
                 if k.arg == "name" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)), None)
    if name is None or b.scope is None:
        return None
    return f"{b.scope}/{name}" if b.scope else name


def _first_without_reuse(builds) -> dict[tuple, int]:
    """(trace, graph, the tf.Variable line) -> when that line first made a variable with
    reuse not on."""
    first: dict[tuple, int] = {}
    for b in builds:
        if b.kind == "variable" and b.reuse != TRUE:
            key = (b.trace, b.graph, id(b.site.node))
            first[key] = min(first.get(key, b.seq), b.seq)
    return first
