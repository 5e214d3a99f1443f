"""The trace's Python API and rule table, and the promise that only the child imports TF."""

from __future__ import annotations

import os
import subprocess
import sys

from reuse_lint.trace import TraceError, run_trace
from reuse_lint.trace.findings import RULES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_importing_the_trace_cli_does_not_import_tensorflow():
    code = ("import sys, reuse_lint.trace.cli, reuse_lint.trace; "
            "sys.exit('tensorflow' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_run_trace_on_correct_reuse_returns_variables_and_no_findings():
    result = run_trace(os.path.join(ROOT, "fixtures", "seed", "example2_correct_reuse.py"))
    assert result.diagnostics == []
    assert result.mode == "tf1"
    kernel = next(v for v in result.variables if v.name == "discriminator/dense/kernel")
    assert kernel.shape == (784, 128)
    assert kernel.site[1] == 6 and kernel.function == "discriminator"
    assert kernel.reuse_sites == 1  # the reuse=True call reads it
    assert result.optimizers == []


def test_run_trace_raises_for_a_missing_script():
    try:
        run_trace(os.path.join(ROOT, "no_such_script.py"))
    except TraceError as exc:
        assert "no such file" in str(exc)
    else:
        raise AssertionError("expected TraceError")


def test_every_rule_has_the_documentation_headings():
    assert sorted(RULES) == [f"RT20{i}" for i in range(1, 9)]
    for rule in RULES.values():
        assert rule.name == rule.name.lower() and " " not in rule.name
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead:"):
            assert heading in rule.doc, (rule.code, heading)
