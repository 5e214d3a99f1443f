"""Whole-project analysis: a bug that only a caller in another module reveals is found by
analysing that caller and reported at its site, in the module where it is, whichever file
was asked for; TensorFlow fails on both shapes and builds their repairs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

CROSS = ROOT / "fixtures" / "crossmodule"
DCGAN = ("fixtures/crossmodule/dcgan_bad/model.py", 45, "RL107")
SAMPLER = ("fixtures/crossmodule/sampler_bad/gen.py", 8, "RL107")
CYCLE = {("fixtures/crossmodule/cyclegan_bad/model.py", 20, "RL102"),
         ("fixtures/crossmodule/cyclegan_bad/model.py", 21, "RL102")}
LAYERS = ("fixtures/crossmodule/rnn_layers_bad/model.py", 15, "RL117")
DOTTED = ("fixtures/crossmodule/dotted_import_bad/main.py", 18, "RL101")
FLAG_LAYERS = ("fixtures/crossmodule/flags_layers_bad/model.py", 15, "RL117")
FORWARDED = ("fixtures/crossmodule/forwarded_flag_bad/layers.py", 6, "RL115")
VERSION_PICK = ("fixtures/crossmodule/version_pick_bad/main.py", 26, "RL124")
FACESWAP = ("fixtures/crossmodule/faceswap_bad/models.py", 8, "RL113")
CUSTOM_CELL = ("fixtures/crossmodule/custom_cell_bad/main.py", 21, "RL101")
MEMORY_CELL = {("fixtures/crossmodule/memory_cell_bad/ntm_cell.py", 26, "RL113"),
               ("fixtures/crossmodule/memory_cell_bad/ntm_cell.py", 27, "RL113")}
STACKED_CELL = ("fixtures/crossmodule/stacked_cell_bad/main.py", 25, "RL101")
COND_BRANCHES = ("fixtures/crossmodule/cond_branches_bad/main.py", 16, "RL101")
NAMESPACE = ("fixtures/crossmodule/namespace_pkg_bad/main.py", 15, "RL101")
PKG_IMPORT = ("fixtures/crossmodule/pkg_import_bad/vae/run/graph.py", 10, "RL101")
PKG_FIXTURE = ROOT / "fixtures/crossmodule/pkg_import_bad"
CRITIC_FLAG = {("fixtures/crossmodule/critic_flag_bad/critic.py", line, "RL115") for line in (13, 14, 16)}
PERCEPTUAL = ("fixtures/crossmodule/perceptual_loss_bad/main.py", 31, "RL124")
PASSED_CELL = ("fixtures/crossmodule/passed_cell_bad/ops.py", 38, "RL117")


def lint(*paths: str, cwd: Path = ROOT, cache: bool = False, extra: tuple = ()) -> list[dict]:
    flags = [] if cache else ["--no-cache"]
    proc = subprocess.run(
        [sys.executable, "-m", "reuse_lint", "check", *flags, "--output-format", "json", *extra, *paths],
        capture_output=True, text=True, cwd=cwd, timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def found(findings: list[dict]) -> set[tuple[str, int, str]]:
    return {(f["path"], f["line"], f["code"]) for f in findings}


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/dcgan_bad",),
    ("fixtures/crossmodule/dcgan_bad/main.py",),
    ("fixtures/crossmodule/dcgan_bad/model.py",),
    ("fixtures/crossmodule/dcgan_bad/model.py", "fixtures/crossmodule/dcgan_bad/main.py"),
])
def test_a_leak_in_a_model_class_that_only_main_trains_is_reported_at_the_leak(paths):
    findings = lint(*paths)
    assert found(findings) == {DCGAN}
    (finding,) = findings
    # The victim: the optimizer built in train(), which only main.py calls.
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("fixtures/crossmodule/dcgan_bad/model.py", 34)]


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/sampler_bad",),
    ("fixtures/crossmodule/sampler_bad/main.py",),
    ("fixtures/crossmodule/sampler_bad/gen.py",),
])
def test_a_leak_in_a_sampler_module_is_reported_at_the_leak_with_mains_optimizer(paths):
    findings = lint(*paths)
    assert found(findings) == {SAMPLER}
    (finding,) = findings
    assert [r["path"] for r in finding["related"]] == ["fixtures/crossmodule/sampler_bad/main.py"]


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/cyclegan_bad",),
    ("fixtures/crossmodule/cyclegan_bad/main.py",),
    # Alone, the class's graph history is unknown; the lookup still precedes the creation.
    ("fixtures/crossmodule/cyclegan_bad/model.py",),
])
def test_a_lookup_before_the_creation_in_a_model_class_over_two_modules(paths):
    findings = lint(*paths)
    assert found(findings) == CYCLE
    for finding in findings:
        assert "before it is created" in finding["message"]
    assert sorted((r["path"], r["line"]) for f in findings for r in f["related"]) == [
        ("fixtures/crossmodule/cyclegan_bad/model.py", 22), ("fixtures/crossmodule/cyclegan_bad/model.py", 23)]


def test_the_repaired_projects_are_clean():
    assert lint("fixtures/crossmodule/dcgan_good", "fixtures/crossmodule/sampler_good",
                "fixtures/crossmodule/cyclegan_good", "fixtures/crossmodule/rnn_layers_good",
                "fixtures/crossmodule/flags_layers_good", "fixtures/crossmodule/dotted_import_good",
                "fixtures/crossmodule/forwarded_flag_good", "fixtures/crossmodule/faceswap_good",
                "fixtures/crossmodule/custom_cell_good", "fixtures/crossmodule/memory_cell_good",
                "fixtures/crossmodule/stacked_cell_good", "fixtures/crossmodule/cond_branches_good",
                "fixtures/crossmodule/namespace_pkg_good", "fixtures/crossmodule/critic_flag_good",
                "fixtures/crossmodule/pkg_import_good", "fixtures/crossmodule/passed_cell_good") == []


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/faceswap_bad",),
    ("fixtures/crossmodule/faceswap_bad/main.py",),
    ("fixtures/crossmodule/faceswap_bad/models.py",),
])
def test_a_reusing_encoder_built_twice_by_the_script_makes_new_tf_variables(paths):
    # The twin's script builds the same encoder once: nothing to share (see the clean twins).
    assert found(lint(*paths)) == {FACESWAP}


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/custom_cell_bad",),
    ("fixtures/crossmodule/custom_cell_bad/main.py",),
])
def test_a_cell_class_of_the_projects_own_run_by_dynamic_rnn_where_a_step_made_its_weights(paths):
    # model.py's encoder runs its own cell class one step under `rnn` for sampling, and over
    # the sequence with `dynamic_rnn`, whose scope is `rnn` too: main.py's training call
    # makes `rnn/gated/w` again. The twin builds the training graph with reuse on.
    findings = lint(*paths)
    assert found(findings) == {CUSTOM_CELL}
    (finding,) = findings
    assert "rnn/gated/w" in finding["message"]
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("fixtures/crossmodule/custom_cell_bad/main.py", 16)]
    assert lint(*[p.replace("_bad", "_good") for p in paths]) == []


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/memory_cell_bad",),
    ("fixtures/crossmodule/memory_cell_bad/main.py",),
    ("fixtures/crossmodule/memory_cell_bad/ntm_cell.py",),
])
def test_a_memory_cell_started_again_under_reuse_makes_new_tf_variables(paths):
    # ntm_cell.py makes its start state (tf.Variables) when called with no state. main.py's
    # later steps, under the reused scope, pass none; the twin's pass the state the step
    # before returned, a dict, which `state == None` never matches.
    assert found(lint(*paths)) == MEMORY_CELL


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/stacked_cell_bad",),
    ("fixtures/crossmodule/stacked_cell_bad/main.py",),
])
def test_a_stack_of_the_projects_own_cells_in_wrappers_built_twice_in_one_scope(paths):
    # cells.py's cell class makes its weights by scope; main.py stacks fresh ones, each in a
    # DropoutWrapper, for training and again for inference under `encoder`: MultiRNNCell
    # runs layer i under multi_rnn_cell/cell_i, so the second build makes the first's names.
    findings = lint(*paths)
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [STACKED_CELL]
    (finding,) = findings
    assert "encoder/multi_rnn_cell/cell_0/norm_gru/gates" in finding["message"]
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("fixtures/crossmodule/stacked_cell_bad/main.py", 24)]
    assert lint(*[p.replace("_bad", "_good") for p in paths]) == []


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/passed_cell_bad",),
    ("fixtures/crossmodule/passed_cell_bad/ops.py",),
    ("fixtures/crossmodule/passed_cell_bad/model.py",),
])
def test_a_cell_passed_to_a_stacking_helper_from_another_module(paths):
    # ops.py's helper repeats the cell it is given; linted alone it does not know the cell.
    # model.py passes a new object of ops.py's cell class: the good twin's `__call__` makes
    # its weights by name, so each `cell_i` gets its own (TF 2.21: cell_0 and cell_1 sets);
    # the bad twin's `build` keeps `add_weight`'s weights on the object (cell_0's only).
    assert found(lint(*paths)) == {PASSED_CELL}
    assert lint(*[p.replace("_bad", "_good") for p in paths]) == []


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/cond_branches_bad",),
    ("fixtures/crossmodule/cond_branches_bad/main.py",),
])
def test_both_branches_of_a_cond_build_the_classifier(paths):
    # Graph mode builds both branches of main.py's tf.cond, the training one first: the
    # evaluation branch runs model.py's classifier again without reuse.
    findings = lint(*paths)
    assert [(f["path"], f["line"], f["code"]) for f in findings] == [COND_BRANCHES]
    (finding,) = findings
    assert "classifier/conv1/kernel" in finding["message"]
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("fixtures/crossmodule/cond_branches_bad/main.py", 15)]
    assert lint(*[p.replace("_bad", "_good") for p in paths]) == []


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/dotted_import_bad",),
    ("fixtures/crossmodule/dotted_import_bad/main.py",),
])
def test_a_builder_reached_by_its_dotted_module_name(paths):
    # `import nets.critic` binds `nets` with `critic` on it, though nets/__init__.py does
    # not import it: `nets.critic.d_critic` is the project's function.
    assert found(lint(*paths)) == {DOTTED}


@pytest.mark.parametrize("package_init", [True, False])
def test_dotted_imports_of_a_package_and_a_namespace_package(tmp_path, package_init):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "nets").mkdir()
    if package_init:
        (tmp_path / "nets" / "__init__.py").write_text("")
    (tmp_path / "nets" / "critic.py").write_text(MODEL)
    (tmp_path / "nets" / "sampler.py").write_text("def g_noise(x):\n    return x\n")
    # Two dotted imports of one package: both submodules stay reachable through `nets`.
    (tmp_path / "train.py").write_text(
        "import tensorflow.compat.v1 as tf\nimport nets.critic\nimport nets.sampler\n\n"
        "real = nets.sampler.g_noise(tf.random.normal([8, 2]))\n"
        "d_real = nets.critic.discriminator(real)\nd_fake = nets.critic.discriminator(real * 2.0)\n")
    assert found(lint(".", cwd=tmp_path)) == {("train.py", 7, "RL101")}


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/namespace_pkg_bad",),
    ("fixtures/crossmodule/namespace_pkg_bad/main.py",),
])
def test_a_builder_of_a_namespace_package_imported_as_a_submodule(paths):
    # `from libs import networks` with no libs/__init__.py: Python imports libs/networks.py
    # as a submodule of the namespace package `libs`; its builders are the project's own.
    assert found(lint(*paths)) == {NAMESPACE}


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/pkg_import_bad",),
    ("fixtures/crossmodule/pkg_import_bad/vae/run/graph.py",),
])
def test_a_module_deep_in_its_package_imports_a_sibling_by_the_full_dotted_name(paths):
    # vae/run/graph.py imports `vae.nets.coder`: Python finds it from the folder holding
    # `vae`, neither the module's own folder nor the marked root (this repository's).
    assert found(lint(*paths)) == {PKG_IMPORT}


def test_a_package_of_the_dotted_name_above_the_project_is_not_loaded(tmp_path):
    # lab/proj/ lies in a folder named `vae` that holds a nets/coder.py of its own: Python
    # run from proj/ never finds it, so proj/graph.py's `vae.nets.coder` stays unknown.
    # (Two levels deep, past the folders an unmarked project's imports are looked for in.)
    outer = tmp_path / "vae"
    proj = outer / "lab" / "proj"
    (outer / "nets").mkdir(parents=True)
    proj.mkdir(parents=True)
    (outer / "__init__.py").write_text("")
    (outer / "nets" / "__init__.py").write_text("")
    (outer / "nets" / "coder.py").write_text((PKG_FIXTURE / "vae" / "nets" / "coder.py").read_text())
    (proj / "graph.py").write_text((PKG_FIXTURE / "vae" / "run" / "graph.py").read_text())
    assert lint(".", cwd=proj) == []  # unmarked: the run's folder bounds the walk
    (proj / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    assert lint("vae/lab/proj", cwd=tmp_path) == []  # marked: the project's root bounds it
    (proj / "pyproject.toml").unlink()
    # Started from the folder holding `vae`, the package is the project's: its encoder is
    # built twice.
    assert found(lint("vae/lab/proj", cwd=tmp_path)) == {("vae/lab/proj/graph.py", 10, "RL101")}


def test_a_name_of_a_namespace_package_that_is_no_file_stays_unknown(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "nets").mkdir()
    (tmp_path / "nets" / "critic.py").write_text(MODEL)
    # `helpers` is no file of nets/: the import binds nothing known, as before.
    (tmp_path / "train.py").write_text(
        "import tensorflow.compat.v1 as tf\nfrom nets import critic, helpers\n\n"
        "x = helpers.g_noise(tf.random.normal([8, 2]))\n"
        "d_real = critic.discriminator(x)\nd_fake = critic.discriminator(x * 2.0)\n")
    assert found(lint(".", cwd=tmp_path)) == {("train.py", 6, "RL101")}


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/rnn_layers_bad",),
    ("fixtures/crossmodule/rnn_layers_bad/model.py",),
])
def test_a_layer_count_from_the_constructions_of_an_entry_methods_class(paths):
    # `build` runs as an entry point of model.py; `[cell] * self._n_layers` repeats one
    # cell only if some construction asks for more than one layer (main.py: 1 and 3).
    assert found(lint(*paths)) == {LAYERS}
    good = [p.replace("_bad", "_good") for p in paths]
    assert lint(*good) == []  # every construction keeps one layer (1, and the default)


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/flags_layers_bad",),
    ("fixtures/crossmodule/flags_layers_bad/model.py",),
    ("fixtures/crossmodule/flags_layers_bad/main.py",),
])
def test_a_layer_count_from_the_scripts_flags(paths):
    # `SentenceDecoder(FLAGS)` after `DEFINE_integer("num_layers", 2, ...)`: the flags'
    # defaults are what `self.opts.num_layers` reads, both when main.py runs `main` and when
    # model.py's `__init__` runs as an entry point on its constructions' arguments.
    assert found(lint(*paths)) == {FLAG_LAYERS}
    assert lint(*[p.replace("_bad", "_good") for p in paths]) == []  # the flag says 1


def test_a_changed_construction_rechecks_the_class(tmp_path):
    for name in ("model.py", "main.py"):
        write(tmp_path / name, (CROSS / "rnn_layers_good" / name).read_text())
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    assert found(lint("model.py", cwd=tmp_path, cache=True)) == set()
    write(tmp_path / "main.py", (tmp_path / "main.py").read_text().replace("SequenceClassifier(16)", "SequenceClassifier(16, 2)"))
    assert found(lint("model.py", cwd=tmp_path, cache=True)) == {("model.py", 15, "RL117")}


def test_a_changed_caller_rechecks_the_misplaced_flag(tmp_path):
    for name in ("layers.py", "model.py"):
        write(tmp_path / name, (CROSS / "forwarded_flag_good" / name).read_text())
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    assert found(lint("layers.py", cwd=tmp_path, cache=True)) == set()
    write(tmp_path / "model.py", (tmp_path / "model.py").read_text().replace("g_upsampler(z)", "g_upsampler(z, reuse=True)"))
    assert found(lint("layers.py", cwd=tmp_path, cache=True)) == {("layers.py", 7, "RL115")}


@pytest.mark.parametrize("twin, want", [
    ("critic_flag_good", set()),
    ("critic_flag_bad", {("critic.py", line, "RL115") for line in (13, 14, 16)}),
])
def test_a_misplaced_flag_made_good_by_reuse_variables_when_the_calls_are_in_another_module(tmp_path, twin, want):
    # critic.py, analysed with the flag unknown (train.py holds the calls), joins the path
    # where `if reuse: scope.reuse_variables()` did not run; the flag matters only when it
    # is true, and then the scope reuses. TF builds the good twin with one critic/h0/w.
    for name in ("critic.py", "train.py"):
        write(tmp_path / name, (CROSS / twin / name).read_text())
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    assert found(lint("critic.py", cwd=tmp_path)) == want
    assert found(lint(".", cwd=tmp_path)) == want


def test_order_and_workers_change_nothing():
    files = sorted(str(p.relative_to(ROOT)) for p in CROSS.rglob("*.py"))
    serial = lint(*files, extra=("--jobs", "1"))
    assert found(serial) == {DCGAN, SAMPLER, LAYERS, FLAG_LAYERS, DOTTED, FORWARDED, VERSION_PICK, FACESWAP, CUSTOM_CELL,
                            STACKED_CELL, COND_BRANCHES, NAMESPACE, PERCEPTUAL, PKG_IMPORT, PASSED_CELL} | CYCLE | MEMORY_CELL | CRITIC_FLAG
    assert lint(*reversed(files), extra=("--jobs", "2")) == serial


def test_networks_picked_by_the_tensorflow_version_are_the_keras_models_of_2x():
    """`nets/__init__.py` imports graph-mode builders on 1.x and Keras models on 2.x under the
    same names: read as TensorFlow 2, the agent's critic and actor are two Keras models, and
    its one Adam (stepped on the critic's `weights`, then the actor's list) is reported."""
    assert found(lint("fixtures/crossmodule/version_pick_bad")) == {VERSION_PICK}
    assert lint("fixtures/crossmodule/version_pick_good") == []


def run_twins(project: str, keras3: bool = False) -> dict[str, subprocess.CompletedProcess]:
    """Run each twin's `main.py` (PROJECT_bad, PROJECT_good) in TensorFlow, as a user would;
    `tf.keras` is tf_keras unless `keras3`."""
    legacy = "0" if keras3 else "1"
    env = dict(os.environ, TF_USE_LEGACY_KERAS=legacy, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
    return {
        twin: subprocess.run([sys.executable, "main.py"], capture_output=True, text=True, env=env,
                             cwd=CROSS / f"{project}_{twin}", timeout=600)
        for twin in ("bad", "good")
    }


@pytest.mark.parametrize("project", ["dcgan", "sampler"])
def test_tensorflow_fails_on_the_bad_project_and_trains_the_good_one(project):
    outcomes = run_twins(project)
    assert outcomes["bad"].returncode != 0
    assert "/Adam/ does not exist" in outcomes["bad"].stderr
    assert outcomes["good"].returncode == 0, outcomes["good"].stderr[-2000:]


def test_tensorflow_stops_at_the_actor_step_of_the_one_adam_and_trains_the_twin():
    outcomes = run_twins("version_pick")
    assert outcomes["bad"].returncode != 0
    assert "The optimizer cannot recognize variable actor/dense/kernel:0" in outcomes["bad"].stderr
    assert outcomes["good"].returncode == 0, outcomes["good"].stderr[-2000:]
    assert "'actor/dense/kernel:0'" in outcomes["good"].stdout


def test_a_frozen_perceptual_vgg_leaves_the_one_adam_of_the_combined_model_reported():
    """losses.py freezes a VGG19 of its own, as a whole and layer by layer: no model the
    program trains holds it, so the combined model's step is still followed (and reported)."""
    assert found(lint("fixtures/crossmodule/perceptual_loss_bad")) == {PERCEPTUAL}
    assert lint("fixtures/crossmodule/perceptual_loss_good") == []


