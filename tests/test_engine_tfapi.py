"""The models of TensorFlow's APIs are entries in a registry (engine/tfapi): adding one is
registering a canonical name, with no change to the interpreter."""

from __future__ import annotations

import textwrap

from reuse_lint.engine import analyse, parse_module, tfapi
from reuse_lint.engine.values import UNKNOWN, Const, ModelVars, Tensor, TFRef


def run(source: str):
    text = textwrap.dedent(source)
    module = parse_module(text, "example.py")
    analysed = analyse(module, None)
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
    # An unmodelled op's result: a tensor of what flows into it, the variable of model `d`
    # (made in the variable scope `d` itself).
    assert x == Tensor(scopes=frozenset({"d"}), parts=frozenset({"d"}))


HAND_BUILT = """
    import tensorflow as tf
    with tf.variable_scope("enc"):
        h = tf.layers.dense(tf.zeros([2, 3]), 4)
    with tf.variable_scope("dec"):
        y = tf.layers.dense(h, 3)
    loss = tf.reduce_mean(y)
    tvars = tf.trainable_variables("dec/")
    opt = tf.train.AdamOptimizer()
    {step}
"""


def _applied(step: str):
    _, analysed = run(HAND_BUILT.format(step=step))
    uses = [u for u in analysed.analysis.optimizers if u.method == "apply_gradients"]
    analysed.release()
    assert len(uses) == 1
    return uses[0]


def test_hand_built_steps_carry_their_loss_and_list_to_apply_gradients():
    """tf.gradients, clip_by_global_norm, zip, and comprehensions over the gradients or the
    (gradient, variable) pairs keep the step's loss (what it reaches) and its list."""
    steps = [
        "grads, _ = tf.clip_by_global_norm(tf.gradients(loss, tvars), 5.0); opt.apply_gradients(zip(grads, tvars))",
        "grads = [tf.clip_by_norm(g, 1.0) for g in tf.gradients(loss, tvars)]; opt.apply_gradients(list(zip(grads, tvars)))",
        "gvs = opt.compute_gradients(loss, var_list=tvars); opt.apply_gradients([(tf.clip_by_value(g, -1., 1.), v) for g, v in gvs])",
        "gvs = opt.compute_gradients(loss, tvars); opt.apply_gradients([(g * 0.5, v) for g, v in gvs if g is not None])",
        "opt.apply_gradients([(tf.clip_by_norm(g, 1.0), v) for g, v in zip(tf.gradients(loss, tvars), tvars)])",
        "grads, vs = zip(*opt.compute_gradients(loss, tvars)); grads, _ = tf.clip_by_global_norm(grads, 1.0); "
        "opt.apply_gradients(zip(grads, vs))",
    ]
    for step in steps:
        use = _applied(step)
        assert sorted(use.var_list.names) == ["dec/dense/bias", "dec/dense/kernel"], step
        assert isinstance(use.loss, Tensor) and {"enc", "dec"} <= use.loss.scopes, step
    assert _applied(steps[0]).by_hand and not _applied(steps[2]).by_hand


def test_hand_built_steps_that_lose_the_pairs_stay_unknown():
    """A test of the variable, a filtered gradient list (which shifts the pairing) or
    grad_ys (another loss's gradient pushed through) leave the step unknown, never empty."""
    for step in [
        "gvs = opt.compute_gradients(loss, tvars); opt.apply_gradients([(g, v) for g, v in gvs if 'kernel' in v.name])",
        "grads = [g for g in tf.gradients(loss, tvars) if g is not None]; opt.apply_gradients(zip(grads, tvars))",
        "opt.apply_gradients(zip(tf.gradients(y, tvars, grad_ys=tf.ones([2, 3])), tvars))",
    ]:
        use = _applied(step)
        assert not isinstance(use.loss, Tensor), step


def test_a_scope_reports_the_reuse_in_force():
    """`scope.reuse` and `tf.get_variable_scope().reuse` are what TF reports where the
    analysis knows it (an inner scope inherits its outer one's reuse on entry), TF's
    AUTO_REUSE constant under it, and unknown where a caller we did not see may reuse."""
    module, analysed = run("""
        import tensorflow as tf
        top = tf.get_variable_scope().reuse
        with tf.variable_scope("a") as a:
            before = a.reuse
            a.reuse_variables()
            with tf.variable_scope("b") as b:
                inner = tf.get_variable_scope().reuse
            after = a.reuse
        closed = b.reuse
        with tf.variable_scope("c", reuse=tf.AUTO_REUSE):
            auto = tf.get_variable_scope().reuse
        with tf.variable_scope("d", reuse=flag):
            unknown = tf.get_variable_scope().reuse
        def alone():
            if tf.get_variable_scope().reuse:
                w = tf.get_variable("w", [1])
    """)
    values = {name: module.globals[name] for name in ("top", "before", "inner", "after", "closed", "auto", "unknown")}
    alone = [c.name for c in analysed.analysis.creations]
    analysed.release()
    assert values == {"top": Const(False), "before": Const(False), "inner": Const(True), "after": Const(True),
                      "closed": UNKNOWN, "auto": TFRef("tf.AUTO_REUSE"), "unknown": UNKNOWN}
    assert alone == ["w"]  # an entry point analysed alone: its caller may reuse


