"""Inputs that once crashed the engine on real projects, and limits it must respect."""

from __future__ import annotations

import textwrap

from reuse_lint.checker import lint_source
from reuse_lint.engine import parse_module
from reuse_lint.engine.interp import Interpreter
from reuse_lint.engine.values import UNKNOWN, Const, OneOf
from reuse_lint.runner import ProjectLoader


def interpret(source: str):
    """The interpreter after running `source`, and the module's globals (before release)."""
    module = parse_module(textwrap.dedent(source), "m.py")
    interpreter = Interpreter()
    interpreter.run_module(module)
    return interpreter, module.globals


def lint(source: str, path: str = "example.py", loader=None):
    return lint_source(textwrap.dedent(source), path, loader=loader)


def test_keyword_only_defaults_of_methods_survive_binding():
    assert lint("""
        class Runner:
            def __init__(self, *, steps=1):
                self.steps = steps
        def make():
            return Runner()
    """) == []


def test_global_declared_in_one_branch():
    assert lint("""
        G = None
        def f(flag):
            if flag:
                global G
                G = 1
            y = 2
            return y
    """) == []


def test_import_cycle_terminates(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "a.py").write_text("import b\nimport tensorflow as tf\nX = 1\n")
    (tmp_path / "b.py").write_text("import a\nY = a.X if hasattr(a, 'X') else 0\n")
    path = tmp_path / "a.py"
    loader = ProjectLoader(lambda p: p.read_bytes())
    assert lint_source(path.read_bytes(), str(path), loader=loader) == []


def test_module_importing_the_linted_file_back_through_a_cycle_is_not_shared(tmp_path):
    # b imports c, then the linted a; c imports b back. c once looked shareable (judged while
    # b's verdict was still provisional), and a later lint handed out c with b and then a, a
    # state the loader never made: KeyError, and the later file's findings were lost.
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "a.py").write_text("import tensorflow as tf\nimport b\n")
    (tmp_path / "b.py").write_text("import c\nimport a\nX = 1\n")
    (tmp_path / "c.py").write_text("import b\nY = 2\n")
    (tmp_path / "d.py").write_text(
        "import tensorflow as tf\nimport c\n"
        "with tf.variable_scope('d'):\n    w = tf.get_variable('w', [1])\n"
        "with tf.variable_scope('d'):\n    v = tf.get_variable('w', [1])\n"
    )
    loader = ProjectLoader(lambda p: p.read_bytes())
    for name in ("a.py", "d.py", "b.py", "d.py"):
        path = tmp_path / name
        loader.begin(str(path))
        findings = lint_source(path.read_bytes(), str(path), loader=loader)
        assert [(f.line, f.code) for f in findings] == ([(6, "RL101")] if name == "d.py" else [])


def test_deep_recursion_in_user_code_is_bounded():
    source = "import tensorflow as tf\n" + "".join(
        f"def f{i}(x):\n    return f{i + 1}(x)\n" for i in range(200)
    ) + "def f200(x):\n    return tf.layers.dense(x, 1)\nf0(1)\nf0(2)\n"
    assert lint(source) == []  # the chain is deeper than the interpreter follows: no claim


def test_very_long_loop_nest_stays_within_budget():
    body = "import tensorflow as tf\n"
    indent = ""
    for i in range(12):
        body += f"{indent}for i{i} in range(3):\n"
        indent += "    "
    body += f"{indent}w = tf.get_variable('w' + str(i0), [1])\n"
    findings = lint(body)
    assert all(f.code == "RL101" for f in findings)


def test_context_manager_state_reaches_the_with_body():
    # A guard flag flipped by a @contextmanager: the second build creates nothing.
    assert lint("""
        import contextlib
        import tensorflow as tf
        class Bench(object):
            def __init__(self):
                self.eval_mode = False
            @contextlib.contextmanager
            def eval_ctx(self):
                self.eval_mode = True
                yield
                self.eval_mode = False
            def build(self):
                if not self.eval_mode:
                    tf.get_variable("scale", initializer=1.0, trainable=False)
            def run(self):
                self.build()
                with self.eval_ctx():
                    with tf.name_scope("Evaluation"):
                        self.build()
        Bench().run()
    """) == []


