"""Hostile input, faults and limits (issue 15): nothing deleted, nothing hidden, nothing lost."""

from __future__ import annotations

import json
import os
import shutil
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
    for folder in sorted({entry.parent for entry in entries(project)}):
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


# ----- exit codes and crashes ----------------------------------------------------------------------

def cli(*args: str, cwd: Path, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "reuse_lint", *args],
        capture_output=True, text=True, timeout=120, cwd=cwd,
    )


def test_an_internal_error_exits_2_with_one_line_naming_the_file(project, monkeypatch, capsys):
    from reuse_lint import checker, cli as cli_module

    def broken(source, path, *args, **kwargs):
        raise ZeroDivisionError("engine bug")

    monkeypatch.setattr(checker, "lint_source", broken)
    for args in (["--no-cache", "bad.py"], ["--fix", "bad.py"], ["--diff", "bad.py"]):
        assert cli_module.main(["check", *args]) == 2
        err = capsys.readouterr().err
        assert err.splitlines() == [
            "reuse-lint: error: internal error while analysing bad.py, please report: ZeroDivisionError: engine bug"
        ], args


def _without_root_privileges() -> tuple[str, ...]:
    """A prefix that runs a command without the power to read what mode 000 forbids."""
    if os.geteuid() != 0:
        return ()
    if not shutil.which("capsh"):
        pytest.skip("root without capsh: mode 000 denies nothing")
    return ("capsh", "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", '"$0" "$@"')


def test_an_unreadable_folder_gets_one_line_and_the_rest_is_linted(project):
    locked = project / "locked"
    locked.mkdir()
    (locked / "hidden.py").write_text(BAD)
    (project / "sub").mkdir()
    (project / "sub" / "more.py").write_text(BAD)
    locked.chmod(0)
    try:
        prefix = _without_root_privileges()
        proc = cli("check", "--no-cache", "--output-format", "concise", ".", cwd=project, prefix=prefix)
        named = cli("check", "--no-cache", "locked/hidden.py", cwd=project, prefix=prefix)
        inside = cli("check", "--no-cache", ".", cwd=project / "sub", prefix=prefix)
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 2
    assert proc.stderr == "reuse-lint: error: locked: cannot read the folder: Permission denied\n"
    assert [line.split(":")[0] for line in proc.stdout.splitlines()[:-1]] == ["bad.py", "sub/more.py"]
    assert proc.stdout.splitlines()[-1].endswith("Not every file was checked fully: 1 error above.")
    assert (named.returncode, named.stderr) == (2, "reuse-lint: error: locked/hidden.py: cannot read: Permission denied\n")
    assert inside.returncode == 1, inside.stderr


@pytest.mark.parametrize("tool", ["5", '"reuse-lint"', '["reuse-lint"]'])
def test_a_tool_key_that_is_not_a_table(project, tool):
    (project / "pyproject.toml").write_text(f"tool = {tool}\n")
    found = cli("check", "--no-cache", "--output-format", "concise", ".", cwd=project)
    assert (found.returncode, found.stderr) == (1, "")  # not our configuration: the defaults
    named = cli("check", "--no-cache", "--config", "pyproject.toml", ".", cwd=project)
    assert (named.returncode, named.stderr) == (2, "reuse-lint: error: pyproject.toml: [tool] must be a table\n")


def test_a_fifo_is_never_opened_and_one_named_on_the_command_line_is_an_error(project):
    os.mkfifo(project / "x.py")
    walked = cli("check", "--no-cache", "--output-format", "concise", ".", cwd=project)
    assert walked.returncode == 1 and walked.stderr == ""
    assert walked.stdout.splitlines()[0].startswith("bad.py:6:5: RL101")
    named = cli("check", "--no-cache", "x.py", "/dev/null", "util.py", cwd=project)
    assert named.returncode == 2
    assert named.stderr.splitlines() == [
        "reuse-lint: error: x.py: not a regular file",
        f"reuse-lint: error: {os.path.relpath('/dev/null', project)}: not a regular file",
    ]
    # A module of that name is not imported either.
    (project / "user.py").write_text("import x\n" + BAD)
    assert cli("check", "--no-cache", "user.py", cwd=project).returncode == 1


