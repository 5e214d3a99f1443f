"""CI formats: SARIF 2.1.0 validated against the official schema, and GitHub annotations."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from reuse_lint.diagnostics import Diagnostic, Edit, Fix, Related
from reuse_lint.rules import all_rules
from reuse_lint.formats_ci import github_line, rule_doc, sarif_log, write_github, write_sarif

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
SEED = ROOT / "fixtures" / "seed"


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    # The official schema is kept in the repository (tests/data/README.md): no test reads outside it.
    return json.loads(SCHEMA.read_text())


def reuse_lint(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reuse_lint", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def trace_finding() -> Diagnostic:
    return Diagnostic(
        code="RT201", name="duplicate-creation", message="`D/w` already exists, created again",
        path="train.py", line=9, column=5, end_line=9, end_column=21,
        related=(Related("train.py", 4, 5, "first created here"),),
        help="pass reuse=True",
    )


def test_sarif_of_a_real_run_validates_and_locates_the_finding(sarif_schema):
    proc = reuse_lint("check", "--no-cache", "--output-format", "sarif", "fixtures/seed")
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    jsonschema.validate(log, sarif_schema)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.CODE for r in all_rules()]
    rl101 = next(r for r in rules if r["id"] == "RL101")
    assert rl101["name"] == "repeated-scope-without-reuse"
    assert "## Why is this bad?" in rl101["fullDescription"]["text"]
    assert rl101["shortDescription"]["text"]
    (result,) = run["results"]
    assert result["ruleId"] == "RL101" and rules[result["ruleIndex"]] is rl101
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "fixtures/seed/example1_incorrect_reuse.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 16, "startColumn": 15, "endLine": 16, "endColumn": 46}
    assert result["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 12
    (fix,) = result["fixes"]
    (replacement,) = fix["artifactChanges"][0]["replacements"]
    assert replacement == {
        "deletedRegion": {"startLine": 16, "startColumn": 45, "endLine": 16, "endColumn": 45},
        "insertedContent": {"text": ", reuse=True"},
    }


def test_sarif_lists_only_the_selected_rules_and_validates_when_clean(sarif_schema, tmp_path):
    (tmp_path / "ok.py").write_text("x = 1\n")
    proc = reuse_lint("check", "--no-cache", "--select", "RL101,RL102,RL104", "--ignore", "RL104", "--output-format", "sarif", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    log = json.loads(proc.stdout)
    jsonschema.validate(log, sarif_schema)
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == ["RL101", "RL102"]
    assert log["runs"][0]["results"] == []


def test_sarif_serves_trace_findings_with_their_docs_without_tensorflow(sarif_schema):
    stream = io.StringIO()
    write_sarif([trace_finding()], stream, rule_codes=["RL101"])
    log = json.loads(stream.getvalue())
    jsonschema.validate(log, sarif_schema)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["RL101", "RT201"]
    assert rules[1]["name"] == "duplicate-creation"
    assert "## What it does" in rules[1]["help"]["markdown"]
    assert log["runs"][0]["results"][0]["ruleIndex"] == 1
    # The doc lookup must not drag TensorFlow in: trace.findings is pure data.
    code = "import sys; from reuse_lint.formats_ci import rule_doc; assert rule_doc('RT202').name; print('tensorflow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_sarif_unsafe_fix_absolute_path_and_backwards_range_stay_valid(sarif_schema, tmp_path):
    d = Diagnostic(
        code="RL101", name="repeated-scope-without-reuse", message="m", path=str(tmp_path / "a b.py"),
        line=3, column=9, end_line=3, end_column=2,
        fix=Fix("use AUTO_REUSE", (Edit(1, 1, 1, 4, "x"), Edit(2, 1, 2, 1, "y\n")), safe=False),
    )
    log = sarif_log([d], ["RL101"])
    jsonschema.validate(log, sarif_schema)
    result = log["runs"][0]["results"][0]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": (tmp_path / "a b.py").as_uri()} and "%20" in uri["uri"]
    assert result["locations"][0]["physicalLocation"]["region"]["endColumn"] == 9
    assert result["fixes"][0]["description"]["text"] == "use AUTO_REUSE (unsafe)"
    assert len(result["fixes"][0]["artifactChanges"][0]["replacements"]) == 2


def test_rule_doc_finds_static_and_trace_rules_and_nothing_else():
    assert rule_doc("RL101").name == "repeated-scope-without-reuse"
    assert rule_doc("RT201").name == "duplicate-creation"
    assert rule_doc("RT999") is None and rule_doc("XX1") is None


def test_github_annotation_of_a_real_run():
    proc = reuse_lint("check", "--no-cache", "--output-format", "github", "fixtures/seed")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "::error file=fixtures/seed/example1_incorrect_reuse.py,line=16,col=15,endLine=16,endColumn=46,"
        "title=RL101 repeated-scope-without-reuse::Variable `discriminator/dense/kernel` is created a "
        "second time in this graph, without reuse%0Ahelp: pass reuse=True on the repeated call, or use "
        "reuse=tf.AUTO_REUSE in the builder's variable_scope"
    ]


def test_github_escapes_properties_and_data():
    d = Diagnostic(
        code="RL101", name="n", message="100% bad\r\nsee: a,b", path="dir,x/a:b%.py",
        line=2, column=3, end_line=4, end_column=1,
    )
    assert github_line(d) == (
        "::error file=dir%2Cx/a%3Ab%25.py,line=2,col=3,endLine=4,title=RL101 n::100%25 bad%0D%0Asee: a,b"
    )


def test_github_serves_trace_findings():
    stream = io.StringIO()
    write_github([trace_finding()], stream)
    assert stream.getvalue() == (
        "::error file=train.py,line=9,col=5,endLine=9,endColumn=21,title=RT201 duplicate-creation::"
        "`D/w` already exists, created again%0Ahelp: pass reuse=True\n"
    )


def test_output_file_holds_the_report_and_stdout_stays_empty(tmp_path, sarif_schema):
    report = tmp_path / "reuse-lint.sarif"
    proc = reuse_lint("check", "--no-cache", "--output-format", "sarif", "-o", str(report), "fixtures/seed")
    assert proc.returncode == 1 and proc.stdout == ""
    log = json.loads(report.read_text())
    jsonschema.validate(log, sarif_schema)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["RL101"]
    proc = reuse_lint("check", "--no-cache", "-o", str(tmp_path / "missing" / "out.txt"), "fixtures/seed")
    assert proc.returncode == 2
    assert proc.stderr.startswith("reuse-lint: error: ") and proc.stderr.count("\n") == 1
    assert "cannot write" in proc.stderr
