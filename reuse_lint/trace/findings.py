"""The trace rules: one table of RT codes, each with its name, summary and documentation.

The trace reports what TensorFlow actually did while building a graph, so every rule here
is backed by an event the hooks saw, never by reading the source.
"""

from __future__ import annotations

from reuse_lint.diagnostics import Diagnostic, Related, RuleDoc

RULES: dict[str, RuleDoc] = {}


def _rule(code: str, name: str, summary: str, doc: str) -> RuleDoc:
    rule = RuleDoc(code, name, summary, doc.strip())
    RULES[code] = rule
    return rule


DUPLICATE_CREATION = _rule(
    "RT201", "duplicate-creation", "a variable was created a second time without reuse",
    """
## What it does
Reports a `get_variable` (or `tf.layers` call) that asked TensorFlow to create a variable
that already exists in the same scope while reuse was off.

## Why is this bad?
TensorFlow raises `ValueError: Variable discriminator/dense/kernel already exists`, and the
script dies before training. The trace records the clash, reuses the existing variable and
goes on, so one run reports every clash.

## Example
    real_logits = discriminator(real_images)
    fake_logits = discriminator(generated_images)   # RT201

## Use instead:
    real_logits = discriminator(real_images, reuse=False)
    fake_logits = discriminator(generated_images, reuse=True)
""")

REUSE_OF_MISSING = _rule(
    "RT202", "reuse-of-missing", "a reuse lookup asked for a variable that was never created",
    """
## What it does
Reports a `get_variable` under `reuse=True` for a name that does not exist, including the
optimizer slot variables (`D/dense/kernel/Adam`) that an optimizer creates under a reuse
flag leaked from `tf.get_variable_scope().reuse_variables()` at the root scope.

## Why is this bad?
TensorFlow raises `ValueError: Variable D/dense/kernel/Adam/ does not exist`. The trace
creates the variable so the run goes on.

## Example
    tf.get_variable_scope().reuse_variables()        # reuse leaks to everything below
    d_fake = discriminator(g)
    train_d = tf.train.AdamOptimizer().minimize(d_loss)   # RT202: slots cannot be created

## Use instead:
    d_fake = discriminator(g, reuse=True)            # reuse only the scope that needs it
""")

SHAPE_MISMATCH = _rule(
    "RT203", "shape-mismatch-on-reuse", "a reused variable was asked for with another shape",
    """
## What it does
Reports a reuse lookup whose requested shape is incompatible with the shape the variable
was created with.

## Why is this bad?
TensorFlow raises `Trying to share variable ..., but specified shape ...`. Usually the
second call feeds a differently shaped input (flattened vs. image) into a shared builder.

## Example
    d_real = discriminator(images)                  # kernel (784, 128)
    d_fake = discriminator(noise, reuse=True)       # RT203: kernel (100, 128)

## Use instead:
    d_fake = discriminator(generator(noise), reuse=True)
""")

SILENT_COPY = _rule(
    "RT204", "silent-copy", "the same builder code made a second, independent set of weights",
    """
## What it does
Reports builder code (the same source lines) that, reached from two call sites, created two
distinct sets of variables with matching shapes under different names, such as
`discriminator/` and `discriminator_1/`, or Keras layers constructed inside the builder.
Copies where one set feeds the other (stacked blocks) are not reported.

## Why is this bad?
Nothing fails: the two calls simply do not share weights. In a GAN the discriminator that
judges fakes is not the one trained on real data.

## Example
    def discriminator(x):
        with tf.variable_scope(None, default_name="discriminator"):
            return tf.layers.dense(x, 1)
    d_real = discriminator(real)
    d_fake = discriminator(fake)        # RT204: creates discriminator_1/dense/kernel

## Use instead:
    def discriminator(x, reuse=False):
        with tf.variable_scope("discriminator", reuse=reuse):
            return tf.layers.dense(x, 1)
""")