def test_a_recursion_error_is_reported_as_an_analysis_cut_short(project):
    # The interpreter recurses with the code it follows; a low limit stands in for a deep input.
    (project / "deep.py").write_text(BAD + "".join(f"def g{i}():\n    return g{i + 1}()\n" for i in range(30)) + "g0()\n")
    code = "import sys; sys.setrecursionlimit(130); from reuse_lint.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, "check", "--no-cache", "--output-format", "concise", "deep.py"],
        capture_output=True, text=True, timeout=120, cwd=project,
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "reuse-lint: error: deep.py: analysis cut short (nested too deeply): findings past that point may be missing\n"
    )
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("deep.py:6:5: RL101")  # what was found before the limit stands
    assert lines[-1] == "Found 1 finding. 1 fixable with --fix. Not every file was checked fully: 1 error above."


def test_out_of_memory_is_an_analysis_cut_short_not_a_syntax_error(project, monkeypatch):
    from reuse_lint import engine

    def no_memory(text, path):
        raise MemoryError

    monkeypatch.setattr(engine, "_parse", no_memory)
    s = Settings(paths=["bad.py"], root=project, config_path=project / "pyproject.toml", no_cache=True)
    result = run(s)
    assert result.diagnostics == []
    assert result.errors == ["bad.py: analysis cut short (out of memory): findings past that point may be missing"]


def test_a_cut_short_analysis_keeps_its_findings_and_says_so_from_the_cache_too(project, monkeypatch):
    from reuse_lint import runner
    from reuse_lint.engine import interp

    # A step budget that ends the analysis after the finding was made (BAD takes 8 steps).
    source = BAD + "y = 1\n" * 50
    monkeypatch.setattr(interp, "MAX_STEPS", 20)
    (project / "bad.py").write_text(source)
    os.utime(project / "bad.py", (1_000_000_000, 1_000_000_000))  # not racy: the index takes it
    s = Settings(paths=["bad.py"], root=project, config_path=project / "pyproject.toml")
    analysed = []
    analyse = runner.Worker._analyse
    monkeypatch.setattr(runner.Worker, "_analyse", lambda self, *a: analysed.append(a[0]) or analyse(self, *a))
    for run_number in range(3):  # cold, then from the stat index, then from the entry
        if run_number == 2:
            index_path(project).unlink()
        result = run(s)
        assert [(d.path, d.code, d.line) for d in result.diagnostics] == FOUND
        assert result.errors == ["bad.py: analysis cut short (over its step budget): findings past that point may be missing"]
    assert len(analysed) == 1  # the warm runs answered from the cache


def _run_with_a_killed_worker(project, monkeypatch, dies):
    """Lint 42 files with 2 workers, the process that lints die.py killed (once, or always)."""
    import multiprocessing

    from reuse_lint import runner

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the workers must inherit the patched method")
    for i in range(40):
        (project / f"m{i:02}.py").write_text(BAD if i % 10 == 0 else CLEAN)
    (project / "die.py").write_text(BAD)
    marker = project / "died"
    lint = runner.Worker.lint

    def killed(self, path):
        # As the OOM killer would: no exception, no cleanup, the process is gone.
        if path.name == "die.py" and (dies == "always" or not marker.exists()):
            marker.write_text("")
            os._exit(9)
        return lint(self, path)

    monkeypatch.setattr(runner.Worker, "lint", killed)
    s = Settings(paths=["."], root=project, config_path=project / "pyproject.toml", jobs=2, no_cache=True)
    return run(s)


def _assert_no_output_lost(result, dies):
    found = sorted({d.path for d in result.diagnostics})
    expected = ["bad.py", "m00.py", "m10.py", "m20.py", "m30.py"]
    if dies == "once":
        assert found == sorted(["die.py", *expected]) and result.errors == []
    else:
        assert found == expected
        assert result.errors == ["die.py: the process analysing it was killed (out of memory?)"]
    assert result.stats["linted"] + result.stats["skipped"] >= 42 - (dies == "always")


@pytest.mark.parametrize("dies", ["once", "always"])
def test_a_killed_worker_loses_no_output(project, monkeypatch, dies):
    _assert_no_output_lost(_run_with_a_killed_worker(project, monkeypatch, dies), dies)


