"""Run a trace from Python: spawn the child runner, wait with a time limit, read its JSON.

Importing this module does not import TensorFlow; only the child does.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
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
    duplicate_sites: int = 0  # distinct user call sites that created it again without reuse


@dataclass(frozen=True)
class TracedOptimizer:
    kind: str
    site: tuple[str, int] | None
    var_list: tuple[str, ...]
    implicit_var_list: bool
    steps: int  # training runs of its train op measured under --steps
    changed: tuple[str, ...]  # trainable variables those runs changed
    no_gradient: tuple[str, ...] = ()  # variables it was given whose gradient was None


@dataclass
class TraceResult:
    target: str
    mode: str  # "tf1" (v1 shim) or "tf2"
    stopped: str | None  # why the run ended early, None when the program finished
    steps_run: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    variables: list[TracedVariable] = field(default_factory=list)
    optimizers: list[TracedOptimizer] = field(default_factory=list)
    # How the program ended: "stopped" (before training, see `stopped`), "finished", "exit"
    # (sys.exit(exit_code)), "crashed" (`error`, at `crash_site`), "failed" (never ran: `error`).
    ending: str = "finished"
    exit_code: int = 0
    error: str | None = None
    crash_site: tuple[str, int] | None = None


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
        code = _run_child(cmd, log_path, timeout, target)
        if not os.path.exists(result_path):
            # os._exit(n) in the script, or the interpreter failing before the runner reported.
            raise TraceError(f"{target}: the traced program exited with code {code} before the "
                             f"trace could report (os._exit?); last output: {_tail(log_path)}")
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


def _run_child(cmd: list[str], log_path: str, timeout: float, target: str) -> int:
    """Run the child in its own session and process group, and kill that whole group, and
    every process descended from the child in a session of its own, on every way out: after
    the child ends (a process the script started may outlive it), on a time-out, and on any
    exception here (Ctrl-C, or SIGTERM/SIGHUP turned into one by the CLI). Raises
    TraceError when the child was killed by a signal."""
    # The child's stdout and stderr (the script's prints, TF's logging) go to a log file,
    # so they neither mix with our output nor fill a pipe and block the child.
    with open(log_path, "wb") as log, _adopting_orphans() as adopting:
        ours = _children(os.getpid()) if adopting else set()  # not the trace's to kill
        with _TRACING:
            # Registered before another thread's trace can look: in a session of its own,
            # this child would otherwise pass there for an orphan that trace adopted.
            child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                     start_new_session=True)
            _TRACE_CHILDREN.add(child.pid)
        try:
            ended = _wait_unreaped(child.pid, timeout)
        finally:
            # The child is not reaped yet, so its pid still names the group: the kill
            # cannot reach an unrelated process that took a reused pid.
            _kill_group(child.pid)
            if adopting:
                _kill_escaped(child.pid, ours)
            child.wait()
            with _TRACING:
                _TRACE_CHILDREN.discard(child.pid)
    if not ended:
        raise TraceError(f"{target} did not finish within the time limit of {timeout:g} s "
                         "(--timeout); it may be waiting for input or looping")
    if child.returncode < 0:
        name = signal.Signals(-child.returncode).name
        raise TraceError(f"{target}: the traced program was killed by signal {name}"
                         + (" (out of memory?)" if name == "SIGKILL" else ""))
    return child.returncode


def _wait_unreaped(pid: int, timeout: float) -> bool:
    """Wait until `pid` exits, leaving it a zombie (not reaped); False on time-out."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        if info is not None:
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(delay, left))
        delay = min(delay * 2, 0.1)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already empty


# Linux's prctl options: a "child subreaper" adopts the orphans of its descendants.
_PR_SET_CHILD_SUBREAPER, _PR_GET_CHILD_SUBREAPER = 36, 37


# The traces this process runs at once (threads of one caller, as run_trace allows): their
# children, and how many of them need this process to be a subreaper.
_TRACING = threading.Lock()
_TRACE_CHILDREN: set[int] = set()
_SUBREAPER = {"users": 0, "before": 0}


