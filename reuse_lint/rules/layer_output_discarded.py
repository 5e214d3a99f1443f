from __future__ import annotations

import ast
from typing import Iterable

from reuse_lint import tfnames
from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.events import Site
from reuse_lint.rules.base import Rule, RuleContext

# Statements that can leave the straight line between the store and its overwrite.
_JUMPS = (ast.Return, ast.Raise, ast.Break, ast.Continue, ast.Yield, ast.YieldFrom, ast.Await)


class LayerOutputDiscarded(Rule):
    """
    ## What it does
    Finds, in the `call` of a Keras `Layer`/`Model` subclass, a weighted layer object
    (`Dense`, `Conv2D`, a sub-model) whose output is stored in a name and overwritten before
    anything reads it: `x = self.dense_1(inputs)` and then `x = self.dense_2(inputs)`. It
    looks only at the straight line of one block: a store on one arm of an `if`, or one
    followed by a `return`, `break` or a nested statement before the overwrite, is left
    alone, as are names starting with `_`, normalization layers (their moving statistics
    update whether or not the output is read), and a store whose overwrite (or a statement
    before it) applies the same layer again: only that call's work is lost, not the layer.

    ## Why is this bad?
    Nothing downstream depends on the layer, so every gradient to its weights is `None`:
    `apply_gradients` skips them (Keras warns "Gradients do not exist for variables") and
    the layer keeps its random initial weights, while the model counts and saves it. The
    network is one layer shallower than written, with no error. In a GAN generator the
    overwritten `dense_1` of the first block never trained.

    ## Example
    ```python
    class Generator(tf.keras.Model):
        def call(self, inputs):
            x = self.dense_1(inputs)
            x = self.dense_2(inputs)
            return self.out(x)
    ```

    Use instead:
    ```python
    class Generator(tf.keras.Model):
        def call(self, inputs):
            x = self.dense_1(inputs)
            x = self.dense_2(x)
            return self.out(x)
    ```
    """

    CODE = "RL123"
    NAME = "layer-output-discarded"
    VALID = (
        """
import tensorflow as tf
class Generator(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense_1 = tf.keras.layers.Dense(8)
        self.dense_2 = tf.keras.layers.Dense(8)
    def call(self, inputs, training=False):
        x = self.dense_1(inputs)
        if training:
            x = tf.nn.dropout(x, 0.5)
        x = self.dense_2(x)
        return x
""",
        # A store on one arm, an overwrite after the `if`: the other arm keeps it.
        """
import tensorflow as tf
class Head(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.proj = tf.keras.layers.Dense(4)
        self.out = tf.keras.layers.Dense(1)
    def call(self, x, use_proj=True):
        if use_proj:
            h = self.proj(x)
        h = self.out(x)
        return h
""",
        # A layer without weights, and a store read on the way to its overwrite.
        """
import tensorflow as tf
class Block(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.drop = tf.keras.layers.Dropout(0.1)
        self.dense = tf.keras.layers.Dense(4)
        self.mid = tf.keras.layers.Dense(4)
        self.res = tf.keras.layers.Dense(4)
    def call(self, x):
        h = self.drop(x)
        h = self.dense(x)
        y = self.mid(h)
        y = y + self.res(y)
        return y
""",
        # The overwrite applies the same layer again and reads that output: the first call
        # is only wasted work, the layer still trains.
        """
import tensorflow as tf
class Attention(tf.keras.layers.Layer):
    def __init__(self, heads, width):
        super().__init__()
        self.heads, self.width = heads, width
        self.proj = tf.keras.layers.Dense(heads * width)
    def call(self, x):
        q = self.proj(x)
        q = tf.reshape(self.proj(x), [-1, self.heads, self.width])
        return q
""",
        # `_` says the result is thrown away on purpose.
        """
import tensorflow as tf
class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(4)
    def call(self, x):
        _ = self.dense(x)
        _ = self.dense(x)
        return x
""",
    )
    INVALID = (
        """
import tensorflow as tf
class Generator(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense_1 = tf.keras.layers.Dense(128, activation="relu")
        self.dense_2 = tf.keras.layers.Dense(256, activation="relu")
        self.out = tf.keras.layers.Dense(784, activation="tanh")
    def call(self, inputs):
        x = self.dense_1(inputs)  # expect: RL123
        x = self.dense_2(inputs)
        return self.out(x)
""",
        """
from tensorflow import keras
class Encoder(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.conv_a = keras.layers.Conv2D(8, 3)
        self.conv_b = keras.layers.Conv2D(8, 3)
    def call(self, images):
        feats = self.conv_a(images)  # expect: RL123
        scale = 2.0
        feats = self.conv_b(images) * scale
        return feats
""",
    )

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        seen: set[int] = set()
        for site, canon, func in ctx.analysis.layer_calls:
            if id(site.node) in seen or site.path not in ctx.targets or tfnames.is_normalization_layer(canon):
                continue
            seen.add(id(site.node))
            overwrite = _overwritten_unread(func, site.node)
            if overwrite is None:
                continue
            name = overwrite.targets[0].id
            layer = ast.unparse(site.node.func)
            yield from ctx.report(
                self, site,
                f"The output of `{layer}` is stored in `{name}` and overwritten before anything reads it: "
                f"the layer gets no gradient and keeps its initial weights",
                related=[ctx.related(Site(site.path, overwrite), f"`{name}` is overwritten here")],
                help=f"feed `{name}` into the next layer, or remove `{layer}` if it is not meant to be there",
            )


