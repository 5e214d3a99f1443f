"""Property: on any program, linting does not crash, and --unsafe-fixes gives valid Python
that a second pass leaves alone. Programs are generated from the constructs the rules
reason about, and made by mutating the fixtures."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reuse_lint.checker import lint_source
from reuse_lint.fixes import fix_source, valid_python

ROOT = Path(__file__).resolve().parent.parent
# An empty package `__init__.py` has no line to mutate.
FIXTURE_SOURCES = sorted(
    text for p in (ROOT / "fixtures").rglob("*.py")
    if "trace" not in p.parts and (text := p.read_text()).strip()
)
EXAMPLES = 1000
COUNT = {"programs": 0, "fixed": 0}

names = st.sampled_from(["d", "g", "disc", "disc_aux", "tower_1", "tower_10", "model"])
reuse = st.sampled_from(["", ", reuse=True", ", reuse=False", ", reuse=tf.AUTO_REUSE", ", reuse=reuse", ", reuse"])
alias = st.sampled_from([
    ("import tensorflow as tf", "tf"),
    ("import tensorflow.compat.v1 as tf", "tf"),
    ("import tensorflow as tf\nv1 = tf.compat.v1\ntf = v1", "tf"),
])


@st.composite
def creation(draw) -> str:
    kind = draw(st.integers(0, 5))
    name = draw(names)
    if kind == 0:
        return f'w = tf.get_variable("{name}", [2])'
    if kind == 1:
        return f'h = tf.layers.dense(x, 2{draw(st.sampled_from(["", ", name=" + repr(name)]))})'
    if kind == 2:
        return "h = tf.keras.layers.Dense(2)(x)"
    if kind == 3:
        return "v = tf.Variable(tf.zeros([2]))"
    if kind == 4:
        return "tf.get_variable_scope().reuse_variables()"
    return f'sel = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="{name}")'


@st.composite
def block(draw, depth: int = 0) -> list[str]:
    kind = draw(st.integers(0, 6 if depth < 2 else 1))
    if kind <= 1:
        return [draw(creation())]
    inner = [("    " + line) for b in draw(st.lists(block(depth + 1), min_size=1, max_size=3)) for line in b]
    if kind == 2:
        return [f'with tf.variable_scope("{draw(names)}"{draw(reuse)}):'] + inner
    if kind == 3:
        return [f'with tf.variable_scope(None, default_name="{draw(names)}"):'] + inner
    if kind == 4:
        return [f'with tf.name_scope("{draw(names)}"):'] + inner
    if kind == 5:
        return [f"for i in range({draw(st.integers(0, 3))}):"] + inner
    return ["if flag:"] + inner + ["else:", "    pass"]


@st.composite
def generated_program(draw) -> str:
    header, _ = draw(alias)
    body = [line for b in draw(st.lists(block(), min_size=1, max_size=4)) for line in b]
    builder = ["def build(x, reuse=False, flag=False):"] + ["    " + line for line in body] + ["    return x"]
    calls = draw(st.lists(st.sampled_from([
        "y = build(x)", "y = build(x, reuse=True)", "y = build(y)", "y = build(x, flag=True)",
        "for _ in range(2):\n    y = build(x)", "with tf.Graph().as_default():\n    y = build(x)",
        "opt = tf.train.AdamOptimizer().minimize(tf.reduce_sum(y))",
    ]), min_size=1, max_size=4))
    return "\n".join([header, "x = tf.zeros([1, 2])", *builder, *calls]) + "\n"


@st.composite
def mutated_fixture(draw) -> str:
    lines = draw(st.sampled_from(FIXTURE_SOURCES)).splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.integers(0, 3))
        if op == 0:
            lines.insert(i, lines[i])  # a repeated call, a repeated scope
        elif op == 1 and len(lines) > 1:
            del lines[i]
        elif op == 2:
            lines[i] = lines[i].replace("reuse=True", "reuse=False").replace("/\"", "\"")
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(generated_program(), mutated_fixture()))
def test_lint_and_fix_never_crash_and_fixes_are_valid_and_idempotent(source):
    COUNT["programs"] += 1
    data = source.encode("utf-8")

    def lint(b: bytes):
        return lint_source(b, "generated.py")

    lint(data)
    fixed, _, _ = fix_source(data, lint, unsafe=True)
    if fixed != data:
        COUNT["fixed"] += 1
        assert valid_python(fixed.decode("utf-8"))
    again, count, _ = fix_source(fixed, lint, unsafe=True)
    assert again == fixed and count == 0


def test_the_property_ran_on_enough_programs(capsys):
    # Runs after the property test in file order: the count is this run's, not a constant.
    assert COUNT["programs"] >= EXAMPLES
    assert COUNT["fixed"] >= EXAMPLES // 20, COUNT  # the fixer really ran, not only the linter
    with capsys.disabled():
        print(f"\nproperty: {COUNT['programs']} programs linted and fixed, {COUNT['fixed']} changed by fixes")
