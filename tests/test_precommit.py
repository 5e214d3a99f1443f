"""The pre-commit hook, run by the real pre-commit on a throw-away repository.

pre-commit builds the hook's own virtualenv with pip from a git repository and a rev, so the
test snapshots this checkout's tracked files (as they are on disk) into a one-commit repo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BAD

ROOT = Path(__file__).resolve().parent.parent

GOOD = BAD.replace("b = d(tf.zeros([1, 2]))", "b = d(tf.zeros([1, 2]), reuse=True)")


def git(*args: str, cwd: Path) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """A one-commit copy of the tracked files, so uncommitted work is what gets tested."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    tracked = git("ls-files", "-z", cwd=ROOT).split("\0")
    for rel in filter(None, tracked):
        source = ROOT / rel
        if source.is_file():
            (snapshot / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / rel)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file(), "the hook file must be tracked"
    git("init", "-q", cwd=snapshot)
    git("add", "-A", cwd=snapshot)
    git("commit", "-q", "-m", "snapshot", cwd=snapshot)
    return snapshot, git("rev-parse", "HEAD", cwd=snapshot)


def pre_commit(cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1", PRE_COMMIT_COLOR="never")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color", "never"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )


def test_hook_fails_on_a_staged_bug_and_passes_once_fixed(hook_repo, tmp_path):
    repo_path, rev = hook_repo
    work = tmp_path / "project"
    work.mkdir()
    git("init", "-q", cwd=work)
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {repo_path}\n  rev: {rev}\n  hooks:\n  - id: reuse-lint\n"
    )
    (work / "train.py").write_text(BAD)
    (work / "notes.txt").write_text("b = d(x)\n")  # not Python: never handed to the hook
    git("add", ".", cwd=work)

    failed = pre_commit(work, tmp_path / "pre-commit-home")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "reuse-lint" in failed.stdout and "Failed" in failed.stdout
    assert "train.py:6:5: RL101 repeated-scope-without-reuse" in failed.stdout
    assert "notes.txt" not in failed.stdout

    (work / "train.py").write_text(GOOD)
    git("add", "train.py", cwd=work)
    passed = pre_commit(work, tmp_path / "pre-commit-home")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
