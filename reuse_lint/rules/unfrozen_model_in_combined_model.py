from __future__ import annotations

import ast
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.events import KerasStep
from reuse_lint.engine.values import Const
from reuse_lint.rules.base import Rule, RuleContext


class UnfrozenModelInCombinedModel(Rule):
    """
    ## What it does
    Finds the Keras GAN whose discriminator is still trainable when the combined model
    (`Model(z, discriminator(generator(z)))`, `Model(z, [discriminator(generator(z)), generator(z)])`
    or `Sequential([generator, discriminator])`) is compiled, while a loop trains both the discriminator on its own and the combined model.
    It reports the combined model's `compile`.

    ## Why is this bad?
    A compiled Keras model trains every weight that was trainable when it was compiled. The
    combined model's step is meant to train the generator to fool a fixed discriminator; with
    the discriminator unfrozen it also trains the discriminator, on fakes labelled real,
    undoing what the discriminator's own step learned. Nothing fails: the losses move, and the
    generator learns little or nothing. `reuse-lint trace --steps N` shows the combined step
    changing the discriminator's variables (RT206).

    ## Example
    ```python
    discriminator.compile(optimizer="adam", loss="binary_crossentropy")
    combined = tf.keras.Model(z, discriminator(generator(z)))
    combined.compile(optimizer="adam", loss="binary_crossentropy")
    for step in range(steps):
        discriminator.train_on_batch(images, labels)
        combined.train_on_batch(noise, ones)
    ```

    Use instead:
    ```python
    discriminator.compile(optimizer="adam", loss="binary_crossentropy")
    discriminator.trainable = False  # the combined model trains the generator only
    combined = tf.keras.Model(z, discriminator(generator(z)))
    combined.compile(optimizer="adam", loss="binary_crossentropy")
    ```

    ## Fix safety
    No automatic fix: where the freeze belongs depends on the order of the compiles, which
    the fix would have to move (the discriminator's own compile must come first).
    """

    CODE = "RL119"
    NAME = "unfrozen-model-in-combined-model"
    VALID = (
        # Frozen before the combined model is compiled.
        """
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(2)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
d.compile(optimizer="adam", loss="mse")
d.trainable = False
z = tf.keras.layers.Input((4,))
gan = tf.keras.Model(z, d(g(z)))
gan.compile(optimizer="adam", loss="mse")
for step in range(10):
    d.train_on_batch(x, y)
    gan.train_on_batch(noise, y)
""",
        # Two outputs, the discriminator frozen first.
        """
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(4)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
d.compile(optimizer="adam", loss="mse")
d.trainable = False
z = tf.keras.layers.Input((4,))
fake = g(z)
gan = tf.keras.Model(z, {"valid": d(fake), "fake": fake})
gan.compile(optimizer="adam", loss={"valid": "mse", "fake": "mae"})
for step in range(10):
    d.train_on_batch(x, y)
    gan.train_on_batch(noise, {"valid": y, "fake": x})
""",
        # Frozen by a helper, with the layers too.
        """
import tensorflow as tf
def make_trainable(net, value):
    net.trainable = value
    for layer in net.layers:
        layer.trainable = value
g = tf.keras.Sequential([tf.keras.layers.Dense(2)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
d.compile(optimizer="adam", loss="mse")
make_trainable(d, False)
gan = tf.keras.Sequential([g, d])
gan.compile(optimizer="adam", loss="mse")
for step in range(10):
    d.train_on_batch(x, y)
    gan.train_on_batch(noise, y)
""",
        # Frozen while the stack is built with add(), before it is compiled.
        """
from keras.models import Sequential
from keras.layers import Dense
def stack(g, d):
    model = Sequential()
    model.add(g)
    d.trainable = False
    model.add(d)
    return model
def train(g, d):
    d_on_g = stack(g, d)
    d_on_g.compile(loss="binary_crossentropy", optimizer="sgd")
    d.trainable = True
    d.compile(loss="binary_crossentropy", optimizer="sgd")
    for index in range(100):
        d.train_on_batch(images, labels)
        d_on_g.train_on_batch(noise, ones)
train(Sequential([Dense(2)]), Sequential([Dense(1)]))
""",
        # An autoencoder: the encoder is pre-trained, then fine-tuned with the whole model.
        """
import tensorflow as tf
encoder = tf.keras.Sequential([tf.keras.layers.Dense(2)])
decoder = tf.keras.Sequential([tf.keras.layers.Dense(4)])
decoder.compile(optimizer="adam", loss="mse")
decoder.fit(codes, images)
autoencoder = tf.keras.Sequential([encoder, decoder])
autoencoder.compile(optimizer="adam", loss="mse")
autoencoder.fit(images, images)
""",
        # Toggled around each step (Keras 3 reads the flag when it trains): not ours to judge.
        """
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(2)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
d.compile(optimizer="adam", loss="mse")
gan = tf.keras.Sequential([g, d])
gan.compile(optimizer="adam", loss="mse")
for step in range(10):
    d.trainable = True
    d.train_on_batch(x, y)
    d.trainable = False
    gan.train_on_batch(noise, y)
""",
    )
    INVALID = (
        """
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(2)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
d.compile(optimizer="adam", loss="mse")
z = tf.keras.layers.Input((4,))
gan = tf.keras.Model(z, d(g(z)))
gan.compile(optimizer="adam", loss="mse")  # expect: RL119
for step in range(10):
    d.train_on_batch(x, y)
    gan.train_on_batch(noise, y)
""",
        # Two outputs, the verdict and the generated image (pix2pix's `[valid, fake]`).
        """
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(4)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
d.compile(optimizer="adam", loss="mse")
z = tf.keras.layers.Input((4,))
fake = g(z)
gan = tf.keras.Model(z, [d(fake), fake])
gan.compile(optimizer="adam", loss=["mse", "mae"])  # expect: RL119
for step in range(10):
    d.train_on_batch(x, y)
    gan.train_on_batch(noise, [y, x])
""",
        # Built stage by stage with add(), in functions.
        """
from keras.models import Sequential
from keras.layers import Dense
def stack(g, d):
    model = Sequential()
    model.add(g)
    model.add(d)
    return model
def train(g, d):
    d.compile(loss="binary_crossentropy", optimizer="sgd")
    d_on_g = stack(g, d)
    d_on_g.compile(loss="binary_crossentropy", optimizer="sgd")  # expect: RL119
    for index in range(100):
        d.train_on_batch(images, labels)
        d_on_g.train_on_batch(noise, ones)
train(Sequential([Dense(2)]), Sequential([Dense(1)]))
""",
        # The class form of Keras GAN code: built in __init__, trained in a method.
        """
from tensorflow import keras
class GAN:
    def __init__(self):
        self.discriminator = self.build_discriminator()
        self.discriminator.compile(optimizer="adam", loss="binary_crossentropy")
        self.generator = keras.Sequential([keras.layers.Dense(2)])
        self.combined = keras.Sequential([self.generator, self.discriminator])
        self.combined.compile(optimizer="adam", loss="binary_crossentropy")  # expect: RL119
    def build_discriminator(self):
        x = keras.layers.Input((2,))
        return keras.models.Model(x, keras.layers.Dense(1)(x))
    def train(self, epochs):
        for epoch in range(epochs):
            self.discriminator.train_on_batch(images, labels)
            self.combined.train_on_batch(noise, ones)
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        steps: list[KerasStep] = ctx.analysis.keras_steps
        if ctx.analysis.unseen_freezing:
            return  # some freezing happened where the interpreter cannot follow it
        for compiled in steps:
            if compiled.kind != "compile":
                continue
            for last, flag in zip(compiled.model.lasts, compiled.last_trainable):
                found = self._unfrozen(ctx, steps, compiled, last, flag)
                if found:
                    yield from found
                    break  # one finding a compile, for the first output that shows it

    def _unfrozen(self, ctx: RuleContext, steps: list[KerasStep], compiled: KerasStep, last, flag) -> list:
        if flag != Const(True):
            return []
        if any(s.kind == "freeze" and s.model is last and s.seq > compiled.seq for s in steps):
            return []  # the flag changes later, around the steps: Keras 3 style, not judged
        pair = _trained_together(steps, last, compiled.model)
        if pair is None:
            return []
        own, combined = pair
        inner, outer = _spelled(own.site.node), _spelled(compiled.site.node)
        role = "the model it ends in" if len(compiled.model.lasts) == 1 else "the model one of its outputs comes out of"
        return list(ctx.report(
            self, compiled.site,
            f"`{outer}` is compiled while `{inner}`, {role}, is trainable: "
            f"every `{outer}` step also trains `{inner}`, which has a step of its own",
            related=[ctx.related(own.site, f"`{inner}`'s own step"),
                     ctx.related(combined.site, f"this `{outer}` step also changes `{inner}`'s weights")],
            help=f"set `{inner}.trainable = False` before compiling `{outer}`",
        ))


def _trained_together(steps: list[KerasStep], inner, outer) -> tuple[KerasStep, KerasStep] | None:
    """A training call of each model inside one loop: the alternating steps of a GAN."""
    for a in steps:
        if a.kind != "train" or a.model is not inner:
            continue
        for b in steps:
            if b.kind == "train" and b.model is outer and b.trace == a.trace:
                if {loop for loop, _ in a.loops} & {loop for loop, _ in b.loops}:
                    return a, b
    return None


def _spelled(call: ast.AST) -> str:
    """How the code names the model a method is called on: `self.discriminator`."""
    func = getattr(call, "func", None)
    return ast.unparse(func.value) if isinstance(func, ast.Attribute) else "the model"