@pytest.mark.parametrize("keras3, words", [
    (False, "The optimizer cannot recognize variable g_conv/kernel:0"),
    (True, "Unknown variable: <Variable path=g_conv/kernel"),
])
def test_tensorflow_stops_at_the_combined_step_of_the_one_adam_and_trains_the_twin(keras3, words):
    outcomes = run_twins("perceptual_loss", keras3=keras3)
    assert outcomes["bad"].returncode != 0
    assert words in outcomes["bad"].stderr
    assert outcomes["good"].returncode == 0, outcomes["good"].stderr[-2000:]
    assert "trained" in outcomes["good"].stdout


def test_tensorflow_stacks_one_cell_for_three_layers_and_builds_the_one_layer_twin():
    outcomes = run_twins("rnn_layers")
    assert outcomes["bad"].returncode != 0
    assert "Dimensions must be equal" in outcomes["bad"].stderr  # the one cell, for 4- and 8-wide inputs
    assert outcomes["good"].returncode == 0, outcomes["good"].stderr[-2000:]
    assert "classifier_1/rnn/multi_rnn_cell/cell_0/lstm_cell/kernel:0" in outcomes["good"].stdout


def test_tensorflow_fails_on_the_discriminator_of_a_namespace_package_built_twice():
    outcomes = run_twins("namespace_pkg")
    assert outcomes["bad"].returncode != 0
    assert "Variable discriminator/d_h0/w already exists, disallowed" in outcomes["bad"].stderr
    assert outcomes["good"].returncode == 0, outcomes["good"].stderr[-2000:]
    assert "'discriminator/d_out/w:0'" in outcomes["good"].stdout


