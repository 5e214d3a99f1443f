"""The trace's child process: install the hooks, run the user's script or function, and
write what was recorded as JSON to the file named on the command line.

    python -m reuse_lint.trace.runner RESULT.json MODE STEPS TARGET [ARGS...]
    python -m reuse_lint.trace.runner --batch RESULT.json MODE TARGET...

MODE is auto, tf1 or tf2. Nothing is written anywhere but RESULT.json.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.util
import json
import linecache
import os
import re
import runpy
import sys
import traceback

from reuse_lint import notebook
from reuse_lint.paths import shown


class TargetError(Exception):
    """The target cannot be run at all (no such module or function)."""


def _prepare_environment() -> None:
    # Before TensorFlow is imported: tf.keras must be Keras 2 for tf.layers and v1 graphs.
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TF's C++ chatter (cuInit on CPU) is not the user's
    sys.dont_write_bytecode = True  # no __pycache__ in the user's tree


def _resolve(target: str) -> tuple[str, str, str | None]:
    """(source path, project root, function name or None) for a script or module:function."""
    if ":" not in target or os.path.exists(target):
        path = os.path.abspath(target)
        return path, os.path.dirname(path), None
    module, _, function = target.partition(":")
    sys.path.insert(0, os.getcwd())
    try:
        spec = importlib.util.find_spec(module)
    except ImportError as exc:
        raise TargetError(f"cannot find module {module!r}: {exc}") from None
    if spec is None or not spec.origin:
        raise TargetError(f"no module named {module!r}")
    root = os.path.dirname(spec.origin)
    for _ in range(module.count(".") + (spec.origin.endswith("__init__.py"))):
        root = os.path.dirname(root)
    return spec.origin, root, function


def _run_target(target: str, function: str | None, args: list[str]) -> None:
    if function is None:
        path = os.path.abspath(target)
        sys.argv = [path, *args]
        sys.path.insert(0, os.path.dirname(path))
        if notebook.is_notebook(path):
            _run_notebook(path)
        else:
            runpy.run_path(path, run_name="__main__")
        return
    module = importlib.import_module(target.partition(":")[0])
    fn = getattr(module, function, None)
    if not callable(fn):
        raise TargetError(f"module {module.__name__!r} has no function {function!r}")
    sys.argv = [target, *args]
    fn()


def _run_notebook(path: str) -> None:
    """A notebook's code cells as one script, as a kernel runs them top to bottom; its lines
    are the script's (the parent maps them back to cells)."""
    try:
        with open(path, "rb") as f:
            script = notebook.to_script(f.read())
    except notebook.NotebookError as exc:
        raise TargetError(f"{path}: {exc}") from None
    # Tracebacks and site excerpts read the script's lines, not the notebook's JSON.
    linecache.cache[path] = (len(script), None, script.splitlines(keepends=True), path)
    exec(compile(script, path, "exec"), {"__name__": "__main__", "__file__": path, "__builtins__": builtins})


def _user_traceback(exc: BaseException, user) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if user.is_user(f.filename)]
    lines = ["Traceback (most recent call last, user frames only):\n"]
    for f in frames:  # paths as the user's working directory sees them, never absolute
        lines.append(f'  File "{shown(f.filename)}", line {f.lineno}, in {f.name}\n')
        if f.line:
            lines.append(f"    {f.line.strip()}\n")
    # TF's messages carry tracebacks of their own ("in user code: File "/abs/..."").
    lines += [_relative_files(line) for line in traceback.format_exception_only(type(exc), exc)]
    return "".join(lines)


_QUOTED_FILE = re.compile(r'File "(/[^"]+)"')


def _relative_files(text: str) -> str:
    return _QUOTED_FILE.sub(lambda m: f'File "{shown(m.group(1))}"', text)