def test_the_version_string_is_a_tensorflow_2_version_known_in_its_major_part():
    """Tests of `tf.__version__` that every 2.x release answers alike are known; one that
    needs the minor version stays unknown (both arms of its `if` run)."""
    module, analysed = run("""
        import tensorflow as tf
        from tensorflow import __version__ as v
        before_2 = tf.__version__ < "2.0.0"
        at_least_2 = "2.0" <= tf.version.VERSION
        old_api = tf.__version__ <= "0.12"
        below_3 = v < "3"
        major = tf.version.VERSION[0]
        one_x = tf.__version__.startswith("1.")
        two_x = tf.compat.v1.VERSION.startswith("2")
        minor = tf.__version__ < "2.4"
        minor_prefix = tf.__version__.startswith("2.1")
        release = tf.__version__ == "1.15.0"
    """)
    values = dict(module.globals)
    analysed.release()
    known = {"before_2": False, "at_least_2": True, "old_api": False, "below_3": True, "major": "2",
             "one_x": False, "two_x": True, "release": False}
    assert {k: values[k] for k in known} == {k: Const(v) for k, v in known.items()}
    assert values["minor"] is UNKNOWN and values["minor_prefix"] is UNKNOWN


def test_a_slim_layer_runs_its_normalizer_in_its_own_scope_with_its_reuse():
    """As tf_slim does (TF 2.21): `normalizer_fn(outputs, **normalizer_params)` inside the
    layer's scope, no `biases` before it, and the arguments an arg_scope gives the layers it
    lists; the reusing call looks the batch norm up with the weights."""
    module, analysed = run("""
        import tensorflow as tf
        slim = tf.contrib.slim
        def d_net(x, reuse=False):
            with tf.variable_scope("discriminator", reuse=reuse):
                with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm, kernel_size=4):
                    h = slim.conv2d(x, 8, scope="d_conv1")
                return slim.fully_connected(h, 1, normalizer_fn=None, scope="d_fc")
        a = d_net(tf.zeros([2, 8, 8, 1]))
        b = d_net(tf.zeros([2, 8, 8, 1]), reuse=True)
    """)
    made = [(c.name, c.reuse) for c in analysed.analysis.creations]
    analysed.release()
    names = ["discriminator/d_conv1/weights", "discriminator/d_conv1/BatchNorm/beta",
             "discriminator/d_conv1/BatchNorm/moving_mean", "discriminator/d_conv1/BatchNorm/moving_variance",
             "discriminator/d_fc/weights", "discriminator/d_fc/biases"]
    assert made == [(n, Const(False)) for n in names] + [(n, Const(True)) for n in names]


def test_keras_layer_submodules_name_the_public_classes():
    """Keras 2 defines its layers in submodules of `keras.layers` that projects import from
    (`from keras.layers.core import Dense`): each is the class `keras.layers` exports."""
    from reuse_lint import tfnames

    assert tfnames.canonical("keras.layers.core.Dense") == "keras.layers.Dense"
    assert tfnames.canonical("keras.layers.convolutional.Conv2D") == "keras.layers.Conv2D"
    assert tfnames.canonical("tensorflow.python.keras.layers.core.Lambda") == "keras.layers.Lambda"
    assert tfnames.canonical("keras.layers.merge.concatenate") == "keras.layers.merge.concatenate"
    assert tfnames.canonical("keras.layers.Dense") == "keras.layers.Dense"
    module, analysed = run("""
        from keras.layers.core import Dense, Lambda
        from keras.layers import Input
        x = Input(shape=(4,))
        y = Lambda(lambda t: Dense(2)(t))(x)
    """)
    assert [(b.canon, b.site.node.lineno, b.lambda_fn) for b in analysed.analysis.builds] == [("keras.layers.Dense", 5, "lambda")]


def test_reading_a_moving_average_or_a_data_module_leaves_the_selection_complete():
    """`ema.average(x)` looks up what `apply` made, and `getpass`, `urllib`, `platform` make
    no variable: a name filter after them still knows every variable. An unknown library's
    call may have made some."""
    def selection(prelude: str):
        _, analysed = run(f"""
            import getpass, platform, urllib.request
            import tensorflow as tf
            {prelude}
            with tf.variable_scope("d"):
                h = tf.layers.dense(tf.zeros([2, 3]), 3, name="h")
                mean, var = tf.nn.moments(h, [0])
                ema = tf.train.ExponentialMovingAverage(0.9)
                with tf.control_dependencies([ema.apply([mean, var])]):
                    h = tf.identity(h)
                h = h - ema.average(mean)
            d_vars = [v for v in tf.trainable_variables() if v.name.startswith("d/")]
        """)
        (sel,) = [s for s in analysed.analysis.selections if s.how == "filter"]
        analysed.release()
        return sel

    known = selection('user = getpass.getuser(); urllib.request.urlretrieve("u", "f"); os_name = platform.system()')
    assert known.complete and known.names == ("d/h/kernel", "d/h/bias")
    assert not selection("import mylib; mylib.setup()").complete