def test_tensorflow_fails_on_the_encoder_built_twice_deep_in_its_package():
    outcomes = run_twins("pkg_import")
    assert outcomes["bad"].returncode != 0
    assert "Variable encoder/e_h0/w already exists, disallowed" in outcomes["bad"].stderr
    assert outcomes["good"].returncode == 0, outcomes["good"].stderr[-2000:]
    assert "'encoder/e_h0/w:0'" in outcomes["good"].stdout


def test_tensorflow_fails_on_the_critic_built_twice_through_its_dotted_name():
    outcomes = run_twins("dotted_import")
    assert outcomes["bad"].returncode != 0
    assert "Variable critic/h1/kernel already exists, disallowed" in outcomes["bad"].stderr
    assert outcomes["good"].returncode == 0, outcomes["good"].stderr[-2000:]
    assert "'critic/out/kernel:0'" in outcomes["good"].stdout


def test_tensorflow_stacks_one_cell_for_the_flags_two_layers_and_builds_the_one_layer_twin():
    outcomes = run_twins("flags_layers")
    assert outcomes["bad"].returncode != 0
    assert "Dimensions must be equal" in outcomes["bad"].stderr  # one cell for 4- and 8-wide inputs
    assert outcomes["good"].returncode == 0, outcomes["good"].stderr[-2000:]
    assert "decoder/rnn/multi_rnn_cell/cell_0/lstm_cell/kernel:0" in outcomes["good"].stdout