@pytest.mark.parametrize("dies", ["once", "always"])
def test_a_worker_killed_while_chunks_are_handed_out_loses_no_output(project, monkeypatch, dies):
    # The race CI once lost: the pool breaks before every chunk is submitted, so submit
    # itself refuses. Here each submit waits until the chunk holding die.py has broken the pool.
    from concurrent.futures import ProcessPoolExecutor

    submit = ProcessPoolExecutor.submit
    refused = []

    def submit_then_wait(self, fn, chunk):
        try:
            future = submit(self, fn, chunk)
        except Exception:
            refused.append(chunk)
            raise
        if any(p.name == "die.py" for p in chunk):
            future.exception()  # returns once the chunk is done or its worker is gone
        return future

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit_then_wait)
    result = _run_with_a_killed_worker(project, monkeypatch, dies)
    assert refused  # the race happened
    _assert_no_output_lost(result, dies)


# ----- --fix ---------------------------------------------------------------------------------------

FIXED = BAD.replace("b = d(tf.zeros([1, 2]))", "b = d(tf.zeros([1, 2]), reuse=True)")


def fix(project: Path, *paths: str):
    s = Settings(paths=list(paths) or ["."], root=project, config_path=project / "pyproject.toml", fix=True)
    return run(s)


@pytest.mark.parametrize("source", [
    # `reuse` is d's second positional parameter, and the call already passes it.
    BAD.replace("b = d(tf.zeros([1, 2]))", "b = d(tf.zeros([1, 2]), False)"),
    # A method: `self` is given by the object.
    BAD.replace("def d(x, reuse=False):", "class M:\n  def d(self, x, reuse=False):\n    if True:")
       .replace("    with tf", "      with tf").replace("        return", "          return")
       .replace("a = d(", "m = M()\na = m.d(").replace("b = d(tf.zeros([1, 2]))", "b = m.d(tf.zeros([1, 2]), False)"),
    # `**opts` may hold reuse already.
    BAD.replace("b = d(tf.zeros([1, 2]))", "opts = {}\nb = d(tf.zeros([1, 2]), **opts)"),
    BAD.replace("b = d(tf.zeros([1, 2]))", "args = []\nb = d(tf.zeros([1, 2]), *args)"),
])
def test_no_safe_fix_whose_keyword_may_already_be_bound(project, source):
    (project / "bad.py").write_text(source)
    s = Settings(paths=["bad.py"], root=project, config_path=project / "pyproject.toml", no_cache=True)
    found = run(s).diagnostics
    assert [d.code for d in found if d.fix] == []
    fix(project, "bad.py")
    assert (project / "bad.py").read_text() == source


def test_the_dropped_reuse_fix_is_not_offered_past_kwargs(project):
    source = (
        "import tensorflow as tf\n"
        "def d(x, reuse=False, **opts):\n"
        "    with tf.variable_scope('d', **opts):\n"
        "        return tf.layers.dense(x, 1)\n"
        "a = d(tf.zeros([1, 2]), reuse=True)\n"  # a call that asks for the flag the scope never gets
    )
    (project / "bad.py").write_text(source)
    s = Settings(paths=["bad.py"], root=project, config_path=project / "pyproject.toml", no_cache=True)
    found = run(s).diagnostics
    assert [(d.code, d.fix) for d in found] == [("RL103", None)]


def test_a_positional_argument_before_reuse_still_gets_the_keyword(project):
    (project / "bad.py").write_text(BAD.replace("b = d(tf.zeros([1, 2]))", "b = d(tf.zeros([1, 2]))"))
    fix(project, "bad.py")
    assert (project / "bad.py").read_text() == FIXED


def test_a_file_changed_during_fix_is_not_overwritten(project, monkeypatch):
    from reuse_lint import fixes

    valid = fixes.valid_python

    def edited_meanwhile(text):
        (project / "bad.py").write_text(BAD + "# the user's edit\n")
        return valid(text)

    monkeypatch.setattr(fixes, "valid_python", edited_meanwhile)
    result = fix(project, "bad.py")
    assert result.errors == ["bad.py: changed while it was being fixed; not written (run --fix again)"]
    assert (project / "bad.py").read_text() == BAD + "# the user's edit\n"
    assert not [p for p in project.iterdir() if p.name.endswith(".reuse-lint")]