def test_mpi_a_compiled_pattern_and_a_timestamp_leave_the_selection_complete():
    """MPI's rank, a compiled pattern's `sub` and a timestamp's `strftime` make no variable:
    a name filter after them still knows every variable. A copied object's method may."""
    def selection(prelude: str):
        _, analysed = run(f"""
            import copy, datetime, re
            from mpi4py import MPI
            import tensorflow as tf
            {prelude}
            with tf.variable_scope("d"):
                h = tf.layers.dense(tf.zeros([2, 3]), 3, name="h")
            d_vars = [v for v in tf.trainable_variables() if v.name.startswith("d/")]
        """)
        (sel,) = [s for s in analysed.analysis.selections if s.how == "filter"]
        analysed.release()
        return sel

    known = selection('rank = MPI.COMM_WORLD.Get_rank(); tag = re.compile("-v[0-9]+$").sub("", "Pong-v4"); '
                      'folder = datetime.datetime.now().strftime("%Y-%m-%d")')
    assert known.complete and known.names == ("d/h/kernel", "d/h/bias")
    assert not selection("net = copy.copy([]); net.build()").complete


def test_a_gym_environment_leaves_the_selection_complete():
    """An RL script makes its environment (`gym.make`, `env.seed`, its spaces' shapes) before
    the agent's networks: a simulator makes no variable, so a selection after it still knows
    every variable."""
    _, analysed = run("""
        import gym
        import tensorflow as tf
        env = gym.make("Pendulum-v0").unwrapped
        env.seed(1)
        s_dim = env.observation_space.shape[0]
        with tf.variable_scope("d"):
            h = tf.layers.dense(tf.zeros([2, 3]), 3, name="h")
        d_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="d")
    """)
    (sel,) = analysed.analysis.selections
    analysed.release()
    assert sel.complete and sel.names == ("d/h/kernel", "d/h/bias")


def test_a_zip_of_variable_lists_is_recorded_with_the_lists():
    """`zip(target_vars, eval_vars)` (and a zip of four lists) is recorded with the lists as
    they were; a zip with anything else, or with `strict=True` (which raises), is not."""
    _, analysed = run("""
        import tensorflow as tf
        for scope in ("eval", "target"):
            with tf.variable_scope(scope):
                tf.layers.dense(tf.zeros([2, 3]), 3, name="h")
        t = tf.global_variables("target")
        e = tf.global_variables("eval")
        sync = [a.assign(b) for a, b in zip(t, e)]
        for a, b, c, d in zip(t, e, t, e):
            pass
        named = list(zip(["x", "y"], e))
        checked = list(zip(t, e, strict=True))
    """)
    zipped = [(z.site.node.lineno, [v.names for v in z.lists]) for z in analysed.analysis.zipped_lists]
    analysed.release()
    target, online = ("target/h/kernel", "target/h/bias"), ("eval/h/kernel", "eval/h/bias")
    assert zipped == [(8, [target, online]), (9, [target, online, target, online])]