def test_tensorflow_copies_the_encoder_built_twice_and_builds_one_when_built_once():
    outcomes = run_twins("faceswap")
    for twin in ("bad", "good"):
        assert outcomes[twin].returncode == 0, outcomes[twin].stderr[-2000:]
    assert "'encoder_1/Variable:0'" in outcomes["bad"].stdout  # face B's own encoder weights
    assert "'encoder/Variable_1:0'" in outcomes["good"].stdout and "encoder_1/" not in outcomes["good"].stdout


def test_tensorflow_fails_on_the_stack_built_again_under_encoder_and_builds_the_twin():
    outcomes = run_twins("stacked_cell")
    assert outcomes["bad"].returncode != 0
    assert "Variable encoder/multi_rnn_cell/cell_0/norm_gru/gates already exists, disallowed" in outcomes["bad"].stderr
    assert outcomes["good"].returncode == 0, outcomes["good"].stderr[-2000:]
    assert "'encoder/multi_rnn_cell/cell_1/norm_gru/gates:0'" in outcomes["good"].stdout


def test_tensorflow_fails_on_the_second_branch_and_builds_the_twin():
    outcomes = run_twins("cond_branches")
    assert outcomes["bad"].returncode != 0
    assert "Variable classifier/conv1/kernel already exists, disallowed" in outcomes["bad"].stderr
    assert outcomes["good"].returncode == 0, outcomes["good"].stderr[-2000:]
    assert "'classifier/logits_w:0'" in outcomes["good"].stdout


