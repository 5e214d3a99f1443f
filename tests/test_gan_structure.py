"""The graph each variant builds, asserted exactly: its variables and what each optimizer updates.

Real TensorFlow, no training: these are the facts the linter's rules claim about each bug.
"""

import subprocess
import sys

import pytest

pytest.importorskip("tensorflow")

from reuse_lint.gan import harness  # noqa: E402
from reuse_lint.gan.catalog import NAMES, by_name  # noqa: E402


def _layers(scope, names=("dense", "dense_1", "dense_2")):
    return {f"{scope}/{layer}/{part}" for layer in names for part in ("kernel", "bias")}


GENERATOR = _layers("generator")
DISCRIMINATOR = _layers("discriminator")
DISCRIMINATOR_COPY = _layers("discriminator_1")


def _built(name):
    return harness.build(str(by_name(name).path), seed=0)


def _trainable(built):
    with built.graph.as_default():
        return {v.op.name for v in harness.import_tf().compat.v1.trainable_variables()}


def _updated_by(train_op):
    """The variables an optimizer's train op writes: the first input of each Adam update."""
    seen, stack, updated = set(), [train_op], set()
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if op.type in ("ApplyAdam", "ResourceApplyAdam"):
            updated.add(op.inputs[0].op.name)
            continue
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return updated


def _optimizers(built):
    return _updated_by(built.handles["d_train"]), _updated_by(built.handles["g_train"])


def test_shared_has_one_discriminator_and_disjoint_optimizers():
    built = _built("shared")
    assert _trainable(built) == GENERATOR | DISCRIMINATOR
    assert _optimizers(built) == (DISCRIMINATOR, GENERATOR)


def test_unshared_has_a_second_discriminator_that_its_optimizer_also_trains():
    built = _built("unshared")
    assert _trainable(built) == GENERATOR | DISCRIMINATOR | DISCRIMINATOR_COPY
    # get_collection(scope="discriminator") also matches "discriminator_1/...".
    assert _optimizers(built) == (DISCRIMINATOR | DISCRIMINATOR_COPY, GENERATOR)


def test_keras_per_call_builds_new_layers_on_each_call():
    built = _built("keras-per-call")
    # Keras numbers its layers per graph, after the generator's dense..dense_2.
    first = _layers("discriminator", ("dense_3", "dense_4", "dense_5"))
    second = _layers("discriminator_1", ("dense_6", "dense_7", "dense_8"))
    assert _trainable(built) == GENERATOR | first | second
    assert _optimizers(built) == (first | second, GENERATOR)


def test_generator_without_var_list_trains_the_discriminator_too():
    built = _built("generator-trains-discriminator")
    assert _trainable(built) == GENERATOR | DISCRIMINATOR
    assert _optimizers(built) == (DISCRIMINATOR, GENERATOR | DISCRIMINATOR)


def test_prefix_var_list_selects_the_discriminator_for_the_generator():
    built = _built("prefix-var-list")
    generator, discriminator = _layers("g"), _layers("global_discriminator")
    assert _trainable(built) == generator | discriminator
    # get_collection(scope="g") also matches "global_discriminator/...".
    assert _optimizers(built) == (discriminator, generator | discriminator)


def test_duplicate_is_refused_by_tensorflow():
    with pytest.raises(ValueError, match=r"Variable discriminator/dense/kernel already exists"):
        _built("duplicate")


def test_every_variant_has_an_expected_finding_but_shared():
    assert {n: by_name(n).expected for n in NAMES} == {
        "shared": None,
        "unshared": "RL105",
        "keras-per-call": "RL106",
        "generator-trains-discriminator": "RL109",
        "prefix-var-list": "RL108",
        "duplicate": "RL101",
    }


def test_importing_the_gan_command_does_not_import_tensorflow():
    code = "import sys, reuse_lint.gan.cli; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
