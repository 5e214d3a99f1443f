from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.events import Creation, Site
from reuse_lint.engine.queries import TRUE, created_after, created_before, divergence, reused_site
from reuse_lint.rules.base import Rule, RuleContext


class ReuseBeforeCreation(Rule):
    """
    ## What it does
    Finds `reuse=True` (or a scope switched to reuse by `reuse_variables()`) where nothing
    has created those variables before in that graph: the first call of a builder made with
    `reuse=True`, or the calls in the wrong order.

    ## Why is this bad?
    With `reuse=True`, `get_variable` only looks variables up. If they do not exist yet,
    TensorFlow raises `ValueError: Variable discriminator/dense/kernel does not exist, or was
    not created with tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?`.
    It happens when the fake branch of a GAN is built before the real one, or when a sampler
    that reuses the generator is built in a graph where the generator never was. A moving
    average of computed tensors (a hand-written batch norm's `ema.apply([mean, variance])` of
    `tf.nn.moments`) made under `reuse=True` is always reported: TF names each shadow after
    its op, whose name carries the call's name scope (`disc_1/...`), so it never exists:
    `Variable .../ExponentialMovingAverage/ does not exist`. An average of variables is named
    after the variable and is found again.

    The rule speaks where the whole history of the graph is known (module-level code,
    or a graph the code itself creates), and stays silent after a call it cannot follow.
    Elsewhere (a method nothing in view calls) it speaks only when the same run later creates
    the looked-up variable without reuse: whatever the caller built before, one of the two
    fails (`does not exist` at the lookup, or `already exists` at the creation).

    ## Example
    ```python
    fake_logits = discriminator(generated_images, reuse=True)  # nothing to reuse yet
    real_logits = discriminator(real_images)
    ```

    Use instead:
    ```python
    real_logits = discriminator(real_images)
    fake_logits = discriminator(generated_images, reuse=True)
    ```

    ## Fix safety
    No automatic fix: the fix is to build the variables first, which means moving calls: the author's decision.
    """

    CODE = "RL102"
    NAME = "reuse-before-creation"
    VALID = (
        # slim's batch norm as a layer's normalizer lives in the layer's scope
        # (`d_conv1/BatchNorm/beta`) and is looked up with its weights under reuse.
        """
import tensorflow as tf
slim = tf.contrib.slim
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        with slim.arg_scope([slim.conv2d, slim.fully_connected], normalizer_fn=slim.batch_norm,
                            normalizer_params={"is_training": True}):
            h = slim.conv2d(x, 8, 4, scope="d_conv1")
            h = slim.conv2d(h, 16, 4)
            return slim.fully_connected(slim.flatten(h), 1, normalizer_fn=None, scope="d_out")
x = tf.zeros([2, 8, 8, 1])
a = discriminator(x)
b = discriminator(x, reuse=True)
""",
        # Averages of variables are named after them: the reusing call finds them. Under
        # AUTO_REUSE, TF makes the averages it cannot find.
        """
import tensorflow as tf
def d_polyak(x, reuse=None):
    ema = tf.train.ExponentialMovingAverage(0.99)
    with tf.variable_scope("disc", reuse=reuse):
        w = tf.get_variable("w", [4, 1])
        keep = ema.apply([w])
        return tf.matmul(x, ema.average(w))
def d_bn(x):
    ema = tf.train.ExponentialMovingAverage(0.9)
    with tf.variable_scope("bn", reuse=tf.AUTO_REUSE):
        mean, var = tf.nn.moments(x, [0])
        return x - mean, ema.apply([mean, var])
x = tf.zeros([2, 4])
a, b = d_polyak(x), d_polyak(x, reuse=True)
c, d = d_bn(x), d_bn(x)
""",
        # The averages are made only by the call without reuse.
        """
import tensorflow as tf
def d_bn(x, update):
    ema = tf.train.ExponentialMovingAverage(0.9)
    with tf.variable_scope("bn"):
        mean, var = tf.nn.moments(x, [0])
        if update:
            ema.apply([mean, var])
        return x - mean
def d_net(x, reuse=None):
    with tf.variable_scope("disc", reuse=reuse):
        return d_bn(x, update=not reuse)
x = tf.zeros([2, 4])
a, b = d_net(x), d_net(x, reuse=True)
""",
        """
import tensorflow as tf
def g(z, reuse=False):
    with tf.variable_scope("generator", reuse=reuse):
        return tf.layers.dense(z, 2)
train = g(tf.zeros([1, 4]))
sample = g(tf.zeros([1, 4]), reuse=True)
""",
        # Inside a function, the caller may have built the variables: unknown, no finding.
        """
import tensorflow as tf
def sampler(z):
    with tf.variable_scope("generator", reuse=True):
        return tf.layers.dense(z, 2)
""",
        """
import tensorflow as tf
with tf.variable_scope("d", reuse=tf.AUTO_REUSE):
    w = tf.get_variable("w", [1])
""",
        # Issue #16: a sampler that only looks up what `generator` made; nothing in view
        # calls either, so each is analysed alone: no "does not exist" claim.
        """
import tensorflow as tf
class DCGAN(object):
    def __init__(self, sess):
        self.sess = sess
    def generator(self, z):
        with tf.variable_scope("generator"):
            return tf.matmul(z, tf.get_variable("g_w", [4, 2]))
    def sampler(self, z):
        with tf.variable_scope("generator") as scope:
            scope.reuse_variables()
            return tf.matmul(z, tf.get_variable("g_w", [4, 2]))
""",
        # A notebook (round 9): the Session's `with` makes its graph the default graph too, so
        # the reuse finds the `v` each graph created.
        """
import tensorflow as tf
g1, g2 = tf.Graph(), tf.Graph()
with g1.as_default():
    v = tf.get_variable("v", [1], initializer=tf.zeros_initializer())
with g2.as_default():
    v = tf.get_variable("v", [1], initializer=tf.ones_initializer())
with tf.Session(graph=g1) as sess:
    with tf.variable_scope("", reuse=True):
        print(sess.run(tf.get_variable("v")))
with tf.compat.v1.Session(graph=g2) as sess:
    with tf.variable_scope("", reuse=True):
        print(sess.run(tf.get_variable("v")))
""",
        # A conditional expression on the loop index picks the creating call for the first
        # step and the reusing one for the others, as an `if` statement would (zwjyyc/finch's
        # pointer network, round 10 of TRIAGE.md): the number of steps is not known here.
        """
import tensorflow as tf
def attend(h, reuse=None):
    with tf.variable_scope("attention", reuse=reuse):
        return h * tf.get_variable("u", [4])
def unroll(h, steps):
    return [attend(h, reuse=True) if t else attend(h) for t in range(steps)]
outs = unroll(tf.zeros([2, 4]), int(input()))
""",
        # An RNN ran under the scope looked up: its cell made names the analysis cannot see.
        """
import tensorflow as tf
with tf.variable_scope("encoder"):
    _, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), tf.zeros([2, 5, 4]), dtype=tf.float32)
with tf.variable_scope("encoder", reuse=True):
    kernel = tf.get_variable("rnn/gru_cell/gates/kernel")
""",
        # The unrolled block's scope takes the reuse it is given: step 0 creates.
        """
import tensorflow as tf
def attend(x, reuse):
    with tf.variable_scope("attention", reuse=reuse):
        return tf.layers.dense(x, 1, name="score", reuse=reuse)
scores = [attend(x, i > 0) for i, x in enumerate(tf.unstack(tf.zeros([2, 3, 4]), axis=1))]
""",
        # Round 18: a get-or-create. The failed lookup raises the `ValueError` the handler
        # catches, and the handler builds the variables: the program's own existence test.
        """
import tensorflow.compat.v1 as tf
def d_block(x):
    return tf.layers.dense(x, 4, name="d_fc")
def discriminator(x, name="disc"):
    try:
        with tf.variable_scope(name, reuse=True):
            return d_block(x)
    except ValueError:
        with tf.variable_scope(name, reuse=False):
            return d_block(x)
d_real = discriminator(tf.zeros([2, 3]))
""",
        # A builder picked from a registry by a name not known here: each call through the
        # pick runs the item the first call ran, so the second call finds what it made.
        """
import sys
import tensorflow.compat.v1 as tf
def mlp(x, reuse=False):
    with tf.variable_scope("model", reuse=reuse):
        return tf.layers.dense(tf.layers.flatten(x), 4, name="fc1")
def linear(x, reuse=False):
    with tf.variable_scope("model", reuse=reuse):
        return tf.layers.dense(x, 4, name="out")
build = {"mlp": mlp, "linear": linear}[sys.argv[1]]
train_logits = build(tf.zeros([2, 3]))
eval_logits = build(tf.ones([2, 3]), reuse=True)
""",
        # The zero-debias variables `assign_moving_average` made beside the averaged one,
        # read back under reuse to watch them.
        """
import tensorflow as tf
from tensorflow.python.training import moving_averages
moving_mean = tf.get_variable("moving_mean", [4], trainable=False, initializer=tf.zeros_initializer())
update = moving_averages.assign_moving_average(moving_mean, tf.ones([4]), 0.9)
with tf.variable_scope("moving_mean", reuse=True):
    biased = tf.get_variable("biased")
    local_step = tf.get_variable("local_step")
""",
    )
    VALID = VALID + (
        # A misspelt scope (`vraiable_scope`) that no model knows: TF stops there with an
        # AttributeError, and where its block's reuse ends is not known.
        """
import tensorflow as tf
def encoder(x):
    with tf.vraiable_scope("rnn"):
        for t in range(3):
            if t > 0:
                tf.get_variable_scope().reuse_variables()
            x = tf.layers.dense(x, 8, name="cell")
    bias = tf.get_variable("bias", [8])
    return x + bias
with tf.variable_scope("model"):
    out = encoder(tf.placeholder(tf.float32, [4, 8]))
""",
    )

    INVALID = (
        # The same registry: the fine-tuning item looks fc1 up as if a pretrained file had made
        # it. What the other item makes on its own arm was not made in a run that picked this one.
        """
import sys
import tensorflow.compat.v1 as tf
def scratch(x, reuse=False):
    with tf.variable_scope("model", reuse=reuse):
        return tf.layers.dense(x, 4, name="fc1")
def finetune(x, reuse=False):
    with tf.variable_scope("model", reuse=reuse):
        return tf.layers.dense(x, 4, name="fc1", reuse=True)  # expect: RL102
MODELS = {"scratch": scratch, "finetune": finetune}
logits = MODELS[sys.argv[1]](tf.zeros([2, 3]))
""",
        # The same norm given to slim's layers by an arg_scope: slim runs it inside each
        # layer's scope, with the layer's reuse.
        """
import tensorflow as tf
slim = tf.contrib.slim
def d_bn(x):
    ema = tf.train.ExponentialMovingAverage(0.9)
    with tf.variable_scope("bn"):
        mean, var = tf.nn.moments(x, [0, 1, 2])
        keep = ema.apply([mean, var])
        return x - mean
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        with slim.arg_scope([slim.conv2d], normalizer_fn=d_bn, kernel_size=4):
            h = slim.conv2d(x, 8, scope="d_conv1")
            return slim.conv2d(h, 16, scope="d_conv2")
x = tf.zeros([2, 8, 8, 1])
a = discriminator(x)
b = discriminator(x, reuse=True)  # expect: RL102
""",
        # A batch norm's moving averages of its batch moments, made on every call: the
        # shared call's are new names under reuse.
        """
import tensorflow as tf
def d_bn(x):
    ema = tf.train.ExponentialMovingAverage(0.9)
    with tf.variable_scope("bn"):
        mean, var = tf.nn.moments(x, [0])
        keep = ema.apply([mean, var])
        return x - mean
def d_net(x, reuse=None):
    with tf.variable_scope("disc", reuse=reuse):
        return d_bn(x)
x = tf.zeros([2, 4])
a = d_net(x)
b = d_net(x, reuse=True)  # expect: RL102
""",
        # The handler catches another error: TF's `ValueError` goes through it.
        """
import tensorflow.compat.v1 as tf
def d_block(x):
    return tf.layers.dense(x, 4, name="d_fc")
def discriminator(x, name="disc"):
    try:
        with tf.variable_scope(name, reuse=True):  # expect: RL102
            return d_block(x)
    except KeyError:
        with tf.variable_scope(name, reuse=False):
            return d_block(x)
d_real = discriminator(tf.zeros([2, 3]))
""",
        # A handler that raises again does not test for existence either.
        """
import tensorflow.compat.v1 as tf
def d_block(x):
    return tf.layers.dense(x, 4, name="d_fc")
try:
    with tf.variable_scope("disc", reuse=True):  # expect: RL102
        d_real = d_block(tf.zeros([2, 3]))
except ValueError as err:
    raise RuntimeError("build the discriminator first") from err
""",
        """
import tensorflow as tf
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(x, 1)
fake = discriminator(tf.ones([1, 2]), reuse=True)  # expect: RL102
real = discriminator(tf.zeros([1, 2]))
""",
        # Through functools.partial: the reuse it binds holds at the call, reported at the scope.
        """
import functools
import tensorflow as tf
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):  # expect: RL102
        return tf.layers.dense(x, 1)
shared = functools.partial(discriminator, reuse=True)
fake = shared(tf.ones([1, 2]))
real = discriminator(tf.zeros([1, 2]))
""",
        """
import tensorflow as tf
with tf.Graph().as_default():
    with tf.variable_scope("d", reuse=True):  # expect: RL102
        w = tf.get_variable("w", [1])
""",
        # A session of a graph that never made `v`: its `with` switches to that empty graph.
        """
import tensorflow as tf
g1, g2 = tf.Graph(), tf.Graph()
with g1.as_default():
    v = tf.get_variable("v", [1])
with tf.Session(graph=g2) as sess:
    with tf.variable_scope("", reuse=True):  # expect: RL102
        w = tf.get_variable("v")
""",
        # Through a method.
        """
import tensorflow as tf
class Disc:
    def __call__(self, x, reuse=False):
        with tf.variable_scope("D", reuse=reuse):
            return tf.layers.dense(x, 1)
fake = Disc()(tf.ones([1, 2]), reuse=True)  # expect: RL102
""",
        # Classes written the Python 2 way: a settings class with no `__init__` and a model
        # whose `super().__init__()` ends at `object` run no unseen code before the lookup.
        """
import tensorflow.compat.v1 as tf
class Config(object):
    hidden = 8
class MemoryNet(object):
    def __init__(self, config):
        super(MemoryNet, self).__init__()
        self.config = config
    def attend(self, facts, reuse):
        with tf.variable_scope("attention", reuse=True):  # expect: RL102
            return tf.layers.dense(facts, self.config.hidden, reuse=reuse)
MemoryNet(Config()).attend(tf.zeros([2, 8]), reuse=False)
""",
        # A model class nothing in view constructs: the fake branch looks the discriminator
        # up before the real branch creates it, whatever the graph held before.
        """
import tensorflow as tf
def d_net(x, reuse=False, name="d"):
    with tf.variable_scope(name):
        if reuse:
            tf.get_variable_scope().reuse_variables()
        return tf.layers.dense(x, 1, name="d_h0")
class GAN(object):
    def __init__(self, fake, real):
        self.d = d_net
        self.d_fake = self.d(fake, reuse=True, name="d_b")  # expect: RL102
        self.d_real = self.d(real, reuse=False, name="d_b")
""",
        # Unrolled over `enumerate(...)` after a script's flag parsing and an RNN elsewhere:
        # step 0 passes reuse=False, which the scope's reuse=True overrides. Reported once:
        # TF stops at that first lookup.
        """
import argparse
import tensorflow as tf
parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=3)
def attend(x, reuse):
    with tf.variable_scope("attention", reuse=True):  # expect: RL102
        h = tf.layers.dense(x, 4, name="hidden", reuse=reuse)
        return tf.layers.dense(h, 1, name="score", reuse=reuse)
with tf.variable_scope("encoder"):
    _, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), tf.zeros([2, 5, 4]), dtype=tf.float32)
scores = [attend(x, i > 0) for i, x in enumerate(tf.unstack(tf.zeros([2, 3, 4]), axis=1))]
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        from reuse_lint.rules.layer_autoname_reuse import autoname_victims
        from reuse_lint.rules.reuse_false_inherited import reuse_false_victims

        explained = reuse_false_victims(ctx) | {id(c) for c in autoname_victims(ctx)}
        existed = created_before(ctx.analysis)
        made_later = created_after(ctx.analysis)
        unnamed: set[tuple] = set()
        reported: set[int] = set()
        raised: dict[tuple, list[tuple]] = {}
        chosen = _created_on_other_arm(ctx.analysis.creations)
        for c in ctx.analysis.creations:
            key = (c.trace, c.graph)
            if c.caught:
                # A get-or-create (`try: reuse=True ... except ValueError: create`): the
                # failed lookup is how the program finds that it must create.
                pass
            elif (
                c.reuse == TRUE and c.name is not None and c.fresh_graph and not c.opaque_before
                and key not in unnamed and not existed[id(c)] and id(c) not in explained
                and id(c) not in chosen
                # an arm chosen by object state that the first call sets up (a memo)
                and not any(cond.stateful for cond in c.conds)
            ):
                site = reused_site(c.stack, c.reuse_site)
                # A later lookup of a name an earlier one already missed on its path (its
                # `if` arms and more) is that one bug again: an unrolled block whose first
                # step should have created what the next steps look up.
                earlier = raised.setdefault((c.trace, c.graph, c.name), [])
                again = any(c.conds[:len(e)] == e for e in earlier)
                earlier.append(c.conds)
                if id(site.node) not in reported and not again:
                    reported.add(id(site.node))
                    # One wording for one bug, whichever module's analysis finds it (a
                    # caller's, with the whole graph, or the class's own, without it).
                    if id(c) in made_later:
                        yield from self._report_order(ctx, c, site, made_later[id(c)])
                    else:
                        yield from self._report(ctx, c, site)
            elif (
                c.reuse == TRUE and c.name is not None and id(c) in made_later
                and not existed[id(c)] and id(c) not in explained
                and not any(cond.stateful for cond in c.conds)
            ):
                site = reused_site(c.stack, c.reuse_site)
                if id(site.node) not in reported:
                    reported.add(id(site.node))
                    yield from self._report_order(ctx, c, site, made_later[id(c)])
            if c.name is None and c.reuse != TRUE:
                unnamed.add(key)
        yield from self._computed_averages(ctx, reported)

    def _computed_averages(self, ctx: RuleContext, reported: set[int]) -> Iterable[Diagnostic]:
        """A moving average of op outputs made under `reuse=True`: its shadow is named after
        an op that is new at every call, so TF never finds it, whatever the graph held. A
        `reuse_variables()` leak switched that reuse on is RL107's to report."""
        leaks = {id(leak.site.node) for leak in ctx.analysis.leaks}
        for stack, reuse_site, conds in ctx.analysis.computed_averages:
            if reuse_site is not None and id(reuse_site.node) in leaks:
                continue
            if any(cond.stateful for cond in conds):
                continue  # an arm chosen by object state that the first call sets up (a memo)
            site = reused_site(stack, reuse_site)
            if id(site.node) in reported:
                continue
            reported.add(id(site.node))
            related = [ctx.related(stack[-1], "the moving average is made here")]
            if reuse_site is not None and reuse_site.node is not site.node:
                related.append(ctx.related(reuse_site, "reuse is switched on here"))
            yield from ctx.report(
                self, site,
                "Under this reuse a moving average of computed tensors is made: TensorFlow raises "
                "`Variable .../ExponentialMovingAverage/ does not exist` (its name follows the op, new at each call)",
                related=related,
                help="make the averages only in the call without reuse (or under reuse=tf.AUTO_REUSE)",
            )

    def _report_order(self, ctx: RuleContext, c: Creation, site: Site, later: Creation) -> Iterable[Diagnostic]:
        created_at, _, _ = divergence(c, later, ctx.analysis.loops)
        related = [ctx.related(created_at, "created here, later, without reuse")]
        yield from ctx.report(
            self,
            site,
            f"Variable `{c.name}` is reused here before it is created: TensorFlow raises "
            "'does not exist' here (or 'already exists' at the creation)",
            related=related,
            help="build the variables first without reuse, then reuse them",
        )

    def _report(self, ctx: RuleContext, c: Creation, site: Site) -> Iterable[Diagnostic]:
        related = []
        if c.reuse_site is not None and c.reuse_site.node is not site.node:
            related.append(ctx.related(c.reuse_site, "reuse is switched on here"))
        yield from ctx.report(
            self,
            site,
            f"Variable `{c.name}` is reused here, but nothing created it before in this graph",
            related=related,
            help="build the variables first without reuse (or use reuse=tf.AUTO_REUSE)",
        )


def _created_on_other_arm(creations) -> set[int]:
    """Lookups whose name the other arm of one of their `if`s (or conditional expressions)
    inside a loop creates: `f(x, reuse=True) if t > 0 else f(x)` over an unknown range. The
    test may change between iterations and chooses which arm runs first (the creation, on the
    first step), so the order the analysis ran the arms in says nothing: by id of the lookup.
    Outside a loop the test holds one value, and a lookup on its arm is reported as before."""
    made: dict[tuple, set[tuple]] = {}
    for c in creations:
        if c.reuse != TRUE and c.name is not None:
            arms = made.setdefault((c.trace, c.graph, c.name), set())
            arms.update((cond.if_id, cond.arm) for cond in c.conds if _in_loop(cond))
    chosen: set[int] = set()
    for c in creations:
        if c.reuse == TRUE and c.name is not None:
            arms = made.get((c.trace, c.graph, c.name), ())
            if any((cond.if_id, 1 - cond.arm) in arms for cond in c.conds if _in_loop(cond)):
                chosen.add(id(c))
    return chosen


def _in_loop(cond) -> bool:
    # a stateful test's run token has a negative "iteration"; only real loops count
    return any(iteration >= 0 for _, iteration in cond.loops)
