"""Processes change the speed of a run, never its output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BUILDER = '''import tensorflow as tf
def d{i}(x, reuse=False):
    with tf.variable_scope("d{i}", reuse=reuse):
        return tf.layers.dense(x, 1)
a = d{i}(tf.zeros([1, 2]))
b = d{i}(tf.zeros([1, 2]))
'''


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reuse_lint", "check", "--no-cache", "--output-format", "concise", *args],
        capture_output=True, text=True, cwd=cwd, timeout=300,
    )


def test_two_processes_give_the_serial_output_byte_for_byte(tmp_path):
    # Enough files for several chunks; bad, clean, broken and TF-free files interleaved.
    for i in range(90):
        kind = i % 4
        text = (BUILDER.format(i=i), "import tensorflow as tf\n", "def f(:\n", "x = 1\n")[kind]
        sub = tmp_path / f"pkg{i % 7}"
        sub.mkdir(exist_ok=True)
        (sub / f"m{i:03}.py").write_text(text)
    serial = check(tmp_path, "--jobs", "1", ".")
    parallel = check(tmp_path, "--jobs", "2", ".")
    automatic = check(tmp_path, ".")
    assert serial.returncode == parallel.returncode == automatic.returncode == 1
    assert parallel.stdout == serial.stdout == automatic.stdout
    lines = serial.stdout.splitlines()
    assert lines[-1].startswith("Found 45 findings.")  # 23 RL101 + 22 RL001
    assert lines[0] == "pkg0/m000.py:6:5: RL101 Variable `d0/dense/kernel` is created a second time in this graph, without reuse"


def test_parallel_run_reports_unreadable_files_and_goes_on(tmp_path):
    for i in range(60):
        (tmp_path / f"m{i:02}.py").write_text(BUILDER.format(i=i) if i == 59 else "x = 1\n")
    locked = tmp_path / "m30.py"
    locked.chmod(0)
    try:
        proc = check(tmp_path, "--jobs", "2", ".")
    finally:
        locked.chmod(0o644)
    if locked.stat().st_uid == 0 and proc.returncode == 1:
        return  # root reads anything: nothing to report
    assert proc.returncode == 2
    assert "m30.py: cannot read: Permission denied" in proc.stderr
    assert "m59.py:6:5: RL101" in proc.stdout


def test_import_cycle_through_a_linted_file_loses_nothing_in_processes(tmp_path):
    # A worker lints a.py, then d.py reaches b and a again through c: once an internal error.
    (tmp_path / "a.py").write_text("import tensorflow as tf\nimport b\n")
    (tmp_path / "b.py").write_text("import c\nimport a\nX = 1\n")
    (tmp_path / "c.py").write_text("import b\nY = 2\n")
    (tmp_path / "d.py").write_text(BUILDER.format(i=0) + "import c\n")
    serial = check(tmp_path, "--jobs", "1", ".")
    parallel = check(tmp_path, "--jobs", "2", ".")
    assert serial.returncode == parallel.returncode == 1, parallel.stderr
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr == ""
    assert serial.stdout.splitlines()[0] == "d.py:6:5: RL101 Variable `d0/dense/kernel` is created a second time in this graph, without reuse"
