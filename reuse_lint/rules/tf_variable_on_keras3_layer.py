from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import untracked_variables
from reuse_lint.rules.base import Rule, RuleContext


class TfVariableOnKeras3Layer(Rule):
    """
    ## What it does
    Finds a trainable `tf.Variable` kept on `self` by a Keras layer or model class
    (`self.log_sigma = tf.Variable(...)` in `__init__` or `build`) that runs under Keras 3:
    its module uses a name only Keras 3 has (`keras.ops`, `keras.random`, `keras.Variable`),
    or the project's requirements ask for TensorFlow 2.16 or later (whose `tf.keras` is
    Keras 3) or for Keras 3, and nothing in the project switches back to tf_keras
    (`TF_USE_LEGACY_KERAS`, `import tf_keras`). Left alone: a variable made with
    `trainable=False` or of an integer type, state the layer writes itself with `assign`
    (a counter, a running maximum) unless it asks for `trainable=`, and a variable the
    program names in a list or passes to a gradient call itself.

    ## Why is this bad?
    Keras 3 tracks only the variables a layer makes with `add_weight` (or `keras.Variable`).
    A bare `tf.Variable` set on a layer is in none of its lists: `trainable_variables` leaves
    it out, so neither `fit` nor a `GradientTape` step over `model.trainable_variables`
    trains it, and `save_weights` does not save it. Nothing fails: a learned kernel
    bandwidth, temperature or scale keeps its initial value. The same code under tf_keras
    (Keras 2) tracks the variable and trains it, which is how code ported to TF 2.16 breaks
    silently.

    ## Example
    ```python
    import keras
    from keras import ops

    class GaussianKernel(keras.layers.Layer):
        def __init__(self, sigma=1.0):
            super().__init__()
            self.log_sigma = tf.Variable(np.log(sigma), dtype="float32")
    ```

    Use instead:
    ```python
    class GaussianKernel(keras.layers.Layer):
        def __init__(self, sigma=1.0):
            super().__init__()
            self.log_sigma = self.add_weight(
                shape=(), initializer=keras.initializers.Constant(np.log(sigma)))
    ```

    ## Fix safety
    No automatic fix: `add_weight` takes a shape and an initializer, not a value.
    """

    CODE = "RL128"
    NAME = "tf-variable-on-keras3-layer"
    VALID = (
        # tf_keras (Keras 2) tracks a tf.Variable set on a layer.
        """
import tf_keras
import tensorflow as tf
class Scale(tf_keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.log_scale = tf.Variable(0.0)
    def call(self, x):
        return x * tf.exp(self.log_scale)
""",
        # tf.keras with nothing saying which Keras: TF 2.15 and earlier (and the legacy
        # switch) track it, so it is not claimed.
        """
import tensorflow as tf
class Scale(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.log_scale = tf.Variable(0.0)
    def call(self, x):
        return x * tf.exp(self.log_scale)
""",
        # Keras 3, but the weight is made with add_weight; the counter is kept out of training.
        """
import keras
from keras import ops
import tensorflow as tf
class Scale(keras.layers.Layer):
    def build(self, shape):
        self.log_scale = self.add_weight(shape=(), initializer="zeros")
        self.calls = tf.Variable(0, trainable=False)
    def call(self, x):
        return x * ops.exp(self.log_scale)
""",
        # Keras 3, with state the layer updates itself: a step counter, a running maximum.
        """
import keras
import tensorflow as tf
class Tracker(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.steps = tf.Variable(0)
        self.peak = tf.Variable(0.0)
        self.seen = tf.Variable(0, dtype=tf.int64)
    def call(self, x):
        self.steps.assign_add(1)
        self.peak.assign(tf.maximum(self.peak, keras.ops.max(x)))
        return x
""",
        # The program switches tf.keras back to Keras 2 before importing TensorFlow.
        """
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
import keras
import tensorflow as tf
class Scale(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.log_scale = tf.Variable(0.0)
    def call(self, x):
        return x * keras.ops.exp(self.log_scale)
""",
        # Keras 3, and the program trains the variable by name itself.
        """
import keras
import tensorflow as tf
class Scale(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.log_scale = tf.Variable(0.0)
    def call(self, x):
        return x * keras.ops.exp(self.log_scale)
layer = Scale()
opt = keras.optimizers.Adam()
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(layer(tf.ones([2])))
opt.apply_gradients(zip(tape.gradient(loss, [layer.log_scale]), [layer.log_scale]))
""",
    )
    INVALID = (
        """
import numpy as np
import keras
import tensorflow as tf
from keras import ops
class GaussianKernel(keras.layers.Layer):
    def __init__(self, sigma=1.0):
        super().__init__()
        self.log_sigma = tf.Variable(np.log(sigma), dtype=tf.float32)  # expect: RL128
    def call(self, x, y):
        d = ops.sum(ops.square(x[:, None] - y[None]), -1)
        return ops.exp(-d / (2.0 * ops.exp(self.log_sigma) ** 2))
""",
        # A tf.keras model under Keras 3 (its module uses keras.random), kept in `build`.
        """
import keras
import tensorflow as tf
class Classifier(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(2)
    def build(self, shape):
        self.offsets = tf.Variable(keras.random.normal((shape[-1],)))  # expect: RL128
    def call(self, x):
        return self.dense(x - self.offsets)
""",
        # A bandwidth set from the data on the first call, then learned (`trainable=` asked).
        """
import keras
import tensorflow as tf
class RBF(keras.layers.Layer):
    def __init__(self, trainable=True):
        super().__init__()
        self.log_sigma = tf.Variable(0.0, trainable=trainable)  # expect: RL128
        self.ready = False
    def call(self, x):
        if not self.ready:
            self.log_sigma.assign(keras.ops.log(keras.ops.std(x)))
            self.ready = True
        return keras.ops.exp(-x / keras.ops.exp(self.log_sigma))
""",
        # A model class nested in a detector's class, reached as `Detector.Clf(...)`.
        """
import keras
import tensorflow as tf
class SpotDiff:
    def __init__(self, kernel, diffs):
        self.model = SpotDiff.Clf(kernel, diffs)
    class Clf(tf.keras.Model):
        def __init__(self, kernel, diffs):
            super().__init__()
            self.kernel = kernel
            self.diffs = tf.Variable(diffs, dtype=tf.float32)  # expect: RL128
        def call(self, x):
            return keras.ops.sum(self.kernel(x, self.diffs), axis=-1)
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        for hit in untracked_variables(ctx.analysis):
            yield from ctx.report(
                self, hit.site,
                f"`self.{hit.attr}` of Keras layer `{hit.layer}` is a bare `tf.Variable`, and the layer runs under "
                f"Keras 3 ({hit.why}): Keras 3 tracks only the variables a layer makes with `add_weight`, so this "
                f"one is in none of its lists; no step over `trainable_variables` (nor `fit`) trains it, and "
                f"`save_weights` leaves it out",
                help=f"make `self.{hit.attr}` with `self.add_weight(...)` (an initializer of the same value)",
            )
