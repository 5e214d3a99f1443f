from __future__ import annotations

from typing import Iterable

from reuse_lint import tfnames
from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.queries import TRUE, auto_scopes_entered_again, rebuilt_models, repeated_builds, reused_site
from reuse_lint.engine.values import AUTO
from reuse_lint.rules.base import Rule, RuleContext


class KerasLayerPerCall(Rule):
    """
    ## What it does
    Finds Keras layer or model objects (`tf.keras.layers.Dense(...)`, `keras.Sequential`,
    `tf.compat.v1.layers.Dense`) constructed inside a function that is applied more than
    once to independent inputs (real data and the generator's fakes), or constructed under
    `variable_scope(..., reuse=True)` (TF 1's `tf.layers` classes excepted there: they make
    their weights with `get_variable` and honour the reuse), or built by a model builder that is called again
    and applied on the spot (`Model(z, build_d()(g(z)))`) beside the model it built before.
    It reports the repeated call (the one asking for reuse). Architecture is left alone:
    layers without weights, a block configured at each call (`conv_bn(x, filters=256)`), a
    block applied to branches of one network (inputs that share an ancestor), a builder
    applied to each `keras.Input` of a multi-input model (one tower per input), stacked
    blocks, classes instantiated more than once, and two models kept under two names (an
    online and a target network).

    ## Why is this bad?
    A Keras layer owns its weights; `variable_scope` reuse does not apply to it. Each
    construction makes new weights, so a "shared" discriminator is silently copied: the
    variables come out as `dense`, `dense_1`, ... and the fake branch is judged by a network
    that never saw real data. TF2 code has the same bug without any scope: a layer built
    inside the function that is called on real and on fake. Layers built once (at module
    level, in `__init__`, in a factory called once) and called many times are fine.

    ## Example
    ```python
    def discriminator(x, reuse=False):
        with tf.variable_scope("discriminator", reuse=reuse):
            return tf.keras.layers.Dense(1)(x)

    d_real = discriminator(real)
    d_fake = discriminator(fake, reuse=True)  # new Dense weights all the same
    ```

    Use instead:
    ```python
    head = tf.keras.layers.Dense(1)

    def discriminator(x):
        return head(x)
    ```

    ## Fix safety
    No automatic fix: moving the construction out of the function changes the program's
    structure, which needs the author.
    """

    CODE = "RL106"
    NAME = "keras-layer-per-call"
    VALID = (
        # One tower per input of a multi-input functional model, trained together (round 34:
        # TF 2.21 builds three Conv1D and three LSTM, and every variable gets a gradient).
        """
from tensorflow.keras import Input, Model
from tensorflow.keras.layers import Conv1D, LSTM, Concatenate, Dense
def branch(x):
    h = Conv1D(16, 3, padding="same")(x)
    return LSTM(8)(h)
acc = Input(shape=(128, 3))
gyro = Input(shape=(128, 3))
out = Dense(6)(Concatenate()([branch(acc), branch(gyro)]))
model = Model([acc, gyro], out)
""",
        # A library test: one method (`fit`, building a default encoder when none was given)
        # run on two objects built apart. Each object holds its own model, as the test asks
        # (TF 2.21: `first.encoder is not second.encoder`, each with its own Dense weights).
        """
import numpy as np
import tensorflow as tf
def default_encoder(name=None):
    model = tf.keras.Sequential(name=name)
    model.add(tf.keras.layers.Flatten())
    model.add(tf.keras.layers.Dense(8, activation="relu"))
    return model
class Adapter:
    def __init__(self, encoder=None):
        self.encoder = encoder
    def fit(self, data, epochs=1):
        if self.encoder is None:
            self.encoder = default_encoder(name="encoder")
        self.encoder.compile(optimizer="adam", loss="mse")
        self.encoder.fit(data, epochs=epochs, verbose=0)
        return self
xs = np.random.rand(40, 8).astype("float32")
def test_fit_on_datasets():
    pairs = tf.data.Dataset.from_tensor_slices((xs, xs)).batch(8)
    first = Adapter()
    first.fit(pairs)
    def samples():
        for i in range(40):
            yield xs[i], xs[i]
    generated = tf.data.Dataset.from_generator(samples, output_signature=(tf.TensorSpec([8], tf.float32), tf.TensorSpec([8], tf.float32))).batch(8)
    second = Adapter()
    second.fit(generated)
    assert first.encoder is not second.encoder
""",
        # Layers without weights: a new Activation per call shares and copies nothing.
        """
import tensorflow as tf
def act(x):
    return tf.keras.layers.Dropout(0.5)(tf.keras.layers.Activation("relu")(x))
a = act(tf.zeros([1, 2]))
b = act(tf.ones([1, 2]))
""",
        # A block configured at each call, on the two inputs of one functional model.
        """
import tensorflow as tf
def conv_bn(x, filters):
    x = tf.keras.layers.Conv2D(filters, 1, use_bias=False)(x)
    return tf.keras.layers.BatchNormalization()(x)
small, large = tf.keras.Input([16, 16, 8]), tf.keras.Input([32, 32, 4])
a = conv_bn(small, 16)
b = conv_bn(large, 16)
""",
        # Two classes whose constructors build the same encoder: two models, as asked.
        """
import tensorflow as tf
def encoder(spec):
    return tf.keras.Sequential([tf.keras.layers.Dense(8)])
class Actor:
    def __init__(self, spec):
        self.body = encoder(spec)
class Critic:
    def __init__(self, spec):
        self.body = encoder(spec)
actor = Actor(tf.TensorSpec([3]))
critic = Critic(tf.TensorSpec([3]))
""",
        # One class instantiated twice: two networks, as the code asks.
        """
import tensorflow as tf
class Net:
    def __init__(self, spec):
        self.fc = tf.keras.layers.Dense(4)
a = Net(tf.TensorSpec([3]))
b = Net(tf.TensorSpec([5]))
""",
        # Heads made by a factory, configured apart.
        """
import tensorflow as tf
def Head(units, name):
    def head(x):
        return tf.keras.layers.Dense(units, name=name)(x)
    return head
x1, x2 = tf.keras.Input([4]), tf.keras.Input([8])
out_0 = Head(3, "head_0")(x1)
out_1 = Head(3, "head_1")(x2)
""",
        # Stacked blocks that return a tuple: each block is fed by the one before.
        """
import tensorflow as tf
def block(x, p):
    h = tf.keras.layers.Conv2D(4, 1)(x) + tf.random.normal([4])
    return h, x
x, p = tf.zeros([1, 8, 8, 4]), tf.ones([1, 8, 8, 4])
x, p = block(x, p)
x, p = block(x, p)
""",
        """
import tensorflow as tf
head = tf.keras.layers.Dense(1)
def discriminator(x):
    return head(x)
real = tf.zeros([8, 2])
fake = tf.random.normal([8, 2])
a = discriminator(real)
b = discriminator(fake)
""",
        # Twin critics: built twice on the same input, meant to differ.
        """
import tensorflow as tf
def critic(s):
    return tf.keras.layers.Dense(1)(s)
s = tf.zeros([8, 2])
q1 = critic(s)
q2 = critic(s)
""",
        # Issue #16: a model cut out of an existing one makes no weights, even per call.
        """
import tensorflow as tf
vgg = tf.keras.applications.VGG19(include_top=False, weights=None)
def perceptual(images):
    with tf.variable_scope("vgg", reuse=tf.AUTO_REUSE):
        cut = tf.keras.Model(inputs=vgg.input, outputs=vgg.get_layer("block5_conv4").output)
        return cut(images)
real = perceptual(tf.zeros([1, 32, 32, 3]))
fake = perceptual(tf.ones([1, 32, 32, 3]))
""",
        # Two networks kept under two names (an online and a target network): both meant.
        """
import keras
def build_q():
    x = keras.Input([4])
    return keras.Model(x, keras.layers.Dense(2)(x))
online = build_q()
target = build_q()
q = online(keras.Input([4]))
""",
        # A block's two batch norms, after its expand and its projection conv (an EfficientNet
        # block, round 8): the conv helper pads under a condition and the names come from a
        # flag, so what flows between the two calls is lost; they are one stack, not one
        # layer applied to independent inputs.
        """
import os
import tensorflow as tf
def conv(x, filters, pad=False, name=""):
    if pad and filters > 1:
        x = tf.keras.layers.ZeroPadding2D(1, name=name + "pad")(x)
    return tf.keras.layers.Conv2D(filters, 3, name=name + "conv")(x)
def bn(x, name=""):
    return tf.keras.layers.BatchNormalization(name=name + "bn")(x)
def block(x, expand, pad, name):
    h = bn(conv(x, 8 * expand, pad, name + "expand_"), name + "expand_")
    return bn(conv(h, 16, pad, name + "project_"), name + "project_")
y = block(tf.keras.Input([16, 16, 8]), 4, os.environ.get("PAD") == "1", os.environ.get("PREFIX", ""))
""",
        # TF 1's layer class (not Keras's) under an AUTO_REUSE scope, in a builder called twice
        # (round 9): it makes its kernel with get_variable there, so TF keeps one `G/fc/kernel`.
        """
import tensorflow as tf
def generator(x, scope="G"):
    with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
        return tf.layers.Dense(4, name="fc")(x)
x = tf.placeholder(tf.float32, [None, 3])
a = generator(x)
b = generator(tf.random.normal([8, 3]))
""",
        # A getter that builds its model once, its guard written `== None` (round 21): a
        # Keras model is never equal to None, so both combined models hold the one
        # generator's weights (TF: `gen() is gen()`, its 2 weights in each).
        """
import tensorflow as tf
from tensorflow.keras import layers
def g_build():
    z = tf.keras.Input([4])
    return 2, tf.keras.Model(z, layers.Dense(4)(z))
def d_build():
    x = tf.keras.Input([4])
    return tf.keras.Model(x, layers.Dense(1)(x))
class Trainer:
    def __init__(self):
        self._g, self._d = None, None
        self.g_step()
        self.d_step()
    def gen(self):
        if self._g == None:
            self.depth, self._g = g_build()
        return self._g
    def dis(self):
        if self._d == None:
            self._d = d_build()
        return self._d
    def g_step(self):
        self.gen().trainable = True
        z = tf.keras.Input([4])
        self.g_model = tf.keras.Model(z, self.dis()(self.gen()(z)))
    def d_step(self):
        self.gen().trainable = False
        z = tf.keras.Input([4])
        self.d_model = tf.keras.Model(z, self.dis()(self.gen()(z)))
t = Trainer()
""",
    )
    INVALID = (
        # A Keras GAN whose combined model calls the builder again: a second discriminator.
        """
import keras
from keras import layers
def build_d():
    x = keras.Input([4])
    return keras.Model(x, layers.Dense(1)(layers.Dense(8)(x)))
def build_g():
    z = keras.Input([2])
    return keras.Model(z, layers.Dense(4)(z))
discriminator = build_d()
discriminator.compile("adam", "binary_crossentropy")
z = keras.Input([2])
combined = keras.Model(z, build_d()(build_g()(z)))  # expect: RL106
""",
        """
import tensorflow as tf
def discriminator(x, reuse=False):
    with tf.compat.v1.variable_scope("discriminator", reuse=reuse):
        return tf.keras.layers.Dense(1)(x)
real = tf.zeros([8, 2])
fake = tf.random.normal([8, 2])
a = discriminator(real)
b = discriminator(fake, reuse=True)  # expect: RL106
""",
        # TF 1's layer class with no reuse asked: each call makes `dense`, then `dense_1`.
        """
import tensorflow as tf
def head(x):
    return tf.layers.Dense(1)(x)
a = head(tf.placeholder(tf.float32, [None, 3]))
b = head(tf.random.normal([8, 3]))  # expect: RL106
""",
        """
import tensorflow as tf
def discriminator(x):
    return tf.keras.layers.Dense(1)(x)
real = tf.zeros([8, 2])
fake = tf.random.normal([8, 2])
a = discriminator(real)
b = discriminator(fake)  # expect: RL106
""",
    )

    VALID = VALID + (
        # A builder whose scope defaults to AUTO_REUSE, run once per model, one model per graph
        # (round 29): the scope is entered once, so TF makes one `encoder/lstm`, one
        # `encoder/dense`; nothing is built again.
        """
import tensorflow.compat.v1 as tf
class EventModel(object):
    def __init__(self, steps):
        self.seqs = tf.placeholder(tf.float32, [None, steps, 3])
        self.intensity = self.encoder(self.seqs)
    def encoder(self, x, name="encoder", reuse=tf.AUTO_REUSE):
        with tf.variable_scope(name, reuse=reuse):
            h = tf.keras.layers.LSTM(8)(x)
            return tf.keras.layers.Dense(4)(h)
model = EventModel(5)
""",
        # A factory of one layer per position, its first result placed inside a Sequential
        # stem and a later one applied on the spot (round 27, TF2): each call asks for a layer
        # of its own, and TF makes two PReLUs (`p_re_lu`, `<name>.final_act`), each applied once.
        """
from tensorflow import keras
from tensorflow.keras import layers
def get_activation(activation="relu", **kwargs):
    if activation == "prelu":
        return layers.PReLU(**kwargs)
    return layers.Activation(activation, **kwargs)
def block(inputs, filters, activation, name):
    stem = [layers.Conv2D(filters, 3, padding="same"), get_activation(activation)]
    x = keras.Sequential(stem, name=f"{name}.stem")(inputs)
    x = layers.Conv2D(filters, 3, padding="same")(x)
    return get_activation(activation, name=f"{name}.final_act")(x)
def net(inputs, activation="prelu", name="net"):
    return block(inputs, 8, activation, name=name)
inputs = keras.Input([16, 16, 3])
model = keras.Model(inputs, net(inputs, name=input("name? ")))
""",
        # Eager TF 2 runs only the branch a `tf.cond` takes: one head is made, on real or on
        # fake (graph mode, or a `tf.function`, would build both).
        """
import tensorflow as tf
def d_head(x):
    return tf.keras.layers.Dense(1)(x)
real = tf.zeros([8, 4])
fake = tf.random.normal([8, 4])
score = tf.cond(tf.random.uniform([]) > 0.5, lambda: d_head(real), lambda: d_head(fake))
""",
        # One builder run for two experiments, each model with its own Input and regularizer:
        # two models on purpose, sharing nothing (a notebook comparing regularizers).
        """
import tensorflow as tf
from tensorflow.keras import Input, Model
from tensorflow.keras.layers import Dense
def make(reg=None):
    x = Input((4,))
    return Model(x, Dense(2, kernel_regularizer=reg)(x))
strong = make(tf.keras.regularizers.l2(0.1))
weak = make(tf.keras.regularizers.l2(0.001))
""",
        # A helper that makes a layer from the column it is given, shown on one fixed batch:
        # each call asks for a layer of its own column (round 13, TF2).
        """
import tensorflow as tf
from tensorflow import feature_column
batch = {"age": tf.constant([[30.0]]), "kind": tf.constant([["cat"]])}
def show(column):
    layer = tf.keras.layers.DenseFeatures(column)
    print(layer(batch))
age = feature_column.numeric_column("age")
kind = feature_column.categorical_column_with_vocabulary_list("kind", ["cat", "dog"])
show(age)
show(feature_column.indicator_column(kind))
""",
        # A model builder handed a different normalization layer each time: two models of two
        # input widths, kept and fitted apart (round 13, TF2).
        """
import tensorflow as tf
norm_1 = tf.keras.layers.experimental.preprocessing.Normalization(input_shape=[1])
norm_9 = tf.keras.layers.experimental.preprocessing.Normalization()
def build(norm):
    model = tf.keras.Sequential([norm, tf.keras.layers.Dense(64), tf.keras.layers.Dense(1)])
    model.compile(loss="mae", optimizer="adam")
    return model
one = build(norm_1)
nine = build(norm_9)
""",
        # A block helper applied before and after a grouped convolution whose group count the
        # linter cannot know: the second call is fed by the first through the concatenation.
        """
from tensorflow.keras.layers import Input, Conv2D, Concatenate, Lambda
def conv(x, filters):
    return Conv2D(filters, (1, 1))(x)
def block(x, cardinality, width):
    x = conv(x, 128)
    groups = []
    for i in range(cardinality):
        part = Lambda(lambda z, i=i: z[:, :, :, i * width:(i + 1) * width])(x)
        groups.append(Conv2D(width, (3, 3), padding="same")(part))
    return conv(Concatenate()(groups), 256)
def build(cardinality):
    return block(Input((8, 8, 64)), cardinality, 4)
""",
        # A layer-making helper called for two towers under two scope names whose known
        # tails differ (round 22 of TRIAGE.md): two networks on purpose, whatever the prefix
        # (TF: `dsmmdeep_word/batch_normalization/...` and `dsmmdeep_char/...`, each its own).
        """
import tensorflow as tf
def mlp(x, scope_name, reuse=False):
    with tf.variable_scope(scope_name, reuse=reuse):
        x = tf.layers.BatchNormalization()(x)
        return tf.layers.dense(x, 8)
def towers(model_name):
    word = tf.placeholder(tf.float32, [None, 16])
    char = tf.placeholder(tf.float32, [None, 16])
    deep_word = mlp(word, scope_name=model_name + "deep_word", reuse=False)
    deep_char = mlp(char, scope_name=model_name + "deep_char", reuse=False)
    return deep_word, deep_char
""",
    )
    INVALID = INVALID + (
        # The same builder run on a second input: AUTO_REUSE enters `encoder` again, and the
        # Keras layers ignore it (TF: `encoder_1/lstm_1/...`, `encoder_1/dense_1/...`).
        """
import tensorflow.compat.v1 as tf
class EventModel(object):
    def __init__(self, steps):
        self.seqs = tf.placeholder(tf.float32, [None, steps, 3])
        self.intensity = self.encoder(self.seqs)
        self.future = self.encoder(tf.placeholder(tf.float32, [None, steps, 3]))  # expect: RL106
    def encoder(self, x, name="encoder", reuse=tf.AUTO_REUSE):
        with tf.variable_scope(name, reuse=reuse):  # expect: RL106
            h = tf.keras.layers.LSTM(8)(x)
            return tf.keras.layers.Dense(4)(h)
model = EventModel(5)
""",
        # The two sides of a siamese pair named alike (the prefix unknown, the tail the same):
        # one encoder meant, two made (TF: `pair_encoder/dense/kernel`, `pair_encoder_1/dense_1/kernel`).
        """
import tensorflow as tf
def encode(x, scope_name):
    with tf.variable_scope(scope_name):
        return tf.keras.layers.Dense(8)(x)
def siamese(prefix):
    left = tf.placeholder(tf.float32, [None, 4])
    right = tf.placeholder(tf.float32, [None, 4])
    a = encode(left, prefix + "encoder")
    b = encode(right, prefix + "encoder")  # expect: RL106
    return a, b
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        reported = set()
        entered_again = auto_scopes_entered_again(ctx.analysis.builds, "keras")
        for b in ctx.analysis.builds:
            if b.kind != "keras" or b.reuse not in (TRUE, AUTO) or _finds_first_weights(b):
                continue
            # As RL113 asks of a tf.Variable: under AUTO_REUSE a copy is made only where the
            # scope is entered again (round 29: a builder whose scope defaults to AUTO_REUSE,
            # run once per model and graph, makes each layer once).
            if b.reuse == AUTO and id(b) not in entered_again:
                continue
            site = reused_site([c.site for c in b.calls] + [b.site], b.reuse_site)
            if id(site.node) in reported:
                continue
            reported.add(id(site.node))
            yield from ctx.report(
                self, site,
                f"`{b.canon.split('.')[-1]}` is constructed again under reuse: Keras layers ignore variable_scope reuse, so this builds new weights",
                related=[ctx.related(b.site, "the layer is constructed here, once per call")],
                help="construct the layer once (module level or __init__) and call the same object on every input",
            )
        for r in repeated_builds(ctx.analysis, "keras"):
            if id(r.site.node) in reported or _finds_first_weights(r.second):
                continue
            reported.add(id(r.site.node))
            yield from ctx.report(
                self, r.site,
                f"This call constructs a new `{r.second.canon.split('.')[-1]}` with new weights; the first call's layer is not shared",
                related=[ctx.related(r.related, "the first call builds its own layer"),
                         ctx.related(r.second.site, "constructed here on every call")],
                help="construct the layer once and call the same object on every input",
            )
        for r in rebuilt_models(ctx.analysis):
            if id(r.site.node) in reported:
                continue
            reported.add(id(r.site.node))
            yield from ctx.report(
                self, r.site,
                "This call builds the model again and applies the new copy at once: it has weights "
                "of its own, not those of the model this builder made before",
                related=[ctx.related(r.related, "the model kept from this builder"),
                         ctx.related(r.second.site, "constructed here on every call")],
                help="apply the model you kept (`discriminator(x)`) instead of building another",
            )


def _finds_first_weights(b) -> bool:
    """A TF 1 layer class built again under reuse: its get_variable finds the first one's."""
    return tfnames.is_legacy_layer_class(b.canon) and b.reuse in (TRUE, AUTO)
