"""Inputs that once crashed the engine on real projects, and limits it must respect."""

from __future__ import annotations

import textwrap

from reuse_lint.engine import lint_source
from reuse_lint.runner import ProjectLoader


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
