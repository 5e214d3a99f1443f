"""--fix and --diff: what they promise, each promise tested on real files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, tf_build
from reuse_lint.checker import lint_source
from reuse_lint.fixes import valid_python
from reuse_lint.rules import all_rules

FIXTURES = ROOT / "fixtures" / "rules"
FIXABLE = sorted(r.CODE for r in all_rules() if r.FIXABLE)

BAD = '''import tensorflow as tf


def d(x, reuse=False):
    with tf.variable_scope("d", reuse=reuse):
        return tf.layers.dense(x, 1)


a = d(tf.zeros([1, 2]))
b = d(tf.zeros([1, 2]))  # the second call
'''
FIXED = BAD.replace("b = d(tf.zeros([1, 2]))", "b = d(tf.zeros([1, 2]), reuse=True)")


def run(*args: str, cwd: Path = ROOT):
    return subprocess.run(
        [sys.executable, "-m", "reuse_lint", "check", "--no-cache", *args],
        capture_output=True, text=True, cwd=cwd, timeout=120, env=dict(os.environ, NO_COLOR="1"),
    )


def test_fix_repairs_and_reports(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text(BAD)
    proc = run("--fix", str(path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert path.read_text() == FIXED
    assert "Fixed 1 finding, 0 remaining." in proc.stdout


def test_second_fix_changes_nothing(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text(BAD)
    run("--fix", str(path))
    once = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    proc = run("--fix", str(path))
    assert path.read_bytes() == once
    assert path.stat().st_mtime_ns == mtime
    assert proc.returncode == 0


def test_file_without_fixable_finding_is_not_rewritten(tmp_path):
    path = tmp_path / "unfixable.py"
    # RL102 has no automatic fix: the file must stay byte for byte, mtime included.
    path.write_text('import tensorflow as tf\nwith tf.variable_scope("d", reuse=True):\n    w = tf.get_variable("w", [1])\n')
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    proc = run("--fix", str(path))
    assert proc.returncode == 1
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert "RL102" in proc.stdout


def test_diff_writes_nothing_and_exits_one(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text(BAD)
    proc = run("--diff", str(path))
    assert proc.returncode == 1
    assert path.read_text() == BAD
    assert "-b = d(tf.zeros([1, 2]))  # the second call" in proc.stdout
    assert "+b = d(tf.zeros([1, 2]), reuse=True)  # the second call" in proc.stdout
    clean = tmp_path / "clean.py"
    clean.write_text(FIXED)
    assert run("--diff", str(clean)).returncode == 0


def test_crlf_bom_coding_tabs_comments_and_mode_survive(tmp_path):
    path = tmp_path / "crlf.py"
    source = "# -*- coding: utf-8 -*-\n" + BAD.replace("    ", "\t").replace("# the second call", "# l\u00e4uft zweimal")
    path.write_bytes(b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode("utf-8"))
    path.chmod(0o751)
    proc = run("--fix", str(path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    text = data[3:].decode("utf-8").replace("\r\n", "\n")
    assert text == source.replace("b = d(tf.zeros([1, 2]))", "b = d(tf.zeros([1, 2]), reuse=True)")
    assert (path.stat().st_mode & 0o777) == 0o751


def test_latin1_file_keeps_its_encoding(tmp_path):
    path = tmp_path / "latin.py"
    source = "# -*- coding: latin-1 -*-\n" + BAD.replace("# the second call", "# caf\u00e9")
    path.write_bytes(source.encode("latin-1"))
    assert run("--fix", str(path)).returncode == 0
    assert path.read_bytes() == source.replace("b = d(tf.zeros([1, 2]))", "b = d(tf.zeros([1, 2]), reuse=True)").encode("latin-1")


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text(BAD)
    inode = path.stat().st_ino
    run("--fix", str(path))
    assert path.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.py"]


def test_unwritable_file_is_reported_and_the_others_are_fixed(tmp_path):
    if shutil.which("chattr") is None:
        pytest.skip("chattr is needed to make a file unwritable for root")
    locked, other = tmp_path / "a_locked.py", tmp_path / "b_other.py"
    locked.write_text(BAD)
    other.write_text(BAD)
    if subprocess.run(["chattr", "+i", str(tmp_path)], capture_output=True).returncode != 0:
        pytest.skip("this file system does not support the immutable flag")
    try:
        other_path = tmp_path / "b_other.py"
        proc = run("--fix", str(locked), str(other_path))
    finally:
        subprocess.run(["chattr", "-i", str(tmp_path)], check=True)
    assert proc.returncode == 2
    assert "a_locked.py: cannot write the fix" in proc.stderr
    assert locked.read_text() == BAD


@pytest.mark.parametrize("code", FIXABLE)
def test_every_fixable_rule_fixes_its_bad_fixture(code, tmp_path):
    bad = FIXTURES / f"{code.lower()}_bad.py"
    path = tmp_path / bad.name
    shutil.copy(bad, path)
    proc = run("--unsafe-fixes", str(path))
    assert valid_python(path.read_text())
    assert path.read_bytes() != bad.read_bytes()
    assert code not in {d.code for d in lint_source(path.read_bytes(), str(path))}, proc.stdout
    again = path.read_bytes()
    run("--unsafe-fixes", str(path))
    assert path.read_bytes() == again


def test_fixed_fixtures_build_in_tensorflow(tmp_path):
    """A fix is right because TensorFlow builds the result, not because the text changed."""
    paths = []
    for code in FIXABLE:
        path = tmp_path / f"{code.lower()}_bad.py"
        shutil.copy(FIXTURES / path.name, path)
        paths.append(path)
    example = tmp_path / "example1.py"
    seed = (ROOT / "fixtures" / "seed" / "example1_incorrect_reuse.py").read_text()
    # The article's TF1 code, run through tf.compat.v1 as its era's TensorFlow would.
    example.write_text(seed.replace("import tensorflow as tf", "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()", 1))
    paths.append(example)
    before = tf_build(paths)
    assert all(before[p.name]["error"] for p in paths if p.name in ("rl101_bad.py", "rl103_bad.py", "example1.py"))
    proc = run("--unsafe-fixes", *map(str, paths))
    assert "remaining" in proc.stdout
    after = tf_build(paths)
    for path in paths:
        assert after[path.name]["error"] is None, (path.name, after[path.name]["error"], path.read_text())
        assert {d.code for d in lint_source(path.read_bytes(), str(path))} & set(FIXABLE) == set()


CLASH = '''import tensorflow as tf


def deconv(x, units, reuse=False, name="deconv"):
    with tf.variable_scope(name, reuse=reuse):
        return tf.layers.dense(x, units)


x = tf.zeros([1, 4])
for i in range(1, 3):
    x = deconv(x, 8, name="deconv-%d" % (i + 1))
y = deconv(x, 3, name="deconv-3")  # another layer, of another width, under the loop's last name
'''


def test_reuse_is_not_a_safe_fix_for_two_layers_of_other_settings_under_one_name(tmp_path):
    """The repeated call asks for other weights than the first (3 units, not 8): `reuse=True`
    would share a kernel of another shape, and TF would refuse. --fix leaves it; only
    --unsafe-fixes writes it."""
    path = tmp_path / "clash.py"
    path.write_text(CLASH)
    proc = run("--fix", str(path))
    assert path.read_text() == CLASH
    assert "RL101" in proc.stdout, proc.stdout + proc.stderr
    run("--unsafe-fixes", str(path))
    assert 'deconv(x, 3, name="deconv-3", reuse=True)' in path.read_text()
