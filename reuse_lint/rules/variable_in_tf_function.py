from __future__ import annotations

from typing import Iterable

from reuse_lint import tfnames
from reuse_lint.diagnostics import Diagnostic
from reuse_lint.rules.base import Rule, RuleContext


class VariableInTfFunction(Rule):
    """
    ## What it does
    Finds `tf.Variable(...)`, Keras layers, Keras models or stateful Keras metrics
    (`SparseCategoricalAccuracy()`, `Mean()`) constructed unconditionally inside the body of
    a `@tf.function` (or a function wrapped by `tf.function(f)`, or the `train_step`,
    `test_step` or `predict_step` of a Keras model, which `fit` runs in one), in the `call`
    of a subclass of a Keras `Layer` or `Model` (`tf.keras`, `keras`, `tf_keras`; one that a
    factory function defines too) or in its own `__call__` (one that does not hand the call
    on to `super().__call__`), including
    helpers and lambdas that `call` runs, or in a loss or metric function given to
    `compile(loss=..., metrics=[...])`, which Keras runs in its train function, or in the
    function of a Keras `Lambda` layer (`Lambda(lambda t: Conv2D(8, 3)(t))`), which Keras
    runs on every call of the layer without tracking what it makes. A block of
    one's own (a `Layer` subclass whose `__init__` or `build` makes weights, `add_weight`
    included) made there counts as one layer, and so does `self.add_weight(...)` there;
    code under `if self.setting != constant:`, `if self.use_bn:` or `if training:` runs on
    every call like the code around it, and so does code that stores on `self` under a
    setting only `__init__` sets (`if self.scaled: self.scale = self.add_weight(...)`). Layers
    without weights (`Flatten`, `Activation`, `Dropout`, `Rescaling`, ...) and loss objects
    (`SparseCategoricalCrossentropy()`, which hold no variables) are not reported.

    ## Why is this bad?
    A `tf.function` body runs again on every trace. A variable made there is made again,
    and TensorFlow stops with `ValueError: tf.function only supports singleton tf.Variables
    created on the first call. Make sure the tf.Variable is only created once or created
    outside tf.function.` A Keras layer built in the body owns new weights each trace, so
    what was meant to be one model's weights is never the same twice. Keras runs a layer's
    `call` on every call of the layer: eager, each call makes new, untrained weights; under
    `fit` or `tf.function`, TensorFlow raises the error above. A metric object holds
    variables too: one made inside a metric function given to `compile` makes `fit` raise
    the same error. A `Lambda` layer owns no weights: tf_keras raises "Variables were
    created within a Lambda layer ... but are not tracked" when its function makes one, and
    Keras 3 makes new, untrained weights on every call and raises under `fit`. Build layers
    and variables in `__init__` or `build()` and only apply them in `call`; give `compile` a
    stateless metric function
    (`sparse_categorical_accuracy`) or a metric object made once. Creation guarded by
    `if self.v is None:` (the documented singleton pattern), under a flag that the body,
    `call` or another method changes (`if self.pending: ...; self.pending = False`), or
    under any other test, is not reported; a flag that only `__init__` writes
    (`if not self.initialized:` with nothing ever setting it) guards nothing and is, and so
    is a test of the shapes the call was given (`if x.shape[-1] != self.units:`), which
    takes the same arm on every step of `fit`.

    Keras 2's `K.zeros` and `K.ones` return a variable, not a tensor: made in `call`, it is
    made on every eager call, and a tf.function raises on it (with a shape read off the
    input, because that shape is out of the scope the variable is made in).

    A Keras optimizer (`tf.keras.optimizers.Adam(...)`) holds variables too (its step
    count, a moment per weight): one made in the step that applies it, inside a
    `tf.function` body or `train_step`, makes TensorFlow raise the error above; one made in
    the body of the training loop that applies it gives every step a fresh optimizer, whose
    step count is 1 and whose moments start from zero, silently. Make it once (before the
    loop, in `__init__`, or give it to `compile`). A loop that makes a new model with its
    optimizer on each pass (a sweep), or makes one under an `if` (a schedule's restart),
    is not reported.

    A graph-mode program (one that names `tf.placeholder`, `Session`, `get_variable`...) and
    trains through the graph's collections, never through Keras (`fit`, a Keras optimizer,
    `model.trainable_variables`), runs a `call` once per application: a subclass whose
    objects are applied at most once in any one graph (an Estimator's `model_fn`) makes its
    layers once per graph, as the code means, and is not reported.

    ## Example
    ```python
    @tf.function
    def step(x):
        w = tf.Variable(tf.ones([2, 2]))
        return tf.matmul(x, w)
    ```

    Use instead:
    ```python
    w = tf.Variable(tf.ones([2, 2]))

    @tf.function
    def step(x):
        return tf.matmul(x, w)
    ```

    ## Fix safety
    No automatic fix: hoisting the creation out of the function changes the program's structure.
    """

    CODE = "RL111"
    NAME = "variable-in-tf-function"
    VALID = (
        # An `RNN` made in `call` around a cell of one's own that holds no weight (a CRF's
        # max-product recursion over transitions the layer made in `build`): the wrapper's
        # weights are its cell's, and this cell has none (round 35, TF2).
        """
import tensorflow as tf
class MaxProductCell(tf.keras.layers.Layer):
    def __init__(self, transitions, **kwargs):
        super().__init__(**kwargs)
        self.transitions = transitions
        self.state_size = transitions.shape[0]
    def call(self, scores, states):
        best = tf.reduce_max(states[0][:, :, None] + self.transitions[None], axis=1)
        return scores + best, [scores + best]
def viterbi_forward(scores, start, transitions):
    return tf.keras.layers.RNN(MaxProductCell(transitions), return_sequences=True)(scores, initial_state=[start])
class CRF(tf.keras.layers.Layer):
    def build(self, input_shape):
        n = input_shape[-1]
        self.transitions = self.add_weight(name="transitions", shape=[n, n])
    def call(self, scores):
        return viterbi_forward(scores[:, 1:], scores[:, 0], self.transitions)
""",
        # `K.zeros` in `build` (once), and `tf.zeros` in `call` (a tensor).
        """
from tensorflow.keras import backend as K
import tensorflow as tf
class Offset(tf.keras.layers.Layer):
    def build(self, shape):
        self.start = K.zeros((4, 4))
    def call(self, x):
        return x + self.start + tf.zeros((4, 4))
""",
        # A kernel made again only when its own width no longer fits: the test reads the
        # object's state, which the arm changes (a guard), not only what the call was given.
        """
import tensorflow as tf
class Gate(tf.keras.layers.Layer):
    def build(self, shape):
        self.w = self.add_weight(name="w", shape=[shape[-1]])
    def call(self, x):
        if self.w.shape[-1] != x.shape[-1]:
            self.w = self.add_weight(name="w", shape=[x.shape[-1]])
        return x * self.w
""",
        # Keras optimizers made once: before the loop, in `__init__`, given to `compile`,
        # behind the singleton guard in a tf.function, one per model of a sweep.
        """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
optimizer = tf.keras.optimizers.Adam(1e-3)
for x, y in [(1.0, 2.0)] * 3:
    with tf.GradientTape() as tape:
        loss = (model(x) - y) ** 2
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
class Trainer(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(1)
        self.opt = tf.keras.optimizers.Adam()
        self.lazy = None
    @tf.function
    def step(self, x):
        if self.lazy is None:
            self.lazy = tf.keras.optimizers.SGD(0.1)
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(self.d(x))
        grads = tape.gradient(loss, self.d.trainable_variables)
        self.opt.apply_gradients(zip(grads, self.d.trainable_variables))
        self.lazy.apply_gradients(zip(grads, self.d.trainable_variables))
for lr in [1e-3, 1e-4]:
    trial = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    trial_opt = tf.keras.optimizers.Adam(lr)
    with tf.GradientTape() as tape:
        loss = trial(tf.ones([1, 2]))
    trial_opt.apply_gradients(zip(tape.gradient(loss, trial.trainable_variables), trial.trainable_variables))
""",
        """
import tensorflow as tf
class Model:
    def __init__(self):
        self.w = None
    @tf.function
    def __call__(self, x):
        if self.w is None:
            self.w = tf.Variable(tf.ones([2, 2]))
        return tf.matmul(x, self.w)
""",
        # A helper built in `call` makes its table only under a flag read through a property
        # that hands back what `__init__` stored; `call` passes the flag as `False`.
        """
import tensorflow as tf
class Coder(tf.Module):
    def __init__(self, compression=False):
        super().__init__()
        self._compression = bool(compression)
        if self.compression:
            self._init_tables()
    @property
    def compression(self):
        "Whether tables are built."
        return self._compression
    def _init_tables(self):
        self._table = tf.Variable(tf.zeros([4]), trainable=False)
class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(1)
    def call(self, x):
        Coder(compression=False)
        return self.dense(x)
""",
        # A `__call__` of one's own that applies layers made in `__init__`, and one that
        # hands the call on to Keras' `__call__`, which runs `call`.
        """
import tensorflow as tf
class Discriminator(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = tf.keras.layers.Conv2D(64, 4, strides=2)
    def __call__(self, segmap, image, training=None):
        return self.conv(tf.concat([segmap, image], axis=-1))
class Critic(tf.keras.Model):
    def build(self, input_shape):
        self.head = tf.keras.layers.Dense(1)
    def __call__(self, image, training=None):
        image = tf.keras.layers.Flatten()(image)
        return super().__call__(image, training=training)
    def call(self, image, training=None):
        return self.head(image)
""",
        # Built in __init__ and build(), applied in call; a weightless layer made in call.
        """
import tensorflow as tf
class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = tf.keras.layers.Conv2D(64, 3)
        self.norm = tf.keras.layers.BatchNormalization()
    def build(self, input_shape):
        self.scale = tf.Variable(1.0)
    def call(self, x):
        x = self.norm(self.conv(x))
        return tf.keras.layers.Flatten()(x) * self.scale
""",
        # A loss object holds no variables; a stateless metric function makes none.
        """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(3)])
def loss_fn(y_true, y_pred):
    return tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y_true, y_pred)
def accuracy(y_true, y_pred):
    return tf.keras.metrics.sparse_categorical_accuracy(y_true, y_pred)
model.compile("adam", loss=loss_fn, metrics=[accuracy])
""",
        # A metric made once, eagerly, for each evaluation: nothing traces the function.
        """
import tensorflow as tf
def evaluate(model, batches):
    acc = tf.keras.metrics.SparseCategoricalAccuracy()
    for x, y in batches:
        acc.update_state(y, model(x))
    return acc.result()
""",
        # A layer of one's own without weights made in `call`; a layer made once under a
        # guard on the object's state.
        """
import tensorflow as tf
class Mish(tf.keras.layers.Layer):
    def call(self, x):
        return x * tf.tanh(tf.nn.softplus(x))
class Head(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.proj = None
    def call(self, x):
        if self.proj is None:
            self.proj = tf.keras.layers.Dense(4)
        return Mish()(self.proj(x))
""",
        # A layer of one's own whose `build` makes no weight; a flag that turns itself off.
        """
import tensorflow as tf
from tensorflow.keras.layers import Layer
class Head(Layer):
    def __init__(self, use_bn):
        super().__init__()
        self.use_bn, self.pending = use_bn, True
    def call(self, x):
        if self.pending:
            self.proj = tf.keras.layers.Dense(4)
            self.pending = False
        return Swish()(self.proj(x))
class Swish(Layer):
    def build(self, input_shape):
        super().build(input_shape)
    def call(self, x):
        return x * tf.sigmoid(x)
""",
        # A factory's Keras class that builds its layer in `__init__`; a plain class.
        """
import tensorflow as tf
def make_model(units):
    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.proj = tf.keras.layers.Dense(units)
        def call(self, x):
            return self.proj(x)
    class Plain:
        def call(self, x):
            return tf.keras.layers.Dense(units)(x)
    return Net(), Plain()
""",
        # A flag that another method turns off after the first build.
        """
import tensorflow as tf
class Head(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.needs_proj = True
    def call(self, x):
        if self.needs_proj:
            self.proj = tf.keras.layers.Dense(4)
            self._mark_built()
        return self.proj(x)
    def _mark_built(self):
        self.needs_proj = False
""",
        # Build-once guards: a flag the body sets, Keras' own `built`, `is None` then assigned.
        """
import tensorflow as tf
class CondNorm(tf.keras.layers.Layer):
    def __init__(self, channels):
        super().__init__()
        self.channels = channels
        self.initialized = False
        self.beta = None
    def call(self, x):
        if not self.initialized:
            self.mean = self.add_weight(name="mean", shape=(self.channels,), trainable=False)
            self.initialized = True
        if self.beta is None:
            self.beta = self.add_weight(name="beta", shape=(self.channels,))
        if not self.built:
            self.gamma = self.add_weight(name="gamma", shape=(self.channels,))
        return (x - self.mean) * self.gamma + self.beta
""",
        # `TimeDistributed` applies the layer it is given, made once in __init__.
        """
import tensorflow as tf
class Net(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(3)
    def call(self, x):
        return tf.keras.layers.TimeDistributed(self.dense)(x)
""",
        # A `Sequential` made in `call` around layers built in `__init__` owns no weights.
        """
import tensorflow as tf
class EncoderBlock(tf.keras.layers.Layer):
    def __init__(self, dm, hidden):
        super().__init__()
        self.dense_hidden = tf.keras.layers.Dense(hidden, activation="relu")
        self.dense_output = tf.keras.layers.Dense(dm)
    def call(self, x):
        ffn = tf.keras.Sequential([self.dense_hidden, self.dense_output])
        return ffn(x)
""",
        # `Lambda` layers whose functions only compute (slices, sums, a weightless layer,
        # a helper of plain ops): they make nothing.
        """
import tensorflow as tf
from tensorflow.keras import backend as K
from tensorflow.keras import layers
def normalize(t, axis=-1):
    return t / (K.sqrt(K.sum(K.square(t), axis=axis, keepdims=True)) + 1e-6)
x = tf.keras.Input([4, 16])
first = layers.Lambda(lambda t: t[:, 0])(x)
pooled = layers.Lambda(lambda t: layers.Flatten()(K.mean(t, axis=1, keepdims=True)))(x)
model = tf.keras.Model(x, layers.Lambda(normalize)(layers.Dense(8)(first + pooled)))
""",
        # A helper that builds a PReLU only from the options it is given: called from
        # `call` with none, `len(options) == 0` returns the plain function first.
        """
import tensorflow as tf
def make_activation(kind, **options):
    if kind == "prelu":
        if len(options) == 0:
            return tf.nn.leaky_relu
        return tf.keras.layers.PReLU(**options)
    return tf.nn.relu
class Tower(tf.keras.layers.Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activation
        self.proj = tf.keras.layers.Dense(4)
    def forward(self, x):
        act = make_activation(self.activation)
        return act(self.proj(x))
    def call(self, x):
        return self.forward(x)
""",
        # `call` of a class that is not a Keras subclass: nothing traces it.
        """
import tensorflow as tf
class Block:
    def call(self, x):
        return tf.keras.layers.Dense(4)(x)
""",
        # The same strategy pick, the bias made once in `__init__`.
        """
import tensorflow as tf
class Single:
    def __init__(self, net):
        self.net = net
    def call(self, u, v):
        return self.net.merge(self.net.branch(u), v)
class Split:
    def __init__(self, net):
        self.net = net
    def call(self, u, v):
        return self.net.branch(u) * v
class OperatorNet(tf.keras.Model):
    def __init__(self, strategy=None):
        super().__init__()
        self.strategy = {None: Single, "split": Split}[strategy](self)
        self.branch = tf.keras.layers.Dense(4)
        self.bias = tf.Variable(tf.zeros(1))
    def merge(self, u, v):
        return tf.reduce_sum(u * v, -1) + self.bias
    def call(self, inputs):
        return self.strategy.call(inputs[0], inputs[1])
""",
        # A graph-mode program (an Estimator's `model_fn`) applies the model once in each graph
        # and trains the graph's collection (round 28): TF makes `attention/dense/kernel` once
        # per graph, in `tf.trainable_variables()`, and trains it.
        """
import tensorflow.compat.v1 as tf
class Attention(tf.keras.Model):
    def call(self, x):
        queries = tf.keras.layers.Dense(4)(x)
        return tf.nn.softmax(queries)
def model_fn(features, labels, mode):
    net = Attention()
    logits = net(features)
    loss = tf.reduce_mean(tf.square(logits - labels))
    train_op = tf.train.AdamOptimizer().minimize(loss, var_list=tf.trainable_variables())
    return loss, train_op
with tf.Graph().as_default():
    model_fn(tf.placeholder(tf.float32, [None, 8]), tf.placeholder(tf.float32, [None, 4]), "train")
""",
    )
    INVALID = (
        # A base model's `call` runs a step only its subclass defines (a template method),
        # and that step makes the layer: each call of the subclass's model makes it again.
        """
import tensorflow as tf
class Base(tf.keras.Model):
    def call(self, x):
        return self.encode(x)
class Encoder(Base):
    def encode(self, x):
        return tf.keras.layers.Dense(4)(x)  # expect: RL111
""",
        # A call argument beside a first-call flag: wherever the caller asks for it, the
        # variable is made again; a width read with `ops.shape` is the input's, the same on
        # every call.
        """
import tensorflow as tf
from keras import ops
class Kernel(tf.keras.Model):
    def __init__(self, target):
        super().__init__()
        self.needs_init = True
        self.target = target
    def call(self, x, infer=False):
        if infer or self.needs_init:
            self.log_sigma = tf.Variable(0.0)  # expect: RL111
            self.needs_init = False
        h = ops.shape(x)[1]
        if self.target // h > 1:
            x = tf.keras.layers.Conv2DTranspose(8, 3, strides=self.target // h)(x)  # expect: RL111
        return x * self.log_sigma
""",
        # TensorFlow Addons' normalization layers hold weights as Keras' own do.
        """
import tensorflow as tf
import tensorflow_addons as tfa
class Block(tf.keras.layers.Layer):
    def call(self, x):
        return tfa.layers.InstanceNormalization()(x)  # expect: RL111
""",
        # A setting the caller passes: the same arm on every call.
        """
import tensorflow as tf
def downsample(x, with_conv):
    if with_conv:
        x = tf.keras.layers.Conv2D(x.shape[-1], 3, strides=2)(x)  # expect: RL111
    return x
class Encoder(tf.keras.Model):
    def __init__(self, with_conv):
        super().__init__()
        self.with_conv = with_conv
    def call(self, x):
        return downsample(x, self.with_conv)
""",
        # Keras 2's `K.ones` is a variable, made on every call, whatever its shape.
        """
from tensorflow.keras import backend as K
import tensorflow as tf
class Mask(tf.keras.layers.Layer):
    def call(self, x):
        mask = K.ones(K.stack([K.shape(x)[0], 4]))  # expect: RL111
        return x * K.ones((4, 4)) * mask  # expect: RL111
""",
        # A projection made under a test of the input's width: Keras gives `call` the same
        # widths on every step, so the arm runs on every call.
        """
import tensorflow as tf
class Residual(tf.keras.layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units
    def call(self, x):
        if x.shape[-1] != self.units:
            x = tf.keras.layers.Dense(self.units)(x)  # expect: RL111
        return x
""",
        # The same model applied twice in one graph (an adversarial pass): TF makes
        # `attention_1/dense_1/kernel` beside `attention/dense/kernel`.
        """
import tensorflow.compat.v1 as tf
class Attention(tf.keras.Model):
    def call(self, x):
        queries = tf.keras.layers.Dense(4)(x)  # expect: RL111
        return tf.nn.softmax(queries)
def model_fn(features, labels, mode):
    net = Attention()
    logits = net(features)
    adversarial = net(tf.placeholder(tf.float32, [None, 8]))
    loss = tf.reduce_mean(tf.square(logits - labels))
    train_op = tf.train.AdamOptimizer().minimize(loss, var_list=tf.trainable_variables())
    return loss, train_op
with tf.Graph().as_default():
    model_fn(tf.placeholder(tf.float32, [None, 8]), tf.placeholder(tf.float32, [None, 4]), "train")
""",
        # The same helper given an option: each call of `call` builds a new PReLU.
        """
import tensorflow as tf
def make_activation(kind, **options):
    if kind == "prelu":
        if len(options) == 0:
            return tf.nn.leaky_relu
        return tf.keras.layers.PReLU(**options)  # expect: RL111
    return tf.nn.relu
class Tower(tf.keras.layers.Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activation
        self.proj = tf.keras.layers.Dense(4)
    def call(self, x):
        act = make_activation(self.activation, alpha_initializer="zeros")
        return act(self.proj(x))
""",
        # A `__call__` of one's own replaces Keras' and runs on every call, as `call` does.
        """
import tensorflow as tf
def d_conv(x, channels):
    return tf.keras.layers.Conv2D(channels, 4, strides=2)(x)  # expect: RL111
class Discriminator(tf.keras.Model):
    def __call__(self, segmap, image, training=None):
        return d_conv(tf.concat([segmap, image], axis=-1), 64)
""",
        # Keras optimizers made in the step that applies them.
        """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
for x, y in [(1.0, 2.0)] * 3:
    optimizer = tf.keras.optimizers.Adam(1e-3)  # expect: RL111
    with tf.GradientTape() as tape:
        loss = (model(x) - y) ** 2
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
@tf.function
def train_step(x):
    opt = tf.keras.optimizers.SGD(0.1)  # expect: RL111
    opt.minimize(lambda: tf.reduce_sum(model(x)), model.trainable_variables)
class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(1)
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((self.d(x) - y) ** 2)
        opt = tf.keras.optimizers.RMSprop()  # expect: RL111
        opt.apply_gradients(zip(tape.gradient(loss, self.trainable_variables), self.trainable_variables))
        return {"loss": loss}
""",
        # Keras runs `call` on every call of the model, traced in a tf.function under fit.
        """
from tensorflow.keras import layers, Model
class Net(Model):
    def call(self, x):
        x = layers.Conv2D(64, 3)(x)  # expect: RL111
        x = layers.BatchNormalization()(x)  # expect: RL111
        return layers.Activation("relu")(x)
""",
        # A helper run by `call`, and a lambda stored in __init__ that builds a layer.
        """
import keras
class Block(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.proj = lambda x: keras.layers.Dense(8)(x)  # expect: RL111
    def _make_layer(self, x):
        return keras.layers.Conv2D(8, 3, padding="same")(x)  # expect: RL111
    def call(self, x):
        return self.proj(self._make_layer(x))
""",
        """
import tf_keras
from tf_keras import backend as K
class Scaled(tf_keras.layers.Layer):
    def call(self, x):
        return x * K.variable(2.0)  # expect: RL111
""",
        # A block of one's own made by a helper of `call`, and a layer under a setting.
        """
import tensorflow as tf
class BottleNeck(tf.keras.layers.Layer):
    def __init__(self, growth_rate):
        super().__init__()
        self.conv = tf.keras.layers.Conv2D(growth_rate, 3, padding="same")
    def call(self, x):
        return self.conv(x)
class DenseBlock(tf.keras.layers.Layer):
    def __init__(self, growth_rate, expand_ratio):
        super().__init__()
        self.growth_rate, self.expand_ratio = growth_rate, expand_ratio
    def _make_layer(self, x):
        return tf.concat([x, BottleNeck(self.growth_rate)(x)], axis=-1)  # expect: RL111
    def call(self, x):
        if self.expand_ratio != 1:
            x = tf.keras.layers.Conv2D(8, 1)(x)  # expect: RL111
        return self._make_layer(x)
""",
        # A layer of one's own that makes its weights with `add_weight` in `build` (Keras runs
        # it on the new object's first call), and layers under a setting and `training`.
        """
import tensorflow as tf
from tensorflow.keras.layers import Layer
class Unit(Layer):
    def __init__(self, use_bn=False):
        super().__init__()
        self.use_bn = use_bn
    def call(self, x, training=None):
        x = MLP(8)(x)  # expect: RL111
        if self.use_bn:
            x = tf.keras.layers.BatchNormalization()(x, training=training)  # expect: RL111
        if training:
            x = tf.keras.layers.Dense(8)(x)  # expect: RL111
        if self.use_bn is False:
            x = tf.keras.layers.LayerNormalization()(x)  # expect: RL111
        return x
class MLP(Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units
    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(int(input_shape[-1]), self.units))
    def call(self, x):
        return tf.matmul(x, self.kernel)
""",
        # Keras' base classes imported from where they are defined (tf.keras 2.x, Keras 3).
        """
import tensorflow as tf
from tensorflow.python.keras.engine.base_layer import Layer
from keras.src.models import Model
class Head(Layer):
    def call(self, x):
        return tf.keras.layers.Dense(4)(x)  # expect: RL111
class Net(Model):
    def call(self, x):
        return tf.keras.layers.Dense(4)(x)  # expect: RL111
""",
        # A `Sequential` made in `call` that builds a weighted layer inside its list.
        """
import tensorflow as tf
class FeedForward(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(32, activation="relu")
    def call(self, x):
        return tf.keras.Sequential([self.hidden, tf.keras.layers.Dense(16)])(x)  # expect: RL111
""",
        # `add_weight` in `call` asks for new weights on every call.
        """
import tensorflow as tf
class Cross(tf.keras.layers.Layer):
    def call(self, x):
        w = self.add_weight(name="w", shape=(x.shape[-1], 4))  # expect: RL111
        return tf.matmul(x, w)
""",
        # The function of a `Lambda` layer runs on every call of the layer, which owns
        # nothing it makes (tf_keras raises; Keras 3 makes new weights each call).
        """
import tensorflow as tf
from tensorflow.keras.layers import Conv2D, Dense, Flatten, Input, Lambda
def head(t):
    return Dense(2)(t)  # expect: RL111
x = Input([8, 8, 3])
y = Lambda(lambda t: Conv2D(4, 3, padding="same")(t))(x)  # expect: RL111
model = tf.keras.Model(x, Lambda(head)(Flatten()(y)))
""",
        # Keras runs a metric function given to compile inside its train function.
        """
import tensorflow as tf
def main(n):
    model = tf.keras.Sequential([tf.keras.layers.Dense(3)])
    def accuracy(y_true, y_pred):
        y_true = tf.reshape(y_true, (-1, n))
        return tf.metrics.SparseCategoricalAccuracy()(y_true, y_pred)  # expect: RL111
    model.compile("adam", loss="mse", metrics=[accuracy])
main(3)
""",
        """
import keras
class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(1)
    def train_step(self, data):
        x, y = data
        tracker = keras.metrics.Mean(name="loss")  # expect: RL111
        tracker.update_state(keras.ops.mean((self.d(x) - y) ** 2))
        return {"loss": tracker.result()}
""",
        # The `call` of a Keras class that a factory function defines.
        """
import tensorflow as tf
def make_model(units):
    class Net(tf.keras.Model):
        def call(self, x):
            return tf.keras.layers.Dense(units)(x)  # expect: RL111
    return Net()
""",
        # A weight stored on `self` under a setting only `__init__` sets: every call makes it.
        """
import tensorflow as tf
class ScaledScores(tf.keras.layers.Layer):
    def __init__(self, scaled=True):
        super().__init__()
        self.scaled = scaled
    def call(self, scores):
        if self.scaled:
            self.scale = self.add_weight(name="scale", shape=(scores.shape[-1],))  # expect: RL111
            scores = scores * self.scale
        return scores
""",
        # The same helper built with the flag `True`: every call makes its table.
        """
import tensorflow as tf
class Coder(tf.Module):
    def __init__(self, compression=False):
        super().__init__()
        self._compression = bool(compression)
        if self.compression:
            self._table = tf.Variable(tf.zeros([4]), trainable=False)  # expect: RL111
    @property
    def compression(self):
        return self._compression
class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(1)
    def call(self, x):
        Coder(compression=True)
        return self.dense(x)
""",
        # A build-once flag that only `__init__` writes: nothing turns the guard off.
        """
import tensorflow as tf
class CondNorm(tf.keras.layers.Layer):
    def __init__(self, channels):
        super().__init__()
        self.channels = channels
        self.initialized = False
    def call(self, x):
        if not self.initialized:
            self.mean = self.add_weight(name="mean", shape=(self.channels,), trainable=False)  # expect: RL111
        return x - self.mean
""",
        # Keras' fit runs a model's train_step in a tf.function.
        """
import tensorflow as tf
class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(1)
    def call(self, x):
        return self.d(x)
    def _loss(self, y, p):
        normalizer = tf.Variable(0.0, trainable=False)  # expect: RL111
        return tf.reduce_sum((y - p) ** 2) / (normalizer + 1.0)
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self._loss(y, self(x, training=True))
        return {"loss": loss}
""",
        """
import tensorflow as tf
@tf.function
def step(x):
    w = tf.Variable(tf.ones([2, 2]))  # expect: RL111
    return tf.matmul(x, w)
""",
        """
import tensorflow as tf
def forward(x):
    return tf.keras.layers.Dense(2)(x)  # expect: RL111
fast = tf.function(forward)
y = fast(tf.ones([1, 2]))
""",
        # A strategy object picked in `__init__` from a dict of classes by an argument not
        # known here: its `call` reaches a merge of the network's that makes the bias.
        """
import tensorflow as tf
class Single:
    def __init__(self, net):
        self.net = net
    def call(self, u, v):
        return self.net.merge(self.net.branch(u), v)
class Split:
    def __init__(self, net):
        self.net = net
    def call(self, u, v):
        return self.net.branch(u) * v
class OperatorNet(tf.keras.Model):
    def __init__(self, strategy=None):
        super().__init__()
        self.strategy = {None: Single, "split": Split}[strategy](self)
        self.branch = tf.keras.layers.Dense(4)
    def merge(self, u, v):
        b = tf.Variable(tf.zeros(1))  # expect: RL111
        return tf.reduce_sum(u * v, -1) + b
    def call(self, inputs):
        return self.strategy.call(inputs[0], inputs[1])
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        once_per_graph = _applied_once_per_graph(ctx.analysis)
        for site, canon, how, optimizer in ctx.analysis.optimizers_per_step:
            if how == "loop" and optimizer.steps > 1:
                continue  # applied again in the same turn (an inner loop): one optimizer per phase
            name = canon.split(".")[-1]
            if how == "tf.function":
                message = (f"`{name}` optimizer is created inside the tf.function step that applies it: its variables "
                           "(step count, slots) are created again on every trace, and TF raises")
            else:
                message = (f"`{name}` optimizer is created in the loop body that applies it: every step gets a fresh "
                           "optimizer (step count 1, slots from zero), so the training silently is not this optimizer's")
            yield from ctx.report(self, site, message, help="create the optimizer once, before the loop (or in `__init__`)")
        for b in ctx.analysis.builds:
            if b.kind not in ("variable", "weight", "keras", "metric") or not b.in_tf_function or b.conditional_in_function:
                continue
            what = {"variable": "tf.Variable", "weight": "a weight (`add_weight`)"}.get(b.kind, f"`{b.canon.split('.')[-1]}`")
            if b.canon in tfnames.FILLED_VARIABLES:
                what = f"a variable (`K.{b.canon.split('.')[-1]}`)"
            if b.compiled_fn:
                yield from ctx.report(
                    self, b.site,
                    f"{what} is created inside `{b.compiled_fn}`, which is given to `compile`: Keras runs it "
                    "in its train function, a tf.function, so it is created again on every trace and TF raises under `fit`",
                    help="use a stateless function (`tf.keras.metrics.sparse_categorical_accuracy`) or create the metric once, outside",
                )
                continue
            if b.lambda_fn:
                fn = "a lambda" if b.lambda_fn == "lambda" else f"`{b.lambda_fn}`"
                yield from ctx.report(
                    self, b.site,
                    f"{what} is created inside {fn}, the function of a Keras `Lambda` layer: Keras runs it on every "
                    "call of the layer and tracks nothing it makes, so it is created again each time, never trained "
                    "with the model (tf_keras raises 'Variables were created within a Lambda layer')",
                    help="make a `Layer` subclass that creates it in `__init__` or `build()`, or apply a layer made outside",
                )
                continue
            if b.keras_call and id(b) in once_per_graph:
                continue
            if b.keras_call:
                runner = "it runs" if b.keras_call.endswith(".__call__") else "Keras runs `call`"
                yield from ctx.report(
                    self, b.site,
                    f"{what} is created inside `{b.keras_call}`: {runner} on every call, "
                    "so it is created again each time (and TF raises under `fit` or `tf.function`)",
                    help="create it in `__init__` or `build()` and only apply it in `call`",
                )
                continue
            yield from ctx.report(
                self, b.site,
                f"{what} is created inside a tf.function body: it is created again on every trace",
                help="create it once outside the function (or guard it with `if self.v is None:`)",
            )


def _applied_once_per_graph(analysis) -> set[int]:
    """Builds in the Keras `call` of a graph-mode program (round 28: an Estimator's `model_fn`
    applies the model once in each graph) whose objects are applied at most once in any one
    graph, in a program that trains no Keras object through Keras (no `fit`, no Keras
    optimizer step, no read of a model's variable lists): the graph's collections hold the
    one copy each graph makes, and that copy is what is trained and saved."""
    if analysis.keras_steps or analysis.keras_optimizer_steps or analysis.list_reads or analysis.model_reads:
        return set()
    applied: dict[tuple, int] = {}
    for key in analysis.keras_applications:
        applied[key] = applied.get(key, 0) + 1
    again = {cls for (cls, _, _), n in applied.items() if n > 1}
    return {id(b) for b in analysis.builds
            if b.keras_call and b.graph_program and b.keras_class is not None and b.keras_class not in again}
