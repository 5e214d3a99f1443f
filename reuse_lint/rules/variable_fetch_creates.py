from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import TRUE, created_before
from reuse_lint.rules.base import Rule, RuleContext


class VariableFetchCreates(Rule):
    """
    ## What it does
    Finds `tf.get_variable("kernel", ...)` that means to fetch the variable of a layer built
    just before in the same scope (`tf.layers.dense(...)` makes `scope/dense/kernel`), but,
    lacking the layer's sub-scope, creates a new, unrelated `scope/kernel`.

    ## Why is this bad?
    The fetched "kernel" is a fresh variable: a weight penalty, a visualisation or a tied
    output projection built on it acts on a variable the network does not use, and nothing
    fails. The rule fires only when the name equals one of the layer's own variable names,
    the layer was built earlier in the same entry of the same scope, no variable of that
    name exists yet, and the call gives no initializer (which says a new variable is meant).

    ## Example
    ```python
    with tf.variable_scope("proj"):
        y = tf.layers.dense(x, 10)
        w = tf.get_variable("kernel", [4, 10])  # a new proj/kernel
    ```

    Use instead:
    ```python
    with tf.variable_scope("proj"):
        y = tf.layers.dense(x, 10, name="dense")
    with tf.variable_scope("proj/dense", reuse=True):
        w = tf.get_variable("kernel")
    ```

    ## Fix safety
    No automatic fix: the intended variable (the layer's) may need its own scope and reuse; no single edit is right.
    """

    CODE = "RL118"
    NAME = "variable-fetch-creates"
    VALID = (
        # A mixture-of-softmaxes head (round 32): the latent layer, then the tied softmax's own
        # output bias, given its initializer, in one scope (TF 2.21: `MOS/dense/bias` (18,) and
        # a new `MOS/bias` (20,), which the loss trains).
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 12])
with tf.variable_scope("MOS"):
    latent = tf.layers.dense(x, 18, activation=tf.nn.tanh)
    b = tf.get_variable("bias", [20], initializer=tf.constant_initializer(0.01))
    logits = tf.matmul(tf.reshape(latent, [-1, 6]), tf.ones([6, 20])) + b
""",
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 4])
with tf.variable_scope("proj"):
    y = tf.layers.dense(x, 10)
with tf.variable_scope("proj/dense", reuse=True):
    w = tf.get_variable("kernel")
""",
        # An encoder's layer and a head's own `bias`, built by two functions in one scope: the
        # head means a new variable (easyNRE's selector after its CNN encoder).
        """
import tensorflow as tf
def encode(x):
    return tf.layers.conv2d(x, 8, [1, 3], padding="same")
def head(x):
    w = tf.get_variable("relation_matrix", [5, 8])
    bias = tf.get_variable("bias", [5])
    return tf.matmul(tf.reduce_max(x, axis=[1, 2]), tf.transpose(w)) + bias
with tf.variable_scope("cnn_att"):
    logits = head(encode(tf.placeholder(tf.float32, [None, 1, 20, 4])))
""",
    )
    INVALID = (
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 4])
with tf.variable_scope("proj"):
    y = tf.layers.dense(x, 10)
    w = tf.get_variable("kernel", [4, 10])  # expect: RL118
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        existed = created_before(ctx.analysis)
        layers: dict[int, list] = {}
        for c in ctx.analysis.creations:
            if c.frame_entry is None or c.name is None:
                continue
            key = id(c.frame_entry)
            if c.kind == "layer":
                layers.setdefault(key, []).append(c)
            elif c.kind == "get_variable" and c.reuse != TRUE and not existed[id(c)] and not c.initialized:
                # (an initializer given says a new variable is meant: a fetch gives none)
                prefix, _, leaf = c.name.rpartition("/")
                # A fetch meant for the layer sits in the function that just built it; a
                # get_variable in another function that shares only the scope (an encoder's
                # conv, then a classifier head's own `bias`) is a new parameter on purpose.
                layer = next((l for l in layers.get(key, ())
                              if l.name.rsplit("/", 2)[0] == prefix and l.name.endswith("/" + leaf)
                              and l.name.count("/") == c.name.count("/") + 1
                              and list(l.stack[:-1]) == list(c.stack[:-1])), None)
                if layer is None:
                    continue
                yield from ctx.report(
                    self, c.stack[-1],
                    f"This creates a new `{c.name}`; the layer built before in this scope owns `{layer.name}`",
                    related=[ctx.related(layer.stack[-1], f"the layer's variable is `{layer.name}`")],
                    help="fetch it under the layer's own scope with reuse=True, or use the layer object's .kernel",
                )
