from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def tf_build(paths: list[Path]) -> dict[str, dict]:
    """What real TensorFlow does with each script: {path: {error, variables, trainable}}."""
    env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "tf_build.py"), *map(str, paths)],
        capture_output=True, text=True, env=env, timeout=600, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    return {Path(k).name: v for k, v in out.items()}


@pytest.fixture(scope="session")
def rule_fixtures_built() -> dict[str, dict]:
    return tf_build(sorted((FIXTURES / "rules").glob("*.py")))
