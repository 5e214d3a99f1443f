"""What a ruff user expects from the command line: a missing path or an empty folder never
reads as success, a Python 2 file says it was not analysed, a mistyped option is one line
and a tip."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def reuse_lint(cwd, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=ROOT, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "reuse_lint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_missing_path_is_one_error_line_and_exit_2(tmp_path):
    proc = reuse_lint(tmp_path, "check", "--no-cache", "nonexistent/")
    assert proc.returncode == 2
    assert proc.stderr == "reuse-lint: error: nonexistent: no such file or directory\n"
    assert proc.stdout == ""  # above all, no "All checks passed!"


def test_a_missing_path_beside_a_clean_file_still_fails(tmp_path):
    (tmp_path / "ok.py").write_text("x = 1\n")
    proc = reuse_lint(tmp_path, "check", "--no-cache", "ok.py", "gone.py")
    assert proc.returncode == 2
    assert "All checks passed" not in proc.stdout
    assert proc.stderr == "reuse-lint: error: gone.py: no such file or directory\n"


def test_a_folder_without_python_files_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("no code here\n")
    proc = reuse_lint(tmp_path, "check", "--no-cache", "empty")
    # As ruff: a warning, exit 0 (a hook on a tree without Python passes), never a pass claim.
    assert proc.returncode == 0
    assert proc.stderr == "reuse-lint: warning: no Python files found under empty\n"
    assert proc.stdout == ""


@pytest.mark.parametrize("source", [
    'print "hello"\n',
    "try:\n    x = 1\nexcept ValueError, e:\n    pass\n",
    "if 1 <> 2:\n    pass\n",
    "exec 'x = 1'\n",
    "mode = 0777\n",
])
def test_a_python2_file_is_read_as_python2_not_reported_unparsable(tmp_path, source):
    (tmp_path / "old.py").write_text("import tensorflow as tf\n" + source)
    proc = reuse_lint(tmp_path, "check", "--no-cache", "--output-format", "concise", "old.py")
    assert (proc.returncode, proc.stdout.strip()) == (0, "All checks passed!"), proc.stdout


def test_a_python3_syntax_error_is_not_called_python2(tmp_path):
    (tmp_path / "bad.py").write_text("def f(:\n    pass\n")
    proc = reuse_lint(tmp_path, "check", "--no-cache", "--output-format", "concise", "bad.py")
    assert proc.stdout.splitlines()[0] == "bad.py:1:7: RL001 syntax error: invalid syntax"


@pytest.mark.parametrize("args, error, tip", [
    (("check", "--fx", "."), "unexpected argument '--fx' found", "a similar argument exists: '--fix'"),
    (("check", "--foo", "."), "unexpected argument '--foo' found", "to pass '--foo' as a value, use '-- --foo'"),
    (("trace", "--stpes", "3", "x.py"), "unexpected argument '--stpes' found", "a similar argument exists: '--steps'"),
    (("check", "--output-format", "xml", "."),
     "argument --output-format: invalid choice: 'xml' (choose from 'full', 'concise', 'json', 'sarif', 'github')",
     "for more information, try 'reuse-lint check --help'"),
])
def test_a_mistyped_option_is_one_line_and_a_tip(tmp_path, args, error, tip):
    proc = reuse_lint(tmp_path, *args)
    assert proc.returncode == 2
    assert proc.stderr == f"reuse-lint: error: {error}\n  tip: {tip}\n"
    assert proc.stdout == ""
