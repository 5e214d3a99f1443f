from __future__ import annotations

from typing import Iterable

from reuse_lint import tfnames
from reuse_lint.diagnostics import Diagnostic, Fix
from reuse_lint.rules.base import Rule, RuleContext


class ReuseArgumentDropped(Rule):
    """
    ## What it does
    Finds a function that takes a `reuse` parameter, never reads it, and creates variables
    under a `tf.variable_scope` that therefore does not receive it. It speaks only where the
    flag could change a creation: some call may pass it (or the function is called from
    outside the project), and a variable under the scope is made without reuse. A parameter
    every call of the project leaves at its default is unused, not dropped: no call asks for
    sharing, and passing it on would change what the code builds.

    ## Why is this bad?
    Callers pass `reuse=True` believing the weights are shared, and the flag goes nowhere.
    The second call raises `ValueError: Variable discriminator/... already exists,
    disallowed.`, and the traceback shows a call that plainly says `reuse=True`, which
    makes the bug hard to see. A GAN's discriminator is the usual victim.

    ## Example
    ```python
    def discriminator(x, reuse=False):
        with tf.variable_scope("discriminator"):
            return tf.layers.dense(x, 1)
    ```

    Use instead:
    ```python
    def discriminator(x, reuse=False):
        with tf.variable_scope("discriminator", reuse=reuse):
            return tf.layers.dense(x, 1)
    ```

    ## Fix safety
    The fix passes the parameter on (`reuse=reuse`). It is safe: callers already pass the
    flag they mean, and a call that passes nothing keeps the default it had.
    """

    CODE = "RL103"
    NAME = "reuse-argument-dropped"
    FIXABLE = True
    VALID = (
        """
import tensorflow as tf
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(x, 1)
""",
        # The flag is used another way.
        """
import tensorflow as tf
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator") as scope:
        if reuse:
            scope.reuse_variables()
        return tf.layers.dense(x, 1)
""",
    )
    VALID = VALID + (
        # The scope shares on its own: the parameter is redundant, not dropped.
        """
import tensorflow as tf
class Critic:
    def __call__(self, x, reuse=False):
        with tf.variable_scope("critic", reuse=tf.AUTO_REUSE):
            return tf.layers.dense(x, 1)
critic = Critic()
a = critic(tf.zeros([1, 2]))
b = critic(tf.zeros([1, 2]), reuse=True)
""",
        # Called only inside an AUTO_REUSE scope.
        """
import tensorflow as tf
def head(x, reuse=False):
    with tf.variable_scope("head"):
        return tf.layers.dense(x, 1)
with tf.variable_scope("model", reuse=tf.AUTO_REUSE):
    a = head(tf.zeros([1, 2]))
""",
        # No call passes `reuse`: the weights are the object's, and the helper under the
        # scope reuses by itself when `training` is off (zchen0211/tf-tutorial, round 19 of
        # TRIAGE.md): TF builds the training and the test graph on one set of variables.
        """
import tensorflow as tf
def bn(x, name, training=True):
    with tf.variable_scope(name) as scope:
        if not training:
            scope.reuse_variables()
        return x + tf.get_variable("offset", [3])
class Encoder(object):
    def __init__(self):
        self.kernel = tf.get_variable("kernel", [3, 3])
    def encode(self, x, training=True, reuse=True):
        with tf.variable_scope("enc1"):
            return bn(tf.matmul(x, self.kernel), "bn", training=training)
enc = Encoder()
train_out = enc.encode(tf.zeros([2, 3]))
test_out = enc.encode(tf.zeros([2, 3]), training=False)
""",
    )
    INVALID = (
        """
import tensorflow as tf
def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator"):  # expect: RL103
        return tf.layers.dense(x, 1)
real = discriminator(tf.zeros([1, 2]))
fake = discriminator(tf.ones([1, 2]), reuse=True)
""",
        # Nothing in the project calls it: its callers are elsewhere, and may pass True.
        """
import tensorflow as tf
def d_net(x, reuse=False):
    with tf.variable_scope("d_net"):  # expect: RL103
        return tf.layers.dense(x, 1)
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for entry in ctx.analysis.dropped_reuse:
            if not entry.created:
                continue
            yield from ctx.report(
                self,
                entry.site,
                f"`{entry.func.name}` takes `reuse` but never passes it to this variable_scope",
                related=[ctx.related(type(entry.site)(entry.site.path, entry.func), "`reuse` is a parameter here")],
                help="pass it on: tf.variable_scope(..., reuse=reuse)",
                fix=self._fix(ctx, entry.site),
            )

    def _fix(self, ctx: RuleContext, site) -> Fix | None:
        edit = ctx.keyword_edit(site, "reuse", "reuse", tfnames.VARIABLE_SCOPE_REUSE_POSITION)
        return Fix("pass reuse=reuse", (edit,), safe=True) if edit else None
