"""The models of TensorFlow's APIs are entries in a registry (engine/tfapi): adding one is
registering a canonical name, with no change to the interpreter."""

from __future__ import annotations

import textwrap

from reuse_lint.engine import analyse, parse_module, tfapi
from reuse_lint.engine.values import Const, Tensor


def run(source: str):
    text = textwrap.dedent(source)
    module = parse_module(text, "example.py")
    analysed = analyse(module, None, len(text))
    return module, analysed


def test_a_registered_name_is_modelled_in_every_spelling(monkeypatch):
    """A new entry is called for `tf.x`, `tf.compat.v1.x` and `from tensorflow import x`,
    with the canonical name, the call's arguments, and what it returns is the call's value."""
    seen = []

    def model(interp, canon, node, args, kwargs, module):
        seen.append((canon, node.lineno, [a.value for a in args], {k: v.value for k, v in kwargs.items()}))
        return Const("modelled")

    monkeypatch.setitem(tfapi._EXACT, "tf.new_api", model)
    module, analysed = run("""
        import tensorflow as tf
        from tensorflow.compat.v1 import new_api
        a = tf.new_api(1, b=2)
        c = tf.compat.v1.new_api()
        d = new_api("x")
    """)
    analysed.release()
    assert seen == [("tf.new_api", 4, [1], {"b": 2}), ("tf.new_api", 5, [], {}), ("tf.new_api", 6, ["x"], {})]


def test_a_family_predicate_models_the_names_it_accepts(monkeypatch):
    seen = []

    def model(interp, canon, node, args, kwargs, module):
        seen.append(canon)
        return Const(None)

    monkeypatch.setattr(tfapi, "_FAMILIES", tfapi._FAMILIES + [(lambda canon: canon.startswith("tf.newfamily."), model)])
    _, analysed = run("""
        import tensorflow as tf
        tf.newfamily.One()
        tf.newfamily.Two()
        tf.otherfamily.Three()
    """)
    analysed.release()
    assert seen == ["tf.newfamily.One", "tf.newfamily.Two"]


def test_a_handler_that_declines_leaves_the_generic_treatment(monkeypatch):
    """NOT_SPECIAL: the call is then an unmodelled TF op, as if nothing were registered (a
    `tf.function` call on something that is not a function does that)."""
    monkeypatch.setitem(tfapi._EXACT, "tf.new_api", lambda *args: tfapi.NOT_SPECIAL)
    source = """
        import tensorflow as tf
        with tf.variable_scope("d"):
            v = tf.get_variable("w", [1])
        x = tf.new_api(v)
    """
    module, analysed = run(source)
    names = [c.name for c in analysed.analysis.creations]
    x = module.globals["x"]
    analysed.release()
    assert names == ["d/w"]
    # An unmodelled op's result: a tensor of what flows into it, the variable of model `d`.
    assert x == Tensor(scopes=frozenset({"d"}))
