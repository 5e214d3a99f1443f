"""The prefilter skips files that cannot reach TensorFlow, and never changes a finding."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from reuse_lint.config import Settings
from reuse_lint.runner import run

ROOT = Path(__file__).resolve().parent.parent

MODEL = '''import tensorflow as tf
def discriminator(x, reuse=False):
    with tf.variable_scope("d", reuse=reuse):
        return tf.layers.dense(x, 1)
'''
TWICE = "real = discriminator(1.0)\nfake = discriminator(2.0)\n"


def lint(paths: list[str], prefilter: bool, cwd: Path | None = None):
    settings = Settings(paths=paths, no_cache=True, prefilter=prefilter, jobs=1, root=cwd or Path.cwd())
    result = run(settings)
    return [d.to_json() for d in result.diagnostics] + result.errors, result.stats


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "model.py").write_text(MODEL)
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from pkg.reexport import tf\n")
    (pkg / "layers.py").write_text("from model import discriminator\n")
    (pkg / "reexport.py").write_text("import tensorflow as tf\n")
    (pkg / "plain.py").write_text("def f(x):\n    return x\n")
    files = {
        # Reaches TF only through project imports, spelled in every way the loader resolves.
        "direct.py": "from model import discriminator\n" + TWICE,
        "module_attr.py": "import model\nreal = model.discriminator(1.0)\nfake = model.discriminator(2.0)\n",
        "two_hops.py": "from pkg.layers import discriminator\n" + TWICE,
        "relative.py": "from .model import discriminator\n" + TWICE,
        "in_function.py": "def main():\n    from model import discriminator\n    " + TWICE.replace("\n", "\n    "),
        "pkg/sibling.py": "from . import tf\n"  # the package's __init__ re-exports TensorFlow
                          "with tf.variable_scope('s'):\n    tf.get_variable('w', [1])\n"
                          "with tf.variable_scope('s'):\n    tf.get_variable('w', [1])\n",
        "reexported_tf.py": "from pkg.reexport import tf\n"
                            "with tf.variable_scope('s'):\n    tf.get_variable('w', [1])\n"
                            "with tf.variable_scope('s'):\n    tf.get_variable('w', [1])\n",
        # Cannot reach TF: skipped.
        "no_imports.py": "x = 1\n",
        "stdlib_only.py": "import os, json\nfrom collections import OrderedDict\n",
        "plain_project.py": "from pkg import plain\nplain.f(1)\n",
        # No TF, but a syntax error is still a finding.
        "broken.py": "def f(:\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_files_reaching_tensorflow_through_project_modules_are_linted(project):
    findings, stats = lint(["."], prefilter=True)
    by_file = sorted({(f["path"], f["code"]) for f in findings})
    for name in ("direct.py", "module_attr.py", "two_hops.py", "relative.py", "in_function.py", "reexported_tf.py",
                 "pkg/sibling.py"):
        assert any(path == name and code == "RL101" for path, code in by_file), (name, by_file)
    assert ("broken.py", "RL001") in by_file
    # no_imports, stdlib_only and pkg/plain: never interpreted. pkg/reexport imports
    # TensorFlow, pkg/__init__ imports it, and plain_project loads pkg/__init__: interpreted.
    assert stats["skipped"] == 3


def test_prefilter_on_and_off_agree_on_the_project(project):
    assert lint(["."], prefilter=True)[0] == lint(["."], prefilter=False)[0]


def test_a_changed_dependency_turns_a_skipped_file_into_a_linted_one(project, tmp_path):
    (project / "pkg" / "plain.py").write_text("from model import discriminator\ndef f(x):\n    return x\n")
    stats = lint(["plain_project.py"], prefilter=True)[1]
    assert stats == {"linted": 1, "cached": 0, "skipped": 0}


def _corpus() -> list[str]:
    """Every fixture, plus every third file of the installed Keras sources (several hundred)."""
    files = sorted(str(p) for p in (ROOT / "fixtures").rglob("*.py"))
    for package, step in (("tf_keras", 3), ("keras", 3), ("tensorflow", 6)):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        base = Path(list(spec.submodule_search_locations)[0])
        files += [str(p) for p in sorted(base.rglob("*.py"))[::step]]
    return files


def test_prefilter_never_changes_the_findings_on_a_corpus():
    files = _corpus()
    if len(files) < 300:
        pytest.skip("needs the installed tf_keras/keras sources (the [tf] extra)")
    on, stats = lint(files, prefilter=True)
    off, _ = lint(files, prefilter=False)
    assert on == off
    assert stats["skipped"] > 0  # the corpus exercises the shortcut, not only the full path
    assert any(f["code"] != "RL001" for f in on)  # and it holds real findings to compare


@pytest.mark.parametrize("qualname, reaches", [
    ("tensorflow", True),  # `import tensorflow.python.ops.array_ops` binds this too
    ("tensorflow.compat", True),  # `.v1.variable_scope` below it
    ("tensorflow.compat.v1", True),
    ("tensorflow.compat.v1.layers.dense", True),
    ("tensorflow.python.keras.layers", True),  # canonically `keras.layers`
    ("tensorflow.keras", True),
    ("tensorflow.train", True),  # optimizers, by pattern
    ("tf_slim", True),
    ("keras.models", True),
    ("tensorflow.python.ops.rnn_cell_impl", True),  # RNN cells, the way TF 1.x projects imported them
    ("tensorflow.contrib.rnn.core_rnn_cell", True),
    ("tensorflow.python.ops.array_ops", False),  # how TF's own sources import themselves
    ("tensorflow.python.ops.variable_scope", False),  # not a spelling the interpreter models
    ("tensorflow.math", False),
    ("keras.src.layers", False),
    ("keras.ops", False),
])
def test_which_imported_names_can_reach_a_modelled_api(qualname, reaches):
    from reuse_lint.tfnames import may_reach_api

    assert may_reach_api(qualname) is reaches


def test_files_importing_only_unmodelled_tensorflow_modules_are_skipped(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "internal.py").write_text(
        "from tensorflow.python.ops import array_ops, variable_scope as vs\n"
        "def f(x):\n    with vs.variable_scope('a'):\n        return array_ops.identity(x)\n"
    )
    (tmp_path / "public.py").write_text("from tensorflow.python.ops import array_ops\nimport tensorflow.python\n")
    monkeypatch.chdir(tmp_path)
    findings, stats = lint(["."], prefilter=True)
    assert findings == [] and stats == {"linted": 1, "cached": 0, "skipped": 1}


def test_every_name_the_engine_acts_on_is_reachable_for_the_prefilter():
    """The prefilter's table must follow the engine: every canonical TensorFlow name written
    in the engine, the rules or the name table can be reached from its import (bar the
    prefixes that only mark a graph opaque, which records no event)."""
    import ast as python_ast

    from reuse_lint import tfnames

    spelled = {"tf": "tensorflow.compat.v1", "keras": "tensorflow.keras", "slim": "tf_slim",
               "contrib": "tensorflow.contrib"}
    sources = [*(ROOT / "reuse_lint" / "engine").glob("*.py"), *(ROOT / "reuse_lint" / "rules").glob("*.py"),
               ROOT / "reuse_lint" / "tfnames.py"]
    names = set()
    for path in sources:
        for node in python_ast.walk(python_ast.parse(path.read_text())):
            if isinstance(node, python_ast.Constant) and isinstance(node.value, str):
                head, _, rest = node.value.rstrip(".").partition(".")
                if head in spelled and rest and " " not in rest:
                    names.add(node.value)
    assert len(names) > 40
    only_opaque = set(tfnames.OPAQUE_CREATOR_PREFIXES)
    for name in sorted(names - only_opaque):
        head, _, rest = name.rstrip(".").partition(".")
        assert tfnames.may_reach_api(f"{spelled[head]}.{rest}"), name
