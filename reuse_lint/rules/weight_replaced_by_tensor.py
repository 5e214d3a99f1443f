from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import replaced_weights
from reuse_lint.rules.base import Rule, RuleContext


class WeightReplacedByTensor(Rule):
    """
    ## What it does
    Finds, in the `build` of a Keras layer subclass, a weight's attribute given a tensor
    computed from the weight: `self.kernel = self.kernel * self.runtime_coef` after
    `super().build(input_shape)` in a subclass of `Dense`, `Conv2D` or `Embedding`, or after
    the layer's own `self.w = self.add_weight(...)`. The value must be arithmetic on the
    weight or a TensorFlow op of it; a method call or a new variable is left alone, and so
    are graph-mode programs (`tf.placeholder`, `Session`), where the tensor stays in the
    graph the layer runs in and passes gradients on to the weight.

    ## Why is this bad?
    `build` runs once, so the attribute holds a tensor computed once from the initial
    weight, and `call` reads that tensor. No gradient reaches the variable: it never trains,
    silently. tf_keras drops it from the layer's `trainable_variables` (a `Dense` subclass
    then trains only its bias); Keras 3 raises `AttributeError: property 'kernel' ... has no
    setter`. Equalized-learning-rate layers (ProGAN, StyleGAN) written this way train
    nothing but their biases.

    ## Example
    ```python
    class ScaledDense(tf.keras.layers.Dense):
        def build(self, input_shape):
            super().build(input_shape)
            self.kernel = self.kernel * self.coef
    ```

    Use instead:
    ```python
    class ScaledDense(tf.keras.layers.Dense):
        def call(self, x):  # scaled where the weight is read, on every call
            return tf.matmul(x, self.kernel * self.coef) + self.bias
    ```
    """

    CODE = "RL127"
    NAME = "weight-replaced-by-tensor"
    VALID = (
        # Scaled where it is read, in `call`; and a variable made again from the weight.
        """
import tensorflow as tf
class ScaledDense(tf.keras.layers.Dense):
    def build(self, input_shape):
        super().build(input_shape)
        self.coef = 0.5
        self.kernel_init = self.kernel * 1.0
    def call(self, x):
        return tf.matmul(x, self.kernel * self.coef) + self.bias
class Gate(tf.keras.layers.Layer):
    def build(self, shape):
        self.w = self.add_weight(name="w", shape=[shape[-1]])
        self.w = tf.Variable(self.w * 2.0)
    def call(self, x):
        return x * self.w
""",
        # A graph-mode program: the tensor stays in the graph the layer runs in.
        """
import tensorflow.compat.v1 as tf
class ScaledDense(tf.keras.layers.Dense):
    def build(self, input_shape):
        super().build(input_shape)
        self.kernel = self.kernel * 0.5
x = tf.placeholder(tf.float32, [None, 4])
y = ScaledDense(3)(x)
""",
        # A layer of its own whose `build` makes no weight under that name.
        """
import tensorflow as tf
class Affine(tf.keras.layers.Layer):
    def build(self, shape):
        self.scale = 2.0
        self.scale = self.scale * 0.5
    def call(self, x):
        return x * self.scale
""",
    )
    INVALID = (
        """
import numpy as np
import tensorflow as tf
class EqualizedConv(tf.keras.layers.Conv2D):
    def build(self, input_shape):
        super().build(input_shape)
        fan_in = np.prod(self.kernel_size) * int(input_shape[-1])
        self.kernel = self.kernel * np.sqrt(2.0 / fan_in)  # expect: RL127
""",
        """
import tensorflow as tf
class Style(tf.keras.layers.Layer):
    def build(self, shape):
        self.w = self.add_weight(name="w", shape=[shape[-1], 4])
        self.w = tf.math.l2_normalize(self.w, axis=0)  # expect: RL127
    def call(self, x):
        return tf.matmul(x, self.w)
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for hit in replaced_weights(ctx.analysis):
            made = "made by its Keras base's `build`" if hit.made is None else "made above"
            yield from ctx.report(
                self, hit.site,
                f"`self.{hit.attr}`, a weight of `{hit.layer}` ({made}), is replaced in `build` by a tensor "
                f"computed from it once: `call` reads that tensor, no gradient reaches the weight and it never "
                f"trains (tf_keras drops it from `trainable_variables`; Keras 3 raises AttributeError)",
                related=[ctx.related(hit.made, "the weight is made here")] if hit.made is not None else [],
                help=f"keep `self.{hit.attr}` the weight and apply the computation where `call` reads it",
            )