def _overwritten_unread(func: ast.AST, call: ast.Call) -> ast.Assign | None:
    """The statement that overwrites the name `call`'s result was stored in, when it comes
    later in the same block of `func` with no read of the name and no jump in between."""
    for block in _blocks(func):
        for i, stmt in enumerate(block):
            if not (isinstance(stmt, ast.Assign) and stmt.value is call):
                continue
            if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
                return None
            name = stmt.targets[0].id
            if name.startswith("_") or _dynamic_reads(func, name):
                return None
            layer = ast.dump(call.func)
            for later in block[i + 1:]:
                if _calls(later, layer):
                    # `q = self.proj(x)` then `q = tf.reshape(self.proj(x), ...)`: the layer
                    # is applied again and that output is read, so its weights still train.
                    return None
                mentions = _mentions(later, name)
                if (isinstance(later, ast.Assign) and len(later.targets) == 1
                        and isinstance(later.targets[0], ast.Name) and later.targets[0].id == name
                        and not _mentions(later.value, name) and not _jumps(later)):
                    return later
                if mentions or _jumps(later) or not isinstance(later, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr)):
                    return None
            return None
    return None


def _blocks(func: ast.AST) -> Iterable[list[ast.stmt]]:
    """Every statement list of the function, nested functions and classes left out."""
    todo = [func]
    while todo:
        node = todo.pop()
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block
                todo.extend(s for s in block if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))
        for handler in getattr(node, "handlers", []):
            todo.append(handler)
        for case in getattr(node, "cases", []):
            todo.append(case)


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _calls(node: ast.AST, func: str) -> bool:
    """`node` calls the callee whose `ast.dump` is `func` (the same layer expression)."""
    return any(isinstance(n, ast.Call) and ast.dump(n.func) == func for n in ast.walk(node))


def _jumps(node: ast.AST) -> bool:
    return any(isinstance(n, _JUMPS) for n in ast.walk(node))


def _dynamic_reads(func: ast.AST, name: str) -> bool:
    """A nested function or lambda that may read the name later, a `global`/`nonlocal`
    declaration, or `locals()`/`vars()`/`eval`: the name may be read where we cannot see."""
    for node in ast.walk(func):
        if node is not func and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            if _mentions(node, name):
                return True
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("locals", "vars", "eval", "exec"):
            return True
    return False
