"""No output holds an absolute path: every format of `check` and `trace`, related locations
included, given an absolute path on the command line. A CI log must not expose the
runner's layout, and GitHub links only relative locations."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = dict(os.environ, PYTHONPATH=ROOT, NO_COLOR="1")

OPS = '''import tensorflow as tf


def discriminator(x):
    with tf.variable_scope("d"):
        return tf.layers.dense(x, 1)
'''
MAIN = '''import tensorflow as tf

from ops import discriminator

real = tf.placeholder(tf.float32, [None, 4])
fake = tf.placeholder(tf.float32, [None, 4])
d_real = discriminator(real)
d_fake = discriminator(fake)
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("proj")
    (root / "pkg").mkdir()
    # A finding in one module whose related location is in another.
    shutil.copytree(os.path.join(ROOT, "fixtures", "crossmodule", "sampler_bad"), root / "sampler")
    (root / "pkg" / "ops.py").write_text(OPS)
    (root / "pkg" / "main.py").write_text(MAIN)
    return root


def _run(cwd, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reuse_lint", *args], cwd=cwd, env=ENV,
                          capture_output=True, text=True, timeout=300)


def _no_absolute(text: str, root) -> None:
    assert str(root) not in text and os.path.realpath(root) not in text
    assert "file://" not in text


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "sarif", "github"])
def test_check_shows_every_path_relative(project, fmt):
    proc = _run(project, "check", "--no-cache", "--output-format", fmt, str(project / "sampler"),
                str(project / "pkg"))
    assert proc.returncode == 1, proc.stderr
    assert "sampler/gen.py" in proc.stdout and "pkg/main.py" in proc.stdout
    _no_absolute(proc.stdout + proc.stderr, project)
    if fmt == "sarif":
        results = json.loads(proc.stdout)["runs"][0]["results"]
        [leak] = [r for r in results if r["ruleId"] == "RL107"]
        related = leak["relatedLocations"][0]["physicalLocation"]["artifactLocation"]
        assert related == {"uri": "sampler/main.py", "uriBaseId": "%SRCROOT%"}


def test_check_paths_outside_the_working_directory_are_relative(project, tmp_path):
    # A missing path is shown as the user gave it; everything the run found, relative.
    proc = _run(tmp_path, "check", "--no-cache", "--output-format", "concise", str(project / "pkg"),
                "missing.py")
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == "reuse-lint: error: missing.py: no such file or directory"
    assert proc.stdout.startswith(os.path.join(os.path.relpath(project, tmp_path), "pkg", "main.py") + ":8:10: RL101")
    _no_absolute(proc.stdout + proc.stderr, project)


def test_trace_shows_every_path_relative(project, tmp_path):
    script = str(project / "pkg" / "main.py")
    report = tmp_path / "report.json"
    jobs = [("full", "--tree", "--report", str(report)), ("concise",), ("json",)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda job: _run(project, "trace", script, "--output-format", *job), jobs))
    for proc in runs:
        assert proc.returncode == 1, proc.stderr
        assert "pkg/main.py" in proc.stdout
        _no_absolute(proc.stdout + proc.stderr, project)
    text = report.read_text()
    _no_absolute(text, project)
    data = json.loads(text)
    assert data["target"] == "pkg/main.py"
    [d] = data["diagnostics"]
    assert (d["path"], d["related"][0]["path"]) == ("pkg/main.py", "pkg/main.py")
    assert {v["site"][0] for v in data["variables"]} == {"pkg/ops.py"}


@pytest.mark.parametrize("text", ["[tool.reuse-lint]\nselect = 5\n", "[tool.reuse-lint\n"])
def test_configuration_errors_name_the_file_relatively(tmp_path, text):
    (tmp_path / "pyproject.toml").write_text(text)
    (tmp_path / "a.py").write_text("x = 1\n")
    proc = _run(tmp_path.parent, "check", str(tmp_path / "a.py"))
    assert proc.returncode == 2
    assert f"{tmp_path.name}/pyproject.toml: " in proc.stderr
    assert str(tmp_path) not in proc.stderr


def test_a_crash_whose_tensorflow_message_holds_a_traceback_is_shown_relative(tmp_path):
    # fit's retrace raises TF's singleton error, whose message quotes TF's own traceback
    # with the absolute paths of site-packages and of the script.
    script = tmp_path / "net.py"
    script.write_bytes((Path(ROOT) / "fixtures" / "rules" / "rl111_call_bad.py").read_bytes())
    report = tmp_path / "report.json"
    proc = _run(tmp_path, "trace", "--steps", "2", "--report", str(report), str(script))
    assert proc.returncode == 2, proc.stderr
    assert "tf.function only supports singleton tf.Variables" in proc.stderr
    for text in (proc.stdout, proc.stderr, report.read_text()):
        assert not re.search(r'File "/', text), text
        assert str(tmp_path) not in text


def test_one_helper_shows_paths_relative_to_the_working_directory_of_the_moment(tmp_path, monkeypatch):
    from reuse_lint.paths import shown

    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a")
    assert shown("./b//m.py") == "b/m.py"  # inside: only normalised
    assert shown(Path("../a/b/m.py")) == "b/m.py"
    assert shown(tmp_path / "a" / "b" / "m.py") == "b/m.py"
    assert shown(tmp_path / "x.py") == "../x.py"
    monkeypatch.chdir(tmp_path / "a" / "b")  # a traced script may change it: not memoised stale
    assert shown(tmp_path / "a" / "b" / "m.py") == "m.py"


def test_clean_names_the_removed_cache_relatively(tmp_path):
    (tmp_path / "proj" / "sub").mkdir(parents=True)
    (tmp_path / "proj" / "pyproject.toml").write_text("[tool.reuse-lint]\n")
    (tmp_path / "proj" / ".reuse_lint_cache").mkdir()
    proc = _run(tmp_path / "proj" / "sub", "clean", str(tmp_path / "proj" / "sub"))
    assert (proc.returncode, proc.stdout) == (0, "Removed ../.reuse_lint_cache\n"), proc.stderr