def test_context_manager_wrapping_a_variable_scope():
    from contextlib import contextmanager  # noqa: F401 - the linted code imports it by name

    findings = lint("""
        from contextlib import contextmanager
        import tensorflow as tf
        @contextmanager
        def model_scope(name, reuse=None):
            with tf.variable_scope(name, reuse=reuse):
                yield
        with model_scope("d"):
            a = tf.get_variable("w", [1])
        with model_scope("d", reuse=True):
            b = tf.get_variable("w", [1])
        with model_scope("d"):
            c = tf.get_variable("w", [1])
    """)
    assert [(f.line, f.code) for f in findings] == [(13, "RL101")]


def test_values_list_in_second_position_is_not_a_misplaced_argument():
    assert lint("""
        import tensorflow as tf
        def net(images, reuse=None):
            with tf.variable_scope("net", [images], reuse=reuse):
                return tf.layers.dense(images, 4, name="fc")
    """) == []


def test_method_of_an_unknown_object_may_create_variables():
    assert lint("""
        import tensorflow as tf
        def main(net):
            with tf.Graph().as_default():
                y = net.encoder(tf.placeholder(tf.float32, [None, 4]))
                return tf.train.Saver(tf.trainable_variables()), y
    """) == []


def test_unknown_context_manager_may_switch_reuse():
    # A variable manager's `reuse_variables()` context (defined in a library we cannot see).
    assert lint("""
        import tensorflow as tf
        from benchmarks import variable_mgr
        def build():
            return tf.get_variable("loss_scale", [1])
        mgr = variable_mgr.make()
        a = build()
        with mgr.reuse_variables():
            b = build()
    """) == []


def test_entry_points_calling_an_api_through_an_alias_are_run():
    # The entry point names no API itself: it calls them under other names.
    findings = lint("""
        import tensorflow as tf
        fc = tf.layers.dense
        sc = tf.variable_scope
        def twice(x):
            with sc("e"):
                a = fc(x, 1, name="out")
            with sc("e"):
                b = fc(x, 1, name="out")
    """)
    assert [(f.line, f.code) for f in findings] == [(9, "RL101")]


def test_attributes_set_on_one_arm_of_an_unknown_if_are_unknown_after_it():
    # After the `if`, self.reuse may be True or False: no claim about the second build.
    assert lint("""
        import sys
        import tensorflow as tf
        class GAN:
            def __init__(self):
                self.reuse = False
                d = self.disc(tf.zeros([1, 2]))
                if len(sys.argv) > 1:
                    self.reuse = True
                else:
                    self.reuse = False
                d2 = self.disc(tf.ones([1, 2]))
            def disc(self, x):
                with tf.variable_scope("d", reuse=self.reuse):
                    return tf.layers.dense(x, 1)
        GAN()
    """) == []


def test_attributes_set_alike_on_both_arms_stay_known():
    findings = lint("""
        import sys
        import tensorflow as tf
        class GAN:
            def __init__(self):
                self.reuse = True
                d = self.disc(tf.zeros([1, 2]))
                if len(sys.argv) > 1:
                    self.reuse = False
                else:
                    self.reuse = False
                d2 = self.disc(tf.ones([1, 2]))
            def disc(self, x):
                with tf.variable_scope("d", reuse=self.reuse):
                    return tf.layers.dense(x, 1)
        GAN()
    """)
    assert [f.code for f in findings] == ["RL102"]


def test_objects_made_on_one_arm_keep_what_that_arm_set_on_them():
    # Each class picked by an unknown key runs on an arm of its own; the object each makes
    # exists only in runs of that arm, so its constructor's attributes are its own state,
    # while an object made before the pick still joins what the arms set on it.
    _, g = interpret("""
        import os
        class Single:
            def __init__(self, net):
                self.net = net
                net.mode = "single"
        class Split:
            def __init__(self, net):
                self.net = net
                self.parts = 2
                net.mode = "split"
        class Net:
            def __init__(self):
                self.mode = None
        net = Net()
        strategy = {None: Single, "split": Split}[os.environ.get("STRATEGY")](net)
    """)
    single, split = g["strategy"].items
    assert single.attrs["net"] is g["net"] and split.attrs["net"] is g["net"]
    assert split.attrs["parts"] == Const(2) and "parts" not in single.attrs
    assert g["net"].attrs["mode"] is UNKNOWN


