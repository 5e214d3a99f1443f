from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import clashes
from reuse_lint.rules.base import Rule, RuleContext


class RepeatedScopeWithoutReuse(Rule):
    """
    ## What it does
    Finds variables that are created a second time in the same graph without reuse: a
    builder called twice or in a loop, two `with tf.variable_scope("d"):` blocks that both
    create `d/w`, a scoped helper called twice with the same scope name, or two layers with
    the same explicit `name=` in one scope. It reports the repeated call, with the first one
    as the related location, and names the variable that clashes.

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
    """

    CODE = "RL101"
    NAME = "repeated-scope-without-reuse"
    VALID = (
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
    )
    INVALID = (
        # The article's Example 1.
        """
import tensorflow as tf
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(x, 1)
real = discriminator(tf.zeros([1, 2]))
fake = discriminator(tf.ones([1, 2]))  # expect: RL101
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
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        dropped = {id(e.site.node) for e in ctx.analysis.dropped_reuse if e.created}
        for clash in clashes(ctx.analysis):
            if clash.first.name_scopes != clash.second.name_scopes:
                continue  # variable-in-name-scope (RL104) explains that one better
            if any(id(node) in dropped for node in clash.second.scope_nodes):
                continue  # reuse-argument-dropped (RL103) names the cause; "pass reuse=True" would mislead
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
            )
