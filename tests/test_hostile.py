"""Hostile input, faults and limits (issue 15): nothing deleted, nothing hidden, nothing lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reuse_lint import cache as cache_module
from reuse_lint.cache import CACHE_DIR, INDEX, machine_secret, seal, unseal
from reuse_lint.config import Settings
from reuse_lint.runner import run

from conftest import BAD

CLEAN = "def f():\n    return 1\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.reuse-lint]\n")
    (root / "bad.py").write_text(BAD)
    (root / "util.py").write_text(CLEAN)
    for path in (*root.glob("*.py"), root):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # old enough for the stat index
    monkeypatch.chdir(root)
    return root


def check(**overrides) -> list[tuple[str, str, int]]:
    s = Settings(paths=["."], root=Path.cwd(), config_path=Path.cwd() / "pyproject.toml", **overrides)
    return [(d.path, d.code, d.line) for d in run(s).diagnostics]


def cache_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / CACHE_DIR).rglob("*") if p.is_file())


def entries(root: Path) -> list[Path]:
    return [p for p in cache_files(root) if p.suffix == ".json" and p.name != INDEX]


def index_path(root: Path) -> Path:
    return next((root / CACHE_DIR).rglob(INDEX))


FOUND = [("bad.py", "RL101", 6)]


def touch(path: Path) -> None:
    """A change the stat index records: a new signature, old enough not to be racy."""
    path.write_text(path.read_text() + "\n")
    then = path.stat().st_mtime - 600
    os.utime(path, (then, then))


# ----- the cache ---------------------------------------------------------------------------------

def test_a_key_read_from_the_index_never_names_a_file_outside_the_cache(project, tmp_path):
    victim = tmp_path / "victim.json"
    victim.write_text("keep me")
    assert check() == FOUND
    gone = str(project / "gone.py")
    # Sealed with this machine's secret, as a bug of our own could have written it, and
    # unsealed, as an attacker would: neither may delete the victim.
    for write in (lambda body: seal(machine_secret(), body), lambda body: body):
        index = unseal(machine_secret(), index_path(project).read_bytes())
        index[gone] = {"key": str(tmp_path / "victim"), "sig": [1, 2, 3]}
        index[str(project / "also-gone.py")] = {"key": "../../../victim"}
        index_path(project).write_text(write(json.dumps(index)))
        touch(project / "util.py")  # a change: the run saves the index
        assert check() == FOUND
        assert victim.read_text() == "keep me"


def test_crafted_or_copied_entries_do_not_hide_findings(project):
    assert check() == FOUND
    empty = json.dumps({"deps": {}, "misses": [], "diagnostics": []})
    other_machine = b"x" * 32
    for body in (empty, seal(other_machine, empty)):
        index_path(project).unlink()  # the entries alone must not be trusted either
        for entry in entries(project):
            entry.write_text(body)
        assert check() == FOUND
    # A copied index, sealed elsewhere, that says the file is clean.
    index = unseal(machine_secret(), index_path(project).read_bytes())
    for record in index.values():
        record["diagnostics"] = []
    index_path(project).write_text(seal(other_machine, json.dumps(index)))
    assert check() == FOUND


def test_the_cache_folder_ignores_itself_for_git(project):
    check()
    assert (project / CACHE_DIR / ".gitignore").read_text() == "*\n"


def test_the_seal_is_tied_to_the_tool_version(project, monkeypatch):
    assert check() == FOUND
    sealed = index_path(project).read_bytes()
    assert unseal(machine_secret(), sealed) is not None
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    assert unseal(machine_secret(), sealed) is None


def test_a_symlinked_cache_folder_is_not_followed_out_of_the_project(project, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / CACHE_DIR).symlink_to(outside)
    assert check() == FOUND
    assert check() == FOUND
    assert list(outside.iterdir()) == []


def test_a_symlinked_folder_inside_the_cache_is_neither_written_nor_emptied(project, tmp_path):
    assert check() == FOUND
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for entry in entries(project):
        folder = entry.parent
        for child in folder.iterdir():
            (outside / child.name).write_text("theirs")
            child.unlink()
        folder.rmdir()
        folder.symlink_to(outside)
    theirs = sorted(outside.iterdir())
    touch(project / "bad.py")
    touch(project / "util.py")
    assert check() == FOUND
    assert sorted(outside.iterdir()) == theirs
    assert all(p.read_text() == "theirs" for p in theirs)


@pytest.mark.parametrize("index", [
    [1, 2],
    {"/x.py": 5, "/y.py": [1], "/z.py": {"key": 7}, "/w.py": {"key": None, "sig": "s"}},
    "nest",
])
def test_an_index_of_the_wrong_shape_or_nesting_is_a_miss(project, index):
    assert check() == FOUND
    body = "[" * 100_000 + "]" * 100_000 if index == "nest" else json.dumps(index)
    index_path(project).write_text(seal(machine_secret(), body))
    for entry in entries(project):
        entry.write_text(seal(machine_secret(), body))
    touch(project / "util.py")
    assert check() == FOUND
    assert check() == FOUND


def test_clean_removes_a_symlinked_cache_folder_but_not_what_it_points_to(project, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_text("theirs")
    (project / CACHE_DIR).symlink_to(outside)
    proc = subprocess.run([sys.executable, "-m", "reuse_lint", "clean"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert not (project / CACHE_DIR).exists() and not (project / CACHE_DIR).is_symlink()
    assert (outside / "keep.txt").read_text() == "theirs"


# ----- output injection ----------------------------------------------------------------------------

HOSTILE_SCOPE = BAD.replace('"d"', '"d\\n::error file=evil.py,line=1::owned\\x1b[2J\\r\\u202e"')
NAMES = ["a\x1b[2Jb\r\n::error file=x.py::y.py", "::error file=evil.py,line=1::z.py", "tab\there.py"]


@pytest.mark.parametrize("fmt", ["full", "concise", "github"])
def test_control_characters_in_names_and_messages_are_escaped_in_text_formats(tmp_path, fmt):
    for name in NAMES:
        (tmp_path / name).write_text(HOSTILE_SCOPE)
    proc = subprocess.run(
        [sys.executable, "-m", "reuse_lint", "check", "--no-cache", "--output-format", fmt, "."],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert not [c for c in proc.stdout if c in "\x1b\r\t\u202e"]
    # Only our own annotations may start a workflow command, one a finding.
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == (3 if fmt == "github" else 0)
    if fmt == "concise":
        assert lines[:3] == [
            "./::error file=evil.py,line=1::z.py:6:5: RL101 Variable "
            "`d\\n::error file=evil.py,line=1::owned\\x1b[2J\\r\\u202e/dense/kernel` is created a second "
            "time in this graph, without reuse",
            "a\\x1b[2Jb\\r\\n::error file=x.py::y.py:6:5: RL101 Variable "
            "`d\\n::error file=evil.py,line=1::owned\\x1b[2J\\r\\u202e/dense/kernel` is created a second "
            "time in this graph, without reuse",
            "tab\\there.py:6:5: RL101 Variable "
            "`d\\n::error file=evil.py,line=1::owned\\x1b[2J\\r\\u202e/dense/kernel` is created a second "
            "time in this graph, without reuse",
        ]


def test_the_full_format_escapes_the_excerpt_and_keeps_the_caret_under_the_call():
    from reuse_lint.diagnostics import Diagnostic
    from reuse_lint.output import render
    import io

    d = Diagnostic(code="RL101", name="n", message="m", path="p.py", line=1, column=10, end_line=1, end_column=14)
    stream = io.StringIO()
    render([d], "full", stream, sources=lambda path: ['s = "\x1b"; f(x)\n'])
    excerpt, caret = stream.getvalue().splitlines()[2:4]
    assert excerpt == '1 | s = "\\x1b"; f(x)'
    assert caret.index("^") == excerpt.index("f(x)") and caret.count("^") == 4


def test_a_file_name_that_is_not_utf8_is_shown_by_its_bytes_in_every_format(tmp_path):
    (tmp_path / os.fsdecode(b"bad\xff.py")).write_text(BAD)
    env = dict(os.environ, LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8:strict")
    for fmt in ("full", "concise", "github", "json", "sarif"):
        proc = subprocess.run(
            [sys.executable, "-m", "reuse_lint", "check", "--no-cache", "--output-format", fmt, "."],
            capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env,
        )
        assert proc.returncode == 1 and proc.stderr == "", (fmt, proc.stderr)
        assert ("bad%FF.py" if fmt == "sarif" else "bad\\udcff.py" if fmt == "json" else "bad\\xff.py") in proc.stdout