def test_tensorflow_fails_on_the_cell_run_again_under_rnn_and_builds_the_twin():
    outcomes = run_twins("custom_cell")
    assert outcomes["bad"].returncode != 0
    assert "Variable rnn/gated/w already exists, disallowed" in outcomes["bad"].stderr
    assert outcomes["good"].returncode == 0, outcomes["good"].stderr[-2000:]
    assert "['rnn/gated/b:0', 'rnn/gated/w:0']" in outcomes["good"].stdout


def test_tensorflow_copies_the_memory_cell_started_at_every_step_and_builds_one_start_state():
    outcomes = run_twins("memory_cell")
    for twin in ("bad", "good"):
        assert outcomes[twin].returncode == 0, outcomes[twin].stderr[-2000:]
    # The bad twin's second and third steps each make a start state of their own.
    assert "'ntm/init_cell_1/memory:0'" in outcomes["bad"].stdout and "'ntm/init_cell_2/read:0'" in outcomes["bad"].stdout
    assert "'ntm/init_cell/memory:0'" in outcomes["good"].stdout and "init_cell_1" not in outcomes["good"].stdout


def test_tensorflow_fails_on_the_lookup_before_the_creation_and_builds_the_twin():
    outcomes = run_twins("cyclegan")
    assert outcomes["bad"].returncode != 0
    assert "Variable d_b/d_h0/w/kernel does not exist" in outcomes["bad"].stderr
    assert outcomes["good"].returncode == 0, outcomes["good"].stderr[-2000:]


