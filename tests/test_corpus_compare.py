"""benchmarks/corpus/compare.py: a project whose run fails is shown as failed, with what it
did report, never left out of the comparison; the cache folder is not a project."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILDER = '''import tensorflow as tf
def d(x, reuse=False):
    with tf.variable_scope("d", reuse=reuse):
        return tf.layers.dense(x, 1)
a = d(1.0)
b = d(2.0)
'''


def _compare():
    spec = importlib.util.spec_from_file_location("compare", ROOT / "benchmarks" / "corpus" / "compare.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    for name in ("clean", "cut", "broken"):
        (corpus / name).mkdir(parents=True)
        (corpus / name / "gan.py").write_text(BUILDER)
    # Over the size a file may have: not analysed, exit 2; gan.py's finding is still reported.
    (corpus / "cut" / "big.py").write_text("x = 1\n" * 200_000)
    (corpus / "broken" / "pyproject.toml").write_text("[tool.reuse-lint]\nselect = 5\n")  # exit 2, no output
    (corpus / ".reuse_lint_cache" / "v4").mkdir(parents=True)  # a run from the corpus's root left it
    return corpus


def test_failed_runs_are_shown_with_what_they_reported_and_dot_folders_are_skipped(tmp_path, capsys):
    compare = _compare()
    side = compare.lint_corpus(_corpus(tmp_path), ROOT)
    assert sorted(side["projects"]) == ["broken", "clean", "cut"]
    assert {f["file"] for f in side["findings"]} == {"clean/gan.py", "cut/gan.py"}
    assert side["projects"]["clean"] == {"exit": 0, "findings": 1}
    assert side["projects"]["cut"] == {"exit": 2, "findings": 1}
    assert side["projects"]["broken"] == {"exit": 2, "findings": None}  # nothing could be read
    assert side["failures"]["cut"].startswith("exit 2, its findings kept: reuse-lint: error: big.py: not analysed")
    assert side["failures"]["broken"].startswith("exit 2, no findings read: reuse-lint: error: pyproject.toml")
    assert set(side["failures"]) == {"cut", "broken"}

    # A project that failed on one side only: its findings on the other are not "only after".
    before = {**side, "findings": [f for f in side["findings"] if f["file"] != "clean/gan.py"],
              "projects": {**side["projects"], "clean": {"exit": 2, "findings": None}},
              "failures": {**side["failures"], "clean": "exit 2, no findings read: boom"}}
    compare.report(before, side)
    out = capsys.readouterr().out
    assert "RUN FAILED (before) clean: exit 2, no findings read: boom" in out
    assert "## only after (0)" in out
    assert "## not compared: the project's run read no findings on the other side (1)" in out
    assert "| projects failed | 3 | 2 |" in out
