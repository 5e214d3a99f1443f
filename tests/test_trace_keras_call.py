"""RT208 for weights a new layer object makes in its own `build` when a user `call` makes
that object on every call: the finding is the caller's line, under tf_keras and Keras 3."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join("fixtures", "trace", "tf2_project_layer_per_call.py")


@pytest.mark.parametrize("legacy", ["1", "0"], ids=["tf_keras", "keras3"])
def test_a_project_layer_made_in_call_is_rt208_at_the_callers_line(legacy, tmp_path):
    report = tmp_path / "report.json"
    env = dict(os.environ, TF_USE_LEGACY_KERAS=legacy, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-m", "reuse_lint", "trace", SCRIPT, "--timeout", "60", "--report", str(report)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1, done.stderr
    diagnostics = json.loads(report.read_text(encoding="utf-8"))["diagnostics"]
    assert [(d["code"], d["line"]) for d in diagnostics] == [("RT208", 18)]
    [d] = diagnostics
    assert "this `AttentionUnit`" in d["message"] and "(2 later calls did)" in d["message"]
    assert [(r["path"], r["line"]) for r in d["related"]] == [(SCRIPT.replace(os.sep, "/"), 18)]
