from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic, Edit, Fix
from reuse_lint.engine.queries import clashes, compatible, crosses_entries
from reuse_lint.engine.values import Const
from reuse_lint.rules.base import Rule, RuleContext


class ScopeArgumentIgnored(Rule):
    """
    ## What it does
    Finds a scope or a reuse flag passed positionally into the wrong parameter of
    `tf.variable_scope(name_or_scope, default_name=None, values=None, ...)`:
    `tf.variable_scope("bert", scope)` puts the caller's `scope` into `default_name`, and
    `tf.variable_scope(scope, reuse)` puts `reuse` into `default_name`. It reports the
    argument; a reuse flag only where it would have changed a variable's creation: not when
    it is off wherever the scope is entered, nor when the variables under it are reused
    anyway when it is on (the flag is also handed to the inner scopes that create them, or
    `if reuse: scope.reuse_variables()` follows). A flag that is
    the function's parameter is followed to the values the project's calls give it (passed
    on through the callers' own parameters): when every one is False, None or 0, it is off
    wherever the scope is entered. A function that nothing in the project calls is reported
    whatever its default: its parameter exists for callers to pass True, and a caller that
    does fails. A string literal there (`tf.variable_scope("block", "Block")`) is not
    reported: nothing is lost. A scope or name part there (`tf.variable_scope("unit_",
    str(i))`) is reported where a second construction meets the one name: two entries of the
    scope in one graph that pass it two different constants (a second call of the builder,
    a loop, a second instance) or that make one variable; or where it is the function's
    parameter and callers outside the project set it (nothing in the project calls the
    function, or passes it on from such a caller). A builder the project calls once loses
    only a part of the name.

    ## Why is this bad?
    `default_name` is used only when `name_or_scope` is None, so the argument is ignored.
    Two instances built with different `scope=` then share one name and collide (`Variable
    bert/embeddings/... already exists`), and a `reuse=True` passed this way never reaches
    the scope, so the second call fails the same way. Seen in BERT-style model code.

    ## Example
    ```python
    with tf.variable_scope(scope, reuse):
        ...
    ```

    Use instead:
    ```python
    with tf.variable_scope(scope, reuse=reuse):
        ...
    ```

    ## Fix safety
    For a reuse flag, the fix passes it by keyword (`reuse=reuse`): safe, it does what the
    call says. A scope passed as `default_name` has no automatic fix: whether the caller's
    scope or the literal name should win is the author's call.
    """

    CODE = "RL115"
    NAME = "scope-argument-ignored"
    FIXABLE = True
    VALID = (
        """
import tensorflow as tf
def linear(x, scope=None):
    with tf.variable_scope(scope, "Linear"):
        return tf.layers.dense(x, 1)
""",
        # The flag is ignored here but handed to every inner scope that creates (QANet's
        # highway, round 6 of TRIAGE.md): the second call still shares everything.
        """
import tensorflow as tf
def conv(x, size, name, reuse=None):
    with tf.variable_scope(name, reuse=reuse):
        return tf.matmul(x, tf.get_variable("kernel", [3, size]))
def highway(x, size, scope="highway", reuse=None):
    with tf.variable_scope(scope, reuse):
        gate = tf.sigmoid(conv(x, size, "gate", reuse=reuse))
        return gate * conv(x, size, "activation", reuse=reuse)
""",
        # A string literal as `default_name` next to a given name: ignored, but no caller's
        # scope or reuse flag is lost with it (panlc2004/tensorflow_L, round 10 of TRIAGE.md).
        """
import tensorflow as tf
x = tf.zeros([2, 2])
with tf.variable_scope("block", "Block", [x]):
    w = tf.get_variable("w", [2, 1])
""",
        # The flag is misplaced, but the generator that passes its own on is built once with
        # its default, so every value that reaches it is False (KerrWu/VAE-tensorflow, round
        # 14 of TRIAGE.md): TF makes each variable once. `up_block` runs as an entry point
        # here, as it does when its module is linted alone.
        """
import tensorflow as tf
def up_block(x, name, reuse=False):
    with tf.variable_scope(name, reuse):
        return tf.matmul(x, tf.get_variable("w", [4, 4]))
def g_net(z, reuse=False):
    with tf.variable_scope("generator"):
        return up_block(up_block(z, "up1", reuse=reuse), "up2", reuse=reuse)
def build_gan(z):
    return g_net(z)
""",
        # The index is lost from the name, but the one call is the only entry into the scope
        # (dugzzuli/TFDL, round 20 of TRIAGE.md): TF makes `unit_/c/w` once, no collision.
        """
import tensorflow as tf
def conv(name, x):
    with tf.variable_scope(name):
        return tf.matmul(x, tf.get_variable("w", [4, 4]))
def unit(x, i=0):
    with tf.variable_scope("unit_", str(i)):
        return conv("c", x) + x
def build(x):
    return unit(conv("first", x), 0)
""",
        # The flag is ignored, but `if reuse: scope.reuse_variables()` turns reuse on in the
        # outer scope whenever it is true, and the inner scope inherits it: every creation is
        # shared when the flag asks for it (fullfanta/pix2pix-tensorflow, round 19 of
        # TRIAGE.md). Nothing calls `d_block` here, as when its callers are in another module.
        """
import tensorflow as tf
def d_block(x, reuse):
    with tf.variable_scope("critic", reuse) as scope:
        if reuse:
            scope.reuse_variables()
        with tf.variable_scope("h0", reuse):
            w = tf.get_variable("w", [4, 1])
        return tf.matmul(x, w)
""",
    )
    INVALID = (
        """
import tensorflow as tf
def encoder(x, reuse=False):
    with tf.variable_scope("encoder", reuse):  # expect: RL115
        return tf.layers.dense(x, 1)
""",
        # One call asks for reuse=True: `up_block` never gives it to its scope.
        """
import tensorflow as tf
def up_block(x, name, reuse=False):
    with tf.variable_scope(name, reuse):  # expect: RL115
        return tf.matmul(x, tf.get_variable("w", [4, 4]))
def g_net(z, reuse=False):
    with tf.variable_scope("generator"):
        return up_block(up_block(z, "up1", reuse=reuse), "up2", reuse=reuse)
def build_gan(z, z_sample):
    return g_net(z), g_net(z_sample, reuse=True)
""",
        # `reuse_variables()` runs only after the variable is made: on the `reuse=True`
        # call TF raises `Variable critic/w already exists`.
        """
import tensorflow as tf
def d_block(x, reuse):
    with tf.variable_scope("critic", reuse) as scope:  # expect: RL115
        w = tf.get_variable("w", [4, 1])
        if reuse:
            scope.reuse_variables()
        return tf.matmul(x, w)
""",
        """
import tensorflow as tf
def bert(x, scope=None):
    with tf.variable_scope("bert", scope):  # expect: RL115
        return tf.layers.dense(x, 1)
""",
        # Called twice: both units are `unit_`, and TF raises `Variable unit_/c/w already exists`.
        """
import tensorflow as tf
def conv(name, x):
    with tf.variable_scope(name):
        return tf.matmul(x, tf.get_variable("w", [4, 4]))
def unit(x, i=0):
    with tf.variable_scope("unit_", str(i)):  # expect: RL115
        return conv("c", x) + x
def build(x):
    return unit(unit(conv("first", x), 0), 1)
""",
        # Under AUTO_REUSE the loop's three units silently share one `net/unit_/w`.
        """
import tensorflow as tf
def unit(x, i):
    with tf.variable_scope("unit_", str(i)):  # expect: RL115
        return tf.matmul(x, tf.get_variable("w", [4, 4]))
def build(x):
    with tf.variable_scope("net", reuse=tf.AUTO_REUSE):
        for i in range(3):
            x = unit(x, i)
    return x
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        seen = set()
        collided = _second_constructions(ctx)
        for site, kind, _call in ctx.analysis.misplaced:
            if id(site.node) in seen:
                continue
            seen.add(id(site.node))
            fix = None
            if kind == "reuse" and id(_call) not in ctx.analysis.ignored_reuse_matters:
                continue  # off wherever it was read, or every creation under it reuses anyway
            if kind == "scope" and id(_call) not in ctx.analysis.scope_argument_open and id(_call) not in collided:
                continue  # the project's own calls are all there is, and none collides
            if kind == "reuse":
                message = "This reuse flag is passed as `default_name` (the 2nd positional parameter) and is ignored"
                hint = "pass it by keyword: reuse=..."
                fix = self._fix(ctx, site, _call)
            else:
                message = "This argument is passed as `default_name`, which is ignored when a scope name is given"
                hint = "pass the scope first (name_or_scope) and the fixed name as default_name: variable_scope(scope, \"name\")"
            yield from ctx.report(self, site, message, help=hint, fix=fix)

    def _fix(self, ctx: RuleContext, site, call) -> Fix | None:
        # Only the plain form `variable_scope(name, flag)`: with more positional arguments,
        # moving one to a keyword would shift the others.
        if len(call.args) != 2 or any(kw.arg == "reuse" for kw in call.keywords):
            return None
        line, col, _, _ = ctx.position(site)
        return Fix("pass the flag as reuse=", (Edit(line, col, line, col, "reuse="),), safe=True)


def _second_constructions(ctx: RuleContext) -> set[int]:
    """The misplaced scope calls that a second construction in one graph reaches where the
    argument would have named it apart (a second call of the builder, a loop, a second
    instance): two entries on one path that pass two different constants (`str(i)` with i
    0 and 1), or two entries that make one variable (TF's `already exists`). Either way
    the entries meant as two scopes are one: an error, or, under reuse, weights shared
    by mistake."""
    found = set()
    entries: dict[tuple, list] = {}
    for entry in ctx.analysis.ignored_scope_names:
        earlier = entries.setdefault((id(entry.call), entry.prefix, entry.graph, entry.trace), [])
        if entry.prefix is not None and isinstance(entry.value, Const) and any(
            isinstance(e.value, Const) and e.value != entry.value and compatible(e, entry) for e in earlier
        ):
            found.add(id(entry.call))
        earlier.append(entry)
    calls = {id(e.call): e.call for e in ctx.analysis.ignored_scope_names}
    for clash in clashes(ctx.analysis):
        found.update(key for key, call in calls.items() if crosses_entries(clash, call))
    return found
