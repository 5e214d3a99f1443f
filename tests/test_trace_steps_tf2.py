"""`reuse-lint trace --steps N` on TF 2 training loops, and TF 1 scripts trained by Keras'
fit: the real CLI, real TensorFlow, no mocks. The runs start once, two at a time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRACE = os.path.join(ROOT, "fixtures", "trace")
RULES = os.path.join(ROOT, "fixtures", "rules")


def _trace(tmp, name: str, *args: str) -> dict:
    report = os.path.join(tmp, os.path.basename(name) + ".json")
    script = name if os.path.isabs(name) else os.path.join(TRACE, name)
    cmd = [sys.executable, "-m", "reuse_lint", "trace", script, *args,
           "--timeout", "60", "--report", report]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    out = {"rc": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
    if os.path.exists(report):
        with open(report, encoding="utf-8") as f:
            out["report"] = json.load(f)
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    tmp = str(tmp_path_factory.mktemp("steps"))
    with open(os.path.join(TRACE, "tf2_gan_steps.py"), encoding="utf-8") as f:
        source = f.read().replace("@tf.function\n", "@tf.function(jit_compile=True)\n")
    jit = os.path.join(tmp, "jit_gan_steps.py")
    with open(jit, "w", encoding="utf-8") as f:
        f.write(source)
    with open(os.path.join(TRACE, "tf2_gan_steps_bad.py"), encoding="utf-8") as f:
        source = f.read().replace("import tensorflow as tf\n", "import keras\nimport tensorflow as tf\n")
    keras3 = os.path.join(tmp, "keras3_gan_steps_bad.py")
    with open(keras3, "w", encoding="utf-8") as f:
        f.write(source.replace("tf.keras.", "keras."))
    # The generator's step inside the tf.function also takes the discriminator's variables.
    with open(os.path.join(TRACE, "tf2_gan_steps.py"), encoding="utf-8") as f:
        source = f.read()
    both = "generator.trainable_variables + discriminator.trainable_variables"
    source = source.replace("g_loss, generator.trainable_variables)", f"g_loss, {both})")
    source = source.replace("zip(g_grads, generator.trainable_variables)", f"zip(g_grads, {both})")
    in_function = os.path.join(tmp, "function_gan_steps_bad.py")
    with open(in_function, "w", encoding="utf-8") as f:
        f.write(source)
    jobs = {
        "keras_gan": (os.path.join(RULES, "rl119_good.py"), "--steps", "2"),
        "keras_gan_unfrozen": (os.path.join(RULES, "rl119_bad.py"), "--steps", "2"),
        "in_function": (in_function, "--steps", "3"),
        "jit": (jit, "--steps", "3"),
        "keras3": (keras3, "--steps", "2"),
        "gan": ("tf2_gan_steps.py", "--steps", "3"),
        "bad": ("tf2_gan_steps_bad.py", "--steps", "3"),
        "per_call": ("tf2_call_per_step.py", "--steps", "3"),
        "fit": ("keras_fit_tf1.py",),
        "fit_steps": ("keras_fit_tf1.py", "--steps", "2"),
    }
    # Two at a time: each TensorFlow child wants a core; nine at once on two cores ran past
    # their time limit.
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(_trace, tmp, *job) for key, job in jobs.items()}
        return {key: f.result() for key, f in futures.items()}


def _models(report: dict) -> tuple[set, set]:
    """(generator, discriminator) trainable variables: both fixtures build the generator
    on line 11 and the discriminator on line 12."""
    by_line: dict[int, set] = {}
    for v in report["variables"]:
        if v["trainable"] and v["dtype"] == "float32":
            by_line.setdefault(v["site"][1], set()).add(v["name"])
    return by_line[11], by_line[12]


def _optimizer_of(report: dict, model: set) -> dict:
    [opt] = [o for o in report["optimizers"] if set(o["var_list"]) & model == set(o["var_list"])]
    return opt


def test_each_tf2_optimizer_changes_exactly_its_own_model(runs):
    run = runs["gan"]
    assert run["rc"] == 0, run["stderr"]
    report = run["report"]
    assert report["mode"] == "tf2"
    assert report["diagnostics"] == []
    assert report["stopped"] == "after 3 training steps of Adam (--steps 3)"
    assert report["steps_run"] == 3
    g_vars, d_vars = _models(report)
    assert len(g_vars) == len(d_vars) == 4
    g_opt, d_opt = _optimizer_of(report, g_vars), _optimizer_of(report, d_vars)
    assert set(g_opt["changed"]) == set(g_opt["var_list"]) == g_vars
    assert set(d_opt["changed"]) == set(d_opt["var_list"]) == d_vars
    assert g_opt["steps"] == d_opt["steps"] == 3
    # Inside the tf.function, each step at its own line (autograph's map back to the source).
    assert (d_opt["site"][1], g_opt["site"][1]) == (28, 29)
    assert "Training steps run: 3" in run["stdout"]
    assert "3 runs changed 4 of 4 variables in its var_list" in run["stdout"]


def test_a_step_inside_a_tf_function_is_reported_at_its_own_line(runs):
    run = runs["in_function"]
    assert run["rc"] == 1, run["stderr"]
    [d] = run["report"]["diagnostics"]
    # Line 29 of the function body, not line 35 that calls the function; the statement's span.
    assert (d["code"], d["line"], d["column"], d["end_column"]) == ("RT206", 29, 5, 113)
    assert "model `discriminator`" in d["message"]


def test_tf2_generator_step_training_the_discriminator_is_rt206(runs):
    run = runs["bad"]
    assert run["rc"] == 1, run["stderr"]
    report = run["report"]
    [d] = report["diagnostics"]
    assert (d["code"], d["line"], d["column"]) == ("RT206", 33, 5)
    assert "model `discriminator`" in d["message"]
    assert "generator`" not in d["message"]
    g_vars, d_vars = _models(report)
    d_opt = _optimizer_of(report, d_vars)
    [g_opt] = [o for o in report["optimizers"] if o is not d_opt]
    assert (g_opt["site"][1], d_opt["site"][1]) == (33, 24)  # eager steps: their own lines
    assert set(g_opt["changed"]) == g_vars | d_vars
    assert set(d_opt["changed"]) == d_vars
    assert g_opt["steps"] == d_opt["steps"] == 3


def test_tf1_keras_fit_stops_at_the_fit_call(runs):
    run = runs["fit"]
    assert run["rc"] == 0, run["stderr"]
    report = run["report"]
    assert report["mode"] == "tf1"
    assert report["stopped"] == "Model.fit at keras_fit_tf1.py:12: the first training step"
    assert {v["name"] for v in report["variables"]} >= {"dense/kernel", "dense_1/kernel"}


def test_tf1_keras_fit_runs_n_steps_and_measures_them(runs):
    run = runs["fit_steps"]
    assert run["rc"] == 0, run["stderr"]
    report = run["report"]
    assert report["stopped"] == "after 2 training steps of Adam (--steps 2)"
    [opt] = report["optimizers"]
    assert opt["site"][1] == 12 and opt["steps"] == 2
    assert set(opt["changed"]) == set(opt["var_list"]) == {"dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"}


def test_tf1_keras_gan_each_model_trains_its_own_weights(runs):
    run = runs["keras_gan"]
    assert run["rc"] == 0, run["stderr"]
    report = run["report"]
    assert report["diagnostics"] == []
    d_step, g_step = report["optimizers"]
    assert (d_step["site"][1], g_step["site"][1], d_step["steps"], g_step["steps"]) == (23, 24, 2, 2)
    assert set(d_step["changed"]) == {"d_hidden/kernel", "d_hidden/bias", "d_out/kernel", "d_out/bias"}
    assert set(g_step["changed"]) == {"g_hidden/kernel", "g_hidden/bias", "g_out/kernel", "g_out/bias"}


def test_tf1_keras_gan_without_freezing_is_rt206_at_the_combined_step(runs):
    run = runs["keras_gan_unfrozen"]
    assert run["rc"] == 1, run["stderr"]
    [d] = run["report"]["diagnostics"]
    assert (d["code"], d["line"]) == ("RT206", 23)
    assert "Keras model `combined`" in d["message"] and "the weights of `discriminator`" in d["message"]
    assert d["help"] == "set `trainable = False` on `discriminator` before compiling `combined`"
    g_step = run["report"]["optimizers"][1]
    # It did train them. Which of the discriminator's weights move depends on the unseeded
    # initial values (all of d_hidden's ReLUs can be dead on the fakes: then only d_out/bias moves).
    assert {n for n in g_step["changed"] if n.startswith("d_")}


def test_jit_compiled_tf2_step_is_counted_but_its_two_optimizers_are_not_told_apart(runs):
    # XLA compiles no py_function: the whole call is compared, and with two optimizers in
    # one step their changes cannot be split (documented in steps_tf2).
    run = runs["jit"]
    assert run["rc"] == 0, run["stderr"]
    report = run["report"]
    assert report["stopped"] == "after 3 training steps of Adam (--steps 3)"
    assert [o["steps"] for o in report["optimizers"]] == [3, 3]
    assert [o["changed"] for o in report["optimizers"]] == [[], []]


def test_keras3_optimizers_are_measured_and_judged_alike(runs):
    # Keras 3 names each tf.Variable by its path, so the model is in the name.
    run = runs["keras3"]
    assert run["rc"] == 1, run["stderr"]
    report = run["report"]
    [d] = report["diagnostics"]
    assert (d["code"], d["line"]) == ("RT206", 34)
    assert "model `discriminator`" in d["message"]
    by_line = {o["site"][1]: o for o in report["optimizers"]}
    assert sorted(by_line[25]["changed"]) == [f"discriminator/dense_{i}/{w}"
                                              for i in (2, 3) for w in ("bias", "kernel")]
    assert len(by_line[34]["changed"]) == 8
    assert by_line[25]["steps"] == by_line[34]["steps"] == 2


def test_a_layer_built_in_call_is_rt208_on_the_next_steps_call(runs):
    run = runs["per_call"]
    assert run["rc"] == 1, run["stderr"]
    report = run["report"]
    [d] = report["diagnostics"]
    assert (d["code"], d["line"], d["column"]) == ("RT208", 12, 13)
    assert "call 2 of this `Regressor`" in d["message"]
    assert [(r["path"], r["line"]) for r in d["related"]] == [("fixtures/trace/tf2_call_per_step.py", 12)]
    # The optimizer's list holds the head alone: the hidden layer of each step is new.
    [opt] = report["optimizers"]
    assert len(opt["var_list"]) == 2 and set(opt["changed"]) == set(opt["var_list"])
    assert {name.rsplit("/", 1)[0] for name in opt["var_list"]} == {"regressor/dense"}