@contextlib.contextmanager
def _adopting_orphans():
    """While the trace runs, this process adopts the orphans of its descendants (Linux):
    a process the script started in a session of its own (`os.setsid()`, `Popen(...,
    start_new_session=True)`) escapes the kill of the child's process group, and once its
    parent is gone /proc no longer leads from the child to it; adopted, it is this
    process's child, found and killed by `_kill_escaped`. Yields False where that cannot be
    had (not Linux, no prctl): then only the child's process group is killed."""
    if not sys.platform.startswith("linux"):
        yield False
        return
    with _TRACING:
        try:
            prctl = ctypes.CDLL(None, use_errno=True).prctl
            if not _SUBREAPER["users"]:
                before = ctypes.c_int(0)
                if prctl(_PR_GET_CHILD_SUBREAPER, ctypes.byref(before)) != 0 or prctl(_PR_SET_CHILD_SUBREAPER, 1) != 0:
                    raise OSError(ctypes.get_errno(), "prctl")
                _SUBREAPER["before"] = before.value
            _SUBREAPER["users"] += 1
        except (OSError, AttributeError):
            adopting = False
        else:
            adopting = True
    if not adopting:
        yield False
        return
    try:
        yield True
    finally:
        with _TRACING:
            _SUBREAPER["users"] -= 1
            if not _SUBREAPER["users"]:
                # The last trace running restores it: a caller that was a subreaper already stays one.
                prctl(_PR_SET_CHILD_SUBREAPER, _SUBREAPER["before"])


def _processes() -> dict[int, tuple[int, bool, int]]:
    """pid -> (parent pid, ended, session) of every process: an ended one is a zombie, not
    reaped yet."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                # The command name, in parentheses, may hold spaces and parentheses itself.
                state, ppid, _, session = f.read().rsplit(")", 1)[1].split()[:4]
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        found[int(entry)] = (int(ppid), state == "Z", int(session))
    return found


def _children(pid: int) -> set[int]:
    return {p for p, (parent, _, _) in _processes().items() if parent == pid}


def _kill_escaped(child: int, ours: set[int]) -> None:
    """Kill every live process descended from `child`, and every orphan this process adopted
    during the trace, with what they started in turn; reap the adopted once they have ended.
    Again until none is left: one may fork while the others die, and its child is adopted in
    turn. An adopted orphan is a child of this process that is neither `child` nor one of
    `ours` (those it had before), in a session other than this process's: a process that
    another thread of the caller starts meanwhile shares its session, and is left alone, as
    are the children of the traces other threads run."""
    me, session = os.getpid(), os.getsid(0)
    deadline = time.monotonic() + 10  # SIGKILL is not waited on for ever (a process in D state)
    while True:
        procs = _processes()
        with _TRACING:
            others = set(_TRACE_CHILDREN)  # the children of traces other threads run now
        adopted = {p for p, (parent, _, sid) in procs.items()
                   if parent == me and sid != session and p not in ours and p != child and p not in others}
        for pid in adopted:
            if procs[pid][1]:
                _reap(pid)
        kids: dict[int, list[int]] = {}
        for p, (parent, ended, _) in procs.items():
            if not ended:
                kids.setdefault(parent, []).append(p)
        found = {p for p in adopted if not procs[p][1]}
        todo = [child, *adopted]
        while todo:
            for p in kids.get(todo.pop(), ()):
                if p not in found:
                    found.add(p)
                    todo.append(p)
        if not found or time.monotonic() > deadline:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.01)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass  # reaped meanwhile


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
        ending=data["ending"], exit_code=data.get("exit_code", 0),
        error=data.get("message"), crash_site=_site(data.get("site")),
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
        reuse_sites=v["reuse_sites"], copy_of=v["copy_of"], duplicate_sites=v["duplicate_sites"],
    )


def _optimizer(o: dict) -> TracedOptimizer:
    return TracedOptimizer(
        kind=o["kind"], site=_site(o["site"]), var_list=tuple(o["var_list"]),
        implicit_var_list=o["implicit_var_list"], steps=o["steps"], changed=tuple(o["changed"]),
        no_gradient=tuple(o["no_gradient"]),
    )


def result_to_json(result: TraceResult) -> dict:
    """The whole result as plain data, for `--report FILE`."""
    return {
        "target": result.target, "mode": result.mode, "ending": result.ending,
        "stopped": result.stopped, "exit_code": result.exit_code, "error": result.error,
        "crash_site": list(result.crash_site) if result.crash_site else None,
        "steps_run": result.steps_run,
        "diagnostics": [d.to_json() for d in result.diagnostics],
        "variables": [v.__dict__ | {"shape": list(v.shape)} for v in result.variables],
        "optimizers": [o.__dict__ | {"var_list": list(o.var_list), "changed": list(o.changed),
                                     "no_gradient": list(o.no_gradient)}
                       for o in result.optimizers],
    }