def test_gradients_of_a_variable_list_are_recorded_as_a_step_by_hand():
    """`tf.gradients(loss, var_list)` over a selection is recorded with its loss and list,
    whatever the gradients become; with respect to tensors (a gradient penalty) it is not."""
    _, analysed = run("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 3])
        with tf.variable_scope("pi"):
            out = tf.layers.dense(x, 2, name="pol")
        pol_vars = [v for v in tf.trainable_variables() if "pol" in v.name]
        flat = tf.concat([tf.reshape(g, [-1]) for g in tf.gradients(tf.reduce_sum(out), pol_vars)], axis=0)
        penalty = tf.gradients(tf.reduce_sum(out), [x])
    """)
    (taken,) = analysed.analysis.hand_gradients
    assert taken.site.node.lineno == 7 and taken.var_list.names == ("pi/pol/kernel", "pi/pol/bias")
    assert isinstance(taken.loss, Tensor) and "pi" in taken.loss.scopes
    analysed.release()


def test_a_dict_by_checkpoint_name_over_a_selection_holds_its_variables_until_changed():
    """`{v.op.name: v for v in sel}` keeps the variables the same list comprehension would,
    and a Saver given it uses that selection; an item stored into the dict, or `update`,
    makes it a dict we no longer know, and a Saver given it uses nothing."""
    def saved(after: str):
        _, analysed = run(f"""
            import tensorflow as tf
            with tf.variable_scope("enc"):
                h = tf.layers.dense(tf.zeros([2, 3]), 3, name="h")
            lookup = {{v.op.name: v for v in tf.global_variables() if v.name.startswith("enc/")}}
            {after}
            saver = tf.train.Saver(lookup)
        """)
        found = [(s.names, [u.method for u in s.used_by]) for s in analysed.analysis.selections if s.how == "filter"]
        analysed.release()
        return found

    assert saved("pass") == [(("enc/h/kernel", "enc/h/bias"), ["saver"])]
    assert saved('lookup["global_step"] = tf.train.get_or_create_global_step()') == [(("enc/h/kernel", "enc/h/bias"), [])]
    assert saved("lookup.update({})") == [(("enc/h/kernel", "enc/h/bias"), [])]


def test_making_the_default_graph_the_default_again_keeps_its_open_scopes():
    """TF 2.21 keeps a graph's scope stacks with the graph: inside `variable_scope('outer')`,
    `with g.as_default():` for the graph already the default still makes `outer/w`; a new graph
    starts with no scope open (`w`)."""
    module, analysed = run("""
        import tensorflow as tf
        g = tf.Graph()
        with g.as_default():
            with tf.variable_scope("outer"):
                with g.as_default():
                    v = tf.get_variable("w", [1])
                with tf.Graph().as_default():
                    u = tf.get_variable("w", [1])
    """)
    made = [c.name for c in analysed.analysis.creations]
    analysed.release()
    assert made == ["outer/w", "w"]


def test_an_optimizer_made_as_a_default_is_one_object_counted_against_its_callers():
    """A default is evaluated once, when the `def` runs: every construction that leaves the
    parameter out gets that one object, and the entry methods run with it when the project
    leaves it out somewhere (or builds the class nowhere)."""
    head = """
        import tensorflow as tf
        class Net(tf.keras.Model):
            def __init__(self, n, optimizer=tf.keras.optimizers.Adam(), lr=1e-3):
                super().__init__()
                self.out = tf.keras.layers.Dense(n)
                self.optimizer = optimizer
            def step(self, x):
                with tf.GradientTape() as tape:
                    loss = tf.reduce_mean(self.out(x))
                self.optimizer.apply_gradients(zip(tape.gradient(loss, self.trainable_variables), self.trainable_variables))
    """

    def counts(tail: str):
        _, analysed = run(textwrap.dedent(head) + tail)
        facts = analysed.analysis.default_optimizers
        stepped = {id(o) for o, *_ in analysed.analysis.keras_optimizer_steps}
        return [(param, owner, total, left, id(o) in stepped) for o, _site, param, owner, total, left in facts]

    assert counts("") == [("optimizer", "Net", 0, 0, True)]  # built nowhere: a library's class
    assert counts("a, b = Net(1), Net(2, tf.keras.optimizers.Adam())\n") == [("optimizer", "Net", 2, 1, True)]
    # Every construction passes its own: the default is never what the step gets.
    assert counts("a, b = Net(1, optimizer=None), Net(2, tf.keras.optimizers.Adam())\n") == [("optimizer", "Net", 2, 0, False)]
    # A use of the class the syntax cannot follow: the counts are unknown.
    assert counts("factory = Net\n") == [("optimizer", "Net", None, None, False)]


GROWN_LOSS = """
import os
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 2])
with tf.variable_scope("enc"):
    h = tf.layers.dense(x, 3)
with tf.variable_scope("head"):
    y = tf.layers.dense(h, 1)
with tf.variable_scope("aux"):
    a = tf.layers.dense(h, 1)
loss = tf.reduce_mean(y)
{grow}
def make_optimizer(name):
    if name == "momentum":
        return tf.train.MomentumOptimizer(0.1, 0.9)
    elif name == {other!r}:
        return {other_class}
    else:
        raise ValueError(name)
