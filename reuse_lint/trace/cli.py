"""`reuse-lint trace SCRIPT.py [-- ARGS...]` and `reuse-lint trace pkg.module:function`.

Exit codes: 0 no findings, 1 findings, 2 the target could not be traced. TensorFlow is
imported only by the child process that runs the target.

Where the trace stops (nothing trains unless --steps asks for it):
  * TF 1.x: at the first Session.run, called from user code, that fetches anything but
    variable initializers; at MonitoredTrainingSession; at the first run of a train op
    (an op returned by a v1 optimizer's minimize/apply_gradients).
  * TF 1.x with Keras: at the first Model.fit / fit_generator / train_on_batch (Keras runs
    its Session.runs from its own code). With --steps N, each call of a compiled model's
    train function is one step of its optimizer, measured like a TF 1 train op.
  * TF 2.x: at the first GradientTape.gradient call, eager or while a tf.function train
    step is traced. This covers custom loops and Keras' train_step.
--steps N in TF 1 lets N Session.runs with train ops go through. A run that fetches several
train ops is split: the other fetches first, then each train op alone, with the trainable
variables read before and after, so each train op's changed variables are known.
--steps N in TF 2 lets each tf_keras optimizer (per optimizer and call site) apply its
gradients N times, custom loops and fit alike, and compares every trainable variable before
and after each apply_gradients (inside a tf.function the comparison is built into the
graph). The trace stops before an optimizer's N+1th apply_gradients, or before the call of
the tf.function that would run it (see steps_tf2). tf_keras and Keras 3 optimizers alike.

TF 1.x or TF 2.x: a script (or the module of pkg.module:function) that mentions a TF 1.x
only name (placeholder, Session, variable_scope, get_variable, compat.v1, contrib,
tf.train.*Optimizer, tf.layers.dense...; see shim._V1_MARKERS) runs under the v1 shim;
anything else runs on plain TF 2.x. --tf1 / --tf2 override the guess.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys

from reuse_lint import notebook, output
from reuse_lint.trace.api import TraceError, TraceResult, result_to_json, run_trace

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reuse-lint trace",
        usage="reuse-lint trace [options] SCRIPT.py|pkg.module:function [-- ARGS...]",
        description="Build the graph of a script (or call a function that builds it) under "
                    "variable hooks, stopping before training, and report reuse bugs.",
    )
    p.add_argument("target", metavar="SCRIPT.py|pkg.module:function")
    p.add_argument("--output-format", choices=("full", "concise", "json"), default="full")
    p.add_argument("--tree", action="store_true", help="print the variable scope tree")
    p.add_argument("--steps", type=int, default=0, metavar="N",
                   help="let N training steps (TF 1: Session.runs of train ops; TF 2: "
                        "apply_gradients calls of each optimizer) run and report the variables "
                        "each train op or optimizer changed")
    p.add_argument("--timeout", type=float, default=300, metavar="S",
                   help="time limit for the traced program in seconds (default: 300)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--tf1", dest="mode", action="store_const", const="tf1",
                      help="always run under the TF 1.x shim")
    mode.add_argument("--tf2", dest="mode", action="store_const", const="tf2",
                      help="never install the TF 1.x shim (plain TF 2.x)")
    p.add_argument("--report", metavar="FILE",
                   help="also write the whole trace (variables, optimizers, steps) as JSON")
    p.set_defaults(mode="auto")
    return p


def _fail(message: str) -> int:
    sys.stderr.write(f"reuse-lint: error: {message}\n")
    return EXIT_ERROR


def main(argv: list[str]) -> int:
    # Everything after `--` belongs to the traced script, even words that look like options.
    split = argv.index("--") if "--" in argv else len(argv)
    args = _parser().parse_args(argv[:split])
    args.args = argv[split + 1:]
    if args.steps < 0 or args.timeout <= 0:
        return _fail("--steps must be >= 0 and --timeout > 0")
    try:
        result = run_trace(args.target, args.args, steps=args.steps, timeout=args.timeout,
                           mode=args.mode)
    except TraceError as exc:
        if exc.result is not None:
            _show(exc.result, args)
        if exc.traceback:
            sys.stderr.write(exc.traceback)
        return _fail(str(exc))
    _show(result, args)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            json.dump(result_to_json(result), f, indent=2)
    return EXIT_FINDINGS if result.diagnostics else EXIT_CLEAN


def _show(result: TraceResult, args) -> None:
    out = sys.stdout
    diagnostics, sources = _in_cells(result)
    output.render([_relative(d) for d in diagnostics], args.output_format, out, **sources)
    if args.output_format == "json":
        return
    if args.tree:
        from rich.console import Console

        from reuse_lint.trace.tree import scope_tree

        Console(file=out, highlight=False, width=160).print(scope_tree(result.variables, result.target))
    if result.steps_run or args.steps:
        _show_steps(result, out)
    if args.output_format == "full":
        where = f"stopped: {result.stopped}" if result.stopped else "ran to the end"
        out.write(f"Traced {result.target} ({result.mode}, {len(result.variables)} variables, "
                  f"{where}).\n")
        out.write(output.summary_line(result.diagnostics) + "\n")


def _show_steps(result: TraceResult, out) -> None:
    out.write(f"Training steps run: {result.steps_run}\n")
    for opt in result.optimizers:
        where = f"{opt.site[0]}:{opt.site[1]}" if opt.site else "?"
        out.write(f"  {opt.kind} at {where}: {opt.steps} runs changed {len(opt.changed)} "
                  f"of {len(opt.var_list)} variables in its var_list\n")
        for name in opt.changed:
            mark = "" if name in opt.var_list else "   <- not in its var_list"
            out.write(f"    {name}{mark}\n")


def _in_cells(result: TraceResult) -> tuple[list, dict]:
    """A notebook's findings at its cells (the child ran the code cells as one script), and
    the cells' text for the excerpts."""
    if not notebook.is_notebook(result.target):
        return result.diagnostics, {}
    path = os.path.abspath(result.target)
    try:
        with open(path, "rb") as f:
            book = notebook.read(f.read())
    except (OSError, notebook.NotebookError):
        return result.diagnostics, {}
    return book.map(result.diagnostics, path), {"sources": book.sources(_shown(path)).get}


def _shown(path: str) -> str:
    """Paths below the working directory as `check` shows them: relative."""
    rel = os.path.relpath(path) if os.path.isabs(path) else path
    return path if rel.startswith("..") else rel


def _relative(d):
    related = tuple(dataclasses.replace(r, path=_shown(r.path)) for r in d.related)
    return dataclasses.replace(d, path=_shown(d.path), related=related)