def test_a_symlink_is_fixed_through_and_stays_a_link(project):
    (project / "real").mkdir()
    target = project / "real" / "model.py"
    target.write_text(BAD)
    (project / "bad.py").unlink()
    (project / "bad.py").symlink_to(Path("real") / "model.py")
    fix(project, "bad.py")
    assert (project / "bad.py").is_symlink()
    assert target.read_text() == FIXED


def test_a_read_only_file_is_skipped_with_a_message(project):
    (project / "bad.py").chmod(0o444)
    result = fix(project, "bad.py")
    assert result.errors == ["bad.py: read-only (no write permission bit); not fixed"]
    assert (project / "bad.py").read_text() == BAD
    assert result.fixed == 0


def test_hard_links_stay_one_file(project):
    os.link(project / "bad.py", project / "twin.py")
    fix(project, "bad.py")
    assert (project / "bad.py").read_text() == (project / "twin.py").read_text() == FIXED
    assert os.path.samefile(project / "bad.py", project / "twin.py")


def test_owner_group_and_mode_are_kept(project):
    if os.geteuid() != 0:
        pytest.skip("only root can give a file another owner")
    path = project / "bad.py"
    os.chown(path, 1234, 5678)
    path.chmod(0o640)
    fix(project, "bad.py")
    st = path.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (1234, 5678, 0o640)
    assert path.read_text() == FIXED


# ----- cost that grows too fast (counted, never timed: benchmarks/growth.py times them) ------------

class CountingDict(dict):
    """A dict that counts the lookups and iterations made on it."""

    def __init__(self, *args):
        super().__init__(*args)
        self.reads = 0

    def get(self, key, default=None):
        self.reads += 1
        return super().get(key, default)

    def __contains__(self, key):
        self.reads += 1
        return super().__contains__(key)

    def __iter__(self):
        for key in super().__iter__():
            self.reads += 1
            yield key


def test_unique_names_and_reopened_scopes_cost_no_scan_of_every_name():
    from reuse_lint.engine.tfapi.graphs import GraphState

    graph = GraphState(0, fresh=True)
    graph.counts = CountingDict()
    names = []
    for _ in range(2000):
        name = graph.unique("", "dense")
        graph.open(name)
        names.append(name)
    for i in range(2000):
        graph.open(f"scope{i}")
    assert names[:3] == ["dense", "dense_1", "dense_2"] and names[-1] == "dense_1999"
    assert graph.counts.reads < 10 * 4000  # each name once or twice, not every name each time
    # Reopening a scope still zeroes the counts of the names under it, at any depth.
    graph.open("outer")
    graph.open("outer/inner")
    graph.open("outer/inner/deep")
    graph.open("outer")
    assert (graph.counts["outer/inner"], graph.counts["outer/inner/deep"]) == (0, 0)
    assert graph.unique("outer", "inner") == "inner"


def test_a_diamond_hierarchy_is_looked_up_once_a_class():
    from reuse_lint.engine.values import ClassVal

    top = ClassVal(None, None, CountingDict(), [])
    classes = [top]
    for _ in range(30):
        left = ClassVal(None, None, CountingDict(), [top])
        right = ClassVal(None, None, CountingDict(), [top])
        top = ClassVal(None, None, CountingDict(), [left, right])
        classes += [left, right, top]
    classes[0].attrs["found"] = "root"
    assert top.lookup("missing") is None
    assert sum(c.attrs.reads for c in classes) == len(classes)  # was 2**31 with the repeats
    assert top.lookup("found") == "root"


def test_a_1200_deep_class_chain_keeps_its_finding(project):
    chain = "class C0:\n    pass\n" + "".join(f"class C{i}(C{i - 1}):\n    pass\n" for i in range(1, 1200))
    (project / "deep.py").write_text(chain + "x = C1199()\nx.foo\n" + BAD)
    proc = cli("check", "--no-cache", "--output-format", "concise", "deep.py", cwd=project)
    assert (proc.returncode, proc.stderr) == (1, "")
    assert proc.stdout.startswith("deep.py:2408:5: RL101")