def test_objects_an_if_chain_binds_are_a_pick_of_the_arm_that_made_each():
    # `trainer = IDEC(...)` on one arm, `trainer = DTCR(...)` on another, no `else`: the name
    # holds the object its arm made (item i on arm i of the `if`, an `elif` nested), an arm
    # that leaves it unbound takes no part, and a method called through it sets what it
    # sets on each object: each object lives only in runs of its own arm.
    _, g = interpret("""
        import os
        class IDEC:
            def __init__(self):
                self.optimizer = None
            def initialize(self):
                if self.optimizer is None:
                    self.optimizer = "adam"
        class DTCR(IDEC):
            pass
        loss = os.environ.get("LOSS")
        if loss == "IDEC":
            trainer = IDEC()
        elif loss == "DTCR":
            trainer = DTCR()
        elif loss == "DEC":
            trainer = IDEC()
        trainer.initialize()
    """)
    pick = g["trainer"]
    idec, (dtcr, dec) = pick.items[0], pick.items[1].items
    assert [o.cls.node.name for o in (idec, dtcr, dec)] == ["IDEC", "DTCR", "IDEC"]
    assert pick.own and all(o.attrs["optimizer"] == Const("adam") for o in (idec, dtcr, dec))


def test_the_none_bound_before_an_if_chain_takes_no_part_in_its_pick():
    # `trainer = None` as a placeholder, then an `elif` chain with no `else`: the path with
    # no trainer fails at its first use, so the path followed is the one with the object.
    _, g = interpret("""
        import os
        class T:
            pass
        trainer = None
        mode = os.environ.get("MODE")
        if mode == "a":
            trainer = T()
        elif mode == "b":
            trainer = T()
        helper = None
        if os.environ.get("HELP"):
            helper = "help"
    """)
    assert [type(item).__name__ for item in g["trainer"].items] == ["Instance", "Instance"]
    assert g["helper"] is UNKNOWN  # a constant is no object: the usual join


def test_objects_made_before_the_if_are_no_arm_s_own():
    # Bound by the arms but made before them: a call through the pick may leave either.
    _, g = interpret("""
        import os
        class T:
            def __init__(self):
                self.optimizer = None
            def initialize(self):
                self.optimizer = "adam"
        a, b = T(), T()
        if os.environ.get("A"):
            trainer = a
        else:
            trainer = b
        trainer.initialize()
    """)
    assert not g["trainer"].own
    assert g["a"].attrs["optimizer"] is UNKNOWN and g["b"].attrs["optimizer"] is UNKNOWN


def test_the_rest_of_a_block_runs_on_each_arm_of_a_chain_that_picks_a_class():
    # `if arch == "mlp": gen = MLP() elif ...: gen = Conv()`: what the picked object's
    # methods return (its models) is known on each path, since the rest of the block runs
    # once on each arm, from the state that arm left, with the arm's tag on what it does.
    interpreter, g = interpret("""
        import os
        import tensorflow as tf
        class MLP:
            def model(self):
                return tf.keras.Sequential([tf.keras.layers.Dense(2)])
        class Conv:
            def model(self):
                return tf.keras.Sequential([tf.keras.layers.Conv1D(2, 3)])
        arch = os.environ.get("ARCH")
        if arch == "mlp":
            gen = MLP()
        elif arch == "conv":
            gen = Conv()
        net = gen.model()
        opt = tf.keras.optimizers.Adam()
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(net(tf.zeros([2, 3, 1])))
        opt.apply_gradients(zip(tape.gradient(loss, net.trainable_variables), net.trainable_variables))
    """)
    steps = interpreter.analysis.keras_optimizer_steps
    assert [[m.parts[0].canon for m in step[1].models] for step in steps] == [
        ["keras.layers.Dense"], ["keras.layers.Conv1D"]]
    assert steps[0][0] is not steps[1][0]  # each path makes its own Adam
    first, second = ({(c.if_id, c.arm) for c in step[5]} for step in steps)
    assert first and second and not first & second  # on different arms of the chain