# ----- the cache follows the unit: edits, new and deleted modules between runs ----------------

MODEL = '''import tensorflow.compat.v1 as tf


def discriminator(x, reuse=False):
    if reuse:
        tf.get_variable_scope().reuse_variables()
    return tf.layers.dense(x, 1, name="d_out")
'''
TRAIN_BUILDS = '''import tensorflow.compat.v1 as tf
from model import discriminator

real = tf.random.normal([8, 2])
d_real = discriminator(real)
d_fake = discriminator(real * 2.0, reuse=True)
'''
TRAIN_STEPS = TRAIN_BUILDS + "step = tf.train.AdamOptimizer(1e-3).minimize(tf.reduce_mean(d_fake - d_real))\n"
LEAK = ("model.py", 6, "RL107")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "model.py").write_text(MODEL)
    return tmp_path


def write(path: Path, text: str) -> None:
    # A new mtime even on a coarse clock, so that the stat index sees the change.
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    st = path.stat()
    if st.st_mtime_ns <= old:
        os.utime(path, ns=(st.st_atime_ns, old + 1_000_000_000))


@pytest.mark.parametrize("asked", ["model.py", "."])
def test_editing_the_caller_rechecks_the_model(project, asked):
    write(project / "train.py", TRAIN_BUILDS)
    assert found(lint(asked, cwd=project, cache=True)) == set()
    write(project / "train.py", TRAIN_STEPS)
    assert found(lint(asked, cwd=project, cache=True)) == {LEAK}
    write(project / "train.py", TRAIN_BUILDS)
    assert found(lint(asked, cwd=project, cache=True)) == set()