def test_if_paths_of_one_variable_are_compared_a_bounded_number_of_times(monkeypatch):
    from reuse_lint.checker import lint_source
    from reuse_lint.engine import queries

    calls = []
    compatible_paths = queries._compatible_paths
    monkeypatch.setattr(queries, "_compatible_paths", lambda a, b: calls.append(1) or compatible_paths(a, b))
    levels = 10  # 1,024 creations of `v`, each on its own path
    source = "import tensorflow as tf\ndef f0(x):\n    return tf.get_variable('v', [1])\n" + "".join(
        f"def f{i}(x):\n    if x:\n        return f{i - 1}(x)\n    else:\n        return f{i - 1}(x)\n"
        for i in range(1, levels + 1)
    ) + f"f{levels}(unknown)\n"
    limits: list[str] = []
    assert lint_source(source, "arms.py", cut_short=limits) == []
    assert limits == [f"over {queries.MAX_VARIANTS} `if` paths to one variable"]
    assert 0 < len(calls) <= 2 * queries.MAX_VARIANTS * 2 ** levels  # not 2**levels squared


def test_a_builder_applied_twice_after_many_alike_builds_keeps_its_finding():
    # One helper building twenty named layers before the pair: the builds of its line were
    # once compared with 16 earlier ones at most, and the run stopped looking past them.
    from reuse_lint.checker import lint_source

    source = (
        "import tensorflow as tf\n"
        "def dense(x, name):\n    with tf.variable_scope(name):\n"
        "        w = tf.Variable(tf.zeros([2, 2]))\n        return tf.matmul(x, w)\n"
        "def encoder(x):\n    with tf.variable_scope('enc'):\n        return dense(x, 'fc')\n"
        "h = tf.zeros([1, 2])\n"
        + "".join(f"h = dense(h, 'layer{i}')\n" for i in range(40))
        + "a = encoder(tf.zeros([1, 2]))\nb = encoder(tf.ones([1, 2]))\n"
    )
    limits: list[str] = []
    found = lint_source(source, "many.py", cut_short=limits)
    assert limits == []
    assert [(d.code, d.line) for d in found] == [("RL113", 4)]


def test_builds_of_one_line_are_compared_a_bounded_number_of_times(monkeypatch):
    from reuse_lint.checker import lint_source
    from reuse_lint.engine import queries

    calls = []
    as_repeat = queries._as_repeat
    monkeypatch.setattr(queries, "_as_repeat", lambda a, b, analysis: calls.append(1) or as_repeat(a, b, analysis))
    n = 100  # chained layers from 100 lines, each built by one helper
    source = "import tensorflow as tf\nimport tf_keras\ndef block(x, name):\n    return tf_keras.layers.Dense(4, name=name)(x)\n" + (
        "h = tf.zeros([1, 4])\n" + "".join(f"h = block(h, 'b{i}')\n" for i in range(n))
    )
    limits: list[str] = []
    lint_source(source, "chain.py", cut_short=limits)
    assert limits == []
    assert len(calls) <= 4 * n  # not n squared


def test_bindings_of_if_arms_join_as_before(project):
    from reuse_lint.engine import parse_module
    from reuse_lint.engine.interp import Interpreter
    from reuse_lint.engine.values import UNKNOWN, Const

    source = (
        "x = 1\nkept = 1\n"
        "if c:\n    x = 2\n    same = 7\n    if d:\n        x = 3\n        only = 1\nelse:\n    same = 7\n    y = 5\n"
        "if e:\n    raise ValueError\nelse:\n    z = 4\n"
    )
    module = parse_module(source, "m.py")
    Interpreter().run_module(module)
    g = module.globals
    assert g["x"] is UNKNOWN and g["y"] is UNKNOWN and g["only"] is UNKNOWN
    assert (g["kept"], g["same"], g["z"]) == (Const(1), Const(7), Const(4))


