"""Run a trace from Python: spawn the child runner, wait with a time limit, read its JSON.

Importing this module does not import TensorFlow; only the child does.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

from reuse_lint.diagnostics import Diagnostic, Related


@dataclass(frozen=True)
class TracedVariable:
    name: str
    shape: tuple
    dtype: str
    trainable: bool
    site: tuple[str, int] | None  # (path, line) of the user code that created it
    function: str | None
    reuse_sites: int  # distinct user call sites that looked it up with reuse
    copy_of: str | None  # set when RT204 found it to be a silent copy of another variable


@dataclass(frozen=True)
class TracedOptimizer:
    kind: str
    site: tuple[str, int] | None
    var_list: tuple[str, ...]
    implicit_var_list: bool
    steps: int  # training runs of its train op measured under --steps
    changed: tuple[str, ...]  # trainable variables those runs changed


@dataclass
class TraceResult:
    target: str
    mode: str  # "tf1" (v1 shim) or "tf2"
    stopped: str | None  # why the run ended early, None when the program finished
    steps_run: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    variables: list[TracedVariable] = field(default_factory=list)
    optimizers: list[TracedOptimizer] = field(default_factory=list)


class TraceError(Exception):
    """The target could not be traced. `result` holds what was built before a crash."""

    def __init__(self, message: str, traceback: str = "", result: TraceResult | None = None):
        super().__init__(message)
        self.traceback = traceback
        self.result = result


def run_trace(target: str, args: list[str] = (), *, steps: int = 0, timeout: float = 300,
              mode: str = "auto") -> TraceResult:
    """Trace `target` (SCRIPT.py or pkg.module:function) in a child process.

    Raises TraceError for a missing script, an unknown module or function, a time-out, a
    non-zero sys.exit and an exception raised by the target.
    """
    if ":" not in target and not os.path.isfile(target):
        raise TraceError(f"{target}: no such file")
    with tempfile.TemporaryDirectory(prefix="reuse-lint-trace-") as tmp:
        result_path = os.path.join(tmp, "result.json")
        log_path = os.path.join(tmp, "child.log")
        cmd = [sys.executable, "-m", "reuse_lint.trace.runner", result_path, mode, str(steps),
               target, *args]
        _run_child(cmd, log_path, timeout, target)
        if not os.path.exists(result_path):
            raise TraceError(f"{target}: the trace process died without a result; "
                             f"last output: {_tail(log_path)}")
        with open(result_path, encoding="utf-8") as f:
            data = json.load(f)
    return _result(target, data)


def run_traces(scripts: list[str], *, timeout: float = 600) -> dict[str, TraceResult | TraceError]:
    """Trace many scripts with one TensorFlow start-up per mode (TF1, TF2) instead of one per
    script: each script gets a fresh graph and recording, so the results are those of
    `run_trace(script)`. The time limit is for each child as a whole; a time-out or a dead
    child raises TraceError. A script that cannot be traced maps to its TraceError."""
    from reuse_lint.trace.shim import looks_like_tf1

    groups: dict[str, list[str]] = {}
    for script in scripts:
        with open(script, encoding="utf-8", errors="replace") as f:
            groups.setdefault("tf1" if looks_like_tf1(f.read()) else "tf2", []).append(script)
    out: dict[str, TraceResult | TraceError] = {}
    with tempfile.TemporaryDirectory(prefix="reuse-lint-trace-") as tmp:
        for mode, group in groups.items():
            result_path, log_path = os.path.join(tmp, f"{mode}.json"), os.path.join(tmp, f"{mode}.log")
            cmd = [sys.executable, "-m", "reuse_lint.trace.runner", "--batch", result_path, mode, *group]
            _run_child(cmd, log_path, timeout, f"a batch of {len(group)} scripts")
            if not os.path.exists(result_path):
                raise TraceError(f"the trace process died without a result; last output: {_tail(log_path)}")
            with open(result_path, encoding="utf-8") as f:
                data = json.load(f)
            for script in group:
                try:
                    out[script] = _result(script, data[script])
                except TraceError as exc:
                    out[script] = exc
    return out


def _run_child(cmd: list[str], log_path: str, timeout: float, target: str) -> None:
    # The child's stdout and stderr (the script's prints, TF's logging) go to a log file,
    # so they neither mix with our output nor fill a pipe and block the child.
    with open(log_path, "wb") as log:
        child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                 start_new_session=True)
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)  # its own session: takes its children too
            child.wait()
            raise TraceError(f"{target} did not finish within the time limit of {timeout:g} s "
                             "(--timeout); it may be waiting for input or looping") from None
        except BaseException:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            raise


def _tail(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [line.strip() for line in f if line.strip()]
    return lines[-1] if lines else "(none)"


def _result(target: str, data: dict) -> TraceResult:
    if data["status"] == "error" and "variables" not in data:
        raise TraceError(data["message"])
    result = TraceResult(
        target=target, mode=data["mode"], stopped=data["stopped"], steps_run=data["steps_run"],
        diagnostics=[_diagnostic(d) for d in data["diagnostics"]],
        variables=[_variable(v) for v in data["variables"]],
        optimizers=[_optimizer(o) for o in data["optimizers"]],
    )
    if data["status"] == "error":
        raise TraceError(data["message"], data.get("traceback", ""), result)
    return result


def _site(site: dict | None) -> tuple[str, int] | None:
    return (site["path"], site["line"]) if site else None


def _diagnostic(d: dict) -> Diagnostic:
    return Diagnostic(
        code=d["code"], name=d["name"], message=d["message"], path=d["path"], line=d["line"],
        column=d["column"], end_line=d["end_line"], end_column=d["end_column"], help=d["help"],
        related=tuple(Related(r["path"], r["line"], r["column"], r["message"]) for r in d["related"]),
    )


def _variable(v: dict) -> TracedVariable:
    return TracedVariable(
        name=v["name"], shape=tuple(v["shape"]), dtype=v["dtype"], trainable=v["trainable"],
        site=_site(v["site"]), function=v["site"]["function"] if v["site"] else None,
        reuse_sites=v["reuse_sites"], copy_of=v["copy_of"],
    )


def _optimizer(o: dict) -> TracedOptimizer:
    return TracedOptimizer(
        kind=o["kind"], site=_site(o["site"]), var_list=tuple(o["var_list"]),
        implicit_var_list=o["implicit_var_list"], steps=o["steps"], changed=tuple(o["changed"]),
    )


def result_to_json(result: TraceResult) -> dict:
    """The whole result as plain data, for `--report FILE`."""
    return {
        "target": result.target, "mode": result.mode, "stopped": result.stopped,
        "steps_run": result.steps_run,
        "diagnostics": [d.to_json() for d in result.diagnostics],
        "variables": [v.__dict__ | {"shape": list(v.shape)} for v in result.variables],
        "optimizers": [o.__dict__ | {"var_list": list(o.var_list), "changed": list(o.changed)}
                       for o in result.optimizers],
    }
