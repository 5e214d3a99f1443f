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
import contextlib
import dataclasses
import json
import os
import signal
import sys
import threading

from reuse_lint import notebook, output
from reuse_lint.cli import Parser
from reuse_lint.paths import shown
from reuse_lint.trace.api import TraceError, TraceResult, result_to_json, run_trace

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = Parser(
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


class Signalled(BaseException):
    """SIGTERM or SIGHUP reached `reuse-lint trace`: unwind so that the traced program's
    process group is killed and its temporary folder removed on the way out."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def _signals_unwind():
    def raise_signalled(signum, _frame):
        raise Signalled(signum)

    # Only the main thread may set handlers (main() called from a thread keeps the defaults).
    main_thread = threading.current_thread() is threading.main_thread()
    previous = {s: signal.signal(s, raise_signalled) for s in (signal.SIGTERM, signal.SIGHUP) if main_thread}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def main(argv: list[str]) -> int:
    # Everything after `--` belongs to the traced script, even words that look like options.
    split = argv.index("--") if "--" in argv else len(argv)
    args = _parser().parse_args(argv[:split])
    args.args = argv[split + 1:]
    if args.steps < 0 or args.timeout <= 0:
        return _fail("--steps must be >= 0 and --timeout > 0")
    failure: TraceError | None = None
    try:
        with _signals_unwind():
            result = run_trace(args.target, args.args, steps=args.steps, timeout=args.timeout,
                               mode=args.mode)
    except TraceError as exc:
        failure, result = exc, exc.result
    except (Signalled, KeyboardInterrupt) as exc:
        name = exc.args[0] if isinstance(exc, Signalled) else "SIGINT"
        failure, result = TraceError(f"interrupted by {name}; the traced program was stopped"), None
    sources: dict = {}
    if result is not None:
        result = _relative_result(result)
        diagnostics, sources = _in_cells(result)
        result = dataclasses.replace(result, diagnostics=diagnostics)
    if args.report:
        _write_report(args.report, result, failure, args.target)
    if result is not None:
        _show(result, args, sources)
    if failure is not None:
        if failure.traceback:
            sys.stderr.write(failure.traceback)
        if result is not None and result.ending == "crashed":
            return _fail(f"{result.target} {ending_text(result)}")
        return _fail(_shown_message(str(failure), args.target))
    return EXIT_FINDINGS if result.diagnostics else EXIT_CLEAN


def _write_report(path: str, result: TraceResult | None, failure: TraceError | None, target: str) -> None:
    # Written on every ending, a failed run too: CI reads it to learn what happened.
    data = result_to_json(result) if result is not None else {
        "target": shown(target), "ending": "failed", "error": _shown_message(str(failure), target)}
    try:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
    except OSError as exc:
        sys.stderr.write(f"reuse-lint: error: {shown(path)}: cannot write the report: {exc.strerror or exc}\n")


def ending_text(result: TraceResult) -> str:
    """How the traced program ended, in the words the summary line uses."""
    if result.ending == "stopped":
        return f"stopped: {result.stopped}"
    if result.ending == "exit":
        return f"ended with sys.exit({result.exit_code})"
    if result.ending == "crashed":
        where = f" at {result.crash_site[0]}:{result.crash_site[1]}" if result.crash_site else ""
        return f"crashed{where}: {result.error}"
    return "ran to the end"


def _show(result: TraceResult, args, sources: dict) -> None:
    """`sources`: render()'s source lookup, for a notebook's cells (see _in_cells)."""
    out = sys.stdout
    failed = result.ending == "crashed" or (result.ending == "exit" and result.exit_code != 0)
    text = args.output_format != "json"
    n = len(result.variables)
    header = (f"Traced {result.target} ({result.mode}, {n} variable{'s' if n != 1 else ''}, "
              f"{ending_text(result)}).")
    if failed and text:
        # The error first, then what was found before it.
        out.write(header + (" Found before it:\n" if result.diagnostics else "\n"))
    output.render(result.diagnostics, args.output_format, out, **sources)
    if not text:
        return
    if args.tree:
        from rich.console import Console

        from reuse_lint.trace.tree import scope_tree

        Console(file=out, highlight=False, width=160).print(scope_tree(result.variables, result.target))
    if result.steps_run or args.steps:
        _show_steps(result, out)
    if failed:
        n = len(result.diagnostics)
        out.write(f"Found {n} finding{'s' if n != 1 else ''} before the program failed.\n" if n
                  else "No findings before the program failed.\n")
    elif args.output_format == "full":
        out.write(header + "\n" + output.summary_line(result.diagnostics) + "\n")
    else:  # concise: one line, a clean trace too
        out.write(f"{header} {output.summary_line(result.diagnostics)}\n")


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
    path = shown(os.path.abspath(result.target))  # as the findings' paths are shown
    try:
        with open(path, "rb") as f:
            book = notebook.read(f.read())
    except (OSError, notebook.NotebookError):
        return result.diagnostics, {}
    return book.map(result.diagnostics, path), {"sources": book.sources(path).get}


def _shown_message(message: str, target: str) -> str:
    if os.path.isabs(target):
        return message.replace(target, shown(target))
    return message


def _site(site):
    return (shown(site[0]), site[1]) if site else None


def _relative_result(result: TraceResult) -> TraceResult:
    return dataclasses.replace(
        result, target=shown(result.target),
        diagnostics=[d.with_paths(shown) for d in result.diagnostics],
        variables=[dataclasses.replace(v, site=_site(v.site)) for v in result.variables],
        optimizers=[dataclasses.replace(o, site=_site(o.site)) for o in result.optimizers],
        crash_site=_site(result.crash_site),
    )
