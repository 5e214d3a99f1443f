from __future__ import annotations

from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.events import Site
from reuse_lint.engine.queries import TRUE
from reuse_lint.engine.values import truthy
from reuse_lint.rules.base import Rule, RuleContext


class ScopeOutsideGraph(Rule):
    """
    ## What it does
    Finds a `tf.variable_scope` that is opened and then, inside it, a new graph made the
    default (`with tf.Graph().as_default():`), where variables are then created, when
    something reads the prefix the new graph loses: a selection by the scope's name in that
    graph (`tf.trainable_variables("model/")`, `get_collection(..., scope)`, a name filter
    such as `v.name.startswith("model")`) that finds nothing, or a later construction
    whose `reuse` asks for the variables an earlier one made. A scope around a private
    graph that nothing selects by is dead code, not reported. It reports the `variable_scope`, with the
    graph switch as the related location.

    ## Why is this bad?
    Variable scopes belong to a graph. The new graph starts at its root scope, so the
    prefix never applies: variables meant to be `model/dense/kernel` are `dense/kernel`, a
    checkpoint does not match, every filter by that prefix
    (`tf.trainable_variables("model/")`) selects nothing, and a second model built with
    `reuse=True` shares nothing with the first.

    ## Example
    ```python
    with tf.variable_scope("model"):
        with tf.Graph().as_default():
            y = tf.layers.dense(x, 1)  # dense/kernel, not model/dense/kernel
            model_vars = tf.trainable_variables("model/")  # empty
    ```

    Use instead:
    ```python
    with tf.Graph().as_default():
        with tf.variable_scope("model"):
            y = tf.layers.dense(x, 1)
        model_vars = tf.trainable_variables("model/")
    ```

    ## Fix safety
    No automatic fix: swapping the nesting of the two `with` blocks moves code between blocks.
    """

    CODE = "RL116"
    NAME = "scope-outside-graph"
    VALID = (
        """
import tensorflow as tf
with tf.Graph().as_default():
    with tf.variable_scope("model"):
        w = tf.get_variable("w", [1])
""",
        # A model class that owns its graph: the prefix is lost, but the saver and the
        # parameters take every variable of the graph, whatever its name (round 15 of TRIAGE.md).
        """
import tensorflow as tf
class ConvVAE(object):
    def __init__(self, reuse=False):
        with tf.variable_scope("conv_vae", reuse=reuse):
            self.g = tf.Graph()
            with self.g.as_default():
                self.x = tf.placeholder(tf.float32, [None, 8])
                self.z = tf.layers.dense(self.x, 4, name="enc_z")
                self.saver = tf.train.Saver(tf.global_variables())
    def get_params(self):
        with self.g.as_default():
            return tf.trainable_variables()
vae = ConvVAE()
params = vae.get_params()
""",
        # The filter's name is the graph's own inner scope: it finds every variable.
        """
import tensorflow as tf
class MDNRNN(object):
    def __init__(self, reuse=False):
        with tf.variable_scope("MDNRNN", reuse=reuse):
            self.g = tf.Graph()
            with self.g.as_default():
                with tf.variable_scope("MDNRNN"):
                    self.out = tf.layers.dense(tf.zeros([1, 4]), 2, name="out")
                self.params = [v for v in tf.trainable_variables() if v.name.startswith("MDNRNN")]
rnn = MDNRNN()
""",
        # Every construction opens the scope with reuse=True, so none made variables for a
        # later one to ask for: each instance owns its graph and its weights (round 23).
        """
import tensorflow as tf
class ConvVAE(object):
    def __init__(self, reuse=False):
        with tf.variable_scope("conv_vae", reuse=reuse):
            self.g = tf.Graph()
            with self.g.as_default():
                self.x = tf.placeholder(tf.float32, [None, 8])
                self.z = tf.layers.dense(self.x, 4, name="enc_z")
                self.params = tf.trainable_variables()
class Env(object):
    def __init__(self):
        self.vae = ConvVAE(reuse=True)
train_env = Env()
eval_env = Env()
""",
    )
    INVALID = (
        """
import tensorflow as tf
with tf.variable_scope("model"):  # expect: RL116
    with tf.Graph().as_default():
        w = tf.get_variable("w", [1])
        model_vars = tf.trainable_variables("model/")
""",
        # A second construction asks for the first one's weights; each has its own graph.
        """
import tensorflow as tf
class Critic(object):
    def __init__(self, reuse=False):
        with tf.variable_scope("critic", reuse=reuse):  # expect: RL116
            self.g = tf.Graph()
            with self.g.as_default():
                self.value = tf.layers.dense(tf.zeros([1, 4]), 1, name="value")
train_critic = Critic()
eval_critic = Critic(reuse=True)
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        # Per scope call and trace: has a construction entered it that would make variables
        # (reuse not known to be True; AUTO_REUSE makes them too)? Only then does a later
        # reusing entry ask for variables someone made; entries that all open with
        # reuse=True ask for none (round 23: a VAE every caller builds with reuse=True).
        made: dict[tuple, bool] = {}
        for scope, switch, graph, trace in ctx.analysis.graph_switches:
            key = (trace, id(scope.node))
            after_maker = made.get(key, False)
            made[key] = after_maker or scope.reuse != TRUE
            victim = next((c for c in ctx.analysis.creations if (c.graph, c.trace) == (graph, trace)), None)
            if victim is None or scope.node is None:
                continue
            # A lost prefix harms only what reads it: a selection by the scope's name in the
            # new graph (which then finds nothing), or a second construction whose reuse
            # asks for the first one's variables (each graph has its own). A scope around a
            # private graph that nothing selects by is dead, not harmful.
            if not (_prefix_read(ctx.analysis, scope.name, graph, trace) or (after_maker and truthy(scope.reuse))):
                continue
            yield from ctx.report(
                self, Site(scope.path or switch.path, scope.node),
                f"This scope does not apply inside the new graph below: `{victim.name or 'its variables'}` is created at the new graph's root",
                related=[ctx.related(switch, "a new graph becomes the default here"),
                         ctx.related(victim.stack[-1], "created without the scope's prefix")],
                help="make the graph the default first, then open the variable_scope inside it",
            )


def _prefix_read(analysis, name: str | None, graph: int, trace: int) -> bool:
    """Does a selection in the new graph look for variables under the lost scope `name` and
    find none? A selection that finds them (an inner scope of the same name made them) reads
    a prefix that is there."""
    if not name:
        return False
    under = name + "/"
    for sel in analysis.selections:
        if (sel.graph, sel.trace) != (graph, trace) or sel.names:
            continue
        if sel.how == "scope":
            texts = [sel.pattern] if sel.pattern else []
        elif sel.how == "filter":
            texts = sel.texts
        else:
            continue
        if any(t and (under.startswith(t) or t.startswith(under)) for t in texts):
            return True
    return False
