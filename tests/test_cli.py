"""The command line as a user meets it: real processes, real files, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import BAD

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed"


def run(*args: str, cwd: Path = ROOT, stdin: str | None = None, env: dict | None = None):
    environ = dict(os.environ, NO_COLOR="1", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "reuse_lint", *args],
        capture_output=True, text=True, cwd=cwd, input=stdin, env=environ, timeout=120,
    )


def test_seed_examples_give_exactly_one_finding_on_example_one():
    proc = run("check", str(SEED), "--output-format", "json")
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)
    assert len(findings) == 1
    f = findings[0]
    assert (f["code"], f["name"]) == ("RL101", "repeated-scope-without-reuse")
    assert f["path"].endswith("example1_incorrect_reuse.py")
    assert (f["line"], f["column"], f["end_line"], f["end_column"]) == (16, 15, 16, 46)
    assert "discriminator/dense/kernel" in f["message"]
    assert [(r["line"], r["column"]) for r in f["related"]] == [(12, 15)]
    assert f["fix"] is None or isinstance(f["fix"], dict)
    assert set(f) >= {"code", "name", "path", "line", "column", "end_line", "end_column", "message", "related", "fix"}


def test_plain_invocation_is_check_and_full_format_shows_source_and_help():
    proc = run(str(SEED))
    assert proc.returncode == 1
    out = proc.stdout
    assert "example1_incorrect_reuse.py:16:15: RL101 repeated-scope-without-reuse" in out
    assert "fake_logits = discriminator(generated_images)" in out
    assert "^" * 31 in out
    assert "related: " in out and ":12:15:" in out
    assert "help: pass reuse=True" in out
    assert "\x1b[" not in out  # no colour when not a terminal
    assert "Found 1 finding. 1 fixable with --fix." in out


def test_clean_file_exits_zero(tmp_path):
    (tmp_path / "ok.py").write_text("import tensorflow as tf\nx = 1\n")
    proc = run("check", str(tmp_path))
    assert proc.returncode == 0
    assert "All checks passed!" in proc.stdout


def test_concise_format_is_one_line_per_finding(tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    proc = run("check", "--output-format", "concise", str(tmp_path / "bad.py"))
    lines = proc.stdout.strip().splitlines()
    assert lines[0] == f"{tmp_path / 'bad.py'}:6:5: RL101 Variable `d/dense/kernel` is created a second time in this graph, without reuse" or lines[0].endswith("bad.py:6:5: RL101 Variable `d/dense/kernel` is created a second time in this graph, without reuse")
    assert lines[-1] == "Found 1 finding. 1 fixable with --fix."


def test_missing_path_is_one_line_error_and_exit_two(tmp_path):
    proc = run("check", str(tmp_path / "nope.py"))
    assert proc.returncode == 2
    shown = os.path.relpath(tmp_path / "nope.py", ROOT)  # no absolute path in any output
    assert proc.stderr.strip().splitlines() == [f"reuse-lint: error: {shown}: no such file or directory"]


def test_missing_path_does_not_hide_other_findings(tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    proc = run("check", "--output-format", "concise", str(tmp_path / "nope.py"), str(tmp_path / "bad.py"))
    assert proc.returncode == 2
    assert "RL101" in proc.stdout
    assert "no such file or directory" in proc.stderr


def test_syntax_error_and_undecodable_file_are_findings_and_the_run_goes_on(tmp_path):
    (tmp_path / "a_broken.py").write_text("def f(:\n    pass\n")
    (tmp_path / "b_latin.py").write_bytes(b"x = '\xff\xfe'\n")
    (tmp_path / "c_bad.py").write_text(BAD)
    proc = run("check", "--output-format", "json", str(tmp_path))
    assert proc.returncode == 1
    got = [(Path(f["path"]).name, f["code"], f["line"]) for f in json.loads(proc.stdout)]
    assert got == [("a_broken.py", "RL001", 1), ("b_latin.py", "RL001", 1), ("c_bad.py", "RL101", 6)]


def test_directory_walk_skips_virtualenvs_build_and_caches(tmp_path):
    for sub in (".git", "build", "dist", "__pycache__", "myenv"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "bad.py").write_text(BAD)
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text(BAD)
    proc = run("check", "--output-format", "json", str(tmp_path))
    assert [Path(f["path"]).parent.name for f in json.loads(proc.stdout)] == ["pkg"]
    # A path given by name is always linted.
    proc = run("check", "--output-format", "json", str(tmp_path / "build" / "bad.py"))
    assert len(json.loads(proc.stdout)) == 1


def test_rule_command_prints_the_doc_and_lists_rules():
    proc = run("rule", "RL101")
    assert proc.returncode == 0
    assert proc.stdout.startswith("# repeated-scope-without-reuse (RL101)")
    assert "## Why is this bad?" in proc.stdout
    listing = run("rule", "--all").stdout
    for code in ("RL001", "RL101", "RL102", "RL103", "RL104"):
        assert code in listing
    assert run("rule", "RL999").returncode == 2
    # The trace's findings are documented the same way.
    assert "RT206" in listing and "optimizer-var-list" in listing
    trace_doc = run("rule", "RT201")
    assert trace_doc.returncode == 0 and trace_doc.stdout.startswith("# duplicate-creation (RT201)")


def test_unknown_option_is_usage_error():
    assert run("check", "--no-such-flag").returncode == 2


def test_static_path_never_imports_tensorflow(tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    code = (
        "import sys; from reuse_lint.cli import main; rc = main(['check', '-q', sys.argv[1]]);"
        "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'; print('rc', rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "bad.py")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "rc 1" in proc.stdout


def test_trace_and_gan_without_tensorflow_name_the_extra():
    for command in ("trace", "gan"):
        code = (
            "import sys; sys.modules['tensorflow'] = None; from reuse_lint.cli import main; "
            f"sys.exit(main(['{command}', 'fixtures/seed/example1_incorrect_reuse.py']))"
        )
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 2
        assert proc.stderr.strip() == (
            f"reuse-lint: error: `reuse-lint {command}` needs TensorFlow; install the extra: pip install 'reuse-lint[tf]'"
        )