def test_a_new_caller_and_a_deleted_one(project):
    assert found(lint("model.py", cwd=project, cache=True)) == set()
    write(project / "train.py", TRAIN_STEPS)  # a module created since the last run
    assert found(lint("model.py", cwd=project, cache=True)) == {LEAK}
    assert found(lint("model.py", cwd=project, cache=True)) == {LEAK}  # warm: the same
    (project / "train.py").unlink()
    assert found(lint("model.py", cwd=project, cache=True)) == set()


def test_a_caller_through_another_module(project):
    """train.py imports nets.py, which imports model.py: linting model.py analyses both."""
    write(project / "nets.py", "from model import discriminator\n")
    write(project / "train.py", TRAIN_STEPS.replace("from model import", "from nets import"))
    assert found(lint("model.py", cwd=project, cache=True)) == {LEAK}
    assert found(lint("model.py", cwd=project)) == {LEAK}


def test_editing_the_imported_module_rechecks_the_caller(project):
    write(project / "train.py", TRAIN_STEPS)
    assert found(lint("train.py", cwd=project, cache=True)) == {LEAK}
    repaired = MODEL.replace("    if reuse:\n        tf.get_variable_scope().reuse_variables()\n    return",
                             "    with tf.variable_scope('d', reuse=reuse):\n        return")
    assert repaired != MODEL
    write(project / "model.py", repaired)
    assert found(lint("train.py", cwd=project, cache=True)) == set()


def test_a_callers_own_findings_stay_out_of_a_one_file_run(project):
    """train.py's own repeated builder call is train.py's finding: linting model.py alone
    does not report it."""
    write(project / "model.py", "import tensorflow.compat.v1 as tf\n\n\ndef d(x):\n    return tf.layers.dense(x, 1, name='d')\n")
    write(project / "train.py", "import tensorflow.compat.v1 as tf\nfrom model import d\n\nx = tf.ones([2, 2])\nd(x)\nd(x)\n")
    assert {f[2] for f in found(lint(".", cwd=project))} == {"RL101"}
    assert found(lint("model.py", cwd=project)) == set()


@pytest.mark.parametrize("asked", ["main.py", "model.py"])
def test_fix_lists_what_is_left_as_check_does_callers_included(tmp_path, asked):
    # --fix lints each file alone to fix it; what it then lists must not lose the leak
    # that only main.py's call reveals.
    project = tmp_path / "dcgan"
    project.mkdir()
    for path in (CROSS / "dcgan_bad").iterdir():
        (project / path.name).write_bytes(path.read_bytes())
    findings = lint(asked, cwd=project, extra=("--fix",))
    assert found(findings) == {("model.py", 45, "RL107")}
    assert all(path.read_bytes() == (project / path.name).read_bytes() for path in (CROSS / "dcgan_bad").iterdir())


@pytest.mark.parametrize("paths", [
    ("fixtures/crossmodule/forwarded_flag_bad",),
    ("fixtures/crossmodule/forwarded_flag_bad/layers.py",),
])
def test_a_misplaced_flag_follows_the_values_its_callers_pass(paths):
    # layers.py alone runs `up_block` as an entry point with an unknown flag; model.py's
    # generator passes its own `reuse` on, and one of its calls gives True (TF raises
    # `Variable generator/up1/w already exists`). The good twin's generator is built once,
    # with its default False: TF makes each variable once and RL115 stays silent.
    assert found(lint(*paths)) == {FORWARDED}
    assert lint(*[p.replace("_bad", "_good") for p in paths]) == []


