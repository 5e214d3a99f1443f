from __future__ import annotations

import ast
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.events import KerasStep
from reuse_lint.engine.queries import callback_recompiles, compatible
from reuse_lint.engine.values import Const, KerasObject
from reuse_lint.rules.base import Rule, RuleContext

_WRITES = ("freeze", "freeze-layers")
TRUE = Const(True)


class TrainableSetAfterCompile(Rule):
    """
    ## What it does
    Finds a Keras model's `trainable` flag, or its layers', changed after the model was
    compiled and before it is trained again (`fit`, `train_on_batch`) with no new `compile` in
    between: `for layer in model.layers[:k]: layer.trainable = False`, or `base.trainable =
    True` for a model inside it. It reports the write of the flag. In a Keras `Callback`, it
    reports each `trainable` write of a hook that `fit` runs while it trains (`on_epoch_begin`,
    `on_epoch_end`, `on_batch_*`, `on_train_batch_*`) when that hook also compiles
    `self.model` again, itself or through a function of the program.

    ## Why is this bad?
    tf_keras (Keras 2, `TF_USE_LEGACY_KERAS=1`) trains the weights that were trainable when
    the model was compiled and ignores the flag until the next `compile`, silently: layers
    frozen after `compile` for transfer learning train anyway, and layers unfrozen for a
    second, fine-tuning phase never do. Keras 3 reads the flag when its train function is
    first made, so there a change after a first `fit` is ignored the same way. The losses move
    either way; only the weights tell.

    Compiling the model again inside one of `fit`'s callback hooks, to make a flag changed
    there count, drops the train function `fit` is calling: `fit` stops with `TypeError:
    'NoneType' object is not callable`, in tf_keras and in Keras 3. A flag changed there
    after `fit`'s first step, with no compile, is ignored until the next `compile`. Stop
    `fit` from the callback (`self.model.stop_training = True`), then change the flag, compile
    and fit again. A callback that compiles in `on_train_end`, after `fit`, is not reported.

    A flag changed after one model's `compile` for the sake of another model compiled next
    (a GAN's discriminator frozen before the combined model is compiled) is what Keras 2 GAN
    code does on purpose, and is not reported; nor is a flag toggled back and forth around
    the training calls, nor one written to the value it already had.

    ## Example
    ```python
    model = build_vgg16(classes)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    for layer in model.layers[:33]:
        layer.trainable = False  # ignored: `compile` fixed what `fit` trains
    model.fit(x, y, epochs=10)
    ```

    Use instead:
    ```python
    model = build_vgg16(classes)
    for layer in model.layers[:33]:
        layer.trainable = False
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x, y, epochs=10)
    ```

    ## Fix safety
    No automatic fix: the `compile` to add (or move) takes the model's optimizer and loss,
    and compiling again gives it a new optimizer state.
    """

    CODE = "RL126"
    NAME = "trainable-set-after-compile"
    VALID = (
        # Frozen, then compiled, then trained.
        """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.Dense(1)])
for layer in model.layers[:1]:
    layer.trainable = False
model.compile(optimizer="adam", loss="mse")
model.fit(x, y)
""",
        # Two-phase fine-tuning that compiles again after unfreezing.
        """
import tensorflow as tf
base = tf.keras.Sequential([tf.keras.layers.Dense(8)])
model = tf.keras.Sequential([base, tf.keras.layers.Dense(1)])
base.trainable = False
model.compile(optimizer="adam", loss="mse")
model.fit(x, y)
base.trainable = True
model.compile(optimizer=tf.keras.optimizers.Adam(1e-5), loss="mse")
model.fit(x, y)
""",
        # The Keras 2 GAN: the discriminator frozen after its own compile, for the combined model.
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
        # The same GAN with the flag toggled around each step (Keras 3's way): not judged here.
        """
import tensorflow as tf
g = tf.keras.Sequential([tf.keras.layers.Dense(2)])
d = tf.keras.Sequential([tf.keras.layers.Dense(1)])
d.compile(optimizer="adam", loss="mse")
d.trainable = False
gan = tf.keras.Sequential([g, d])
gan.compile(optimizer="adam", loss="mse")
for step in range(10):
    d.trainable = True
    d.train_on_batch(x, y)
    d.trainable = False
    gan.train_on_batch(noise, y)
""",
        # Frozen after compile to predict and save, never trained again.
        """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y)
model.trainable = False
model.save("frozen.h5")
""",
        # The models an `if` chain builds, each frozen before its compile.
        """
from keras.models import Sequential
from keras.layers import Dense
if wide:
    model = Sequential([Dense(64), Dense(3)])
    model.layers[0].trainable = False
    model.compile(loss="mse", optimizer="adam")
else:
    model = Sequential([Dense(8), Dense(3)])
    model.compile(loss="mse", optimizer="adam")
model.fit(x, y)
""",
        # Frozen after compile on one arm, compiled on the other: never both in a run.
        """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.Dense(1)])
if args.mode == "scratch":
    model.compile(optimizer="adam", loss="mse")
else:
    for layer in model.layers[:1]:
        layer.trainable = False
    model.compile(optimizer="adam", loss="mse")
model.fit(x, y)
""",
        # The callback stops `fit`; the flag and the compile come after it.
        """
import tensorflow as tf
class Unfreeze(tf.keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 4:
            self.model.stop_training = True
def finetune(model, x, y):
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=10, callbacks=[Unfreeze()])
    model.layers[0].trainable = True
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=10)
""",
        # Compiled again in `on_train_end`, after `fit` has finished.
        """
import tensorflow as tf
class Thaw(tf.keras.callbacks.Callback):
    def on_train_end(self, logs=None):
        self.model.layers[0].trainable = True
        self.model.compile(optimizer="adam", loss="mse")
""",
    )
    INVALID = (
        # A callback that unfreezes a layer and compiles the model inside `fit`, through the
        # project's helper.
        """
import tensorflow as tf
def compile_model(model, lr):
    model.compile(optimizer=tf.keras.optimizers.SGD(lr), loss="mse")
    return model
class SetTrainable(tf.keras.callbacks.Callback):
    def __init__(self, name, epoch):
        super().__init__()
        self.name, self.epoch = name, epoch
    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            self.model.get_layer(self.name).trainable = True  # expect: RL126
            compile_model(self.model, 0.01)
""",
        """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(8), tf.keras.layers.Dense(8), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
for layer in model.layers[:2]:
    layer.trainable = False  # expect: RL126
model.fit(x, y)
""",
        # A builder that compiles, then the fine-tuning script freezes its first layers.
        """
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten
def build(classes):
    model = Sequential()
    model.add(Conv2D(8, 3, input_shape=(32, 32, 3)))
    model.add(Conv2D(8, 3))
    model.add(Flatten())
    model.add(Dense(classes, activation="softmax"))
    return model
def train(finetune):
    for fold in range(5):
        model = build(3)
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        if finetune:
            for layer in model.layers[:2]:
                layer.trainable = False  # expect: RL126
        model.fit(x, y, epochs=2)
train(True)
""",
        # The model built and compiled on the arm of an `if` chain that fits its input.
        """
from keras.models import Sequential
from keras.layers import Conv2D, Dense, Flatten
def build(channels):
    return Sequential([Conv2D(8, 3, input_shape=(32, 32, channels)), Flatten(), Dense(3)])
if channels == 1:
    model = build(1)
    model.compile(loss="mse", optimizer="adam")
elif channels == 3:
    model = build(3)
    model.compile(loss="mse", optimizer="adam")
else:
    model = build(4)
    model.compile(loss="mse", optimizer="sgd")
for layer in model.layers[:1]:
    layer.trainable = False  # expect: RL126
model.fit(x, y)
""",
        # Unfrozen for fine-tuning after a first fit, and trained again without compiling:
        # ignored by tf_keras and by Keras 3.
        """
import tensorflow as tf
base = tf.keras.Sequential([tf.keras.layers.Dense(8)])
model = tf.keras.Sequential([base, tf.keras.layers.Dense(1)])
base.trainable = False
model.compile(optimizer="adam", loss="mse")
model.fit(x, y)
base.trainable = True  # expect: RL126
model.fit(x, y)
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        steps: list[KerasStep] = ctx.analysis.keras_steps
        reported: set = set()
        for write in steps:
            if write.kind not in _WRITES or not _flag(write.value) or write.site in reported:
                continue
            found = _ignored(steps, write)
            if found is None:
                continue
            reported.add(write.site)
            compiled, trained, after_step = found
            flag = write.value.value
            model = _spelled(compiled.site.node)
            change = "frozen" if flag is False else "unfrozen"
            which = "these layers stay" if write.kind == "freeze-layers" else "it stays"
            why = ("tf_keras trains what was trainable at `compile` (and Keras 3 what was at the first step, "
                   "which came before)" if after_step else
                   "tf_keras (Keras 2) trains what was trainable at `compile`")
            yield from ctx.report(
                self, write.site,
                f"`trainable = {flag}` after `{model}` was compiled, and `{model}` is trained with no new "
                f"`compile`: {why}, so {which} {'trainable' if flag is False else 'frozen'}, not {change}",
                related=[ctx.related(compiled.site, f"`{model}` compiled here"),
                         ctx.related(trained.site, f"trained here with the trainable state of that `compile`")],
                help=f"set the flag before `{model}.compile(...)`, or compile `{model}` again after it",
            )
        for hit in callback_recompiles(ctx.analysis):
            yield from ctx.report(
                self, hit.write,
                f"`trainable` is changed in `{hit.callback}`, a Keras callback hook that compiles the model "
                "again while `fit` runs: `compile` drops the train function `fit` is calling (TypeError: "
                "'NoneType' object is not callable, in tf_keras and Keras 3), and a flag changed after "
                "fit's first step never reaches that function",
                related=[ctx.related(hit.compile, "the model is compiled again here, inside `fit`")],
                help="stop `fit` from the callback (`self.model.stop_training = True`), then change the flag, "
                     "compile the model and call `fit` again outside it",
            )


def _flag(value) -> bool:
    return isinstance(value, Const) and isinstance(value.value, bool)


def _ignored(steps: list[KerasStep], write: KerasStep) -> tuple[KerasStep, KerasStep, bool] | None:
    """The compile whose trainable state a later training call of a model holding the
    written object uses, though the write came after it; with that call, and whether the
    model had trained between the compile and the write. None when the write counts."""
    owner = write.model
    for trained in steps:
        if (trained.kind != "train" or trained.seq <= write.seq or trained.trace != write.trace
                or not _holds(trained.model, owner) or not compatible(write, trained)):
            continue
        model = trained.model
        compiles = [c for c in steps if c.kind == "compile" and c.model is model and c.seq < trained.seq
                    and c.trace == trained.trace and compatible(c, trained)]
        if not compiles or compiles[-1].seq > write.seq:
            continue  # compiled again after the write: it takes effect
        compiled = compiles[-1]
        if not compatible(compiled, write):
            continue
        between = [s for s in steps if write.seq < s.seq < trained.seq and s.trace == write.trace]
        if any(s.kind == "compile" for s in between):
            # Set for the model compiled next (a GAN's combined model, whose outputs the
            # analysis may not trace back to the discriminator): the write has its reader.
            continue
        if any(s.kind in _WRITES and s.model is owner for s in between):
            continue  # written again before the step: that write is the one to judge
        if _flag_at(steps, owner, compiled) == write.value:
            continue  # the value it had when compiled: nothing changes
        if any(s.kind in _WRITES and s.model is owner and s.seq > compiled.seq and s.trace == write.trace
               and _flag(s.value) and s.value != write.value for s in steps):
            continue  # toggled around the steps: code written for Keras 3's reading, not judged
        after_step = any(s.kind == "train" and s.model is model and compiled.seq < s.seq < write.seq for s in steps)
        return compiled, trained, after_step
    return None


def _flag_at(steps: list[KerasStep], owner, compiled: KerasStep):
    """The flag the object had when `compiled` ran: its last write before, else True."""
    before = [s for s in steps if s.kind in _WRITES and s.model is owner and s.seq < compiled.seq
              and s.trace == compiled.trace and compatible(s, compiled)]
    return before[-1].value if before else TRUE


def _holds(model, owner) -> bool:
    """`model` is the object, or is made of it (down its parts)."""
    todo, seen = [model], set()
    while todo:
        m = todo.pop()
        if m is owner:
            return True
        if id(m) in seen:
            continue
        seen.add(id(m))
        if isinstance(m, KerasObject):
            todo.extend(m.parts)
    return False


def _spelled(call: ast.AST) -> str:
    """How the code names the model a method is called on: `self.model`."""
    func = getattr(call, "func", None)
    return ast.unparse(func.value) if isinstance(func, ast.Attribute) else "the model"