def _crash_site(exc: BaseException, user) -> dict | None:
    """The script's own line the exception left last: where the user should look."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if user.is_user(f.filename)]
    return {"path": frames[-1].filename, "line": frames[-1].lineno} if frames else None


def _variables(rec, copies: dict[str, str]) -> list[dict]:
    # A call that failed as a duplicate (TF: "already exists, disallowed") read nothing:
    # it is counted apart, never as a reuse.
    readers: dict[str, set] = {}
    duplicates: dict[str, set] = {}
    for look in rec.lookups:
        if look.stack:
            into = duplicates if look.problem == "duplicate" else readers
            into.setdefault(look.name, set()).add(look.stack[-1].key)
    return [
        {
            "name": c.name, "shape": list(c.shape), "dtype": c.dtype, "trainable": c.trainable,
            "site": c.site.to_json() if c.site else None,
            "reuse_sites": len(readers.get(c.name, ())),
            "duplicate_sites": len(duplicates.get(c.name, ())), "copy_of": copies.get(c.name),
        }
        for c in rec.creations
    ]


def _optimizers(rec) -> list[dict]:
    return [
        {
            "kind": o.kind, "site": o.site.to_json() if o.site else None,
            "var_list": o.var_list, "implicit_var_list": o.implicit,
            "train_ops": sorted(o.train_ops), "steps": o.steps, "changed": sorted(o.changed),
            "no_gradient": sorted(o.no_gradient),
        }
        for o in rec.optimizers
    ]


def _report(rec, status: str, mode: str, ending: str, **extra) -> dict:
    """`ending`: how the program ended, one of "stopped" (the trace stopped it before
    training), "finished" (it ran to its end), "exit" (sys.exit; `exit_code`), "crashed"
    (an exception; `message`, `site` and `traceback`)."""
    from reuse_lint.trace.analysis import analyze, silent_copies

    copies = {b.name: a.name for _, pairs in silent_copies(rec) for a, b in pairs}
    return {
        "status": status, "mode": mode, "ending": ending, "stopped": rec.stopped,
        "steps_run": rec.steps_run,
        "diagnostics": [d.to_json() for d in analyze(rec)],
        "variables": _variables(rec, copies), "optimizers": _optimizers(rec), **extra,
    }


def trace(target: str, mode: str, steps: int, args: list[str]) -> dict:
    return trace_many([target], mode, steps, args)[target]


def trace_many(targets: list[str], mode: str, steps: int, args: list[str]) -> dict[str, dict]:
    """Trace each target in turn in this one process (TensorFlow starts once), each with a
    fresh recording and a fresh default graph. The first target that can be resolved
    fixes the mode (the v1 shim cannot be undone); a target of the other mode is an error.
    """
    from reuse_lint.trace import shim
    from reuse_lint.trace.recorder import UserCode

    _prepare_environment()
    results, tracer, installed = {}, None, None
    for target in targets:
        try:
            source_path, root, function = _resolve(target)
            wanted = mode
            if mode == "auto":
                with open(source_path, encoding="utf-8", errors="replace") as f:
                    wanted = "tf1" if shim.looks_like_tf1(f.read()) else "tf2"
        except (TargetError, OSError) as exc:
            results[target] = {"status": "error", "message": str(exc)}
            continue
        if tracer is None:
            from reuse_lint.trace import hooks  # imports TensorFlow

            tracer, installed = hooks.install(UserCode(root), steps), wanted
            if wanted == "tf1":
                shim.install_v1(tracer)
        elif wanted != installed:
            results[target] = {"status": "error", "message": f"{target} needs {wanted}, but this "
                               f"batch runs under {installed}: trace it on its own"}
            continue
        else:
            tracer.reset(UserCode(root))
            _fresh_tensorflow(installed)
        results[target] = _isolated(tracer, target, function, args, installed)
    return results


def _fresh_tensorflow(mode: str) -> None:
    """Forget what the previous target built: its graph, variable store and layer names."""
    import tensorflow as tf

    tf.keras.backend.clear_session()
    if mode == "tf1":
        tf.compat.v1.reset_default_graph()


def _isolated(tracer, target: str, function: str | None, args: list[str], mode: str) -> dict:
    """Run one target and undo what it did to the interpreter: sys.argv, sys.path and the
    user modules it imported (the next target may import its own `model.py`)."""
    argv, path, modules = sys.argv[:], sys.path[:], set(sys.modules)
    try:
        return _run_traced(tracer, target, function, args, mode)
    finally:
        sys.argv[:], sys.path[:] = argv, path
        for name in set(sys.modules) - modules:
            if tracer.user.is_user(getattr(sys.modules[name], "__file__", None) or ""):
                del sys.modules[name]


def _run_traced(tracer, target: str, function: str | None, args: list[str], mode: str) -> dict:
    from reuse_lint.trace.recorder import StopTrace

    try:
        _run_target(target, function, args)
    except StopTrace as stop:
        tracer.rec.stopped = stop.reason
        return _report(tracer.rec, "ok", mode, "stopped")
    except TargetError as exc:
        return {"status": "error", "message": str(exc)}
    except SystemExit as exc:
        code = exc.code
        if code is None or code == 0:
            return _report(tracer.rec, "ok", mode, "exit", exit_code=0)
        # sys.exit("message") exits 1 after printing the message, as Python does.
        return _report(tracer.rec, "error", mode, "exit", exit_code=code if isinstance(code, int) else 1,
                       message=f"{shown(target)} called sys.exit({code!r})")
    except BaseException as exc:  # the user's own crash, KeyboardInterrupt and EOFError too
        return _report(tracer.rec, "error", mode, "crashed",
                       message=_relative_files(f"{type(exc).__name__}: {exc}".splitlines()[0].rstrip(": ")),
                       site=_crash_site(exc, tracer.user),
                       traceback=_user_traceback(exc, tracer.user))
    return _report(tracer.rec, "ok", mode, "finished")


def _die_with_parent() -> None:
    """`reuse-lint trace` killed outright (SIGKILL, which no handler sees) cannot kill this
    process group itself: on Linux, ask the kernel to kill this process when it goes."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # no prctl in this libc: the parent's own clean-up still applies


def main(argv: list[str]) -> int:
    """RESULT.json MODE STEPS TARGET [ARGS...], or --batch RESULT.json MODE TARGET... (one
    JSON object per target, keyed by target)."""
    _die_with_parent()
    if argv[0] == "--batch":
        result_path, mode, *targets = argv[1:]
        result = trace_many(targets, mode, 0, [])
    else:
        result_path, mode, steps, target, *args = argv
        result = trace(target, mode, int(steps), args)
    with open(result_path, "w", encoding="utf-8") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
