"""The rules' claims, judged by TensorFlow: each bad fixture fails (or silently misbehaves)
the way its rule says, each good fixture builds, and the linter agrees line for line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reuse_lint.engine import lint_source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z]+\d+)")

# What TensorFlow does with each bad fixture: the error type and words of its message.
BAD = {
    "rl101_bad.py": ("ValueError", "Variable discriminator/h1/kernel already exists, disallowed"),
    "rl102_bad.py": ("ValueError", "Variable discriminator/logits/kernel does not exist"),
    "rl103_bad.py": ("ValueError", "Variable discriminator/logits/kernel already exists, disallowed"),
    "rl104_bad.py": ("ValueError", "Variable proj/w already exists, disallowed"),
}


def _expected(path: Path) -> set[tuple[int, str]]:
    return {
        (i, m.group(1))
        for i, line in enumerate(path.read_text().splitlines(), 1)
        if (m := EXPECT.search(line))
    }


def _findings(path: Path) -> set[tuple[int, str]]:
    return {(d.line, d.code) for d in lint_source(path.read_bytes(), str(path))}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_fixture_fails_in_tensorflow_as_the_rule_says(name, rule_fixtures_built):
    error = rule_fixtures_built[name]["error"]
    assert error is not None, f"{name} built without error"
    kind, words = BAD[name]
    assert error["type"] == kind
    assert words in error["message"]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*_bad.py")))
def test_bad_fixture_findings_are_exactly_the_marked_lines(name):
    path = FIXTURES / name
    assert _expected(path), f"{name} marks no expected finding"
    assert _findings(path) == _expected(path)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*_good.py")))
def test_good_fixture_builds_and_is_clean(name, rule_fixtures_built):
    assert rule_fixtures_built[name]["error"] is None, rule_fixtures_built[name]["error"]
    assert _findings(FIXTURES / name) == set()


def test_every_bad_fixture_has_a_good_twin_and_a_tensorflow_verdict():
    bad = {p.name for p in FIXTURES.glob("*_bad.py")}
    assert {n.replace("_bad", "_good") for n in bad} <= {p.name for p in FIXTURES.glob("*_good.py")}
    assert bad <= set(BAD) | set(SILENT), "every bad fixture needs TensorFlow's verdict in this file"


# Silent bugs (no error): what TensorFlow builds instead. Filled by the rules that need it.
SILENT: dict[str, object] = {}