def test_plain_per_file_ignores_are_looked_up_not_matched_one_by_one(monkeypatch):
    import fnmatch
    import random

    from reuse_lint.config import _matches, _PatternTable

    table = {f"pkg{i}/mod{i}.py": ["RL101"] for i in range(20_000)}
    settings = Settings(root=Path("/project"), per_file_ignores=table)
    calls = []
    real = fnmatch.fnmatch
    monkeypatch.setattr(fnmatch, "fnmatch", lambda *a: calls.append(a) or real(*a))
    rules = (type("R", (), {"CODE": "RL101"}), type("S", (), {"CODE": "RL102"}))
    assert [r.CODE for r in settings.rules_for(Path("/project/pkg7/mod7.py"), rules)] == ["RL102"]
    assert [r.CODE for r in settings.rules_for(Path("/project/pkg7/other.py"), rules)] == ["RL101", "RL102"]
    assert calls == []
    # And the table says what matching each pattern in turn says.
    monkeypatch.setattr(fnmatch, "fnmatch", real)
    rng = random.Random(15)
    pieces = ["a", "b", "src", "x.py", "*.py", "**/", "*", "?.py", "[ab]", "dir/", "tests"]
    patterns = {"".join(rng.choice(pieces) + rng.choice(["", "/"]) for _ in range(rng.randint(1, 3))): [f"RL{100 + i % 20}"]
                for i in range(300)}
    matcher = _PatternTable(patterns)
    for rel in ["a/x.py", "src/b/y.py", "x.py", "tests/a.py", "b/a/x.py", "a.py", "dir/x.py", "src/x.py"]:
        name = rel.rsplit("/", 1)[-1]
        expected = {c for p, codes in patterns.items() if _matches(rel, name, p) for c in codes}
        assert set(matcher.codes(rel, name)) == expected, rel


def test_a_time_budget_cuts_the_analysis_short_and_says_so(project, monkeypatch):
    from reuse_lint.engine import interp

    monkeypatch.setattr(interp, "SAFETY_SECONDS", 0.0)
    (project / "bad.py").write_text(BAD + "y = 1\n" * 600)
    s = Settings(paths=["bad.py"], root=project, config_path=project / "pyproject.toml", no_cache=True)
    result = run(s)
    assert [(d.path, d.code, d.line) for d in result.diagnostics] == FOUND
    assert result.errors == ["bad.py: analysis cut short (over its time budget): findings past that point may be missing"]


def test_a_slow_clock_changes_no_finding(project, monkeypatch):
    # A loaded machine: every read of the CPU clock finds a second gone. The steps decide
    # where an analysis stops, so the file is analysed to its end as on an idle machine
    # (a 2-second time budget once stopped it after 768 of its 2,000 statements).
    from reuse_lint.engine import interp

    class SlowClock:
        now = 0.0

        def process_time(self) -> float:
            self.now += 1.0
            return self.now

    monkeypatch.setattr(interp, "time", SlowClock())
    (project / "bad.py").write_text("y = 1\n" * 2000 + BAD)
    s = Settings(paths=["bad.py"], root=project, config_path=project / "pyproject.toml", no_cache=True)
    result = run(s)
    assert [(d.path, d.code, d.line) for d in result.diagnostics] == [("bad.py", "RL101", 2006)]
    assert result.errors == []


def test_a_file_too_large_to_analyse_in_time_and_memory_says_so(project, monkeypatch):
    from reuse_lint import runner

    monkeypatch.setattr(runner, "MAX_FILE_BYTES", 100)
    (project / "train.py").write_text("from model import x\n" + BAD)
    s = Settings(paths=["bad.py", "train.py"], root=project, config_path=project / "pyproject.toml", no_cache=True)
    result = run(s)
    assert result.diagnostics == []
    assert result.errors == [
        f"bad.py: not analysed (too large: {len(BAD):,} bytes, over the 100 a file may have)",
        f"train.py: not analysed (too large: {len(BAD) + 20:,} bytes, over the 100 a file may have)",
    ]


def test_a_diff_header_escapes_the_file_name(project):
    name = "evil\n::error file=x.py::y.py"
    (project / name).write_text(BAD)
    proc = cli("check", "--no-cache", "--diff", name, cwd=project)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[:2] == ["--- a/evil\\n::error file=x.py::y.py", "+++ b/evil\\n::error file=x.py::y.py"]
    assert not [line for line in proc.stdout.splitlines() if line.startswith("::")]
