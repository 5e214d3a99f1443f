"""`reuse-lint gan --check`: the linter and the trace on each variant of the reference GAN.

Each broken variant must get exactly the static code the catalog names and that code's
dynamic counterpart; the correct GAN gets nothing. Real linter, real TensorFlow (all
variants traced by one child process).
"""

from __future__ import annotations

import pytest

from reuse_lint.gan import check
from reuse_lint.gan.catalog import VARIANTS, by_name

# Known disagreements with the catalog, each a strict xfail so that a fix shows up.
KNOWN: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def findings() -> dict[str, check.Findings]:
    return check.findings(list(VARIANTS))


def _cases(side: str) -> list:
    return [
        pytest.param(v.name, id=v.name, marks=[pytest.mark.xfail(strict=True, reason=KNOWN[v.name, side])]
                     if (v.name, side) in KNOWN else [])
        for v in VARIANTS
    ]


def test_the_counterparts_of_the_catalog():
    assert {v.name: (v.expected, check.expected_trace(v)) for v in VARIANTS} == {
        "shared": (None, set()),
        "unshared": ("RL105", {"RT204"}),
        "keras-per-call": ("RL106", {"RT204"}),
        "generator-trains-discriminator": ("RL109", {"RT206"}),
        "prefix-var-list": ("RL108", {"RT206"}),
        "duplicate": ("RL101", {"RT201"}),
    }


@pytest.mark.parametrize("name", _cases("static"))
def test_static_finding_is_exactly_the_intended_one(findings, name):
    variant = by_name(name)
    assert set(findings[name].static) == ({variant.expected} if variant.expected else set())


@pytest.mark.parametrize("name", _cases("trace"))
def test_trace_finding_is_exactly_the_counterpart(findings, name):
    assert findings[name].trace_error is None
    assert set(findings[name].trace) == check.expected_trace(by_name(name))


@pytest.mark.parametrize("name", [v.name for v in VARIANTS if v.expected])
def test_every_broken_variant_gets_its_code_and_counterpart(findings, name):
    variant = by_name(name)
    assert variant.expected in findings[name].static
    assert check.expected_trace(variant) <= set(findings[name].trace)


def test_matches_needs_both_sides(findings):
    assert findings["shared"].matches(by_name("shared"))
    assert findings["duplicate"].matches(by_name("duplicate"))
    assert not check.Findings(("RL101",), ()).matches(by_name("duplicate"))
    assert not check.Findings((), ("RT201",)).matches(by_name("duplicate"))
