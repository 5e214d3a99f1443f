"""The check command where users run it: suppressions, statistics, exit codes, stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Line 6 repeats the builder without reuse: RL101 at 6:5-6:24.
BAD = '''import tensorflow as tf
def d(x, reuse=False):
    with tf.variable_scope("d", reuse=reuse):
        return tf.layers.dense(x, 1)
a = d(tf.zeros([1, 2]))
b = d(tf.zeros([1, 2])){comment}
'''


def reuse_lint(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "reuse_lint", *args],
        capture_output=True, text=True, cwd=cwd, input=stdin, env=env, timeout=120,
    )


def findings(proc: subprocess.CompletedProcess) -> list[tuple[str, str, int, int]]:
    return [(Path(f["path"]).name, f["code"], f["line"], f["column"]) for f in json.loads(proc.stdout)]


def write_bad(tmp_path: Path, comment: str = "", name: str = "bad.py") -> Path:
    path = tmp_path / name
    path.write_text(BAD.format(comment=comment))
    return path


def test_unsuppressed_finding_is_reported_at_its_position(tmp_path):
    write_bad(tmp_path)
    proc = reuse_lint("check", "--no-cache", "--output-format", "json", "bad.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert findings(proc) == [("bad.py", "RL101", 6, 5)]


@pytest.mark.parametrize("comment", [
    "  # noqa",
    "  # noqa: RL101",
    "  # NOQA:RL101",
    "  # noqa: RL104, RL101",
    "  # noqa: RL104 RL101",
    "  # reuse-lint: ignore[RL101]",
    "  # reuse-lint: ignore[RL104,RL101]",
    "  # reuse-lint: ignore",
    "  # a reason first # noqa: RL101",
])
def test_suppression_comments_on_the_reported_line(tmp_path, comment):
    write_bad(tmp_path, comment)
    proc = reuse_lint("check", "--no-cache", "--output-format", "json", "bad.py", cwd=tmp_path)
    assert (proc.returncode, findings(proc)) == (0, [])


@pytest.mark.parametrize("comment", [
    "  # noqa: RL104",
    "  # reuse-lint: ignore[RL104]",
    "  # noqa: E501",
    "  # reuse-lint: ignore[]",  # an empty list names no code; it must not silence everything
])
def test_suppressions_for_other_codes_do_not_hide_the_finding(tmp_path, comment):
    write_bad(tmp_path, comment)
    proc = reuse_lint("check", "--no-cache", "--output-format", "json", "bad.py", cwd=tmp_path)
    assert findings(proc) == [("bad.py", "RL101", 6, 5)]


def test_noqa_on_another_line_does_not_suppress(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text(BAD.format(comment="").replace("a = d(tf.zeros([1, 2]))", "a = d(tf.zeros([1, 2]))  # noqa"))
    proc = reuse_lint("check", "--no-cache", "--output-format", "json", "bad.py", cwd=tmp_path)
    assert findings(proc) == [("bad.py", "RL101", 6, 5)]


def test_noqa_inside_a_string_is_not_a_comment(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text(BAD.format(comment="").replace("b = d(tf.zeros([1, 2]))", "b = d(tf.zeros([1, 2])); s = '# noqa'"))
    proc = reuse_lint("check", "--no-cache", "--output-format", "json", "bad.py", cwd=tmp_path)
    assert findings(proc) == [("bad.py", "RL101", 6, 5)]


def test_statistics_counts_per_rule(tmp_path):
    write_bad(tmp_path, name="a.py")
    write_bad(tmp_path, name="b.py")
    (tmp_path / "broken.py").write_text("def f(:\n")
    proc = reuse_lint("check", "--no-cache", "--output-format", "concise", "--statistics", ".", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert "    2\tRL101\trepeated-scope-without-reuse" in lines
    assert "    1\tRL001\tsyntax-error" in lines
    # Only the counts, as ruff prints them, most frequent first.
    assert lines == ["    2\tRL101\trepeated-scope-without-reuse", "    1\tRL001\tsyntax-error"]


def test_exit_zero_keeps_the_output_and_exits_zero(tmp_path):
    write_bad(tmp_path)
    proc = reuse_lint("check", "--no-cache", "--exit-zero", "--output-format", "concise", "bad.py", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.startswith("bad.py:6:5: RL101 ")


def test_exit_zero_does_not_hide_usage_errors(tmp_path):
    proc = reuse_lint("check", "--exit-zero", "missing.py", cwd=tmp_path)
    assert proc.returncode == 2


def test_quiet_prints_findings_without_summary(tmp_path):
    write_bad(tmp_path)
    proc = reuse_lint("check", "--no-cache", "-q", "--output-format", "concise", "bad.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "bad.py:6:5: RL101 Variable `d/dense/kernel` is created a second time in this graph, without reuse"
    ]
    (tmp_path / "bad.py").write_text("x = 1\n")
    clean = reuse_lint("check", "--no-cache", "-q", "bad.py", cwd=tmp_path)
    assert (clean.returncode, clean.stdout) == (0, "")


def test_stdin_reports_under_the_given_name(tmp_path):
    source = BAD.format(comment="")
    proc = reuse_lint("check", "--output-format", "json", "--stdin-filename", "pkg/model.py", "-", cwd=tmp_path, stdin=source)
    assert proc.returncode == 1, proc.stderr
    (f,) = json.loads(proc.stdout)
    assert (f["path"], f["code"], f["line"], f["column"], f["end_line"], f["end_column"]) == ("pkg/model.py", "RL101", 6, 5, 6, 24)
    assert not (tmp_path / ".reuse_lint_cache").exists()


def test_stdin_without_a_name_and_with_full_format_shows_the_source(tmp_path):
    proc = reuse_lint("check", "-", cwd=tmp_path, stdin=BAD.format(comment=""))
    assert proc.returncode == 1
    assert "-:6:5: RL101" in proc.stdout
    assert "b = d(tf.zeros([1, 2]))" in proc.stdout


def test_stdin_honours_per_file_ignores_of_the_named_file(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.reuse-lint]\nper-file-ignores = { "tests/*" = ["RL101"] }\n')
    (tmp_path / "tests").mkdir()
    source = BAD.format(comment="")
    proc = reuse_lint("check", "--output-format", "json", "--stdin-filename", "tests/test_x.py", "-", cwd=tmp_path, stdin=source)
    assert (proc.returncode, json.loads(proc.stdout)) == (0, [])
    other = reuse_lint("check", "--output-format", "json", "--stdin-filename", "src/x.py", "-", cwd=tmp_path, stdin=source)
    assert other.returncode == 1


def test_stdin_syntax_error_is_rl001_at_its_position(tmp_path):
    proc = reuse_lint("check", "--output-format", "json", "--stdin-filename", "x.py", "-", cwd=tmp_path, stdin="x = 1\ndef f(:\n")
    assert proc.returncode == 1
    (f,) = json.loads(proc.stdout)
    assert (f["code"], f["path"], f["line"]) == ("RL001", "x.py", 2)


def test_statistics_keep_machine_formats_parseable(tmp_path):
    write_bad(tmp_path)
    proc = reuse_lint("check", "--no-cache", "--output-format", "json", "--statistics", "bad.py", cwd=tmp_path)
    assert json.loads(proc.stdout) == [{"code": "RL101", "name": "repeated-scope-without-reuse", "count": 1}]
    assert proc.stderr == ""
