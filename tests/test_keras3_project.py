"""RL128 on a project whose requirements make `tf.keras` Keras 3: the linter reads the
requirement files at the project's root, and TensorFlow shows the claim (Keras 3 leaves a
bare `tf.Variable` out of the step; tf_keras trains it)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT, tf_build

from reuse_lint.runner import requires_keras3

LAYER = textwrap.dedent('''\
    import numpy as np
    import tensorflow as tf


    class Temperature(tf.keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.log_t = tf.Variable(0.0, name="log_t")

        def call(self, logits):
            return logits / tf.exp(self.log_t)


    class Calibrated(tf.keras.Model):
        def __init__(self):
            super().__init__(name="calibrated")
            self.head = tf.keras.layers.Dense(3, name="head")
            self.temperature = Temperature()

        def call(self, x):
            return self.temperature(self.head(x))


    model = Calibrated()
    optimizer = tf.keras.optimizers.SGD(0.5)
    x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
    y = np.arange(8) % 3
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(y, model(x), from_logits=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
''')
VARIABLE_LINE = 8


def _project(tmp_path, requirements: dict[str, str], extra: dict[str, str] | None = None):
    for name, text in {**requirements, "calibrate.py": LAYER, **(extra or {})}.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def _lint(project) -> set[tuple[str, int, str]]:
    proc = subprocess.run(
        [sys.executable, "-m", "reuse_lint", "check", "--no-cache", "--output-format", "json", "."],
        capture_output=True, text=True, cwd=project, timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return {(f["path"], f["line"], f["code"]) for f in json.loads(proc.stdout)}


@pytest.mark.parametrize("text", [
    b'dependencies = ["tensorflow>=2.16", "numpy"]',
    b"tensorflow==2.17.0\n",
    b'install_requires=["tensorflow[and-cuda]~=2.18.0"]',
    b'"keras>=3.0", "tensorflow"',
    b"tensorflow-cpu>=2.16.1\n",
    b'[tool.poetry.dependencies]\ntensorflow = "^2.19.0"\n',
    b'tensorflow = { version = "~2.17", optional = true }\n',
])
def test_requirements_that_make_tf_keras_keras_3(text):
    assert requires_keras3(text)


@pytest.mark.parametrize("text", [
    b"tensorflow>=2.10,<2.16\n",
    b"tensorflow==2.15.0\ntf-keras>=2.16\n",
    b'"tensorflow_probability>=0.24", "keras-nlp>=0.6"',
    b"tensorflow\nkeras\n",
    b"keras==2.15.0\n",
    b'tensorflow = "^2.12"\ntf-keras = "^2.16"\n',
    b'tensorflow = "*"\n',
])
def test_requirements_that_do_not(text):
    assert not requires_keras3(text)


def test_a_project_requiring_tensorflow_2_16_is_keras_3(tmp_path):
    project = _project(tmp_path, {"requirements.txt": "tensorflow>=2.16\nnumpy\n"})
    assert _lint(project) == {("calibrate.py", VARIABLE_LINE, "RL128")}


def test_a_pyproject_requirement_counts_as_well(tmp_path):
    project = _project(tmp_path, {"pyproject.toml": '[project]\nname = "cal"\ndependencies = ["tensorflow>=2.17"]\n'})
    assert _lint(project) == {("calibrate.py", VARIABLE_LINE, "RL128")}


def test_an_older_tensorflow_or_the_legacy_switch_is_keras_2(tmp_path):
    older = tmp_path / "older"
    older.mkdir()
    assert _lint(_project(older, {"requirements.txt": "tensorflow==2.15.0\n"})) == set()
    switched = tmp_path / "switched"
    switched.mkdir()
    _project(switched, {"requirements.txt": "tensorflow>=2.16\ntf-keras>=2.16\n"},
             {"__init__.py": 'import os\nos.environ.setdefault("TF_USE_LEGACY_KERAS", "1")\n'})
    assert _lint(switched) == set()


def test_tensorflow_leaves_the_bare_variable_untrained_under_keras_3_only(tmp_path):
    script = tmp_path / "calibrate.py"
    script.write_text(LAYER)
    keras3 = tf_build([script], eager=True, keras3=True)["calibrate.py"]
    keras2 = tf_build([script], eager=True)["calibrate.py"]
    assert keras3["error"] is None and any(n.endswith("log_t:0") for n in keras3["unchanged"])
    assert keras2["error"] is None and any(n.endswith("log_t:0") for n in keras2["changed"])


def test_a_changed_requirement_is_seen_through_the_cache(tmp_path):
    project = _project(tmp_path, {"requirements.txt": "tensorflow==2.15.0\n"})

    def cached() -> set:
        proc = subprocess.run([sys.executable, "-m", "reuse_lint", "check", "--output-format", "json", "."],
                              capture_output=True, text=True, cwd=project, timeout=120)
        assert proc.returncode in (0, 1), proc.stderr
        return {(f["path"], f["line"], f["code"]) for f in json.loads(proc.stdout)}

    assert cached() == set()
    (project / "requirements.txt").write_text("tensorflow==2.18.0\n")
    assert cached() == {("calibrate.py", VARIABLE_LINE, "RL128")}