opt = make_optimizer({name!r})
step = opt.minimize(loss, var_list=tf.trainable_variables("head/"))
"""


def _step(grow: str, other: str = "sgd", other_class: str = "tf.train.GradientDescentOptimizer(0.1)",
          name: str = "momentum"):
    _, analysed = run(GROWN_LOSS.format(grow=grow, other=other, other_class=other_class, name=name))
    uses, slots = analysed.analysis.optimizers, analysed.analysis.slot_creations
    analysed.release()
    assert len(uses) == 1
    return uses[0], slots


def test_a_tensor_grown_in_place_keeps_what_it_reaches():
    """`loss += w * aux_loss` is `loss = loss + w * aux_loss` (a tensor is never changed in
    place), also under an `if` whose other arm leaves the loss as it was: the larger tensor is
    what follows the `if` sees."""
    for grow in ("loss += 0.4 * tf.reduce_mean(a)",
                 "if os.environ.get('AUX'):\n    loss += 0.4 * tf.reduce_mean(a)",
                 "if os.environ.get('AUX'):\n    loss = loss + 0.4 * tf.reduce_mean(a)\nelse:\n    loss = loss"):
        use, _ = _step(grow)
        assert isinstance(use.loss, Tensor) and use.loss.scopes == {"enc", "head", "aux"}, grow


def test_two_arms_leaving_unrelated_tensors_leave_nothing_known():
    """Arms that each compute their own loss are two runs, not one tensor: not joined."""
    use, _ = _step("if os.environ.get('AUX'):\n    loss = tf.reduce_mean(a)")
    assert not isinstance(use.loss, Tensor)


def test_an_optimizer_picked_by_an_unknown_name_stays_unknown():
    """Arms that make optimizers of two classes are not joined (which slots a run makes, and
    which steps the arms make, are not known): no step is recorded."""
    _, analysed = run(GROWN_LOSS.format(grow="", other="sgd", other_class="tf.train.GradientDescentOptimizer(0.1)",
                                        name="x").replace("make_optimizer('x')", "make_optimizer(os.environ.get('OPT'))"))
    uses = analysed.analysis.optimizers
    analysed.release()
    assert uses == []


def test_a_function_whose_last_path_raises_returns_what_its_other_paths_return():
    """`if name == "momentum": return MomentumOptimizer(...)` then `raise`: the caller goes on
    only with the returned value; a body that always raises still gives nothing known."""
    _, analysed = run("""
        import os
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2])
        with tf.variable_scope("head"):
            y = tf.layers.dense(x, 1)
        def make_optimizer(name):
            if name == "momentum":
                return tf.train.MomentumOptimizer(0.1, 0.9)
            raise ValueError(name)
        def broken():
            raise NotImplementedError
        step = make_optimizer(os.environ.get("OPT")).minimize(tf.reduce_mean(y))
        other = broken()
    """)
    uses = analysed.analysis.optimizers
    analysed.release()
    assert len(uses) == 1 and uses[0].optimizer == "tf.train.MomentumOptimizer" and isinstance(uses[0].loss, Tensor)


def test_a_direct_call_of_tfs_own_cell_keeps_the_graph_history_known():
    """`cell(x, state)` of TF's own cell (alone, wrapped, or stacked) makes its weights by name
    on its first call and nothing after, so a later lookup elsewhere still knows nothing made
    it; a cell whose weights are not known (its size passed by a star) still hides the names
    under the scope it ran in."""
    _, analysed = run("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [4, 8])
        lstm = tf.nn.rnn_cell.LSTMCell(num_units=16)
        stack = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(8))])
        with tf.variable_scope("enc"):
            for t in range(2):
                out, s = lstm(x, lstm.zero_state(4, tf.float32))
                out, s = stack(out, stack.zero_state(4, tf.float32))
            w = tf.get_variable("w", [8])
        with tf.variable_scope("dec"):
            sizes = [16]
            other = tf.nn.rnn_cell.LSTMCell(*sizes)
            out, s = other(x, other.zero_state(4, tf.float32))
            v = tf.get_variable("v", [8])
    """)
    made = [(c.name, c.opaque_before) for c in analysed.analysis.creations]
    analysed.release()
    assert made == [
        ("enc/lstm_cell/kernel", False), ("enc/lstm_cell/bias", False),
        ("enc/multi_rnn_cell/cell_0/gru_cell/gates/kernel", False), ("enc/multi_rnn_cell/cell_0/gru_cell/gates/bias", False),
        ("enc/multi_rnn_cell/cell_0/gru_cell/candidate/kernel", False), ("enc/multi_rnn_cell/cell_0/gru_cell/candidate/bias", False),
        ("enc/w", False), ("dec/v", True),
    ]


def test_fit_runs_a_subclass_own_train_step_on_the_object_it_trains():
    """Keras' `fit` (and `train_on_batch`) runs the model's own `train_step` on the object it
    trains: the model the object was handed is the one its step lists. Run only as an entry,
    on an object whose `__init__` got unknown arguments, the step's list is not known."""
    head = """
        import tensorflow as tf
        class Trainer(tf.keras.Model):
            def __init__(self, net):
                super().__init__()
                self.net = net
            def train_step(self, x):
                with tf.GradientTape() as tape:
                    loss = tf.reduce_mean(self.net(x))
                grads = tape.gradient(loss, self.net.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.net.trainable_variables))
                return {"loss": loss}
        net = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        trainer = Trainer(net)
        trainer.compile(optimizer="adam")
    """

    def listed(tail: str):
        _, analysed = run(textwrap.dedent(head) + tail)
        lists = [g.var_list for g in analysed.analysis.tape_gradients]
        out = [[getattr(m, "canon", None) for m in v.models] if isinstance(v, ModelVars) else None for v in lists]
        analysed.release()
        return out

    assert listed("trainer.fit(tf.zeros((4, 3)), epochs=2)\n") == [["keras.Sequential"]]
    assert listed("for x in [tf.zeros((4, 3))]:\n    trainer.train_on_batch(x)\n") == [["keras.Sequential"]]
    assert listed("") == [None]  # no fit: the step runs as an entry only