def test_a_chain_over_one_class_or_before_nothing_is_not_split():
    # One class on every arm (a setting passed on), or nothing after the chain: the usual
    # join (a pick of the objects), one run of what follows.
    interpreter, g = interpret("""
        import os
        import tensorflow as tf
        class T:
            def model(self):
                return tf.keras.Sequential([tf.keras.layers.Dense(2)])
        k = os.environ.get("K")
        if k == "a":
            t = T()
        elif k == "b":
            t = T()
        net = t.model()
    """)
    # The pick's call is followed on each item (session 18's picks of if-chain objects): one
    # `Sequential` site, so one model, reached without a split.
    assert isinstance(g["net"], OneOf) and {type(i).__name__ for i in g["net"].items} == {"KerasObject"}
    assert interpreter._split_paths == 1 and not interpreter._split_chain


def test_an_if_chain_of_more_objects_than_a_pick_holds_is_unknown():
    _, g = interpret("""
        import os
        class T:
            pass
        k = os.environ.get("K")
        if k == "0":
            t = T()
""" + "".join(f"""        elif k == "{i}":
            t = T()
""" for i in range(1, 9)) + """    """)
    assert g["t"] is UNKNOWN


def test_a_layer_of_one_s_own_makes_a_trainable_weight_when_build_always_adds_one():
    from reuse_lint.engine.tfapi.keras import makes_trainable_weight
    _, g = interpret("""
        import tensorflow as tf
        class Centres(tf.keras.layers.Layer):
            def build(self, shape):
                with tf.name_scope("centres"):
                    self.mu = self.add_weight(name="mu", shape=(3, shape[-1]))
        class Inherited(Centres):
            pass
        class Fixed(tf.keras.layers.Layer):
            def build(self, shape):
                self.mu = self.add_weight(name="mu", shape=(3, shape[-1]), trainable=False)
        class Optional(tf.keras.layers.Layer):
            def __init__(self, scaled=False):
                super().__init__()
                if scaled:
                    self.scale = self.add_weight(name="scale", shape=())
        class Holder(tf.keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.dense = tf.keras.layers.Dense(2)
    """)
    assert [makes_trainable_weight(g[n]) for n in ("Centres", "Inherited", "Fixed", "Optional", "Holder")] == [
        True, True, False, False, False]


def test_a_method_entry_sees_what_init_set():
    findings = lint("""
        import tensorflow as tf
        class D:
            def __init__(self):
                self.head = tf.layers.dense
            def twice(self, x):
                with tf.variable_scope("d"):
                    a = self.head(x, 1, name="out")
                with tf.variable_scope("d"):
                    b = self.head(x, 1, name="out")
    """)
    assert [(f.line, f.code) for f in findings] == [(10, "RL101")]


def test_a_list_of_unknown_length_is_only_known_from_its_start():
    """`[f(x) for x in argv]` and `[cell] * n` stand for lists of any length: their first
    items are known, but not their truth (they may be empty), their end or their unpacking."""
    _, g = interpret("""
        import sys
        items = [1 for x in sys.argv]
        repeated = [2] * len(sys.argv)
        first, last, head = items[0], items[-1], repeated[0]
        a, b = items
        if items:
            flag = 1
        else:
            flag = 2
    """)
    assert g["first"] == Const(1) and g["head"] == Const(2)
    assert not any(isinstance(g[name], Const) for name in ("last", "a", "b", "flag")), g


def test_a_value_returned_on_one_arm_joins_what_the_function_returns():
    """`if p: return x` and then falling off the end: the call gives x or None, not None."""
    _, g = interpret("""
        import sys
        def checkpoint(flag):
            if flag:
                return "/tmp/ckpt"
        def always(flag):
            if flag:
                return 1
            return 1
        maybe = checkpoint(sys.argv[1] == "x")
        sure = always(sys.argv[1] == "x")
        known = checkpoint(False)
    """)
    assert not isinstance(g["maybe"], Const), g["maybe"]
    assert g["sure"] == Const(1) and g["known"] == Const(None)


