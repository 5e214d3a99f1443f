from __future__ import annotations

from collections import Counter
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.events import ZippedLists
from reuse_lint.rules.base import Rule, RuleContext

# Name lists longer than this are not compared (a model of thousands of variables would make
# the search for the names' correspondence quadratic for nothing).
_MAX_NAMES = 2000


class TargetUpdateListsMismatch(Rule):
    """
    ## What it does
    Finds `zip(...)` over variable lists (a target network's update, `[tf.assign(t, (1 - tau)
    * t + tau * e) for t, e in zip(target_vars, eval_vars)]`) whose lists do not line up: a
    variable of one list and its copy in another (`target/out/bias` and `eval/out/bias`) are
    not at the same position, or lie beyond the end of the shortest list. It reports the
    `zip`. Only lists whose every variable is known are judged, and only copies: the names
    of one list must all be the other's with one scope part changed (`target` for `eval`).

    ## Why is this bad?
    `zip` stops at its shortest argument without a word. Zipping the actor's target and
    online lists together with the critic's (`zip(at, ae, ct, ce)`) makes as many pairs as
    the actor has variables, so the critic's last target variables never follow their
    online copies; a target list with a layer or a batch-norm statistic the online list
    lacks shifts every later pair, so each target variable moves toward another variable
    (or TensorFlow raises on the first pair of different shapes). The target network then
    drifts from the network it should track, and training degrades with no error.

    ## Example
    ```python
    soft_replace = [[tf.assign(ta, (1 - TAU) * ta + TAU * ea), tf.assign(tc, (1 - TAU) * tc + TAU * ec)]
                    for ta, ea, tc, ec in zip(at_params, ae_params, ct_params, ce_params)]
    ```

    Use instead:
    ```python
    soft_replace = [tf.assign(t, (1 - TAU) * t + TAU * e)
                    for t, e in zip(at_params + ct_params, ae_params + ce_params)]
    ```
    """

    CODE = "RL125"
    NAME = "target-update-lists-mismatch"
    VALID = (
        # One zip over the concatenated lists: every target variable has its pair.
        """
import tensorflow as tf
def actor(s, scope):
    with tf.variable_scope(scope):
        return tf.layers.dense(tf.layers.dense(s, 8, name="l1"), 1, name="a")
def critic(s, scope):
    with tf.variable_scope(scope):
        w = tf.get_variable("w", [3, 8])
        return tf.layers.dense(tf.matmul(s, w), 1)
s = tf.placeholder(tf.float32, [None, 3])
with tf.variable_scope("Actor"):
    actor(s, "eval")
    actor(s, "target")
with tf.variable_scope("Critic"):
    critic(s, "eval")
    critic(s, "target")
at = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Actor/target")
ae = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Actor/eval")
ct = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Critic/target")
ce = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Critic/eval")
update = [tf.assign(t, 0.99 * t + 0.01 * e) for t, e in zip(at + ct, ae + ce)]
hard = [t.assign(e) for t, e in zip(at, ae)]
""",
        # A transfer copy: the new model's extra head has no counterpart in the old one,
        # and `zip` stopping before it is the point.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 4])
with tf.variable_scope("old"):
    h = tf.layers.dense(x, 8, name="body")
with tf.variable_scope("new"):
    h = tf.layers.dense(x, 8, name="body")
    y = tf.layers.dense(h, 2, name="head")
copy = [n.assign(o) for n, o in zip(tf.global_variables("new"), tf.global_variables("old"))]
""",
        # Lists of different models zipped for their own pairs: the actor's `fc` names are
        # no copies of the critic's, and neither list is cut short.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 4])
def net(scope, n):
    with tf.variable_scope(scope):
        h = x
        for i in range(n):
            h = tf.layers.dense(h, 8, name="fc%d" % i)
        return h
net("actor", 2)
net("critic", 2)
pairs = list(zip(tf.trainable_variables("actor"), tf.trainable_variables("critic")))
""",
        # What a call we cannot see made is unknown: the lists may line up.
        """
import tensorflow as tf
import mylib
x = tf.placeholder(tf.float32, [None, 4])
with tf.variable_scope("eval"):
    tf.layers.dense(tf.layers.dense(x, 8, name="l1"), 1, name="out")
with tf.variable_scope("target"):
    mylib.build(x)
    tf.layers.dense(x, 1, name="out")
sync = [t.assign(e) for t, e in zip(tf.global_variables("target"), tf.global_variables("eval"))]
""",
    )
    INVALID = (
        # Four lists in one zip: the critic's fifth pair is never made.
        """
import tensorflow as tf
TAU = 0.01
s = tf.placeholder(tf.float32, [None, 3])
def actor(s, scope):
    with tf.variable_scope(scope):
        return tf.layers.dense(tf.layers.dense(s, 8, name="l1"), 1, name="a")
def critic(s, a, scope):
    with tf.variable_scope(scope):
        w_s = tf.get_variable("w_s", [3, 8])
        w_a = tf.get_variable("w_a", [1, 8])
        b = tf.get_variable("b", [1, 8])
        return tf.layers.dense(tf.nn.relu(tf.matmul(s, w_s) + tf.matmul(a, w_a) + b), 1)
with tf.variable_scope("Actor"):
    a = actor(s, "eval")
    a_ = actor(s, "target")
with tf.variable_scope("Critic"):
    q = critic(s, a, "eval")
    q_ = critic(s, a_, "target")
ae = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Actor/eval")
at = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Actor/target")
ce = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Critic/eval")
ct = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Critic/target")
soft_replace = [[tf.assign(ta, (1 - TAU) * ta + TAU * ea), tf.assign(tc, (1 - TAU) * tc + TAU * ec)]
                for ta, ea, tc, ec in zip(at, ae, ct, ce)]  # expect: RL125
""",
        # The target list holds the batch norm's moving statistics, the online list only
        # what trains: from the first statistic on, every pair is shifted.
        """
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 4])
def q_net(x, scope):
    with tf.variable_scope(scope):
        h = tf.layers.batch_normalization(tf.layers.dense(x, 8, name="fc"), name="bn")
        return tf.layers.dense(h, 2, name="out")
q = q_net(x, "online")
q_target = q_net(x, "target")
target_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="target")
online_vars = tf.trainable_variables(scope="online")
ops = []
for t, o in zip(target_vars, online_vars):  # expect: RL125
    ops.append(t.assign(o))
sync = tf.group(*ops)
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        seen: set[int] = set()
        for zipped in ctx.analysis.zipped_lists:
            if id(zipped.site.node) in seen:
                continue
            found = _mismatch(zipped)
            if found is None:
                continue
            seen.add(id(zipped.site.node))
            a, b, i, j, shortest = found
            first, second = (v.names for v in zipped.lists[:2])
            if i >= shortest and j >= shortest:
                message = (f"`zip` stops at its shortest list ({shortest} variable{'s' if shortest != 1 else ''}): "
                           f"`{a}` is never paired with its copy `{b}`, so this update leaves it behind")
            else:
                wrong = f"`{b}` is paired with `{first[j]}`" if j < shortest else f"`{a}` is paired with `{second[i]}`"
                message = (f"These variable lists do not line up ({len(first)} and {len(second)} variables): "
                           f"{wrong}, not with its copy `{a if j < shortest else b}`")
            yield from ctx.report(
                self, zipped.site, message,
                help="zip lists that hold the same variables in the same order "
                     "(one zip over `target_a + target_c` and `eval_a + eval_c`, one collection for both)",
            )


def _mismatch(zipped: ZippedLists) -> tuple[str, str, int, int, int] | None:
    """The first variable of a zipped list whose copy in another list `zip` does not pair it
    with: (its name, the copy's, their positions, the shortest list's length). With more
    than two lists, only copies both beyond the end of the shortest list: two lists of
    different models may hold like names at different places without being paired."""
    lists = [tuple(v.names) for v in zipped.lists]
    if any(getattr(v.selection, "complete", False) is not True for v in zipped.lists):
        return None
    if any(len(names) > _MAX_NAMES or len(set(names)) != len(names) for names in lists):
        return None
    shortest = min(len(names) for names in lists)
    for x, first in enumerate(lists):
        for second in lists[x + 1:]:
            copies = _copies(first, second)
            if copies is None:
                continue
            where = {name: k for k, name in enumerate(second)}
            for i, name in enumerate(first):
                j = where[copies[name]] if name in copies else None
                if j is None or i == j and i < shortest:
                    continue
                if len(lists) == 2 or (i == j and i >= shortest):
                    return name, copies[name], i, j, shortest
    return None


def _copies(first: tuple[str, ...], second: tuple[str, ...]) -> dict[str, str] | None:
    """Which name of `second` copies each name of `first`: the one-part substitution
    (`target` -> `eval` at one depth) that maps the most names of `first` onto names of
    `second`. None unless it maps at least two names and every name of the shorter list
    has its copy (the lists are copies of one network, one maybe with more)."""
    keys: dict[tuple, list[str]] = {}
    for name in second:
        parts = name.split("/")
        for d in range(len(parts)):
            keys.setdefault((len(parts), d, *parts[:d], *parts[d + 1:]), []).append(parts[d])
    votes: Counter = Counter()
    for name in first:
        parts = name.split("/")
        for d in range(len(parts)):
            for other in keys.get((len(parts), d, *parts[:d], *parts[d + 1:]), ()):
                if other != parts[d]:
                    votes[(d, parts[d], other)] += 1
    if not votes:
        return None
    (d, old, new), count = votes.most_common(1)[0]
    if count < 2 or count < min(len(first), len(second)) or sum(1 for v in votes.values() if v == count) > 1:
        return None
    present = set(second)
    copies = {}
    for name in first:
        parts = name.split("/")
        if d < len(parts) and parts[d] == old:
            copy = "/".join([*parts[:d], new, *parts[d + 1:]])
            if copy in present:
                copies[name] = copy
    return copies if len(copies) == count else None
