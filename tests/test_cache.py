"""The content-hash cache: a second run does no work, and every input that matters is in the key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reuse_lint.cache import CACHE_DIR, INDEX, machine_secret, unseal
from reuse_lint.config import Settings
from reuse_lint.runner import run

MODEL = '''import tensorflow as tf
def discriminator(x, reuse=False):
    with tf.variable_scope("d", reuse=reuse):
        return tf.layers.dense(x, 1)
'''
MODEL_AUTO = MODEL.replace('x, reuse=False', 'x').replace('reuse=reuse', 'reuse=tf.AUTO_REUSE')
# No TensorFlow name here: the finding comes through the imported module.
TRAIN = '''from model import discriminator
real = discriminator(1.0)
fake = discriminator(2.0)
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.reuse-lint]\n")
    (tmp_path / "model.py").write_text(MODEL)
    (tmp_path / "train.py").write_text(TRAIN)
    (tmp_path / "util.py").write_text("def f():\n    return 1\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(**overrides):
    s = Settings(paths=["."], root=Path.cwd(), config_path=Path.cwd() / "pyproject.toml", **overrides)
    result = run(s)
    return [(d.path, d.code, d.line, d.column) for d in result.diagnostics], result.stats


def entries(root: Path) -> list[Path]:
    return sorted(p for p in (root / CACHE_DIR).rglob("*.json") if p.name != INDEX)


def age(*paths: Path, seconds: int = 3600) -> None:
    """Set modification times in the past, as files of a checkout are: the stat index leaves
    out files changed in the last seconds (a same-tick change would keep their signature)."""
    for path in paths:
        then = path.stat().st_mtime - seconds
        os.utime(path, (then, then))


def index(root: Path) -> dict:
    found = list((root / CACHE_DIR).rglob(INDEX))
    return unseal(machine_secret(), found[0].read_bytes()) if found else {}


def test_second_run_is_served_from_the_cache_with_the_same_findings(project):
    first, stats = check()
    assert first == [("train.py", "RL101", 3, 8)]
    assert stats["cached"] == 0 and stats["linted"] + stats["skipped"] == 3
    assert len(entries(project)) == 3
    second, stats = check()
    assert second == first
    assert stats == {"linted": 0, "cached": 3, "skipped": 0}


def test_a_changed_imported_module_invalidates_the_importer(project):
    assert check()[0] == [("train.py", "RL101", 3, 8)]
    (project / "model.py").write_text(MODEL_AUTO)  # train.py itself is unchanged
    findings, stats = check()
    assert findings == []
    assert stats["cached"] == 1  # util.py only: model.py changed, train.py depends on it


def test_a_changed_file_and_changed_settings_miss(project):
    check()
    (project / "util.py").write_text("def f():\n    return 2\n")
    assert check()[1]["cached"] == 2
    assert check(select=["RL001"])[1]["cached"] == 0
    assert check(select=["RL001"])[1]["cached"] == 3


def test_corrupt_entries_are_ignored_and_rewritten(project):
    check()
    for entry in entries(project):
        entry.write_text('{"deps": {}, "diagnostics": [{"code": ')
    findings, stats = check()
    assert findings == [("train.py", "RL101", 3, 8)]
    assert stats["cached"] == 0
    assert check()[1]["cached"] == 3
    for entry in entries(project):
        assert isinstance(unseal(machine_secret(), entry.read_bytes()), dict)


def test_no_cache_and_fix_neither_read_nor_write_it(project):
    check(no_cache=True)
    assert not (project / CACHE_DIR).exists()
    check(fix=True)
    assert not (project / CACHE_DIR).exists()


def test_the_cache_lives_at_the_project_root_not_the_cwd(project):
    (project / "sub").mkdir()
    os.chdir(project / "sub")
    proc = subprocess.run([sys.executable, "-m", "reuse_lint", "check", "-q", ".."], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert len(entries(project)) == 3
    assert not (project / "sub" / CACHE_DIR).exists()


def test_concurrent_runs_agree_and_leave_no_temporary_files(project):
    for i in range(40):
        (project / f"m{i}.py").write_text(f"import tensorflow as tf\nx{i} = tf.get_variable('v{i}', [1])\n")
    cmd = [sys.executable, "-m", "reuse_lint", "check", "--output-format", "json", "."]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=project) for _ in range(4)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(out == outputs[0] for out in outputs)
    assert [f["path"] for f in json.loads(outputs[0])] == ["train.py"]
    assert len(entries(project)) == 43
    assert not [p for p in (project / CACHE_DIR).rglob("*") if p.name.endswith(".tmp")]


def test_a_module_created_later_invalidates_the_files_whose_import_it_now_satisfies(project):
    # `helpers` does not exist yet: the import is external, there is nothing to report.
    (project / "later.py").write_text(TRAIN.replace("from model", "from helpers"))
    assert check()[0] == [("train.py", "RL101", 3, 8)]
    (project / "helpers.py").write_text(MODEL)
    findings, stats = check()
    assert findings == [("later.py", "RL101", 3, 8), ("train.py", "RL101", 3, 8)]
    assert stats["cached"] == 3  # model, train, util: their imports found the same modules


# ----- the stat index ---------------------------------------------------------------------------

def aged_project(project: Path) -> Path:
    age(*project.glob("*.py"), project)
    return project


def test_a_warm_run_answers_from_the_stat_index_without_reading_a_source(project, monkeypatch):
    aged_project(project)
    first = check()
    assert sorted(index(project)) == sorted(str(p) for p in project.glob("*.py"))

    read_bytes, sources = Path.read_bytes, []

    def recorded(self):
        if self.suffix == ".py":
            sources.append(self.name)
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", recorded)
    findings, stats = check()
    assert findings == first[0] == [("train.py", "RL101", 3, 8)]
    assert stats == {"linted": 0, "cached": 3, "skipped": 0}
    assert sources == ["train.py"]  # only for the excerpt that the output shows


def test_the_index_sees_a_changed_file_and_a_changed_dependency(project):
    aged_project(project)
    check()
    (project / "model.py").write_text(MODEL_AUTO)
    age(project / "model.py", seconds=60)  # a new signature, and old enough to be indexed again
    findings, stats = check()
    assert findings == []  # train.py's finding came through model.py
    assert stats["cached"] == 1  # util.py
    assert check()[1]["cached"] == 3  # and the new signatures are indexed


def test_the_index_sees_a_module_created_where_a_missed_import_looked(project):
    (project / "later.py").write_text(TRAIN.replace("from model", "from helpers"))
    aged_project(project)
    assert check()[0] == [("train.py", "RL101", 3, 8)]
    (project / "helpers.py").write_text(MODEL)  # changes the folder's modification time
    age(project / "helpers.py", project, seconds=60)
    findings, stats = check()
    assert findings == [("later.py", "RL101", 3, 8), ("train.py", "RL101", 3, 8)]


def test_files_changed_moments_ago_are_not_indexed(project):
    aged_project(project)
    (project / "util.py").write_text("def f():\n    return 3\n")  # now: racy
    check()
    assert sorted(index(project)) == sorted(str(project / n) for n in ("model.py", "train.py"))


def test_a_corrupt_index_is_ignored_and_rewritten(project):
    aged_project(project)
    check()
    path = next((project / CACHE_DIR).rglob(INDEX))
    path.write_text('{"x": ')
    assert check() == ([("train.py", "RL101", 3, 8)], {"linted": 0, "cached": 3, "skipped": 0})  # entries
    assert len(index(project)) == 3


def test_edits_and_deletions_do_not_grow_the_cache(project):
    aged_project(project)
    check()
    assert len(entries(project)) == 3
    for i in range(3):
        (project / "util.py").write_text(f"def f():\n    return {i + 10}\n")
        age(project / "util.py", seconds=60 - i)
        check()
    assert len(entries(project)) == 3
    (project / "util.py").unlink()
    (project / "model.py").write_text(MODEL + "\n")  # a change, so that the run saves the index
    age(project / "model.py", seconds=30)
    check()
    assert sorted(index(project)) == sorted(str(project / n) for n in ("model.py", "train.py"))
    assert len(entries(project)) == 2


def test_clean_removes_the_project_cache(project):
    check()
    (project / "sub").mkdir()
    cmd = [sys.executable, "-m", "reuse_lint", "clean"]
    first = subprocess.run([*cmd, "sub"], capture_output=True, text=True, timeout=60)
    assert first.returncode == 0 and first.stdout == f"Removed {CACHE_DIR}\n"  # relative, as every path shown
    assert not (project / CACHE_DIR).exists()
    assert subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout == "No cache to remove\n"
    missing = subprocess.run([*cmd, "nowhere"], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and missing.stderr == "reuse-lint: error: nowhere: no such file or directory\n"


def test_the_analysis_fingerprint_covers_every_engine_module_and_rule():
    # An API model edited in engine/tfapi/ (or any engine subpackage) changes the findings,
    # so the cache keys must see it: every engine and rule module is an input.
    import reuse_lint
    from reuse_lint.cache import analysis_sources

    package = Path(reuse_lint.__file__).resolve().parent
    covered = {p.relative_to(package).as_posix() for p in analysis_sources()}
    expected = {p.relative_to(package).as_posix() for folder in ("engine", "rules") for p in (package / folder).rglob("*.py")}
    assert expected <= covered
    assert "engine/tfapi/scopes.py" in covered


BUILDER = '''import tensorflow as tf
def d(x, reuse=False):
    with tf.variable_scope("d", reuse=reuse):
        return tf.layers.dense(x, 1)
a = d(1.0)
b = d(2.0)
'''


@pytest.mark.parametrize("jobs", [1, 2])
def test_byte_identical_files_and_hard_links_are_each_reported_at_their_own_path(tmp_path, monkeypatch, jobs):
    # Same bytes, so the same content hash; a hard link is also the same inode. Each name is
    # a file the user sees, and must get its findings, cold and warm, in one process or two.
    (tmp_path / "pyproject.toml").write_text("[tool.reuse-lint]\n")
    names = []
    for i in range(10):  # 20 files: two chunks, so `--jobs 2` really starts two processes
        sub = tmp_path / f"pkg{i}"
        sub.mkdir()
        (sub / "copy.py").write_text(BUILDER)
        os.link(sub / "copy.py", sub / "link.py")
        names += [f"pkg{i}/copy.py", f"pkg{i}/link.py"]
    (tmp_path / "pkg9" / "alias.py").symlink_to(Path("..") / "pkg0" / "copy.py")  # one file: linted once
    age(*tmp_path.rglob("*.py"))  # old enough to be indexed: the warm run answers from the index
    monkeypatch.chdir(tmp_path)
    expected = sorted((name, "RL101", 6, 5) for name in names)
    cold, stats = check(jobs=jobs)
    assert sorted(cold) == expected
    assert stats["linted"] == 20
    warm, stats = check(jobs=jobs)
    assert sorted(warm) == expected
    assert stats == {"linted": 0, "cached": 20, "skipped": 0}