def test_an_arm_after_a_nested_early_return_carries_only_its_own_tag():
    """A nested `if b: return` tags the rest of its arm; the tag must not outlive the arm."""
    interpreter, _ = interpret("""
        import tensorflow.compat.v1 as tf
        def f(a, b):
            if a:
                if b:
                    return
                x = 1
            else:
                w = tf.get_variable("w", [1])
    """)
    [creation] = interpreter.analysis.creations
    assert [c.arm for c in creation.conds] == [1]


def test_graph_reset_inside_an_unknown_context_manager():
    # tensorflow/minigo's oneoffs/sharp_positions.py resets the graph inside `with open(...)`:
    # leaving the block must not pop the fresh graph's empty scope stack.
    assert lint("""
        import tensorflow as tf
        def evaluate(paths, restore):
            with open("results.csv", "w") as results:
                with tf.name_scope("eval"):
                    for idx, path in enumerate(paths):
                        if idx % 50 == 0:
                            tf.reset_default_graph()
                        restore(path)
                        results.write(path)
    """) == []


def test_super_init_of_a_program_base_sets_the_attributes_its_subclass_reads():
    source = """
        class Base:
            def __init__(self, units):
                self.units = units
        class Child(Base):
            def __init__(self):
                super().__init__(4)
        class OldStyle(Base):
            def __init__(self):
                super(OldStyle, self).__init__(8)
        a = Child().units
        b = OldStyle().units
    """
    interpreter, names = interpret(source)
    assert (names["a"], names["b"]) == (Const(4), Const(8))
    interpreter.release()


def test_super_follows_a_small_program_base_method_not_a_library_base_nor_a_large_one():
    source = """
        import tensorflow as tf
        class Base:
            def setup(self):
                return 1
            def heavy(self):
                return 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 0 + 1
        class Net(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.ready = True
            def call(self, x):
                return super().call(x)
        class Child(Base):
            def setup(self):
                return super().setup()
            def heavy(self):
                return super().heavy()
        ready = Net().ready
        other = Child().setup()
        large = Child().heavy()
    """
    interpreter, names = interpret(source)
    assert names["ready"] == Const(True)
    assert names["other"] == Const(1)
    assert not isinstance(names["large"], Const)
    interpreter.release()


def test_package_whose_init_imports_back_the_linted_module_loses_no_finding(tmp_path):
    # A package's `__init__` imports its modules; one of them imports the package back
    # (`import pkg`), another reads a name from it (`from pkg import build`). Linted in order,
    # the later lint of `net.py` was once handed a shared module whose imports led to a state
    # the loader never made: an internal KeyError, and net.py's finding lost
    # (kpe/bert-for-tf2's `bert/` package had this shape).
    (tmp_path / "pyproject.toml").write_text("")
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .net import build\nfrom .extra import helper\n")
    (pkg / "cycle.py").write_text("import tensorflow as tf\nimport pkg\n")
    (pkg / "extra.py").write_text("import tensorflow as tf\nfrom pkg import build\n\ndef helper():\n    return build\n")
    (pkg / "net.py").write_text(
        "import tensorflow as tf\nfrom pkg.cycle import tf as _tf\n\ndef build():\n"
        "    with tf.variable_scope('d'):\n        tf.get_variable('w', [1])\n"
        "    with tf.variable_scope('d'):\n        tf.get_variable('w', [1])\n"
    )
    loader = ProjectLoader(lambda p: p.read_bytes())
    found = {}
    for name in ("__init__.py", "cycle.py", "extra.py", "net.py"):
        path = pkg / name
        loader.begin(str(path))
        found[name] = [(f.line, f.code) for f in lint_source(path.read_bytes(), str(path), loader=loader)]
    assert found == {"__init__.py": [], "cycle.py": [], "extra.py": [], "net.py": [(8, "RL101")]}


