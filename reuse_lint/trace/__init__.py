"""`reuse-lint trace`: build a model's graph under variable hooks and report what TF did.

Importing this package does not import TensorFlow; only the child process does.
"""

from reuse_lint.trace.api import (
    TracedOptimizer, TracedVariable, TraceError, TraceResult, run_trace,
)

__all__ = ["run_trace", "TraceResult", "TraceError", "TracedVariable", "TracedOptimizer"]
