"""Every rule's VALID and INVALID examples are tests; every rule's doc has ruff's headings."""

from __future__ import annotations

import re
import textwrap

import pytest

from reuse_lint.checker import lint_source
from reuse_lint.rules import all_rules
from reuse_lint.rules.base import REQUIRED_HEADINGS

RULES = all_rules()
EXPECT = re.compile(r"#\s*expect:\s*([A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)")


def _cases(kind: str):
    for rule in RULES:
        for i, source in enumerate(getattr(rule, kind)):
            yield pytest.param(rule, textwrap.dedent(source), id=f"{rule.CODE}-{kind.lower()}-{i}")


def expected(source: str) -> set[tuple[int, str]]:
    found = set()
    for lineno, line in enumerate(source.splitlines(), 1):
        match = EXPECT.search(line)
        if match:
            found |= {(lineno, code.strip()) for code in match.group(1).split(",")}
    return found


@pytest.mark.parametrize(("rule", "source"), list(_cases("VALID")))
def test_valid_examples_have_no_finding_of_any_rule(rule, source):
    assert lint_source(source, "example.py") == []


@pytest.mark.parametrize(("rule", "source"), list(_cases("INVALID")))
def test_invalid_examples_report_exactly_the_marked_lines(rule, source):
    want = expected(source)
    assert want, "an INVALID example must mark its expected lines"
    got = {(d.line, d.code) for d in lint_source(source, "example.py", [rule])}
    assert got == want


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_doc_has_the_ruff_headings(rule):
    doc = rule.doc()
    for heading in REQUIRED_HEADINGS:
        assert heading in doc, f"{rule.CODE} doc lacks {heading!r}"
    if rule.FIXABLE:
        assert "## Fix safety" in doc


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.CODE)
def test_one_name_in_every_form(rule):
    module = rule.__module__.rsplit(".", 1)[1]
    assert module == rule.NAME.replace("-", "_")
    assert rule.__name__ == "".join(part.capitalize() for part in rule.NAME.split("-"))
    assert re.fullmatch(r"RL\d{3}", rule.CODE)
    assert rule.VALID and rule.INVALID


def test_codes_and_names_are_unique():
    assert len({r.CODE for r in RULES}) == len(RULES)
    assert len({r.NAME for r in RULES}) == len(RULES)