def test_a_dict_with_constant_keys_keeps_its_values():
    _, g = interpret("""
        def gen(x):
            return x
        models = {"g": gen, 1: "one"}
        same = models["g"] is gen
        one = models[1]
        missing = models.get("d")
        keys = list(models.keys())
        for key, model in models.items():
            last = key
        by_keyword = dict(a=1)["a"]
    """)
    assert g["models"].items["g"] is g["gen"]
    assert g["one"] == Const("one") and g["missing"] == Const(None) and g["by_keyword"] == Const(1)
    assert [k.value for k in g["keys"].items] == ["g", 1]
    assert g["last"] == Const(1)  # both items' iterations ran, in order


def test_a_dict_changed_where_the_interpreter_cannot_follow_is_unknown():
    _, g = interpret("""
        import somewhere
        a = {"g": 1}
        a[somewhere.key] = 2  # any key may now hold 2
        b = {"g": 1}
        if somewhere.flag:
            b["g"] = 2  # on one arm only
        c = {"g": 1}
        somewhere.fill(c)  # code we do not follow may store anything
        d = {"g": 1}
        d.update(somewhere.more)
        e = {"g": 1}
        e["h"] = 2  # a known key: known
        values = [a["g"], b["g"], c["g"], d["g"], e["h"], e["g"]]
        a_items = a.items()
    """)
    assert [repr(v) if v is UNKNOWN else v for v in g["values"].items] == [
        "UNKNOWN", "UNKNOWN", "UNKNOWN", "UNKNOWN", Const(2), Const(1)]
    assert g["a_items"] is UNKNOWN


def test_functools_partial_calls_its_function_with_the_arguments_given_first():
    _, g = interpret("""
        import functools
        from functools import partial
        def build(x, scale=1, reuse=False):
            return (x, scale, reuse)
        shared = functools.partial(build, reuse=True)
        twice = partial(build, 5, scale=2)
        a = shared(1)
        b = twice(reuse=None)
    """)
    assert [v.value for v in g["a"].items] == [1, 1, True]
    assert [v.value for v in g["b"].items] == [5, 2, None]


def test_a_list_filled_by_append_holds_what_was_appended_and_stays_open():
    # `.append` on a list seen whole keeps its items in order; how many there are, and so the
    # list's truth and length, stay unknown (a loop runs its first passes only).
    from reuse_lint.engine.values import ListVal, truthy

    _, g = interpret("""
        sizes = []
        for s in [8, 6, 4]:
            sizes.append(s)
        first = sizes[0]
        last = sizes[-1]
        a, b = sizes
        n = len(sizes)
    """)
    sizes = g["sizes"]
    assert isinstance(sizes, ListVal) and sizes.changed and sizes.grown
    assert [v.value for v in sizes.items] == [8, 6]  # the loop's first two passes
    assert truthy(sizes) is None
    assert g["first"] == Const(8)
    assert g["last"] is UNKNOWN and g["a"] is not sizes.items[0] and g["n"] is UNKNOWN


def test_an_append_after_another_change_keeps_the_items_seen():
    # After `pop` the items seen are no longer the list's: where the append lands is unknown.
    from reuse_lint.engine.values import ListVal

    _, g = interpret("""
        xs = [1, 2]
        xs.pop()
        xs.append(3)
        ys = [1] * 3
        ys.append(4)
    """)
    assert isinstance(g["xs"], ListVal) and g["xs"].changed and not g["xs"].grown
    assert [v.value for v in g["xs"].items] == [1, 2]
    assert not getattr(g["ys"], "grown", False)


def test_a_list_appended_to_in_a_long_loop_stops_growing():
    from reuse_lint.engine.interp import MAX_APPENDED
    from reuse_lint.engine.values import ListVal

    _, g = interpret("""
        xs = []
        for i in range(3):
            for j in range(3):
                for k in range(3):
                    for m in range(3):
                        for n in range(3):
                            for p in range(3):
                                xs.append(i)
    """)
    assert isinstance(g["xs"], ListVal) and len(g["xs"].items) <= MAX_APPENDED