def test_a_summed_loss_keeps_the_variable_scopes_of_each_term():
    """`loss + 0.4 * aux_loss`: each term's parts (the variable scopes of its model it reaches)
    are kept apart through a scaling and a mean; an op that mixes two such tensors makes one
    term again, and tf.stop_gradient clears them."""
    module, analysed = run("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 4])
        with tf.variable_scope("net"):
            with tf.variable_scope("body"):
                h = tf.matmul(x, tf.get_variable("w", [4, 4]))
            with tf.variable_scope("aux"):
                aux = tf.matmul(h, tf.get_variable("w", [4, 1]))
            with tf.variable_scope("out"):
                out = tf.matmul(h, tf.get_variable("w", [4, 1]))
        total = tf.reduce_mean(out) + 0.4 * tf.reduce_mean(aux)
        mixed = total * out
        frozen = tf.stop_gradient(total)
    """)
    env = module.globals
    assert env["total"].parts == {"net/body", "net/aux", "net/out"}
    assert env["total"].terms == {frozenset({"net/body", "net/out"}), frozenset({"net/body", "net/aux"})}
    assert env["mixed"].terms == frozenset() and env["mixed"].parts == env["total"].parts
    assert env["frozen"].parts == frozenset() and env["frozen"].terms == frozenset()
    analysed.release()


def test_gradients_rebuilt_by_a_loop_keep_their_step():
    """A loop that appends each gradient (clipped, or as a pair with its variable, a None
    gradient skipped) rebuilds the step's gradients as a comprehension does; an `if` whose
    arms clip one step's gradients two ways leaves that step either way."""
    steps = [
        "grads = tf.gradients(loss, tvars)\n    clipped = []\n    for g in grads:\n"
        "        clipped.append(tf.clip_by_norm(g, 1.0))\n    opt.apply_gradients(zip(clipped, tvars))",
        "grads = tf.gradients(loss, tvars)\n    clipped = []\n    for g, v in zip(grads, tvars):\n"
        "        clipped.append(tf.clip_by_norm(g, 1.0))\n    opt.apply_gradients(zip(clipped, tvars))",
        "gvs = opt.compute_gradients(loss, tvars)\n    capped = []\n    for g, v in gvs:\n        if g is None:\n"
        "            continue\n        capped.append((tf.clip_by_value(g, -1., 1.), v))\n    opt.apply_gradients(capped)",
        "gvs = opt.compute_gradients(loss, tvars)\n    capped = []\n    for gv in gvs:\n"
        "        capped.append((tf.clip_by_norm(gv[0], 1.0), gv[1]))\n    opt.apply_gradients(capped)",
        "grads = tf.gradients(loss, tvars)\n    if len(tvars) > int(input()):\n"
        "        grads, _ = tf.clip_by_global_norm(grads, 1.0)\n    else:\n        clipped = []\n"
        "        for g in grads:\n            if isinstance(g, tf.IndexedSlices):\n"
        "                c = tf.IndexedSlices(tf.clip_by_norm(g.values, 1.0), g.indices)\n            else:\n"
        "                c = tf.clip_by_norm(g, 1.0)\n            clipped.append(c)\n        grads = clipped\n"
        "    opt.apply_gradients(zip(grads, tvars))",
        "grads = tf.gradients(loss, tvars)\n    clipped = [tf.clip_by_norm(g, 1.0) for g, v in zip(grads, tvars)]\n"
        "    opt.apply_gradients(zip(clipped, tvars))",
    ]
    for step in steps:
        use = _applied(step)
        assert sorted(use.var_list.names) == ["dec/dense/bias", "dec/dense/kernel"], step
        assert isinstance(use.loss, Tensor) and {"enc", "dec"} <= use.loss.scopes, step
    assert _applied(steps[0]).by_hand and not _applied(steps[2]).by_hand


def test_gradient_loops_that_may_shift_or_drop_variables_stay_unknown():
    """A bare gradient skipped (`zip` then pairs every later one with the wrong variable), a
    pair dropped by a test of its variable, or the list read in the body: not followed."""
    for step in [
        "grads = tf.gradients(loss, tvars)\n    clipped = []\n    for g in grads:\n        if g is not None:\n"
        "            clipped.append(tf.clip_by_norm(g, 1.0))\n    opt.apply_gradients(zip(clipped, tvars))",
        "gvs = opt.compute_gradients(loss, tvars)\n    capped = []\n    for g, v in gvs:\n"
        "        if 'kernel' in v.name:\n            capped.append((g, v))\n    opt.apply_gradients(capped)",
        "grads = tf.gradients(loss, tvars)\n    clipped = []\n    for g in grads:\n        clipped.append(g)\n"
        "        print(len(clipped))\n    opt.apply_gradients(zip(clipped, tvars))",
        "grads = tf.gradients(loss, tvars)\n    clipped = []\n    for g in grads:\n        if g is None:\n"
        "            break\n        clipped.append(g)\n    opt.apply_gradients(zip(clipped, tvars))",
        # the variables of the pairs, not their gradients
        "gvs = opt.compute_gradients(loss, tvars)\n    vs = []\n    for g, v in gvs:\n        vs.append(v)\n"
        "    opt.apply_gradients(zip(vs, tvars))",
        "gvs = opt.compute_gradients(loss, tvars)\n    opt.apply_gradients(zip([v for g, v in gvs], tvars))",
    ]:
        use = _applied(step)
        assert not isinstance(use.loss, Tensor), step


def test_a_moving_average_update_and_an_initializer_leave_the_trainable_collection_known():
    """`moving_averages.assign_moving_average` (zero_debias) makes two non-trainable variables
    and `tf.contrib.keras.initializers.he_normal()` none: the trainable collection stays
    known, the global one not after the update."""
    _, analysed = run("""
        import tensorflow as tf
        from tensorflow.python.training import moving_averages
        with tf.variable_scope("bn"):
            init = tf.contrib.keras.initializers.he_normal(seed=1)
            w = tf.get_variable("w", [3], initializer=init)
            mean = tf.get_variable("moving_mean", [3], trainable=False)
            update = moving_averages.assign_moving_average(mean, tf.reduce_mean(w), 0.9)
        tvars = tf.trainable_variables()
        gvars = tf.global_variables()
    """)
    complete = {s.how + str(s.trainable_only): s.complete for s in analysed.analysis.selections}
    analysed.release()
    assert complete == {"allTrue": True, "allFalse": False}
def test_trainable_is_read_by_keyword_or_by_position():
    """`tf.Variable(0, False)` passes `trainable` second (a step counter kept out of
    training), as `get_variable` passes it sixth; `keras.backend.variable`'s second is its
    dtype."""
    _, analysed = run("""
        import tensorflow as tf
        from tensorflow.keras import backend as K
        step = tf.Variable(0, False, dtype=tf.int16)
        count = tf.Variable(0, trainable=False)
        w = tf.Variable(tf.zeros([2]), True)
        k = K.variable(0.0, "float32")
        v = tf.get_variable("v", [2], tf.float32, None, None, False)
    """)
    builds = [(b.site.node.lineno, b.trainable) for b in analysed.analysis.builds if b.kind == "variable"]
    creations = [(c.name, c.trainable) for c in analysed.analysis.creations]
    analysed.release()
    assert builds == [(4, False), (5, False), (6, True), (7, True)]
    assert creations == [("v", False)]


def test_layer_flags_and_models_an_if_chain_binds_are_keras_steps():
    """`model.layers` (sliced, indexed, iterated) and `model.get_layer` name the model whose
    layers' `trainable` flag is written (a freeze-layers step with the value), and a model
    an if/elif chain builds and compiles on each arm is a pick whose `fit` runs on each arm:
    the compile, the write and the step of one model are seen in order."""
    source = textwrap.dedent('''
        import tensorflow as tf
        def build(n):
            return tf.keras.Sequential([tf.keras.layers.Dense(n), tf.keras.layers.Dense(1)])
        if mode == "a":
            model = build(4)
            model.compile(optimizer="adam", loss="mse")
        else:
            model = build(8)
            model.compile(optimizer="sgd", loss="mse")
        for layer in model.layers[:1]:
            layer.trainable = False
        model.get_layer("dense").trainable = True
        model.layers[-1].trainable = False
        model.fit(x, y)
    ''')
    analysed = analyse(parse_module(source, "m.py"), None)
    steps = analysed.analysis.keras_steps
    models = {id(s.model) for s in steps if s.kind == "compile"}
    assert len(models) == 2
    for model in models:
        mine = list(dict.fromkeys((s.kind, s.site.node.lineno, s.value) for s in steps if id(s.model) == model))
        assert mine == [("compile", mine[0][1], None), ("freeze-layers", 12, Const(False)),
                        ("freeze-layers", 13, Const(True)), ("freeze-layers", 14, Const(False)), ("train", 15, None)]
    # the other rules still take a layer's freeze for one they cannot follow
    assert analysed.analysis.unseen_freezing


def test_an_object_of_an_unread_class_is_one_object_with_lists_of_its_own():
    """`RRDBNet(out_channel=3)` of a package the linter does not read (another project's
    folder on `sys.path`) is one object: its `trainable_variables` is a list known by it, and
    two objects of one class count as one model, as two of a program's class do. Made from an
    object of the program (a layer it built), from a tensor, or by a lowercase factory, it
    stays unknown."""
    from reuse_lint.engine.queries import model_key, weight_holders
    from reuse_lint.engine.values import ForeignObject

    def listed(made: str):
        _, analysed = run(f"""
            import tensorflow as tf
            from esrgan.lib import model, ops
            shared = tf.keras.layers.Dense(8)
            net = {made}
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(net(tf.zeros([1, 8])))
            grads = tape.gradient(loss, net.trainable_variables)
        """)
        lists = [g.var_list for g in analysed.analysis.tape_gradients]
        analysed.release()
        return lists[0] if lists else None  # a tensor's "list" is computed: no gradient step

    made = listed("model.RRDBNet(out_channel=3, act=tf.nn.relu)")
    assert isinstance(made, ModelVars) and [type(m) for m in made.models] == [ForeignObject]
    assert made.models[0].qualname == "esrgan.lib.model.RRDBNet"
    assert weight_holders(made.models) == {("foreign", "esrgan.lib.model.RRDBNet")}
    assert model_key(ForeignObject("esrgan.lib.model.RRDBNet", None)) == model_key(made.models[0])
    for unknown in ("model.RRDBNet(trunk=shared)", "model.RRDBNet([shared])", "model.RRDBNet(tf.zeros([1]))",
                    "ops.build_generator(3)", "model.MODELS(3)"):
        assert not isinstance(listed(unknown), ModelVars), unknown


def test_a_parsers_known_args_are_its_namespace_of_defaults():
    """`FLAGS, unparsed = parser.parse_known_args()` (the rest of argv goes to `tf.app.run`)
    reads as `parse_args()` does: the defaults the file writes (a switch, `store_true`, is
    flipped on the command line: unknown). The pair itself, bound to one name, is no namespace."""
    import ast

    from reuse_lint.engine.settings import settings
    from reuse_lint.engine.values import Settings

    head = textwrap.dedent("""
        import argparse
        parser = argparse.ArgumentParser()
        parser.add_argument("--num_layers", type=int, default=2)
        parser.add_argument("--use_aux_heads", action="store_true", default=False)
    """)
    found = settings(ast.parse(head + "FLAGS, unparsed = parser.parse_known_args()\n"))
    assert found["FLAGS"] == Settings((("num_layers", Const(2)),))
    assert "FLAGS" not in settings(ast.parse(head + "FLAGS = parser.parse_known_args()\n"))
    assert "FLAGS" not in settings(ast.parse(head + "FLAGS, unparsed = parser.parse_known_args(['--x'])\n"))
    assert "FLAGS" not in settings(ast.parse(head + "parser.set_defaults(num_layers=1)\nFLAGS, _ = parser.parse_known_args()\n"))


def test_a_boolean_flag_is_a_switch_and_unknown():
    """`DEFINE_boolean("is_train", False, ...)` is flipped on the command line: both values are
    the program's. An integer flag keeps the default the file writes."""
    import ast

    from reuse_lint.engine.settings import settings
    from reuse_lint.engine.values import Settings

    found = settings(ast.parse(textwrap.dedent("""
        import tensorflow as tf
        flags = tf.app.flags
        flags.DEFINE_boolean("is_train", False, "train")
        flags.DEFINE_bool("visualize", True, "plot")
        flags.DEFINE_integer("n_layers", 1, "layers")
        FLAGS = flags.FLAGS
    """)))
    assert found["FLAGS"] == Settings((("n_layers", Const(1)),))


def test_an_optimizer_wrapper_is_the_optimizer_it_wraps():
    """`SyncReplicasOptimizer(opt)` on one arm of an `if`, or `CrossShardOptimizer(opt)`: the
    step is the wrapped Momentum's (TF 2.21 makes `w/Momentum` for it, and the local step
    `sync_rep_local_step` of its own); a wrapper of something we do not know is what it was."""
    _, analysed = run("""
        import sys
        import tensorflow as tf
        w = tf.get_variable("w", [2])
        loss = tf.reduce_sum(w * w)
        opt = tf.train.MomentumOptimizer(0.1, 0.9)
        if "--sync" in sys.argv:
            opt = tf.train.SyncReplicasOptimizer(opt, replicas_to_aggregate=2, total_num_replicas=2)
        step = opt.minimize(loss, var_list=[w])
        tpu = tf.compat.v1.tpu.CrossShardOptimizer(tf.train.AdamOptimizer(0.1)).minimize(loss)
        other = tf.train.SyncReplicasOptimizer(make_optimizer(), replicas_to_aggregate=2).minimize(loss)
    """)
    uses = [(u.optimizer, u.site.node.lineno) for u in analysed.analysis.optimizers if u.method == "minimize"]
    analysed.release()
    assert uses == [("tf.train.MomentumOptimizer", 9), ("tf.train.AdamOptimizer", 10), ("tf.train.SyncReplicasOptimizer", 11)]


def test_a_name_filter_over_a_model_list_is_a_part_of_it_and_zip_records_it():
    """`[v for v in m.trainable_variables if ...]` is a part of that model list (a list of
    unknown length everywhere else); an `if` between the filter and the whole list keeps the
    filter; `zip` of the whole list's gradients with it is recorded as a part pairing."""
    from reuse_lint.engine.values import ListVal, PickedVars

    module, analysed = run("""
        import sys
        import tensorflow as tf
        m = tf.keras.Sequential([tf.keras.layers.Dense(4, name="encoder"), tf.keras.layers.Dense(2, name="decoder")])
        kept = [v for v in m.trainable_variables if "decoder" in v.name]
        every = [v for v in m.trainable_variables]
        def select():
            if sys.argv[1]:
                return [v for v in m.trainable_variables if sys.argv[1] in v.name]
            return m.trainable_variables
        chosen = select()
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(m(tf.zeros([2, 3])))
        grads = tape.gradient(loss, m.trainable_variables)
        pairs = zip(grads, chosen)
    """)
    names = module.globals
    kept, every, chosen = names["kept"], names["every"], names["chosen"]
    assert isinstance(kept, PickedVars) and isinstance(kept, ListVal) and kept.sample
    assert isinstance(kept.source, ModelVars)
    assert [getattr(x, "canon", None) for x in kept.source.models] == ["keras.Sequential"]
    assert isinstance(every, ListVal) and not isinstance(every, PickedVars)  # no test: not a part
    assert isinstance(chosen, PickedVars)
    [(taken, picked, site)] = analysed.analysis.gradient_part_pairings
    assert picked is chosen and taken.site.node.lineno == 14 and site.node.lineno == 15
    analysed.release()
