"""End-to-end tests of `reuse-lint trace`: the real CLI, real TensorFlow, no mocks.

Every traced program costs a TensorFlow start-up (~3 s), so all CLI runs are started once,
in parallel, by the `runs` fixture, and each test reads the run it needs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "fixtures", "seed")
TRACE = os.path.join(ROOT, "fixtures", "trace")


def _trace(*args: str, report: str | None = None) -> dict:
    cmd = [sys.executable, "-m", "reuse_lint", "trace", *args]
    if report:
        cmd += ["--report", report]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    out = {"rc": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
    if "--output-format" in args and "json" in args and done.stdout.strip():
        out["json"] = json.loads(done.stdout)
    if report and os.path.exists(report):
        with open(report, encoding="utf-8") as f:
            out["report"] = json.load(f)
    return out


def _fx(name: str) -> str:
    return os.path.join(TRACE, name)


JSON = ("--output-format", "json")


@pytest.fixture(scope="session")
def runs(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("trace")
    jobs = {
        "example1": lambda: _trace(os.path.join(SEED, "example1_incorrect_reuse.py"), *JSON),
        "example3": lambda: _trace(os.path.join(SEED, "example3_basic_gan.py"), "--steps", "5",
                                   *JSON, report=str(tmp / "ex3.json")),
        "leaked": lambda: _trace(_fx("leaked_root_reuse.py"), *JSON),
        "copy": lambda: _trace(_fx("default_name_copy.py"), *JSON, report=str(tmp / "copy.json")),
        "keras": lambda: _trace(_fx("keras_per_call.py"), *JSON, report=str(tmp / "keras.json")),
        "implicit": lambda: _trace(_fx("implicit_var_list.py"), *JSON),
        "shared": lambda: _trace(_fx("auto_reuse_shared.py"), *JSON),
        "contrib": lambda: _trace(_fx("contrib_layers.py"), *JSON, report=str(tmp / "contrib.json")),
        "tf2": lambda: _trace(_fx("tf2_keras.py"), "--timeout", "60", report=str(tmp / "tf2.json")),
        "module": lambda: _trace("fixtures.trace.gan_module:build", "--output-format", "concise"),
        "crash": lambda: _trace(_fx("crash.py"), report=str(tmp / "crash.json")),
        "hang": lambda: _trace(_fx("hang.py"), "--timeout", "5"),
        "exit0": lambda: _trace(_fx("exit_zero.py"), "--tree", "--output-format", "concise"),
        "args": lambda: _trace(_fx("needs_args.py"), "--output-format", "concise", "--", "--lr", "0.1"),
        "exit3": lambda: _trace(_fx("exit_three.py")),
        "no_function": lambda: _trace("fixtures.trace.gan_module:nope"),
        "no_module": lambda: _trace("fixtures.trace.no_such_module:build"),
        "no_file": lambda: _trace(_fx("does_not_exist.py"), report=str(tmp / "no_file.json")),
        "slim": lambda: _trace(_fx("contrib_slim_gan.py"), "--tree", report=str(tmp / "slim.json")),
        "example1_tree": lambda: _trace(os.path.join(SEED, "example1_incorrect_reuse.py"), "--tree",
                                        "--output-format", "concise"),
        "untrained": lambda: _trace(_fx("untrained_variables.py"), *JSON),
        "interrupted": lambda: _trace(_fx("interrupted.py"), report=str(tmp / "interrupted.json")),
        "reads_input": lambda: _trace(_fx("reads_input.py")),
        "killed": lambda: _trace(_fx("killed.py"), report=str(tmp / "killed.json")),
        "os_exit": lambda: _trace(_fx("os_exit.py")),
    }
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: f.result() for name, f in futures.items()}


def _one_line_error(run: dict) -> str:
    assert run["rc"] == 2, run
    lines = run["stderr"].strip().splitlines()
    assert lines[-1].startswith("reuse-lint: error: ")
    assert sum(1 for line in lines if line.startswith("reuse-lint: error:")) == 1
    return lines[-1]


def test_example1_reports_one_duplicate_at_the_second_call(runs):
    run = runs["example1"]
    assert run["rc"] == 1, run["stderr"]
    [d] = run["json"]
    assert (d["code"], d["name"]) == ("RT201", "duplicate-creation")
    assert d["path"].endswith("example1_incorrect_reuse.py")
    assert (d["line"], d["column"]) == (16, 15)
    assert "`discriminator/dense/kernel`" in d["message"]
    [related] = d["related"]
    assert (related["line"], related["column"]) == (12, 15)


def test_example3_is_clean_and_its_two_steps_train_disjoint_models(runs):
    run = runs["example3"]
    assert run["rc"] == 0, run["stderr"]
    assert run["json"] == []
    report = run["report"]
    assert report["steps_run"] == 5  # the script's own loop runs 1000 iterations
    assert "after 5 training steps" in report["stopped"]
    trainable = {v["name"] for v in report["variables"] if v["trainable"]}
    by_line = {o["site"][1]: o for o in report["optimizers"]}
    d_opt, g_opt = by_line[39], by_line[40]
    d_vars = {n for n in trainable if n.startswith("discriminator/")}
    g_vars = {n for n in trainable if n.startswith("generator/")}
    assert len(d_vars) == len(g_vars) == 4
    assert set(d_opt["changed"]) == d_vars
    assert set(g_opt["changed"]) == g_vars
    assert d_opt["steps"] == g_opt["steps"] == 5
    assert set(d_opt["changed"]) | set(g_opt["changed"]) == trainable


def test_leaked_root_reuse_reports_missing_adam_slots(runs):
    run = runs["leaked"]
    assert run["rc"] == 1, run["stderr"]
    assert [(d["code"], d["line"]) for d in run["json"]] == [("RT202", 23), ("RT202", 24)]
    d_slots, g_slots = run["json"]
    assert "`D/dense/kernel/Adam/`" in d_slots["message"]
    assert "`G/dense/kernel/Adam/`" in g_slots["message"]
    assert "reuse_variables()" in d_slots["help"]


def test_default_name_double_call_is_a_silent_copy_but_stacked_blocks_are_not(runs):
    run = runs["copy"]
    assert run["rc"] == 1, run["stderr"]
    [d] = run["json"]
    assert (d["code"], d["name"], d["line"]) == ("RT204", "silent-copy", 23)
    assert d["related"][0]["line"] == 22
    assert "`discriminator_1/dense/kernel` copies `discriminator/dense/kernel`" in d["message"]
    copies = {v["name"]: v["copy_of"] for v in run["report"]["variables"] if v["copy_of"]}
    assert copies == {
        "discriminator_1/dense/kernel": "discriminator/dense/kernel",
        "discriminator_1/dense/bias": "discriminator/dense/bias",
        "discriminator_1/dense_1/kernel": "discriminator/dense_1/kernel",
        "discriminator_1/dense_1/bias": "discriminator/dense_1/bias",
    }


def test_keras_layer_built_per_call_in_tf2_is_a_silent_copy(runs):
    run = runs["keras"]
    assert run["rc"] == 1, run["stderr"]
    assert run["report"]["mode"] == "tf2"
    [d] = run["json"]
    assert (d["code"], d["line"], d["related"][0]["line"]) == ("RT204", 12, 11)
    assert "`dense_1/kernel` copies `dense/kernel`" in d["message"]


def test_minimize_without_var_list_in_a_two_model_graph(runs):
    run = runs["implicit"]
    assert run["rc"] == 1, run["stderr"]
    [d] = run["json"]
    assert (d["code"], d["name"], d["line"]) == ("RT206", "optimizer-var-list", 23)
    assert "without var_list" in d["message"]
    assert "also trains `discriminator/`" in d["message"] and "generator" not in d["message"]


def test_auto_reuse_across_builders_and_shape_mismatch(runs):
    run = runs["shared"]
    assert run["rc"] == 1, run["stderr"]
    got = [(d["code"], d["line"]) for d in run["json"]]
    assert got == [("RT205", 11), ("RT203", 26)]
    shared, shape = run["json"]
    assert "`decoder` reuses `model/w` created by `encoder`" in shared["message"]
    assert shared["related"][0]["line"] == 6
    assert "[4, 4]" in shape["message"] and "[8, 4]" in shape["message"]


def test_contrib_layers_map_to_tf_slim_and_missing_contrib_is_a_finding(runs):
    run = runs["contrib"]
    assert run["rc"] == 1, run["stderr"]
    [d] = run["json"]
    assert (d["code"], d["line"]) == ("RT207", 8)
    assert "tf.contrib.rnn.LSTMBlockCell" in d["message"]
    names = {v["name"] for v in run["report"]["variables"]}
    assert {"net/fully_connected/weights", "net/w"} <= names


def test_tf2_script_runs_without_the_shim_and_stops_at_the_first_step(runs):
    run = runs["tf2"]
    assert run["rc"] == 0, run["stderr"]
    report = run["report"]
    assert report["mode"] == "tf2"
    assert "GradientTape.gradient" in report["stopped"]
    assert {"dense/kernel", "dense_1/kernel"} <= {v["name"] for v in report["variables"]}


def test_module_function_target(runs):
    run = runs["module"]
    assert run["rc"] == 1, run["stderr"]
    line, summary = run["stdout"].strip().splitlines()
    assert summary.endswith("ran to the end). Found 1 finding.")
    assert line.endswith("gan_module.py:19:14: RT201 " + line.split(" RT201 ", 1)[1])
    assert "`discriminator/dense/kernel`" in line


def test_crash_prints_user_traceback_and_one_error_line(runs):
    run = runs["crash"]
    error = _one_line_error(run)
    crash = "fixtures/trace/crash.py"
    assert error == f"reuse-lint: error: {crash} crashed at {crash}:6: KeyError: 'probs'"
    assert f'File "{crash}", line 6, in build' in run["stderr"]
    assert "site-packages" not in run["stderr"] and "<frozen" not in run["stderr"]
    # Never "ran to the end" nor "All checks passed!" after a crash.
    assert run["stdout"] == (f"Traced {crash} (tf1, 0 variables, crashed at {crash}:6: KeyError: 'probs').\n"
                             "No findings before the program failed.\n")


def test_hang_hits_the_time_limit(runs):
    error = _one_line_error(runs["hang"])
    assert "did not finish within the time limit of 5 s" in error


def test_sys_exit(runs):
    assert runs["exit0"]["rc"] == 0, runs["exit0"]["stderr"]
    assert "w [3, 3] float32" in runs["exit0"]["stdout"]  # --tree shows what was built
    assert "sys.exit(0)" in runs["exit0"]["stdout"] and "All checks passed!" in runs["exit0"]["stdout"]
    assert _one_line_error(runs["exit3"]) == "reuse-lint: error: fixtures/trace/exit_three.py called sys.exit(3)"
    assert "ended with sys.exit(3)" in runs["exit3"]["stdout"]
    assert "All checks passed" not in runs["exit3"]["stdout"]


def test_arguments_after_double_dash_reach_the_script(runs):
    assert runs["args"]["rc"] == 0, runs["args"]["stderr"]


def test_bad_targets(runs):
    assert "has no function 'nope'" in _one_line_error(runs["no_function"])
    assert "no_such_module" in _one_line_error(runs["no_module"])
    assert "no such file" in _one_line_error(runs["no_file"])


def test_tf_contrib_layers_run_on_current_tensorflow_through_tf_slim(runs):
    run = runs["slim"]
    assert run["rc"] == 0, run["stderr"]
    report = run["report"]
    assert report["ending"] == "finished" and report["diagnostics"] == []
    names = {v["name"]: v for v in report["variables"]}
    assert {"discriminator/conv1/weights", "discriminator/conv2/weights", "discriminator/bn1/beta",
            "discriminator/bn1/moving_mean", "discriminator/ln2/gamma",
            "discriminator/logits/weights"} <= set(names)
    assert names["discriminator/conv1/weights"]["shape"] == [3, 3, 1, 8]  # arg_scope's kernel_size
    # The second call reused every variable of the first: one set of weights.
    assert len(names) == 11
    assert names["discriminator/bn1/beta"]["reuse_sites"] == 1
    assert "ran to the end" in run["stdout"]


def test_tree_does_not_count_a_refused_duplicate_as_a_reuse(runs):
    run = runs["example1_tree"]
    assert run["rc"] == 1, run["stderr"]
    assert "reused by 1 call site" not in run["stdout"]
    assert "kernel [784, 128] float32  created example1_incorrect_reuse.py:6, reused by 0 call sites, " \
           "created again by 1 call site without reuse" in run["stdout"]


def test_concise_clean_trace_prints_one_line(runs):
    run = runs["exit0"]
    assert run["rc"] == 0, run["stderr"]
    # After the --tree, one line: how it ended, and that nothing was found.
    assert run["stdout"].splitlines()[-1] == ("Traced fixtures/trace/exit_zero.py (tf1, 1 variable, "
                                              "ended with sys.exit(0)). All checks passed!")


def test_rt206_tells_a_variable_left_out_from_one_without_gradient(runs):
    run = runs["untrained"]
    assert run["rc"] == 1, run["stderr"]
    left_out, no_gradient = run["json"]
    assert (left_out["code"], left_out["line"]) == ("RT206", 10)
    assert "(`generator/out/kernel`, `generator/out/bias`) are in no optimizer's var_list" in left_out["message"]
    assert (no_gradient["code"], no_gradient["line"]) == ("RT206", 12)
    assert ("(`discriminator/unused`) is in the var_list of AdamOptimizer at untrained_variables.py:17 "
            "but gets no gradient") in no_gradient["message"]


def test_keyboard_interrupt_and_eof_are_reported_as_how_the_script_ended(runs):
    run = runs["interrupted"]
    error = _one_line_error(run)
    assert error.endswith("crashed at fixtures/trace/interrupted.py:5: KeyboardInterrupt")
    assert "All checks passed" not in run["stdout"] and "ran to the end" not in run["stdout"]
    assert run["report"]["ending"] == "crashed" and run["report"]["crash_site"] == ["fixtures/trace/interrupted.py", 5]
    assert [v["name"] for v in run["report"]["variables"]] == ["model/w"]  # what was built before
    error = _one_line_error(runs["reads_input"])
    assert error.endswith("crashed at fixtures/trace/reads_input.py:5: EOFError: EOF when reading a line")


def test_a_child_killed_by_a_signal_is_reported_as_such(runs):
    run = runs["killed"]
    assert _one_line_error(run) == ("reuse-lint: error: fixtures/trace/killed.py: the traced program "
                                    "was killed by signal SIGABRT")
    assert run["report"] == {"target": "fixtures/trace/killed.py", "ending": "failed",
                             "error": "fixtures/trace/killed.py: the traced program was killed by signal SIGABRT"}


def test_report_is_written_on_a_crash_and_when_nothing_ran(runs):
    run = runs["crash"]
    assert run["rc"] == 2
    assert run["report"]["ending"] == "crashed" and run["report"]["error"] == "KeyError: 'probs'"
    assert run["stdout"].splitlines()[-1] == "No findings before the program failed."
    assert runs["no_file"]["report"]["ending"] == "failed"
    assert "no such file" in runs["no_file"]["report"]["error"]


def test_a_script_leaving_by_os_exit_is_named_with_its_code_and_last_words(runs):
    assert _one_line_error(runs["os_exit"]) == (
        "reuse-lint: error: fixtures/trace/os_exit.py: the traced program exited with code 3 before the "
        "trace could report (os._exit?); last output: leaving without a word")
    assert runs["os_exit"]["stdout"] == ""
