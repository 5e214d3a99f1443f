"""`reuse-lint gan --check`: what the linter and the trace say about each variant's source.

The static linter (`reuse_lint.runner.lint_files`) and the trace
(`reuse_lint.trace.run_traces`) are looked up when the check runs, so the GAN keeps
working while either is missing; the check then stops with one line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from reuse_lint.gan.catalog import Variant


# The trace's finding for each variant's rule: what TensorFlow did with the bug.
COUNTERPART = {"RL101": "RT201", "RL105": "RT204", "RL106": "RT204", "RL108": "RT206", "RL109": "RT206"}


def expected_trace(variant: Variant) -> set[str]:
    return {COUNTERPART[variant.expected]} if variant.expected else set()


class CheckUnavailable(Exception):
    """The linter or the trace cannot be imported."""


@dataclass(frozen=True)
class Findings:
    static: tuple[str, ...]
    trace: tuple[str, ...]
    trace_error: str | None = None  # the trace failed before reporting anything

    def matches(self, variant: Variant) -> bool:
        expected = {variant.expected} if variant.expected else set()
        return set(self.static) == expected and set(self.trace) == expected_trace(variant)


def _apis():
    try:
        from reuse_lint.runner import lint_files
        from reuse_lint.trace import TraceError, run_traces
    except ImportError as exc:
        raise CheckUnavailable(
            f"--check needs reuse_lint.runner.lint_files and reuse_lint.trace.run_traces ({exc})"
        ) from exc
    return lint_files, run_traces, TraceError


def findings(variants: list[Variant]) -> dict[str, Findings]:
    lint_files, run_traces, TraceError = _apis()
    # The traced scripts use tf.compat.v1.layers, which needs Keras 2 from the start.
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    # One trace process for all variants: TensorFlow starts once.
    traces = run_traces([str(v.path) for v in variants])
    result = {}
    for variant in variants:
        traced, error = traces[str(variant.path)], None
        if isinstance(traced, TraceError):
            # A variant that crashes still has the findings made before the crash.
            traced, error = (traced.result, None) if traced.result else (None, str(traced))
        diagnostics = traced.diagnostics if traced else []
        result[variant.name] = Findings(_codes(lint_files([str(variant.path)])), _codes(diagnostics), error)
    return result


def _codes(diagnostics) -> tuple[str, ...]:
    return tuple(sorted({d.code for d in diagnostics}))
