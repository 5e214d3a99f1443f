"""`reuse-lint trace` never leaves a process behind: not the traced script, not a process it
forked, not its temporary folder, whether the script ends, or `reuse-lint trace` itself gets
SIGTERM or SIGHUP. Real processes, real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORPHAN = os.path.join("fixtures", "trace", "orphan.py")
ESCAPES = os.path.join("fixtures", "trace", "escapes.py")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def _gone(pids: list[int], within: float = 10) -> bool:
    # The kill is immediate; its reaping by init may take a moment.
    deadline = time.monotonic() + within
    while any(_alive(p) for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _command(pidfile, *script_args: str, script: str = ORPHAN) -> list[str]:
    return [sys.executable, "-m", "reuse_lint", "trace", script, "--", str(pidfile), *script_args]


def _env(tmp) -> dict:
    return dict(os.environ, TMPDIR=str(tmp))


def _pids(pidfile) -> list[int]:
    return [int(p) for p in pidfile.read_text().split()]


def test_a_forked_child_that_outlives_the_script_is_killed(tmp_path):
    pidfile, temp = tmp_path / "pids", tmp_path / "tmp"
    temp.mkdir()
    done = subprocess.run(_command(pidfile), cwd=ROOT, env=_env(temp), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    script, forked = _pids(pidfile)
    assert _gone([script, forked])
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_to_trace_kills_the_script_and_what_it_forked(tmp_path, signum):
    pidfile, temp = tmp_path / "pids", tmp_path / "tmp"
    temp.mkdir()
    proc = subprocess.Popen(_command(pidfile, "wait"), cwd=ROOT, env=_env(temp),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (pidfile.exists() and len(pidfile.read_text().split()) == 2):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.1)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 2
    assert err.strip().splitlines()[-1] == (f"reuse-lint: error: interrupted by {signum.name}; "
                                            "the traced program was stopped")
    assert _gone(_pids(pidfile))
    assert list(temp.iterdir()) == []


def test_the_script_dies_with_a_killed_trace(tmp_path):
    # SIGKILL reaches no handler: the kernel kills the traced script with its parent (Linux).
    pidfile, temp = tmp_path / "pids", tmp_path / "tmp"
    temp.mkdir()
    proc = subprocess.Popen(_command(pidfile, "wait"), cwd=ROOT, env=_env(temp),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (pidfile.exists() and len(pidfile.read_text().split()) == 2):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        proc.kill()
        proc.wait(timeout=60)
        script, forked = _pids(pidfile)
        assert _gone([script])
    finally:
        for pid in _pids(pidfile) if pidfile.exists() else []:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)  # the fork is out of reach of a killed parent


def _kill_left(pids: list[int]) -> None:
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)  # a failed test must not leave its sleepers behind


def test_children_in_sessions_of_their_own_are_killed_when_the_script_ends(tmp_path):
    # A new session is a new process group: the kill of the script's group misses them.
    pidfile, temp = tmp_path / "pids", tmp_path / "tmp"
    temp.mkdir()
    done = subprocess.run(_command(pidfile, script=ESCAPES), cwd=ROOT, env=_env(temp),
                          capture_output=True, text=True, timeout=120)
    pids = _pids(pidfile)
    try:
        assert done.returncode == 0, done.stderr
        assert len(pids) == 3
        assert _gone(pids)
    finally:
        _kill_left(pids)
    assert list(temp.iterdir()) == []


def test_children_in_sessions_of_their_own_are_killed_on_an_interrupt(tmp_path):
    pidfile, temp = tmp_path / "pids", tmp_path / "tmp"
    temp.mkdir()
    proc = subprocess.Popen(_command(pidfile, "wait", script=ESCAPES), cwd=ROOT, env=_env(temp),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (pidfile.exists() and len(pidfile.read_text().split()) == 3):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
        assert proc.returncode == 2
        assert _gone(_pids(pidfile))
    finally:
        if proc.poll() is None:
            proc.kill()
        _kill_left(_pids(pidfile) if pidfile.exists() else [])


def _subreaper() -> int:
    import ctypes

    value = ctypes.c_int(-1)
    assert ctypes.CDLL(None, use_errno=True).prctl(37, ctypes.byref(value)) == 0  # PR_GET_CHILD_SUBREAPER
    return value.value


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a child subreaper is Linux's")
def test_the_supervisor_adopts_orphans_only_while_a_trace_runs_and_leaves_other_children_alone(tmp_path):
    # Without TensorFlow: the supervisor's clean-up alone, on a child that daemonises a
    # sleeper (setsid, fork, exit) and exits, as a traced script may.
    from reuse_lint.trace import api

    pidfile = tmp_path / "pid"
    daemonise = ("import os, sys, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                 "        time.sleep(120)\n        os._exit(0)\n    os._exit(0)\nos.wait()\n"
                 "time.sleep(0.5)\n")  # the daemon's pid is written by the daemon below
    daemonise = daemonise.replace("time.sleep(120)", f"open({str(pidfile)!r}, 'w').write(str(os.getpid())); time.sleep(120)")
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])  # the caller's own
    before = _subreaper()
    try:
        code = api._run_child([sys.executable, "-c", daemonise], str(tmp_path / "log"), 60, "daemonise")
        assert code == 0
        daemon = int(pidfile.read_text())
        assert _gone([daemon])
        assert bystander.poll() is None  # not the trace's: left running
        assert _subreaper() == before  # restored: the caller is no subreaper after the trace
    finally:
        bystander.kill()
        bystander.wait()
        if pidfile.exists():
            _kill_left([int(pidfile.read_text())])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a child subreaper is Linux's")
def test_traces_run_at_once_from_threads_leave_each_others_children_alone(tmp_path):
    # Each trace's child runs in a session of its own, so to another trace's clean-up it
    # looked like an orphan that trace had adopted: it was killed and reaped under the
    # first trace, whose wait then failed (ChildProcessError). Without TensorFlow.
    from concurrent.futures import ThreadPoolExecutor

    from reuse_lint.trace import api

    before = _subreaper()
    sleeps = [0.2, 1.5, 0.4, 1.0, 0.1, 0.8]

    def run(i: int) -> int:
        return api._run_child([sys.executable, "-c", f"import time; time.sleep({sleeps[i]})"],
                              str(tmp_path / f"log{i}"), 60, f"sleeper {i}")

    with ThreadPoolExecutor(max_workers=len(sleeps)) as pool:
        codes = list(pool.map(run, range(len(sleeps))))
    assert codes == [0] * len(sleeps)
    assert _subreaper() == before  # the last trace to end restored it
