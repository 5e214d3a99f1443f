"""Analysis across modules: builders imported from sibling modules, inherited methods."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, tf_build

PROJECT = ROOT / "fixtures" / "project"
EXPECTED = {("fixtures/project/gan.py", 9, "RL101"), ("fixtures/project/train.py", 12, "RL101")}


def lint(*paths: str) -> set[tuple[str, int, str]]:
    proc = subprocess.run(
        [sys.executable, "-m", "reuse_lint", "check", "--no-cache", "--output-format", "json", *paths],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return {(f["path"], f["line"], f["code"]) for f in json.loads(proc.stdout)}


def test_directory_finds_the_cross_module_bugs():
    assert lint("fixtures/project") == EXPECTED


def test_one_file_alone_resolves_its_sibling_modules():
    assert lint("fixtures/project/train.py") == {("fixtures/project/train.py", 12, "RL101")}
    assert lint("fixtures/project/gan.py") == {("fixtures/project/gan.py", 9, "RL101")}


def test_findings_do_not_depend_on_the_order_of_files():
    files = sorted(str(p.relative_to(ROOT)) for p in PROJECT.glob("*.py"))
    assert lint(*files) == lint(*reversed(files)) == EXPECTED


def test_the_related_location_is_the_first_call():
    proc = subprocess.run(
        [sys.executable, "-m", "reuse_lint", "check", "--no-cache", "--output-format", "json", "fixtures/project/train.py"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    (finding,) = json.loads(proc.stdout)
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("fixtures/project/train.py", 11)]
    assert "discriminator/d_h0/dense/kernel" in finding["message"]


def test_tensorflow_fails_on_both_cross_module_bugs():
    built = tf_build([PROJECT / "train.py", PROJECT / "run_gan.py"])
    for name in ("train.py", "run_gan.py"):
        assert built[name]["error"]["type"] == "ValueError"
        assert "Variable discriminator/d_h0/dense/kernel already exists" in built[name]["error"]["message"]


def test_an_unmarked_project_resolves_absolute_imports_from_its_subfolders(tmp_path):
    # No pyproject.toml, setup.py or .git (a bare copy, as the yardstick exports them): the
    # project runs from its top folder, so `from pkg.base import Base` in pkg/heads.py finds
    # pkg/base.py there, and the Keras base class it names makes `call` Keras' own.
    project = tmp_path / "copy"
    (project / "pkg").mkdir(parents=True)
    (project / "pkg" / "__init__.py").write_text("")
    (project / "pkg" / "base.py").write_text(
        "import tensorflow as tf\n\n\nclass Base(tf.keras.layers.Layer):\n    pass\n")
    (project / "pkg" / "heads.py").write_text(
        "import tensorflow as tf\nfrom pkg.base import Base\n\n\n"
        "class Head(Base):\n    def call(self, x):\n        return tf.keras.layers.Dense(4)(x)\n")
    proc = subprocess.run(
        [sys.executable, "-m", "reuse_lint", "check", "--no-cache", "--output-format", "json", "."],
        capture_output=True, text=True, cwd=project, timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert {(f["path"], f["line"], f["code"]) for f in json.loads(proc.stdout)} == {("pkg/heads.py", 7, "RL111")}
