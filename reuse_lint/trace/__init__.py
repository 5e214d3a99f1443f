"""`reuse-lint trace`: build a model's graph under variable hooks and report what TF did.

Importing this package does not import TensorFlow; only the child process does.
"""

from reuse_lint.trace.api import (
    TracedOptimizer, TracedVariable, TraceError, TraceResult, run_trace, run_traces,
)

__all__ = ["run_trace", "run_traces", "TraceResult", "TraceError", "TracedVariable", "TracedOptimizer"]
