from __future__ import annotations

from typing import Iterable

import ast

from reuse_lint.diagnostics import Diagnostic, Edit, Fix
from reuse_lint.engine.events import Site
from reuse_lint.engine.queries import repeated_builds
from reuse_lint.rules.base import Rule, RuleContext


class UniqueScopeCopies(Rule):
    """
    ## What it does
    Finds a builder whose variables live under `tf.variable_scope(None, default_name="d")`
    (a scope given only a default name) and that is applied twice to different inputs, as a
    discriminator is to real and fake data. It reports the repeated call.

    ## Why is this bad?
    A default-name scope is made unique on every entry: the first call builds `d/`, the
    second `d_1/`. Nothing fails; the model silently has two discriminators. In a GAN the
    copy that judges the fakes is never trained on real data, so the generator learns to
    fool an untrained network and training collapses (the reference GAN's `unshared`
    variant covers at most one of eight modes). Blocks chained one into the next (`h =
    block(h)`) are meant to differ and are not reported, nor is a layer op whose scope and
    reuse flag are its own parameters, the scope defaulting to None (`def linear(x,
    scope=None, reuse=None)` opening `variable_scope(scope, default_name="linear",
    reuse=reuse)`, as `tf.contrib.layers` are written): its callers pass `scope=` and
    `reuse=` to share and leave them out to get new weights. A network that offers only
    `scope=None` is still reported. A scope whose variables are all `trainable=False` (a
    streaming metric's totals and counts) holds state kept per input, not weights, and is
    not reported.

    ## Example
    ```python
    def discriminator(x):
        with tf.variable_scope(None, default_name="discriminator"):
            return tf.layers.dense(x, 1)

    d_real = discriminator(real)
    d_fake = discriminator(fake)  # a second discriminator, discriminator_1/
    ```

    Use instead:
    ```python
    def discriminator(x):
        with tf.variable_scope("discriminator", reuse=tf.AUTO_REUSE):
            return tf.layers.dense(x, 1)
    ```

    ## Fix safety
    The fix gives the scope its default name as a fixed name and `reuse=tf.AUTO_REUSE`
    (spelled through the file's own TensorFlow alias). It is unsafe: the variables of the
    later calls disappear (they now share the first call's), so checkpoints written before
    no longer match, and a call that was meant to have weights of its own now shares too.
    """

    CODE = "RL105"
    NAME = "unique-scope-copies"
    FIXABLE = True
    VALID = (
        # Stacked blocks: each call is fed by the previous one and should have its own weights.
        """
import tensorflow as tf
def block(x):
    with tf.variable_scope(None, default_name="block"):
        return tf.layers.dense(x, 4)
h = tf.placeholder(tf.float32, [None, 4])
h = block(h)
h = block(h)
""",
        # Built once.
        """
import tensorflow as tf
def discriminator(x):
    with tf.variable_scope(None, default_name="d"):
        return tf.layers.dense(x, 1)
d = discriminator(tf.placeholder(tf.float32, [None, 2]))
""",
        # A layer op offering `scope=`: left out, each call gets weights of its own by design
        # (LMescheder/AdversarialVariationalBayes' masked layer). TF names them `linear/w`
        # and `linear_1/w`, here even of two shapes.
        """
import tensorflow as tf
def linear(x, scope=None, reuse=None):
    with tf.variable_scope(scope, "linear", [x], reuse=reuse):
        return tf.matmul(x, tf.get_variable("w", [int(x.shape[-1]), 4]))
z = tf.placeholder(tf.float32, [None, 4])
context = tf.placeholder(tf.float32, [None, 3])
shift = linear(z) + linear(context)
""",
        # Two encoders, their layers named with strings whose known tails differ (the prefix
        # unknown): a network of its own each time, as asked (TF: `encoder/emb_word/kernel`,
        # `encoder_1/emb_char/kernel`).
        """
import tensorflow as tf
def encoder(x, name):
    with tf.variable_scope(None, default_name="encoder"):
        return tf.layers.dense(x, 8, name=name)
def encoders(prefix):
    word = tf.placeholder(tf.float32, [None, 4])
    char = tf.placeholder(tf.float32, [None, 4])
    return encoder(word, prefix + "_word"), encoder(char, prefix + "_char")
""",
        # A streaming metric's accumulators (`trainable=False`, local variables), one set per
        # input by design: a Frechet distance needs the real and the fake means apart (TF 2.21:
        # `streaming_mean/total`, `streaming_mean_1/total`, no trainable variable).
        """
import tensorflow as tf
def streaming_mean(values, name=None):
    with tf.variable_scope(name, "streaming_mean", [values]):
        total = tf.get_variable("total", shape=values.shape, initializer=tf.zeros_initializer(),
                                trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES])
        count = tf.get_variable("count", shape=[], initializer=tf.zeros_initializer(),
                                trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES])
        update = tf.group(tf.assign_add(total, values), tf.assign_add(count, 1.0))
        return total / count, update
def frechet_distance(real_feats, fake_feats):
    m_real, update_real = streaming_mean(tf.reduce_mean(real_feats, 0))
    m_fake, update_fake = streaming_mean(tf.reduce_mean(fake_feats, 0))
    return tf.reduce_sum(tf.square(m_real - m_fake)), tf.group(update_real, update_fake)
real = tf.placeholder(tf.float32, [None, 8])
fake = tf.placeholder(tf.float32, [None, 8])
distance, update = frechet_distance(real, fake)
""",
        # A grouped convolution that splits its input in two (AlexNet's layers 2, 4 and 5,
        # round 31), another layer between: one stack, three layers (TF: `split_conv/`,
        # `split_conv_1/`, `split_conv_2/`, of three shapes). What the split parts came out
        # of is kept, so layer 5 is seen fed by layer 2.
        """
import tensorflow as tf
def split_conv(x, init_weight):
    with tf.variable_scope(None, "split_conv"):
        w = tf.get_variable("kernel", initializer=init_weight)
        x_a, x_b = tf.split(x, 2, 3)
        w_a, w_b = tf.split(w, 2, 3)
        return tf.concat([tf.nn.conv2d(x_a, w_a, [1, 1, 1, 1], "SAME"),
                          tf.nn.conv2d(x_b, w_b, [1, 1, 1, 1], "SAME")], 3)
def alexnet(images, weights):
    h = split_conv(images, weights["conv2"])
    h = conv(tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"), weights["conv3"])
    h = split_conv(h, weights["conv4"])
    return split_conv(h, weights["conv5"])
""",
    )
    INVALID = (
        # The same grouped convolution as a discriminator applied to real and to fake data.
        """
import tensorflow as tf
def d_split(x, init_weight):
    with tf.variable_scope(None, "d_split"):
        w = tf.get_variable("kernel", initializer=init_weight)
        x_a, x_b = tf.split(x, 2, 3)
        w_a, w_b = tf.split(w, 2, 3)
        return tf.concat([tf.nn.conv2d(x_a, w_a, [1, 1, 1, 1], "SAME"),
                          tf.nn.conv2d(x_b, w_b, [1, 1, 1, 1], "SAME")], 3)
real = tf.placeholder(tf.float32, [None, 8, 8, 4])
fake = tf.random.normal([8, 8, 8, 4])
d_real = d_split(real, init)
d_fake = d_split(fake, init)  # expect: RL105
""",
        """
import tensorflow as tf
def discriminator(x):
    with tf.variable_scope(None, default_name="discriminator"):
        return tf.layers.dense(x, 1)
real = tf.placeholder(tf.float32, [None, 2])
fake = tf.random.normal([8, 2])
d_real = discriminator(real)
d_fake = discriminator(fake)  # expect: RL105
""",
        # Named alike (the prefix unknown, the tail the same): one encoder meant, two made
        # (TF: `encoder/emb_shared/kernel` and `encoder_1/emb_shared/kernel`).
        """
import tensorflow as tf
def encoder(x, name):
    with tf.variable_scope(None, default_name="encoder"):
        return tf.layers.dense(x, 8, name=name)
def encoders(prefix):
    left = tf.placeholder(tf.float32, [None, 4])
    right = tf.placeholder(tf.float32, [None, 4])
    a = encoder(left, prefix + "_shared")
    b = encoder(right, prefix + "_shared")  # expect: RL105
    return a, b
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for r in repeated_builds(ctx.analysis, "default_scope"):
            first, second = r.first.name or "the first scope", r.second.name or "a new scope"
            yield from ctx.report(
                self,
                r.site,
                f"This call builds a second set of variables (`{second}/`, a copy of `{first}/`): the default-name scope is made unique on every call",
                related=[ctx.related(r.related, f"`{first}/` is built here")],
                help="give the scope a fixed name and reuse=tf.AUTO_REUSE (or reuse=True on this call) to share one set",
                fix=self._fix(ctx, r.second.site) if r.second.site.path == r.site.path else None,
            )

    def _fix(self, ctx: RuleContext, scope: Site) -> Fix | None:
        call = scope.node
        if not isinstance(call, ast.Call) or len(call.args) > 1 or not isinstance(call.func, ast.Attribute):
            return None
        default = next((kw.value for kw in call.keywords if kw.arg == "default_name"), None)
        others = [kw for kw in call.keywords if kw.arg not in ("default_name", "name_or_scope")]
        if not isinstance(default, ast.Constant) or not isinstance(default.value, str) or others:
            return None
        if call.args and not (isinstance(call.args[0], ast.Constant) and call.args[0].value is None):
            return None
        alias = ctx.tf_alias(scope.path, call)
        line, col, end_line, end_col = ctx.position(scope)
        literal = ast.get_source_segment("".join(ctx.lines(scope.path)), default) or repr(default.value)
        text = f"{ast.unparse(call.func)}({literal}, reuse={alias}.AUTO_REUSE)"
        return Fix("a fixed scope name shared with AUTO_REUSE", (Edit(line, col, end_line, end_col, text),), safe=False)
