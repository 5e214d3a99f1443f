from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import TRUE, created_before
from reuse_lint.engine.values import AUTO
from reuse_lint.rules.base import Rule, RuleContext


class LeakedRootReuse(Rule):
    """
    ## What it does
    Finds `tf.get_variable_scope().reuse_variables()` called on the root scope (outside a
    `with tf.variable_scope(...)` of its own) when something is created after it in the same
    graph: optimizer slots, moving averages, batch-norm statistics, another builder's
    variables. Also `scope.reuse_variables()` inside a named scope's own block when optimizer
    slots or moving averages are made later in that block (a gate applied to each input with
    its own moving average, a model class built twice that makes its own optimizer). It
    reports the call, with that later creation as the related location. Slots and
    moving averages made under `reuse=tf.AUTO_REUSE` are not counted: TF creates them; nor
    are those made only `if not tf.get_variable_scope().reuse:` (or `scope.reuse`), a guard
    TF answers with the reuse in force, so a shared call skips them.

    ## Why is this bad?
    Reuse on the root scope never ends: every later `get_variable` in the graph only looks
    variables up. Adam's slots then fail with `ValueError: Variable
    discriminator/dense/kernel/Adam/ does not exist, or was not created with
    tf.get_variable()`, far from the line that caused it; an `ExponentialMovingAverage`
    fails the same way (`.../ExponentialMovingAverage/ does not exist`). It is a classic of
    GAN code that switches the discriminator to reuse this way. A leak with nothing created
    after it (a function that builds and ends) is harmless and not reported.
    `with tf.variable_scope(tf.get_variable_scope(), reuse=False):` around the optimizers
    does not undo it (`tf.get_variable_scope()._reuse = False`, writing the root scope's own
    flag, does, and nothing made after that write counts): TensorFlow reads `reuse=False` as "inherit" (`False = None here`, in
    `tensorflow/python/ops/variable_scope.py`), and a scope object re-entered keeps its own
    reuse, which the leak switched on.

    ## Example
    ```python
    d_real = discriminator(real)
    tf.get_variable_scope().reuse_variables()
    d_fake = discriminator(fake)
    train = tf.train.AdamOptimizer().minimize(loss)  # Adam/ does not exist
    ```

    Use instead:
    ```python
    d_real = discriminator(real)
    d_fake = discriminator(fake, reuse=True)
    train = tf.train.AdamOptimizer().minimize(loss)
    ```

    ## Fix safety
    No automatic fix: the right place for `reuse=True` (which later call should share) cannot be inferred safely.
    """

    CODE = "RL107"
    NAME = "leaked-root-reuse"
    VALID = (
        # The towers' leak is switched off through the scope object's private flag before the
        # optimizer (round 21, the Neural GPU code): TF 2.21 makes `disc/w/Adam` and
        # `disc/w/Adam_1`, and the scope reads `reuse` False after.
        """
import tensorflow as tf
def d_tower(x):
    with tf.variable_scope("disc"):
        w = tf.get_variable("w", [4, 1])
        return tf.matmul(x, w)
def build(xs):
    losses = []
    for x in xs:
        losses.append(tf.reduce_sum(d_tower(x)))
        tf.get_variable_scope().reuse_variables()
    tf.get_variable_scope()._reuse = False
    return tf.train.AdamOptimizer().minimize(tf.add_n(losses))
""",
        # The model built after the scope's reuse makes no slots: `mode in [...]` rules out
        # its EMA (openai/iaf's sampler, round 6 of TRIAGE.md).
        """
import tensorflow as tf
class CVAE(object):
    def __init__(self, mode):
        w = tf.get_variable("w", [3, 1])
        if mode in ["train", "eval"]:
            tf.train.ExponentialMovingAverage(decay=0.999).apply(tf.trainable_variables())
def run_eval():
    with tf.variable_scope("model") as vs:
        CVAE("eval")
        vs.reuse_variables()
        CVAE("sample")
""",
        # The optimizer's slots were made before the leak.
        """
import tensorflow as tf
w = tf.get_variable("w", [3, 4])
train = tf.train.AdamOptimizer().minimize(tf.reduce_sum(w))
tf.get_variable_scope().reuse_variables()
""",
        """
import tensorflow as tf
with tf.variable_scope(tf.get_variable_scope()):
    for i in range(2):
        w = tf.get_variable("w", [1])
        tf.get_variable_scope().reuse_variables()
loss = tf.reduce_sum(w)
train = tf.train.AdamOptimizer().minimize(loss)
""",
        # Nothing is created after the leak.
        """
import tensorflow as tf
w = tf.get_variable("w", [1])
tf.get_variable_scope().reuse_variables()
w2 = tf.get_variable("w", [1])
""",
        # Issue #16: a sampler analysed alone reuses at the scope its caller opened and
        # looks up what another method made: no "does not exist" claim without a history.
        # Slots made in the named scope before its reuse_variables(), or after its block.
        """
import tensorflow as tf
def gate(x):
    return tf.matmul(x, tf.get_variable("w", [4, 4]))
xs = [tf.placeholder(tf.float32, [None, 4]) for _ in range(3)]
with tf.variable_scope("model") as scope:
    y = gate(xs[0])
    train = tf.train.AdamOptimizer().minimize(tf.reduce_sum(y))
    scope.reuse_variables()
    ys = [gate(x) for x in xs[1:]]
ema = tf.train.ExponentialMovingAverage(0.99)
update = ema.apply([tf.reduce_mean(y) for y in ys])
""",
        """
import tensorflow as tf
class Model(object):
    def generator(self, z):
        return tf.layers.dense(z, 4, name="g1")
    def sampler(self, z):
        tf.get_variable_scope().reuse_variables()
        return tf.layers.dense(z, 4, name="g1")
""",
        # The leak is real, but the slots and averages are made under AUTO_REUSE, which
        # creates what it cannot find (zehaowang983/2019-SYSU-DM, round 10 of TRIAGE.md).
        """
import tensorflow as tf
def critic(x, reuse=False):
    if reuse:
        tf.get_variable_scope().reuse_variables()
    return tf.matmul(x, tf.get_variable("w", [2, 1]))
loss = tf.reduce_mean(critic(tf.zeros([1, 2])) - critic(tf.ones([1, 2]), reuse=True))
with tf.variable_scope(tf.get_variable_scope(), reuse=tf.AUTO_REUSE):
    step = tf.train.AdamOptimizer(1e-3).minimize(loss)
    shadow = tf.train.ExponentialMovingAverage(0.99).apply(tf.trainable_variables())
""",
    )
    VALID = VALID + (
        # Round 10 (a scope tutorial): a model that makes its own Adam step inside a scope
        # of its own, built twice under `scope.reuse_variables()`. The second build enters
        # `train` again, which sets TF's counts of the slot names below it back to zero: its
        # Adam asks for `rnn/train/rnn/layer/w/Adam` again and finds the first build's slots.
        """
import tensorflow as tf
class Regressor(object):
    def __init__(self, steps):
        self.x = tf.placeholder(tf.float32, [4, steps, 2])
        with tf.variable_scope("layer"):
            w = tf.get_variable("w", [2, 1])
        cell = tf.nn.rnn_cell.GRUCell(3)
        inputs = tf.reshape(tf.matmul(tf.reshape(self.x, [-1, 2]), w), [4, steps, 1])
        out, state = tf.nn.dynamic_rnn(cell, inputs, initial_state=cell.zero_state(4, tf.float32))
        self.cost = tf.reduce_mean(tf.square(out))
        with tf.variable_scope("train"):
            self.step = tf.train.AdamOptimizer(0.1).minimize(self.cost)
with tf.variable_scope("rnn") as scope:
    fit = Regressor(10)
    scope.reuse_variables()
    check = Regressor(10)
""",
        # Round 10 (a multi-GPU trainer): towers that each average every trainable variable
        # at the root; each tower enters `block` again, so the shadow names are the first
        # tower's (`block/w/ExponentialMovingAverage`), found under reuse.
        """
import tensorflow as tf
def tower(x):
    with tf.variable_scope("block"):
        w = tf.get_variable("w", [5, 2])
    return tf.matmul(x, w), tf.train.ExponentialMovingAverage(0.99).apply(tf.trainable_variables())
with tf.variable_scope(tf.get_variable_scope()):
    for gpu in range(2):
        with tf.name_scope("gpu_%d" % gpu):
            y, average = tower(tf.placeholder(tf.float32, [None, 5]))
            tf.get_variable_scope().reuse_variables()
""",
        # One average object applied again to the variables it averages, after the leak:
        # TF keeps its averages per object and makes nothing the second time.
        """
import tensorflow as tf
def d_net(x, reuse=False):
    if reuse:
        tf.get_variable_scope().reuse_variables()
    return tf.matmul(x, tf.get_variable("d_w", [4, 1]))
d_real = d_net(tf.placeholder(tf.float32, [None, 4]))
d_ema = tf.train.ExponentialMovingAverage(0.99)
train_average = d_ema.apply(tf.trainable_variables())
d_fake = d_net(tf.zeros([8, 4]), reuse=True)
eval_average = d_ema.apply(tf.trainable_variables())
""",
    )
    VALID = VALID + (
        # The constructor builds the generation model and its Adam step; `train()`, which
        # nothing in the file calls, builds the training model again under reuse. In a run the
        # constructor comes first, in the same graph: the Adam slots are found.
        """
import tensorflow as tf
class Seq2Seq(object):
    def __init__(self, batch_size):
        self.inputs = tf.placeholder(tf.float32, [batch_size, 16])
        w = tf.get_variable("proj", [16, 8])
        self.loss = tf.reduce_mean(tf.matmul(self.inputs, w))
        self.step = tf.train.AdamOptimizer(1e-3).minimize(self.loss)
class Chatbot(object):
    def __init__(self):
        with tf.variable_scope("models"):
            self.generator = Seq2Seq(1)
    def train(self):
        with tf.variable_scope("models") as scope:
            scope.reuse_variables()
            self.trainer = Seq2Seq(64)
""",
    )

    INVALID = (
        # Training reached only through a boolean flag (`--is_train` on the command line): a
        # switch has both values, so the step behind it is followed. TF 2.21: `Variable
        # g_w/Momentum/ does not exist`.
        """
import tensorflow as tf
flags = tf.app.flags
flags.DEFINE_boolean("is_train", False, "train the model")
FLAGS = flags.FLAGS
class GAN(object):
    def __init__(self, sess):
        self.sess = sess
        self.z = tf.placeholder(tf.float32, [None, 4])
        self.G = self.generator(self.z)
        self.loss = tf.reduce_mean(self.G)
        self.sampler = self.generator(self.z, reuse=True)
        self.g_vars = [v for v in tf.trainable_variables() if "g_" in v.name]
    def train(self):
        step = tf.train.MomentumOptimizer(0.1, 0.9).minimize(self.loss, var_list=self.g_vars)
        self.sess.run(tf.global_variables_initializer())
    def generator(self, z, reuse=False):
        if reuse:
            tf.get_variable_scope().reuse_variables()  # expect: RL107
        w = tf.get_variable("g_w", [4, 4])
        return tf.matmul(z, w)
def main(_):
    with tf.Session() as sess:
        gan = GAN(sess)
        if FLAGS.is_train:
            gan.train()
if __name__ == "__main__":
    tf.app.run()
""",
        """
import tensorflow as tf
def discriminator(x):
    with tf.variable_scope("d"):
        return tf.layers.dense(x, 1)
real = tf.placeholder(tf.float32, [None, 2])
d_real = discriminator(real)
tf.get_variable_scope().reuse_variables()  # expect: RL107
d_fake = discriminator(tf.random.normal([8, 2]))
loss = tf.reduce_mean(d_real - d_fake)
train = tf.train.AdamOptimizer(1e-3).minimize(loss)
""",
        # In a named scope: a moving average made at each call after the first.
        """
import tensorflow as tf
def gate(x):
    y = tf.matmul(x, tf.get_variable("w", [4, 4]))
    ema = tf.train.ExponentialMovingAverage(0.99)
    return y, ema.apply([tf.reduce_mean(y, 0)])
xs = [tf.placeholder(tf.float32, [None, 4]) for _ in range(3)]
with tf.variable_scope("gate") as scope:
    for x in xs:
        y, update = gate(x)
        scope.reuse_variables()  # expect: RL107
""",
        # The leak, then `reuse=False` around the optimizer: reuse stays on.
        """
import tensorflow as tf
def discriminator(x, reuse=False):
    if reuse:
        tf.get_variable_scope().reuse_variables()  # expect: RL107
    d_w = tf.get_variable("d_w", [2, 1])
    return tf.matmul(x, d_w)
real = tf.placeholder(tf.float32, [None, 2])
d_real = discriminator(real)
d_fake = discriminator(tf.random.normal([8, 2]), reuse=True)
with tf.variable_scope(tf.get_variable_scope(), reuse=False):
    train = tf.train.AdamOptimizer(1e-3).minimize(tf.reduce_mean(d_real - d_fake))
""",
    )

    VALID = VALID + (
        # Round 13 (a DCGAN fork): the batch norm averages its moments only while the scope
        # does not reuse, so the critic's shared second call makes no moving average.
        """
import tensorflow as tf
def batch_norm(x, name):
    with tf.variable_scope(name):
        mean, variance = tf.nn.moments(x, [0])
        if not tf.get_variable_scope().reuse:
            tf.train.ExponentialMovingAverage(0.9).apply([mean, variance])
        return tf.nn.batch_normalization(x, mean, variance, None, None, 1e-5)
def critic(x, reuse=False):
    if reuse:
        tf.get_variable_scope().reuse_variables()
    return batch_norm(tf.matmul(x, tf.get_variable("d_w", [4, 4])), "d_bn")
with tf.variable_scope("critic"):
    d_real = critic(tf.zeros([2, 4]))
    d_fake = critic(tf.ones([2, 4]), reuse=True)
""",
    )
    INVALID = INVALID + (
        # The same batch norm guarded by a flag that is on for both calls.
        """
import tensorflow as tf
def batch_norm(x, name, train=True):
    with tf.variable_scope(name):
        mean, variance = tf.nn.moments(x, [0])
        if train:
            tf.train.ExponentialMovingAverage(0.9).apply([mean, variance])
        return tf.nn.batch_normalization(x, mean, variance, None, None, 1e-5)
def critic(x, reuse=False):
    if reuse:
        tf.get_variable_scope().reuse_variables()  # expect: RL107
    return batch_norm(tf.matmul(x, tf.get_variable("d_w", [4, 4])), "d_bn")
with tf.variable_scope("critic"):
    d_real = critic(tf.zeros([2, 4]))
    d_fake = critic(tf.ones([2, 4]), reuse=True)
""",
        # The same model with its Adam step in the scope that stays open: nothing above the
        # slot names is entered again, so the second Adam's slots are `..._2`, new under reuse.
        """
import tensorflow as tf
class Regressor(object):
    def __init__(self, steps):
        self.x = tf.placeholder(tf.float32, [None, steps])
        with tf.variable_scope("layer"):
            w = tf.get_variable("w", [steps, 1])
        self.cost = tf.reduce_mean(tf.square(tf.matmul(self.x, w)))
        self.step = tf.train.AdamOptimizer(0.1).minimize(self.cost)
with tf.variable_scope("rnn") as scope:
    fit = Regressor(10)
    scope.reuse_variables()  # expect: RL107
    check = Regressor(10)
""",
        # Two averages of one variable at the root, with nothing entered again between them.
        """
import tensorflow as tf
with tf.variable_scope("block"):
    w = tf.get_variable("w", [5, 2])
first = tf.train.ExponentialMovingAverage(0.99).apply([w])
tf.get_variable_scope().reuse_variables()  # expect: RL107
second = tf.train.ExponentialMovingAverage(0.99).apply([w])
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        existed = created_before(ctx.analysis)
        for leak in ctx.analysis.leaks:
            victim = self._first_victim(ctx, leak, existed) if leak.root else self._scoped_victim(ctx, leak)
            if victim is None:
                continue
            site, what = victim
            if leak.root:
                message = f"Reuse is switched on for the whole graph here and never off: {what}"
                help = "pass reuse=True to the builder call instead, or call reuse_variables() inside a `with tf.variable_scope(...)` block"
            else:
                scope = f"`{leak.scope}`" if leak.scope else "this scope"
                message = f"Reuse is switched on for the rest of {scope}'s block here: {what}"
                help = "create the optimizer or moving average outside the reusing block, or once before reuse_variables()"
            yield from ctx.report(
                self, leak.site, message,
                related=[ctx.related(site, "created here under the leaked reuse")],
                help=help,
            )

    def _first_victim(self, ctx: RuleContext, leak, existed):
        candidates = []
        ended = leak.ended if leak.ended is not None else float("inf")
        for c in ctx.analysis.creations:
            if c.seq < leak.seq or c.seq > ended or (c.trace, c.graph) != (leak.trace, leak.graph):
                continue
            # "does not exist" needs the graph's whole history: an entry point analysed
            # alone (a `sampler()`) may look up what another method made before it.
            if (c.reuse == TRUE and c.name is not None and c.reuse_site is leak.site and not existed[id(c)]
                    and c.fresh_graph and not c.opaque_before):
                candidates.append((c.seq, c.stack[-1], f"`Variable {c.name} does not exist`"))
                break
        for graph, trace, seq, site, what, (reuse, _), unseen_before, maybe_found in ctx.analysis.slot_creations:
            # Made under AUTO_REUSE (`variable_scope(tf.get_variable_scope(),
            # reuse=tf.AUTO_REUSE)` around the optimizer): TF creates the slots it cannot find.
            # A method run after a constructor that built (`_scoped_victim`) may find them.
            if ((graph, trace) == (leak.graph, leak.trace) and leak.seq < seq < ended and reuse != AUTO
                    and not unseen_before and not maybe_found):
                candidates.append((seq, site, _slot_failure(what)))
                break
        if not candidates:
            return None
        _, site, what = min(candidates, key=lambda t: t[0])
        return site, what

    @staticmethod
    def _scoped_victim(ctx: RuleContext, leak):
        """Slots (optimizer, moving average) made while this `scope.reuse_variables()` still
        holds: they are new variables unless an earlier build of the same model made them, so
        they cannot be looked up. A variable that a builder looks up there is RL102's to judge.
        Not judged in a method run on its own on an object whose `__init__` made variables:
        in a run the constructor's build comes first, in the same graph, and its slots may be
        the ones looked up (round 34: a chatbot whose `__init__` builds the model and its Adam,
        and whose `train()` builds it again under `scope.reuse_variables()`). Nor where the
        engine says the slots may be found (`maybe_found`: a step it could not name, run again
        after its scope was reopened; never a moving average, whose shadows of tensors are new
        each time)."""
        for graph, trace, seq, site, what, (reuse, reuse_site), unseen_before, maybe_found in ctx.analysis.slot_creations:
            if unseen_before or maybe_found:
                continue
            if (graph, trace) == (leak.graph, leak.trace) and seq > leak.seq and reuse == TRUE and reuse_site is leak.site:
                return site, _slot_failure(what)
        return None


def _slot_failure(what: str) -> str:
    kind = what.split(".")[-1].replace("Optimizer", "")
    return f"the `{kind}` variables it creates will fail with `Variable .../{kind}/ does not exist`"
