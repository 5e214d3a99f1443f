from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# A builder called twice without reuse: RL101 at line 6, column 5.
BAD = '''import tensorflow as tf
def d(x, reuse=False):
    with tf.variable_scope("d", reuse=reuse):
        return tf.layers.dense(x, 1)
a = d(tf.zeros([1, 2]))
b = d(tf.zeros([1, 2]))
'''


@pytest.fixture(autouse=True, scope="session")
def _machine_secret_in_a_temporary_folder(tmp_path_factory):
    """The cache's per-user secret (cache.machine_secret) lives in the user's cache folder:
    tests, and the processes they start, keep theirs in a temporary one."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))


def is_eager(path: Path) -> bool:
    """TF2 fixtures run eagerly; the others disable v2 behaviour themselves."""
    return "disable_v2_behavior" not in path.read_text()


def tf_build(paths: list[Path], eager: bool = False, keras3: bool = False) -> dict[str, dict]:
    """What real TensorFlow does with each script: {name: {error, created, variables,
    trainable, steps, lists}} (see tests/tf_build.py). `tf.keras` is tf_keras (Keras 2)
    unless `keras3`, then it is Keras 3, TF 2.16+'s default."""
    if not paths:
        return {}
    legacy = "0" if keras3 else "1"
    env = dict(os.environ, TF_USE_LEGACY_KERAS=legacy, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
    flag = ["--eager"] if eager else []
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "tf_build.py"), *flag, *map(str, paths)],
        capture_output=True, text=True, env=env, timeout=600, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    return {Path(k).name: v for k, v in out.items()}


@pytest.fixture(scope="session")
def rule_fixtures_built() -> dict[str, dict]:
    paths = sorted((FIXTURES / "rules").glob("*.py"))
    built = tf_build([p for p in paths if not is_eager(p)])
    built.update(tf_build([p for p in paths if is_eager(p)], eager=True))
    return built