CROSS_BUILDER_SHARING = _rule(
    "RT205", "cross-builder-sharing", "one builder got another builder's variable without asking to reuse it",
    """
## What it does
Reports a lookup made by one builder function that returned a variable created by
different code, where the reusing builder never asked for reuse itself: the reuse came
from `reuse=tf.AUTO_REUSE` (which creates or reuses, whichever the names allow) or from a
reuse flag inherited from a scope that other code opened. Sharing the builder wrote on
purpose, `reuse=True` or `scope.reuse_variables()` in its own code (a sampler rebuilding
the generator, tied embedding weights), is not reported.

## Why is this bad?
Two parts of the model silently train the same weights (the decoder's `w` is the
encoder's `w`).

## Example
    with tf.variable_scope("model", reuse=tf.AUTO_REUSE):
        h = encoder(x)     # creates model/w
        y = decoder(h)     # RT205: gets model/w back instead of its own

## Use instead:
    with tf.variable_scope("encoder"):
        h = encoder(x)
    with tf.variable_scope("decoder"):
        y = decoder(h)
""")

OPTIMIZER_VAR_LIST = _rule(
    "RT206", "optimizer-var-list", "an optimizer trains another step's model, misses variables or trains nothing",
    """
## What it does
The dynamic side of RL108, RL109 and RL114. Reports:
  * an optimizer that takes every trainable variable (no `var_list`, or all of
    `tf.trainable_variables()`) whose gradients reach two models (top-level scopes), when
    another optimizer trains one of them with a list of its own, or when two such
    optimizers reach the very same models (RL109; a VAE or an A3C trunk is not reported);
  * a selection by scope string (`tf.get_collection(..., scope="disc")`) that returned
    variables of another scope (`disc_aux/`) which an optimizer then trains (RL108);
  * trainable variables in no optimizer's `var_list` in a model whose other variables are
    trained (RL114; a model no step trains, such as a DQN target, is left alone), and,
    told apart from them, variables in a `var_list` that get no gradient from its loss;
  * an empty `var_list`.

## Why is this bad?
With `minimize(g_loss)` the generator step also moves the discriminator's weights; a
variable in no `var_list` never learns.

## Example
    d_step = opt.minimize(d_loss, var_list=tf.trainable_variables("discriminator/"))
    g_step = opt.minimize(g_loss)     # RT206: trains discriminator/ too

## Use instead:
    g_step = opt.minimize(g_loss, var_list=tf.trainable_variables("generator/"))
""")

MISSING_CONTRIB = _rule(
    "RT207", "missing-contrib-api", "the script uses a tf.contrib API with no replacement",
    """
## What it does
Reports a `tf.contrib` attribute that has no counterpart in `tf_slim` or `tf.compat.v1`;
the trace stops there and reports what was built so far.

## Why is this bad?
`tf.contrib` is gone since TensorFlow 2.0; the script cannot run on a current TensorFlow
until the call is replaced.

## Example
    cell = tf.contrib.rnn.LSTMBlockCell(64)        # RT207

## Use instead:
    cell = tf.compat.v1.nn.rnn_cell.LSTMCell(64)
""")


PER_CALL_CREATION = _rule(
    "RT208", "per-call-creation", "a Keras layer's or model's call made new weights on a later call",
    """
## What it does
The dynamic side of RL111 in a Keras `call`. Reports a line of a user `Layer` or `Model`
subclass that created trainable variables on one call of the object and created them again
on a later call of the same object: a layer built inside `call`, or `K.variable` there.

## Why is this bad?
Eager, every call makes new, randomly initialised weights that no optimizer has seen, so the
model never learns; under `fit` or a `tf.function`, TensorFlow raises "tf.function only
supports singleton tf.Variables created on the first call" on the retrace.

## Example
    class Net(tf.keras.Model):
        def call(self, x):
            return tf.keras.layers.Dense(4)(x)   # RT208 on the second call of the model

## Use instead:
    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(4)

        def call(self, x):
            return self.dense(x)
""")


def diagnostic(rule: RuleDoc, site, message: str, related=(), help: str | None = None) -> Diagnostic:
    """Build the shared finding type at a user `Site` (see recorder.Site)."""
    line, column, end_line, end_column = site.span()
    return Diagnostic(
        code=rule.code,
        name=rule.name,
        message=message,
        path=site.path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        related=tuple(Related(s.path, s.line, s.span()[1], text) for s, text in related),
        help=help,
    )
