"""`reuse-lint gan --check`: what the linter and the trace say about each variant's source.

The static linter (`reuse_lint.runner.lint_files`) and the trace
(`reuse_lint.trace.run_trace`) are looked up when the check runs, so the GAN keeps
working while either is missing; the check then stops with one line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from reuse_lint.gan.catalog import Variant


class CheckUnavailable(Exception):
    """The linter or the trace cannot be imported."""


@dataclass(frozen=True)
class Findings:
    static: tuple[str, ...]
    trace: tuple[str, ...]
    trace_error: str | None = None  # the trace failed before reporting anything

    def matches(self, variant: Variant) -> bool:
        expected = {variant.expected} if variant.expected else set()
        return set(self.static) == expected


def _apis():
    try:
        from reuse_lint.runner import lint_files
        from reuse_lint.trace import TraceError, run_trace
    except ImportError as exc:
        raise CheckUnavailable(
            f"--check needs reuse_lint.runner.lint_files and reuse_lint.trace.run_trace ({exc})"
        ) from exc
    return lint_files, run_trace, TraceError


def findings(variants: list[Variant]) -> dict[str, Findings]:
    lint_files, run_trace, TraceError = _apis()
    # The traced scripts use tf.compat.v1.layers, which needs Keras 2 from the start.
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    result = {}
    for variant in variants:
        static = lint_files([str(variant.path)])
        try:
            traced, error = run_trace(str(variant.path)).diagnostics, None
        except TraceError as exc:
            # The duplicate variant raises while building its graph; the trace still
            # reports what it saw up to the error.
            traced, error = (exc.result.diagnostics, None) if exc.result else ([], str(exc))
        result[variant.name] = Findings(_codes(static), _codes(traced), error)
    return result


def _codes(diagnostics) -> tuple[str, ...]:
    return tuple(sorted({d.code for d in diagnostics}))