def test_the_calls_of_a_function_are_read_where_they_can_be_trusted(tmp_path):
    from reuse_lint.engine.callers import reaching
    from reuse_lint.runner import ProjectLoader
    import ast

    (tmp_path / "pyproject.toml").write_text("")
    layers = "def up(x, name, reuse=False):\n    return x\n"
    (tmp_path / "layers.py").write_text(layers)
    (tmp_path / "model.py").write_text(
        "import layers as L\n"
        "def g_net(z, reuse=False):\n    return L.up(z, 'u', reuse=reuse)\n"
        "class Gan:\n    def build(self, z):\n        return g_net(z, None)\n"
        "    def sample(self, z, flag=0):\n        return g_net(z, reuse=flag)\n"
        "    def run(self, z):\n        return self.sample(z)\n")
    func = ast.parse(layers).body[0]

    def values(loader):
        return reaching(func, False, "reuse", lambda name: loader.calls(str(tmp_path / "layers.py"), name))

    loader = ProjectLoader(lambda p: p.read_bytes())
    assert [v.value for v in values(loader)] == [None, 0]
    assert str(tmp_path / "model.py") in loader.loaded()  # the cache keys the answer on it
    # Ways to call it, or to give it a value, that are not read here: no answer.
    for name, text in [
        ("alias.py", "from layers import up as u\n"),
        ("value.py", "from layers import up\nfns = [up]\n"),
        ("spread.py", "import layers\nlayers.up(*args)\n"),
        ("rebound.py", "from model import Gan\ndef f(g, flag):\n    flag = not flag\n    return g.sample(1, flag)\n"),
        ("nocaller.py", "from model import g_net\ndef g_main(z, r):\n    return g_net(z, reuse=r)\n"),  # r: anything
        ("notebook.ipynb", '{"cells": [{"source": ["up(1, 2, True)"]}]}'),
    ]:
        (tmp_path / name).write_text(text)
        assert values(ProjectLoader(lambda p: p.read_bytes())) is None, name
        (tmp_path / name).unlink()


def test_the_constructions_of_a_class_are_read_where_they_can_be_trusted(tmp_path):
    from reuse_lint.engine.values import UNKNOWN, Const
    from reuse_lint.runner import ProjectLoader

    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "model.py").write_text("class Net:\n    def __init__(self, n=1):\n        self.n = n\n")
    (tmp_path / "train.py").write_text("from model import Net as N\nN(1)\nN(n=k)\n")
    (tmp_path / "other.py").write_text("class Net:\n    pass\n")
    (tmp_path / "uses_other.py").write_text("from other import Net\nNet()\nNet(3)\n")  # another class
    (tmp_path / "lib.py").write_text("from keras import Net\nNet(5)\n")  # a library's class
    (tmp_path / "pkg.py").write_text("from model import Net\n")  # a re-export alone constructs nothing
    loader = ProjectLoader(lambda p: p.read_bytes())
    assert loader.constructions(str(tmp_path / "model.py"), "Net") == [([Const(1)], {}), ([], {"n": UNKNOWN})]
    assert str(tmp_path / "train.py") in loader.loaded()  # the cache keys the answer on it
    # Ways to construct it that are not written as a call of the class here: no answer.
    for name, text in [
        ("user.py", "from pkg import Net\nNet(3)\n"),  # constructed under the package's name
        ("sub.py", "from model import Net\nclass Deep(Net):\n    pass\n"),
        ("factory.py", "from model import Net\nmake = Net\n"),
        ("spread.py", "from model import Net\nNet(**config)\n"),
        ("attribute.py", "import model\nmodel.Net(3)\n"),
    ]:
        (tmp_path / name).write_text(text)
        loader = ProjectLoader(lambda p: p.read_bytes())
        assert loader.constructions(str(tmp_path / "model.py"), "Net") is None, name
        (tmp_path / name).unlink()


def test_a_fifo_in_the_project_is_not_read_for_constructions(tmp_path):
    from reuse_lint.engine.values import Const
    from reuse_lint.runner import ProjectLoader

    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "model.py").write_text("class Net:\n    def __init__(self, n=1):\n        self.n = n\nNet(2)\n")
    os.mkfifo(tmp_path / "pipe.py")  # reading it would wait for a writer for ever
    loader = ProjectLoader(lambda p: p.read_bytes())
    assert loader.constructions(str(tmp_path / "model.py"), "Net") == [([Const(2)], {})]
