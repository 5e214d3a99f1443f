"""The rules' claims, judged by TensorFlow: each bad fixture fails (or silently misbehaves)
the way its rule says, each good fixture builds, and the linter agrees line for line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import tf_build

from reuse_lint.checker import lint_source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z]+\d+)")

# What TensorFlow does with each bad fixture: the error type and words of its message.
BAD = {
    "rl101_bad.py": ("ValueError", "Variable discriminator/h1/kernel already exists, disallowed"),
    "rl102_bad.py": ("ValueError", "Variable discriminator/logits/kernel does not exist"),
    # The discriminator read back from the models' dict, built again without reuse.
    "rl101_model_dict_bad.py": ("ValueError", "Variable discriminator/h1/kernel already exists, disallowed"),
    # An input layer called per feature group, its key projection gated by a layer setting
    # the configuration turns on: the item call builds it again.
    "rl101_group_gate_bad.py": ("ValueError", "Variable key_proj/kernel already exists, disallowed"),
    "rl101_mode_attr_bad.py": ("ValueError", "Variable decoder/tgt_embedding already exists, disallowed"),
    # A fresh GRU cell run by `dynamic_rnn` twice under its default `rnn` scope.
    "rl101_rnn_encoder_bad.py": ("ValueError", "Variable rnn/gru_cell/gates/kernel already exists, disallowed"),
    # functools.partial(discriminator, reuse=True) called before the discriminator was built.
    "rl102_partial_bad.py": ("ValueError", "Variable discriminator/h1/kernel does not exist"),
    # Python 2 style classes (`(object)` bases, a settings class with no `__init__`).
    "rl102_plain_class_bad.py": ("ValueError", "Variable memory/attention/score/kernel does not exist"),
    # The model picked from a registry by a name from the environment: the fine-tuning one's first
    # tower looks up a layer nothing made.
    "rl102_registry_pick_bad.py": ("ValueError", "Variable model/fc1/kernel does not exist"),
    # Unrolled over `enumerate(tf.unstack(...))` after flag parsing, data loading and an RNN
    # in another scope: the first fact's reuse=False is overridden by the scope's reuse=True.
    "rl102_unrolled_attention_bad.py": ("ValueError", "Variable memory/attention/hidden/kernel does not exist"),
    # A hand-written batch norm's moving averages of the batch moments, made again under the
    # discriminator's reuse=True.
    "rl102_average_bad.py": ("ValueError", "Variable disc/d_bn/disc_1/d_bn/moments/Squeeze/ExponentialMovingAverage/ does not exist"),
    "rl102_slim_normalizer_bad.py": ("ValueError", "Variable discriminator/d_conv1/d_bn/discriminator_1/d_conv1/d_bn/moments/Squeeze/ExponentialMovingAverage/ does not exist"),
    "rl103_bad.py": ("ValueError", "Variable discriminator/logits/kernel already exists, disallowed"),
    # The evaluation call's reuse=True never reaches enc1, and training is on: the norm helper
    # does not reuse by itself.
    "rl103_unused_flag_bad.py": ("ValueError", "Variable enc1/norm/offset already exists, disallowed"),
    "rl104_bad.py": ("ValueError", "Variable proj/w already exists, disallowed"),
    # A target list with the batch norm's moving statistics zipped with an online list without
    # them: the shifted pairs assign the online output kernel to the target's moving mean.
    "rl125_stats_bad.py": ("ValueError", "Assign[T=DT_FLOAT, use_locking=false, validate_shape=true](target/bn1/moving_mean, online/q/kernel/read)"),
    # A transfer Saver's dict by checkpoint name over a scope the model never opened.
    "rl114_keyed_saver_bad.py": ("ValueError", "No variables to save"),
    "rl107_bad.py": ("ValueError", "Variable discriminator/dense/kernel/Adam/ does not exist"),
    "rl110_bad.py": ("ValueError", "Variable model/head/out/kernel does not exist"),
    "rl111_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    "rl111_call_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    "rl111_metric_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    "rl111_nested_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    "rl111_project_layer_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    "rl111_flag_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    # A residual projection made in `call` under a test of the input's width (kgcnn's DGAT layer).
    "rl111_input_shape_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    # A base model's `call` runs the `encode` step its subclass defines, and that step makes the
    # convolutions (a template method).
    "rl111_template_method_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    # Block helpers of a U-Net make their layers under tests of the call's settings and of
    # its input's width (a diffusion model's upsample/downsample and residual shortcut).
    "rl111_argument_test_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    # `K.zeros` of a fixed shape in `call`: a variable per call (neurite's noise volume).
    "rl111_backend_filled_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    "rl111_add_weight_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    # A weight stored on `self` under a setting only `__init__` sets.
    "rl111_setting_store_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    "rl111_unset_flag_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    # The `call` of a class a factory function made.
    "rl111_factory_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    # The bias made in a merge that a strategy object reaches from `call`, the strategy picked
    # in `__init__` from a dict of classes by a setting.
    "rl111_strategy_pick_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    # Layers made in an overridden `__call__` (not `call`), in the tf.function step.
    "rl111_own_call_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    # The optimizer made in the tf.function step makes its step count on each trace.
    "rl111_optimizer_step_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    "rl112_bad.py": ("ValueError", "Variable discriminator/dense_2/kernel does not exist"),
    # Unnamed tf.layers given reuse=True take their bare base name: the second layer of the
    # reused block maps onto the first one's kernel (through **layer_kw, and directly).
    # A hand-unrolled LSTM decoder's reuse_variables() still on when its output layer is made.
    "rl112_cell_loop_bad.py": ("ValueError", "Variable decoder/fully_connected/weights does not exist"),
    "rl112_layer_kw_bad.py": ("ValueError", "Trying to share variable discriminator/dense/kernel, but specified shape (32, 1)"),
    "rl112_layer_reuse_bad.py": ("ValueError", "Trying to share variable gate/dense/kernel, but specified shape (16, 1)"),
    "rl115_bad.py": ("ValueError", "Variable encoder/proj/kernel already exists, disallowed"),
    "rl117_bad.py": ("ValueError", "Dimensions must be equal"),
    # The second layer of one (dropout-wrapped) GRU object gets the first one's 8-wide output.
    "rl117_wrapped_bad.py": ("ValueError", "Dimensions must be equal"),
    # The project's own MultiRNNCell subclasses (one adds nothing, one only forwards its
    # arguments) stack one 8-wide LSTM object on 4-wide inputs.
    "rl117_subclass_bad.py": ("ValueError", "Dimensions must be equal"),
    # The project's stack with a residual switch, off: MultiRNNCell's `__call__` stacks the one
    # 8-wide LSTM object on 4-wide inputs.
    "rl117_residual_bad.py": ("ValueError", "Dimensions must be equal"),
    # A moving average made at each call of a scope that reuses after the first.
    "rl107_scoped_bad.py": ("ValueError", "Variable gate/gate/Mean_1/ExponentialMovingAverage/ does not exist"),
    # The sampling model's Adam slots, under `scope.reuse_variables()` of the named scope.
    "rl107_model_bad.py": ("ValueError", "Variable lstm_model/lstm_model/lstm_vars/W/Adam_2/ does not exist"),
    # Round 13: a batch norm whose averages are guarded by a train flag, not by the reuse.
    "rl107_guarded_average_bad.py": ("ValueError", "Variable critic/d_norm/critic/d_norm_1/moments/Squeeze/ExponentialMovingAverage/ does not exist"),
    # `variable_scope(get_variable_scope(), reuse=False)` keeps the leaked root reuse.
    "rl107_reuse_false_bad.py": ("ValueError", "Variable d_w1/Adam/ does not exist"),
    # The generator ran before the tape opened: every gradient is None.
    "rl108_tape_bad.py": ("ValueError", "No gradients provided for any variable"),
    "rl121_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    # A new Adam per resolution, handed by one tf.function to a replica step (strategy.run).
    "rl121_each_turn_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    "rl120_bad.py": ("ValueError", "is incompatible with the layer: expected axis 3 of input shape to have value 8"),
    # The loop's second pass brings the 16-wide conv's output to the 8-wide batch norm.
    "rl120_loop_bad.py": ("ValueError", "is incompatible with the layer: expected axis 3 of input shape to have value 8"),
    # The same, over convs that `__init__` collected by `.append`.
    "rl120_append_loop_bad.py": ("ValueError", "is incompatible with the layer: expected axis 3 of input shape to have value 8"),
    # The hidden Dense, built for the 48 flattened features, gets its own 16-wide output.
    "rl120_dense_bad.py": ("ValueError", "expected axis -1 of input shape to have value 48, but received input with shape (2, 16)"),
    # The strided convolutions kept in an OrderedDict: the second brings 16 channels to the
    # batch norm built for 8.
    "rl120_ordered_bad.py": ("ValueError", "is incompatible with the layer: expected axis 3 of input shape to have value 8"),
    "rl122_bad.py": ("TypeError", "unexpected keyword argument 'list_var'"),
    # One Adam compiled into the decoder and the encoder: it knows only the decoder's variables.
    "rl124_bad.py": ("KeyError", "The optimizer cannot recognize variable"),
    # One Adam compiled into the discriminator and the combined model: the discriminator's
    # train_on_batch builds it, the combined model's brings the generator's weights.
    "rl124_gan_bad.py": ("KeyError", "The optimizer cannot recognize variable g_hidden/kernel"),
    # One Adam stepped on the critic, then on the actor: two subclassed models, no layer shared.
    "rl124_subclass_bad.py": ("KeyError", "The optimizer cannot recognize variable"),
    # The GAN subclass's own train_step, run by `fit`: the one Adam meets the generator's weights.
    "rl124_fit_step_bad.py": ("KeyError", "The optimizer cannot recognize variable"),
    # The Adam pre-trained on the autoencoder's list grown by `+=`: the clustering head is new to it.
    "rl124_grown_bad.py": ("KeyError", "The optimizer cannot recognize variable"),
    # Built because no saved model exists, the discriminator shares the combined model's Adam,
    # whose first step fixed it to the generator's weights.
    "rl124_resume_bad.py": ("KeyError", "The optimizer cannot recognize variable d_hidden/kernel"),
    # Both lists were taken before the network existed: the first minimize has nothing.
    "rl114_select_before_build_bad.py": ("ValueError", "No variables to optimize"),
    # The meta-learner's list, read in its constructor before tf.map_fn builds the inner loss.
    "rl114_mapped_bad.py": ("ValueError", "No variables to optimize"),
    # The feed-forward Sequential made in `call` holds a Dense made there too.
    "rl111_sequential_bad.py": ("ValueError", "tf.function only supports singleton tf.Variables created on the first call"),
    # The discriminator's gradients, taken for the teacher it never reaches, zipped with its
    # own variables: all None.
    "rl114_crossed_bad.py": ("ValueError", "No gradients provided for any variable"),
    # The same crossing over teachers imported from another project's folder on sys.path.
    "rl114_foreign_bad.py": ("ValueError", "No gradients provided for any variable"),
    # The whole model's gradients zipped with the decoder's variables a name filter kept: the
    # encoder kernel's gradient meets the decoder kernel.
    "rl114_part_list_bad.py": ("ValueError", "Dimensions must be equal, but are 4 and 8"),
    # The gate's Conv2D made in the function of a Lambda layer, which tracks no variable.
    "rl111_lambda_bad.py": ("ValueError", "Variables were created within a Lambda layer"),
    # One Adam for the classifier and a real/fake model with a Dense head of its own.
    "rl124_weightless_head_bad.py": ("KeyError", "The optimizer cannot recognize variable"),
    # The constructor's default Adam, made once at the `def`, held by both emulators.
    "rl124_default_bad.py": ("KeyError", "The optimizer cannot recognize variable"),
    # The trainer an `if`/`elif` chain picked makes its Adam, pre-trains the autoencoder with
    # it, then steps it on a clustering layer whose centres `build` made by `add_weight`.
    "rl124_trainer_pick_bad.py": ("KeyError", "The optimizer cannot recognize variable clustering/clusters:0"),
    # The architecture an `if`/`elif` chain picked hands its encoder and decoder to the trainer,
    # whose Adam, pre-trained on them, then meets the clustering layer's centres.
    "rl124_architecture_pick_bad.py": ("KeyError", "The optimizer cannot recognize variable clustering/clusters:0"),
    # A callback compiles the model again inside `fit`: the train function `fit` calls is gone.
    "rl126_callback_bad.py": ("TypeError", "'NoneType' object is not callable"),
}


def _expected(path: Path) -> set[tuple[int, str]]:
    return {
        (i, m.group(1))
        for i, line in enumerate(path.read_text().splitlines(), 1)
        if (m := EXPECT.search(line))
    }


def _findings(path: Path) -> set[tuple[int, str]]:
    return {(d.line, d.code) for d in lint_source(path.read_bytes(), str(path))}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_fixture_fails_in_tensorflow_as_the_rule_says(name, rule_fixtures_built):
    error = rule_fixtures_built[name]["error"]
    assert error is not None, f"{name} built without error"
    kind, words = BAD[name]
    assert error["type"] == kind
    assert words in error["message"]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*_bad.py")))
def test_bad_fixture_findings_are_exactly_the_marked_lines(name):
    path = FIXTURES / name
    assert _expected(path), f"{name} marks no expected finding"
    assert _findings(path) == _expected(path)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*_good.py")))
def test_good_fixture_builds_and_is_clean(name, rule_fixtures_built):
    assert rule_fixtures_built[name]["error"] is None, rule_fixtures_built[name]["error"]
    assert _findings(FIXTURES / name) == set()


def test_every_bad_fixture_has_a_good_twin_and_a_tensorflow_verdict():
    bad = {p.name for p in FIXTURES.glob("*_bad.py")}
    assert {n.replace("_bad", "_good") for n in bad} <= {p.name for p in FIXTURES.glob("*_good.py")}
    assert bad <= set(BAD) | set(SILENT), "every bad fixture needs TensorFlow's verdict in this file"


def _d(*names: str) -> list[str]:
    return sorted(f"{n}:0" for n in names)


def _dense(scope: str, *layers: str) -> list[str]:
    return _d(*(f"{scope}/{layer}/{v}" for layer in layers for v in ("kernel", "bias")))


def _keras(*layers: str) -> list[str]:
    """The kernels and biases of named Keras layers (TF 1 Keras names them by layer only)."""
    return _d(*(f"{layer}/{v}" for layer in layers for v in ("kernel", "bias")))


def _layer_kernels(built: dict, layer: str) -> list[str]:
    """The kernels a layer named `layer` made (`projection/proj/kernel:0`), its optimizer's
    slots (`SGD/m/...`) left out."""
    return [n for n in built["created"] if n.endswith(f"/{layer}/kernel:0") and not n.startswith("SGD/")]


def _kernels(built: dict) -> list[str]:
    """The layers' kernels a script made, without its optimizer's slots for them."""
    return [n for n in built["created"] if n.endswith("kernel:0") and not n.lower().startswith("adam")]


def _gammas(built: dict) -> list[str]:
    """The normalization gammas a script made, without its optimizer's slots for them."""
    return [n for n in built["created"] if n.endswith("gamma:0") and not n.lower().startswith("adam")]


# Silent bugs: nothing fails, and TensorFlow's own bookkeeping shows the damage.
SILENT = {
    # Two discriminators: discriminator/ and a silent copy discriminator_1/.
    "rl105_bad.py": lambda b: sorted(b["created"]) == _dense("discriminator", "dense", "dense_1") + _dense("discriminator_1", "dense", "dense_1"),
    # Keras builds new Dense weights on each call: four layers for a two-layer network.
    "rl106_bad.py": lambda b: len([n for n in b["created"] if n.endswith("kernel:0")]) == 4,
    # A fresh Adam per step: three sets of moments (and step counts) for one kernel.
    "rl111_optimizer_bad.py": lambda b: b["created"].count("Adam/m/out/kernel:0") == 3
    and [n for n in b["created"] if n.endswith("iteration:0")] == ["iteration:0"] * 3,
    # One LayerNormalization for two places: one gamma and beta where the block needs two.
    "rl120_stack_bad.py": lambda b: len([n for n in b["created"] if n.endswith("gamma:0")]) == 1,
    "rl120_shortcut_bad.py": lambda b: len([n for n in b["created"] if n.endswith("gamma:0")]) == 1,
    # One block object whose `build` makes its sublayers, applied three times: one gamma.
    "rl120_build_bad.py": lambda b: len(_gammas(b)) == 1,
    # One projection applied twice in one direction: one kernel where the stack writes two.
    "rl120_modes_bad.py": lambda b: len(_layer_kernels(b, "proj")) == 1,
    # One block object for two stages: two conv kernels where the network needs three.
    # The combined model holds a second discriminator: d_out is built twice.
    "rl106_gan_bad.py": lambda b: b["created"].count("d_out/kernel:0") == 2,
    # The discriminator's two calls (fake, real) each make its two Dense layers: four kernels.
    "rl111_eager_bad.py": lambda b: len([n for n in b["created"] if n.startswith("discriminator/") and n.endswith("kernel:0")]) == 4,
    # The discriminator's step also trains the auxiliary classifier disc_aux/.
    "rl108_bad.py": lambda b: b["steps"]["d_step"] == _dense("disc", "dense", "dense_1") + _dense("disc_aux", "dense"),
    # Networks from a config's builder: the target list is training/'s, copied onto itself.
    "rl108_builder_target_bad.py": lambda b: b["lists"]["target_variables"] == b["lists"]["training_variables"]
    and all(n.startswith("training/") for n in b["lists"]["target_variables"]),
    # The "target" list is the online network's: the sync copies online onto itself.
    "rl108_target_bad.py": lambda b: b["lists"]["target_vars"] == b["lists"]["online_vars"]
    and all(n.startswith("online/") for n in b["lists"]["target_vars"]),
    # The critic's step also moves the actor.
    "rl109_ddpg_bad.py": lambda b: b["steps"]["critic_step"] == _dense("actor", "dense") + _dense("critic", "dense"),
    # The generator's step also changes every discriminator variable.
    "rl109_bad.py": lambda b: b["steps"]["g_step"] == _dense("discriminator", "dense", "dense_1") + _dense("generator", "dense", "dense_1"),
    # The same through a loss grown by `+=` and an optimizer a helper picks by name.
    "rl109_extended_loss_bad.py": lambda b: b["steps"]["g_step"]
    == _dense("discriminator", "dense", "dense_1") + _dense("generator", "dense", "dense_1"),
    # tf.Variable under reuse: two variables, one per call.
    "rl113_bad.py": lambda b: b["created"] == ["discriminator/Variable:0", "discriminator_1/Variable:0"],
    # No step trains the discriminator's batch-norm scale and offset.
    "rl114_bad.py": lambda b: {"discriminator/bn1/gamma:0", "discriminator/bn1/beta:0"}.isdisjoint(
        set().union(*b["steps"].values())) and "discriminator/bn1/gamma:0" in b["trainable"],
    # The same, after a run folder named by a compiled pattern and a timestamp.
    "rl114_setup_calls_bad.py": lambda b: {"discriminator/bn1/gamma:0", "discriminator/bn1/beta:0"}.isdisjoint(
        set().union(*b["steps"].values())) and "discriminator/bn1/gamma:0" in b["trainable"],
    # The generator's batch norm, left out of the list a loop fills by name, never moves.
    "rl114_append_loop_bad.py": lambda b: {"generator/bn0/gamma:0", "generator/bn0/beta:0"} <= set(b["trainable"])
    and {"generator/bn0/gamma:0", "generator/bn0/beta:0"}.isdisjoint(set().union(*b["steps"].values())),
    # The discriminator copy built under fake_loss/ is trainable and in no step's list.
    "rl114_outer_scopes_bad.py": lambda b: set(_dense("fake_loss/Discriminator", "h", "out")) <= set(b["trainable"])
    and set(_dense("fake_loss/Discriminator", "h", "out")).isdisjoint(set().union(*b["steps"].values())),
    # The recurrent weights tf.while_loop's body makes are trainable and in no step's list.
    "rl114_while_body_bad.py": lambda b: {"rnn_w:0", "rnn_b:0"} <= set(b["trainable"])
    and {"rnn_w:0", "rnn_b:0"}.isdisjoint(set().union(*b["steps"].values())),
    # TF2: a step trains the generator and the discriminator; the encoder the generator's
    # loss flows through keeps its initial weights.
    "rl114_tape_bad.py": lambda b: {"enc_h/kernel:0", "enc_h/bias:0"} <= set(b["unchanged"])
    and {"gen_out/kernel:0", "disc_out/kernel:0"} <= set(b["changed"]),
    # TF2: the decoder's tape alone is stepped; the encoder its loss flows through never moves.
    "rl114_two_tapes_bad.py": lambda b: {"enc_h/kernel:0", "enc_h/bias:0"} <= set(b["unchanged"])
    and "dec_out/kernel:0" in b["changed"],
    # TF2, tf_keras: the discriminator frozen for the combined model, its hand-written step
    # takes an empty list and applies nothing; the combined model's step trains the generator.
    "rl114_frozen_bad.py": lambda b: {"d_hidden/kernel:0", "d_out/kernel:0"} <= set(b["unchanged"])
    and "g_out/kernel:0" in b["changed"],
    # TF2, Keras 3: the head trains, the encoder under it keeps its initial weights.
    "rl114_keras3_bad.py": lambda b: {"enc_dense/kernel:0", "enc_dense/bias:0"} <= set(b["unchanged"])
    and "head_dense/kernel:0" in b["changed"],
    # TF2: the encoder overrides `__call__`; its step's gradients are the generator's alone,
    # zipped with the generator's and the encoder's variables: the encoder never moves.
    "rl114_own_call_bad.py": lambda b: {"enc_h/kernel:0", "enc_out/kernel:0"} <= set(b["unchanged"])
    and {"gen_out/kernel:0", "disc_out/kernel:0"} <= set(b["changed"]),
    # TF2: a pretrainer's train_step over the wrapped model's weights: its heads never move.
    "rl114_own_step_bad.py": lambda b: {"proj_out/kernel:0", "rec_out/kernel:0"} <= set(b["unchanged"])
    and "enc_h/kernel:0" in b["changed"],
    # TF2: the projection head on the listed encoder's output is in no list: it never moves.
    "rl114_head_bad.py": lambda b: {"proj_h/kernel:0", "proj_out/kernel:0"} <= set(b["unchanged"])
    and "enc_h/kernel:0" in b["changed"],
    # TF2: the generator's step alone also moves the discriminator.
    "rl109_tape_bad.py": lambda b: {"disc_out/kernel:0", "disc_out/bias:0", "gen_out/kernel:0"} <= set(b["changed"]),
    # TF2: the critic and the actor train; their shared encoder never does.
    # A margin head of the project's own (`add_weight` in `build`) is in no list.
    "rl114_weighted_head_bad.py": lambda b: _ends(b["unchanged"], "margin/centres:0") and _ends(b["changed"], "embed/kernel:0"),
    # The encoder a setting picked in `__init__` (one of two widths) is in no list.
    "rl114_config_branch_bad.py": lambda b: _ends(b["unchanged"], "encoder/enc_fc/kernel:0", "encoder/enc_fc/bias:0")
    and _ends(b["changed"], "decoder/dec_out/kernel:0"),
    "rl114_critic_bad.py": lambda b: {"encoder/enc_fc/kernel:0", "encoder/enc_fc/bias:0"} <= set(b["unchanged"])
    and {"critic/critic_q/kernel:0", "actor/actor_out/kernel:0"} <= set(b["changed"]),
    # TF2, SAC-AE: the critic step moves both Q networks and leaves the encoder their loss
    # flows through unchanged (its autoencoder step is the only one that trains it).
    "rl114_shared_bad.py": lambda b: {"encoder_fc/kernel:0", "encoder_fc/bias:0"} <= set(b["unchanged"])
    and {"qf1_fc/kernel:0", "qf2_fc/kernel:0"} <= set(b["changed"]),
    # TF2, staged training: the supervisor phase moves the supervisor and leaves the embedder
    # its loss reaches only through the supervisor unchanged (its own phase trains it on
    # reconstruction alone).
    "rl114_staged_bad.py": lambda b: {"embedder_gru/gru_cell/kernel:0", "embedder_out/kernel:0"} <= set(b["unchanged"])
    and {"supervisor_gru/gru_cell/kernel:0", "supervisor_out/kernel:0"} <= set(b["changed"]),
    # TF2: the generator's step is taken over the discriminator's variables: the generator
    # never moves, the discriminator does.
    "rl114_wrong_model_bad.py": lambda b: {"gen_out/kernel:0", "gen_out/bias:0"} <= set(b["unchanged"])
    and "disc_out/kernel:0" in b["changed"],
    # TF2, the same step run only through `strategy.run` (a MirroredStrategy on the CPU):
    # the generator never moves, the discriminator does. Keras 3 agrees (checked by hand with
    # the models built under the strategy's scope; tf_build sees no step of it there).
    # TF2: a list display of starred model lists that leaves the encoder out: it never moves.
    "rl114_starred_list_bad.py": lambda b: {"enc_h/kernel:0", "enc_h/bias:0"} <= set(b["unchanged"])
    and {"dec_out/kernel:0", "head_out/kernel:0"} <= set(b["changed"]),
    "rl114_strategy_run_bad.py": lambda b: {"gen_out/kernel:0", "gen_out/bias:0"} <= set(b["unchanged"])
    and "disc_out/kernel:0" in b["changed"],
    # Hand-built steps (compute_gradients, clipped pairs): no step trains bn1.
    "rl114_clipped_gan_bad.py": lambda b: {"discriminator/bn1/gamma:0", "discriminator/bn1/beta:0"} <= set(b["trainable"])
    and {"discriminator/bn1/gamma:0", "discriminator/bn1/beta:0"}.isdisjoint(set().union(*b["steps"].values())),
    # Hand-built steps (tf.gradients, clip_by_global_norm): the embedding and the output
    # projection keep their initial values while both halves train.
    "rl114_seq2seq_bad.py": lambda b: {"seq2seq/embedding:0", "seq2seq/output_projection/kernel:0"}.isdisjoint(set().union(*b["steps"].values()))
    and "seq2seq/encoder/dense/kernel:0" in b["steps"]["enc_step"] and "seq2seq/decoder/dense/kernel:0" in b["steps"]["dec_step"],
    # TRPO's steps by hand (flat tf.gradients, assign ops): logstd is in neither.
    "rl114_flat_grad_bad.py": lambda b: "pi/logstd:0" in b["trainable"]
    and "pi/logstd:0" not in set().union(*b["steps"].values()) and len(b["steps"]["pol_step"]) == 6,
    # The one hand-built step on a loss that adds the auxiliary head's: the head never moves,
    # the layers under it and after it do.
    "rl114_aux_head_bad.py": lambda b: "child/aux_head/w:0" in b["trainable"]
    and "child/aux_head/w:0" not in b["steps"]["train_step"]
    and {"child/layer_0/w:0", "child/layer_3/w:0", "child/fc/w:0"} <= set(b["steps"]["train_step"]),
    # The same step, its gradients clipped one by one in a loop: the head never moves; the
    # hand-written batch norm's moving-average update makes only non-trainable variables.
    "rl114_clip_loop_bad.py": lambda b: "child/aux_head/w:0" in b["trainable"]
    and "child/aux_head/w:0" not in b["steps"]["train_step"]
    and {"child/layer_0/w:0", "child/layer_0/bn/scale:0", "child/fc/w:0"} <= set(b["steps"]["train_step"])
    and "child/layer_0/bn/child/layer_0/bn/moving_mean/biased:0" in set(b["created"]) - set(b["trainable"]),
    # The same step through an optimizer picked by name and wrapped by SyncReplicasOptimizer
    # when a setting asks (off here; on, the Momentum slots leave the head out all the same).
    "rl114_wrapped_optimizer_bad.py": lambda b: "child/aux_head/w:0" in b["trainable"]
    and "child/aux_head/w:0" not in b["steps"]["train_step"]
    and {"child/layer_0/w:0", "child/layer_3/w:0", "child/fc/w:0"} <= set(b["steps"]["train_step"]),
    # The discriminator's hand-built step over every variable also moves the generator.
    "rl108_gradients_bad.py": lambda b: b["steps"]["d_step"] == _dense("discriminator", "dense", "dense_1") + _dense("generator", "dense", "dense_1"),
    # Models built by plain functions: no step trains the generator's batch norm bn1.
    "rl114_function_bad.py": lambda b: {"bn1/gamma:0", "bn1/beta:0"} <= set(b["trainable"])
    and {"bn1/gamma:0", "bn1/beta:0"}.isdisjoint(set().union(*b["steps"].values())),
    # Network objects keeping "every trainable variable so far": the discriminators' step
    # also changes both generators.
    "rl108_object_lists_bad.py": lambda b: {"G/out/kernel:0", "F/out/kernel:0"} <= set(b["steps"]["d_step"]),
    # The scope opened outside the VAE's graph: the loop by its prefix collects nothing.
    "rl114_empty_filter_bad.py": lambda b: b["lists"]["model_vars"] == [] and len(b["lists"]["all_vars"]) == 6,
    # Workers built by a loop: worker_1's list also takes worker_10/ and worker_11/.
    "rl108_workers_bad.py": lambda b: len(b["lists"]["worker1_vars"]) == 12
    and {n.split("/")[0] for n in b["lists"]["worker1_vars"]} == {"worker_1", "worker_10", "worker_11"},
    # The combined model's step also changes the discriminator's weights.
    "rl119_bad.py": lambda b: b["keras_steps"]["combined"] == _keras("d_hidden", "d_out", "g_hidden", "g_out"),
    # The same with a combined model of two outputs (the verdict and the generated sample).
    "rl119_outputs_bad.py": lambda b: b["keras_steps"]["combined"] == _keras("d_hidden", "d_out", "g_hidden", "g_out"),
    # The validation forward under the root reuse: a second set of hidden weights, forward_1/.
    "rl113_append_layers_bad.py": lambda b: sorted(n for n in b["created"] if "fully_weight" in n) == _d(
        "forward/fully_weight_0", "forward/fully_weight_1", "forward_1/fully_weight_0", "forward_1/fully_weight_1"),
    # The face-swap encoder built for each face: a second set of weights, encoder_1/.
    "rl113_encoder_twice_bad.py": lambda b: sorted(n for n in b["created"] if n.startswith("encoder")) == _d(
        "encoder/Variable", "encoder/Variable_1", "encoder_1/Variable", "encoder_1/Variable_1"),
    # Each critic's own graph: its weights at the root, and the evaluation critic, built
    # with reuse=True, shares none of the training critic's.
    "rl116_private_graph_bad.py": lambda b: b["lists"]["critic_vars"] == [
        "hidden/kernel:0", "hidden/bias:0", "value/kernel:0", "value/bias:0"] and b["lists"]["shared"] == [],
    # The new graph ignores the scope: the filter by model/ selects nothing.
    "rl116_bad.py": lambda b: b["lists"]["model_vars"] == [],
    # Three stacked LSTM layers, one set of weights: TensorFlow makes cell_0's variables only.
    "rl117_helper_bad.py": lambda b: sorted(b["created"]) == _d(
        "rnn/rnn/multi_rnn_cell/cell_0/lstm_cell/bias", "rnn/rnn/multi_rnn_cell/cell_0/lstm_cell/kernel"),
    # The decoder runs on the encoder's weights, the backward direction on the forward's.
    "rl117_runners_bad.py": lambda b: not any(n.startswith(("decoder/", "bidirectional_rnn/bw/")) for n in b["created"])
    and any(n.startswith("encoder/") for n in b["created"]) and any(n.startswith("bidirectional_rnn/fw/") for n in b["created"]),
    # TF2: the overwritten first layer keeps its initial weights; the layers after it train.
    # TF2: the kernels scaled once in `build` never train (only the biases move).
    # `import keras` is Keras 3 under either setting of TF_USE_LEGACY_KERAS: the bare
    # bandwidth is in no list, and the step moves the projection alone.
    "rl128_bad.py": lambda b: b["error"] is None and _ends(b["unchanged"], "log_sigma:0")
    and _ends(b["changed"], "kernel:0", "bias:0"),
    "rl127_bad.py": lambda b: b["error"] is None and {"g_hidden/kernel:0", "g_out/kernel:0"} <= set(b["unchanged"])
    and {"g_hidden/bias:0", "g_out/bias:0"} <= set(b["changed"]),
    "rl123_bad.py": lambda b: {n.split("/", 1)[1] for n in b["unchanged"] if n.count("/") == 2} == {"gen_in/kernel:0", "gen_in/bias:0"}
    and {"gen_mid/kernel:0", "gen_out/kernel:0"} <= {n.split("/", 1)[1] for n in b["changed"] if "/" in n},
    # One zip over the actor's four-variable lists and the critic's five: the soft update
    # moves the critic's target kernels but never its output bias.
    "rl125_bad.py": lambda b: "Critic/target/dense/kernel:0" in b["steps"]["update_step"]
    and "Critic/target/dense/bias:0" not in b["steps"]["update_step"],
    # TF2, tf_keras: the convolutions frozen after `compile` train in `fit` all the same.
    "rl126_bad.py": lambda b: {"conv1/kernel:0", "conv2/kernel:0", "head/kernel:0"} <= set(b["changed"]),
    # TF2: the base unfrozen after the first fit, with no new compile, never trains.
    "rl126_unfreeze_bad.py": lambda b: {"base_hidden/kernel:0", "base_hidden/bias:0"} <= set(b["unchanged"])
    and "top/kernel:0" in b["changed"],
    # A fresh proj/kernel beside the layer's proj/dense/kernel.
    "rl118_bad.py": lambda b: sorted(b["created"]) == _d("proj/dense/kernel", "proj/dense/bias", "proj/kernel"),
}

# What the good twin shows instead, where the bad one was silent.
GOOD_SHOWS = {
    "rl125_good.py": lambda b: {"Critic/target/dense/kernel:0", "Critic/target/dense/bias:0"} <= set(b["steps"]["update_step"]),
    # Round 19 (zchen0211): the object's kernel and the norm's offset, each made once.
    "rl103_unused_flag_good.py": lambda b: sorted(b["created"]) == _d("kernel", "enc1/norm/offset"),
    "rl105_good.py": lambda b: sorted(n for n in b["created"] if n.startswith("discriminator")) == _dense("discriminator", "dense", "dense_1"),
    "rl111_eager_good.py": lambda b: len([n for n in b["created"] if n.startswith("discriminator") and n.endswith("kernel:0") and "Adam" not in n]) == 2,
    "rl106_good.py": lambda b: len([n for n in b["created"] if n.endswith("kernel:0")]) == 2,
    "rl106_gan_good.py": lambda b: b["created"].count("d_out/kernel:0") == 1,
    # Round 9: TF 1's layer class honours the AUTO_REUSE scope: one G/fc and one G/out.
    "rl106_legacy_good.py": lambda b: sorted(b["created"]) == _dense("G", "fc", "out"),
    "rl120_stack_good.py": lambda b: len([n for n in b["created"] if n.endswith("gamma:0")]) == 2,
    "rl120_shortcut_good.py": lambda b: len([n for n in b["created"] if n.endswith("gamma:0")]) == 2,
    "rl120_build_good.py": lambda b: len(_gammas(b)) == 3,
    # One Adam for the loop: one set of moments for the kernel.
    "rl111_optimizer_good.py": lambda b: b["created"].count("Adam/m/out/kernel:0") == 1,
    # Round 8 (TF2): each of the two blocks has its own expand and projection batch norm.
    "unseen_tf2_good.py": lambda b: sorted(n for n in b["created"] if n.endswith("gamma:0")) == _d(
        "block0_expand_bn/gamma", "block0_project_bn/gamma", "block1_expand_bn/gamma", "block1_project_bn/gamma"),
    # Two batch norms in the stem, one layer norm shared by the siamese towers.
    "rl120_good.py": lambda b: len([n for n in b["created"] if n.endswith("gamma:0")]) == 3,
    # One batch norm per conv of the list, and the one layer norm of the tied block.
    "rl120_loop_good.py": lambda b: len([n for n in b["created"] if n.endswith("gamma:0")]) == 3,
    # One batch norm per appended conv.
    "rl120_append_loop_good.py": lambda b: len([n for n in b["created"] if n.endswith("gamma:0")]) == 2,
    "rl108_good.py": lambda b: b["steps"]["d_step"] == _dense("disc", "dense", "dense_1"),
    "rl109_good.py": lambda b: b["steps"]["g_step"] == _dense("generator", "dense", "dense_1")
    and b["steps"]["q_step"] == _dense("online", "dense"),
    "rl109_extended_loss_good.py": lambda b: b["steps"]["g_step"] == _dense("generator", "dense", "dense_1"),
    "rl113_good.py": lambda b: b["created"] == ["discriminator/w:0"],
    # One GRU for both questions under encoder/, and the context's own under context/.
    # The LSTM cell called step by step makes its weights once, on its first call (under
    # encoder/); the output layer, out of the decoder's scope, is made at the root.
    "rl112_cell_loop_good.py": lambda b: sorted(n for n in b["created"] if "Adam" not in n and not n.startswith("beta"))
    == _d("encoder/lstm_cell/kernel", "encoder/lstm_cell/bias", "fully_connected/weights", "fully_connected/biases"),
    "rl101_rnn_encoder_good.py": lambda b: sorted(b["created"]) == sorted(
        ["embeddings:0"] + _d(*(f"{s}/gru_cell/{p}/{v}" for s in ("encoder/rnn", "context")
                                for p in ("gates", "candidate") for v in ("kernel", "bias")))),
    # Three grouped convolutions of one stack, three kernels of three shapes.
    "rl105_split_layers_good.py": lambda b: sorted(n for n in b["created"] if n.startswith("split_conv"))
    == _d("split_conv/kernel", "split_conv/bias", "split_conv_1/kernel", "split_conv_1/bias",
          "split_conv_2/kernel", "split_conv_2/bias"),
    # One decoder embedding: the mode's two tests exclude each other.
    "rl101_mode_attr_good.py": lambda b: "decoder/tgt_embedding:0" in b["created"]
    and b["created"].count("decoder/tgt_embedding:0") == 1,
    # The loops that reuse once their list holds an output: one set of weights each.
    "rl101_filled_list_good.py": lambda b: sorted(b["created"]) == sorted(
        _d("g_rnn/w_x", "g_rnn/w_h") + _dense("d_net", "d_hidden", "d_logit")),
    # One set of weights per shared network, and each step trains its own model only.
    "real_patterns_good.py": lambda b: [n for n in b["created"] if n.startswith(("encoder/", "head/", "tower_fc/", "decoder/"))]
    == ["encoder/proj/kernel:0", "encoder/proj/bias:0", "tower_fc/kernel:0", "tower_fc/bias:0", "head/out/kernel:0", "head/out/bias:0",
        "decoder/Linear/Matrix:0", "decoder/attention/Linear/Matrix:0"]
    and b["steps"] == {"actor_step": _dense("actor", "dense"), "critic_step": _d("critic/q/bias", "critic/q/kernel"),
                       "dqn_step": _dense("online", "dense")},
    # One variable per shared weight: one model/out, one rnn/w (a state buffer per call),
    # one generator/g_w and lm/softmax_w, no weights for a model cut out of another, and one
    # scope per template module.
    "issue16_patterns_good.py": lambda b: [n.replace(":0", "") for n in b["created"] if "Adam" not in n and "_power" not in n] == [
        "model/out/kernel", "model/out/bias", "rnn/state", "rnn/w", "rnn_1/state", "generator/g_w", "generator/dense/kernel", "generator/dense/bias", "lm/softmax_w",
        "block1_conv1/kernel", "block1_conv1/bias", "block1_conv2/kernel", "block1_conv2/bias",
        "encoder/proj/kernel", "encoder/proj/bias", "encoder_1/proj/kernel", "encoder_1/proj/bias"],
    "rl108_object_lists_good.py": lambda b: b["steps"]["d_step"] == _dense("D_X", "hidden", "out") + _dense("D_Y", "hidden", "out")
    and b["steps"]["g_step"] == _dense("F", "hidden", "out") + _dense("G", "hidden", "out"),
    "rl108_target_good.py": lambda b: all(n.startswith("target/") for n in b["lists"]["target_vars"]),
    # Round 10: AC-GAN's class step trains every network, D's step only D.
    "rl108_acgan_good.py": lambda b: b["steps"]["d_step"] == _dense("discriminator", "features", "logit")
    and {n.split("/")[0] for n in b["steps"]["aux_step"]} == {"classifier", "discriminator", "generator"},
    # Round 10: the second build found the first one's slots: one Adam pair per weight,
    # one moving average per variable.
    "rl107_rebuilt_model_good.py": lambda b: len([n for n in b["created"] if "/Adam" in n]) == 6
    and not any("Adam_2" in n for n in b["created"]),
    # Round 13: the guard `if not tf.get_variable_scope().reuse:` keeps the shared call
    # from averaging again: one shadow per batch moment, from the first call.
    # Only the first call's averages: the shared call makes none.
    "rl102_average_good.py": lambda b: sorted(n for n in b["created"] if "ExponentialMovingAverage" in n)
    == _d("disc/d_bn/disc/d_bn/moments/Squeeze/ExponentialMovingAverage",
          "disc/d_bn/disc/d_bn/moments/Squeeze_1/ExponentialMovingAverage"),
    # slim runs each normalizer in its layer's scope: the project norm's averages from the
    # first call only, and the library norm of `d_fc` made once, looked up by the shared call.
    "rl102_slim_normalizer_good.py": lambda b: sorted(n for n in b["created"] if "ExponentialMovingAverage" in n or "BatchNorm" in n)
    == _d(*(f"discriminator/{c}/d_bn/discriminator/{c}/d_bn/moments/{m}/ExponentialMovingAverage"
            for c in ("d_conv1", "d_conv2") for m in ("Squeeze", "Squeeze_1")),
          "discriminator/d_fc/BatchNorm/beta", "discriminator/d_fc/BatchNorm/moving_mean",
          "discriminator/d_fc/BatchNorm/moving_variance"),
    "rl107_guarded_average_good.py": lambda b: sorted(n for n in b["created"] if "ExponentialMovingAverage" in n)
    == _d("critic/d_norm/critic/d_norm/moments/Squeeze/ExponentialMovingAverage",
          "critic/d_norm/critic/d_norm/moments/Squeeze_1/ExponentialMovingAverage"),
    # A second `apply` of one average object on the variables it averages makes nothing.
    "rl107_reapplied_average_good.py": lambda b: sorted(n for n in b["created"] if "ExponentialMovingAverage" in n)
    == _d("d_b/ExponentialMovingAverage", "d_w/ExponentialMovingAverage"),
    "rl107_tower_average_good.py": lambda b: sorted(n for n in b["created"] if "ExponentialMovingAverage" in n)
    == _d("dense_block/b/ExponentialMovingAverage", "dense_block/w/ExponentialMovingAverage"),
    "rl108_builder_target_good.py": lambda b: sorted(n.split("/", 1)[1] for n in b["lists"]["target_variables"])
    == sorted(n.split("/", 1)[1] for n in b["lists"]["training_variables"])
    and all(n.startswith("target/") for n in b["lists"]["target_variables"]),
    "rl114_select_before_build_good.py": lambda b: b["lists"]["para_ts"] == ["fc_e:0"] and b["lists"]["para_rec"] == ["fc_d:0"],
    # One set of clone weights; counters per model beside one shared softmax weight; one
    # highway shared by both calls.
    "unseen_tf1_good.py": lambda b: b["lists"]["clone_vars"] == ["net/fc/kernel:0", "net/fc/bias:0", "net/predict/weights:0"]
    and b["lists"]["monitor_vars"] == ["softmax/softmax_w:0", "training/loss_monitor/count:0", "training/loss_monitor/sum_mean_loss:0",
                                       "validation/loss_monitor/count:0", "validation/loss_monitor/sum_mean_loss:0"]
    and b["created"] == ["highway/input_projection/kernel:0", "highway/gate/kernel:0", "highway/activation/kernel:0"],
    "rl109_ddpg_good.py": lambda b: b["steps"]["critic_step"] == _dense("critic", "dense"),
    # An adversarial autoencoder: the reconstruction step moves encoder and decoder (as it
    # should), never the discriminator; the encoder's own step moves the encoder only.
    "rl109_aae_good.py": lambda b: b["steps"]["a_step"] == _d("Encoder/dense/kernel", "Encoder/dense/bias", "Decoder/dense/kernel", "Decoder/dense/bias")
    and b["steps"]["g_step"] == _dense("Encoder", "dense") and b["steps"]["d_step"] == _dense("Discriminator", "dense"),
    "rl114_good.py": lambda b: set(b["trainable"]) == set().union(*b["steps"].values()),
    "rl114_setup_calls_good.py": lambda b: set(b["trainable"]) == set().union(*b["steps"].values()),
    "rl114_outer_scopes_good.py": lambda b: set(b["trainable"]) == set().union(*b["steps"].values())
    and len(b["trainable"]) == 6,
    "rl114_append_loop_good.py": lambda b: "generator/g_bn0/gamma:0" in b["steps"]["g_step"]
    and set(b["trainable"]) == set().union(*b["steps"].values()),
    "rl114_tape_good.py": lambda b: {"enc_h/kernel:0", "gen_out/kernel:0", "disc_out/kernel:0"} <= set(b["changed"]),
    "rl114_own_call_good.py": lambda b: {"enc_h/kernel:0", "enc_out/kernel:0", "gen_out/kernel:0", "disc_out/kernel:0"}
    <= set(b["changed"]),
    "rl114_own_step_good.py": lambda b: {"enc_h/kernel:0", "proj_out/kernel:0", "rec_out/kernel:0"} <= set(b["changed"]),
    "rl114_head_good.py": lambda b: {"enc_h/kernel:0", "proj_h/kernel:0", "proj_out/kernel:0"} <= set(b["changed"]),
    "rl114_weighted_head_good.py": lambda b: _ends(b["changed"], "margin/centres:0", "embed/kernel:0"),
    "rl114_config_branch_good.py": lambda b: _ends(b["changed"], "encoder/enc_fc/kernel:0", "decoder/dec_out/kernel:0")
    and _ends(b["unchanged"], "frozen/enc_fc/kernel:0"),
    "rl114_critic_good.py": lambda b: {"encoder/enc_fc/kernel:0", "critic/critic_q/kernel:0", "actor/actor_out/kernel:0"} <= set(b["changed"]),
    # The critic step now shapes the encoder; the actor's and the BiGAN's steps train what they list.
    "rl114_shared_good.py": lambda b: {"encoder_fc/kernel:0", "qf1_fc/kernel:0", "qf2_fc/kernel:0", "actor_fc/kernel:0",
                                       "bigan_disc_fc/kernel:0", "bigan_gen_fc/kernel:0", "bigan_enc_fc/kernel:0"} <= set(b["changed"]),
    # TimeGAN's phases: the supervisor phase holds the embedder (its output is the target), the
    # embedder's phases train it, the last on the supervised loss too: every network the
    # losses reach moves.
    "rl114_staged_good.py": lambda b: {"embedder_gru/gru_cell/kernel:0", "embedder_out/kernel:0", "recovery_out/kernel:0",
                                       "supervisor_gru/gru_cell/kernel:0", "supervisor_out/kernel:0"} <= set(b["changed"]),
    "rl114_wrong_model_good.py": lambda b: {"gen_out/kernel:0", "disc_out/kernel:0"} <= set(b["changed"]),
    "rl114_starred_list_good.py": lambda b: {"enc_h/kernel:0", "dec_out/kernel:0", "head_out/kernel:0"} <= set(b["changed"]),
    "rl114_strategy_run_good.py": lambda b: {"gen_out/kernel:0", "disc_out/kernel:0"} <= set(b["changed"]),
    "rl114_keras3_good.py": lambda b: {"enc_dense/kernel:0", "head_dense/kernel:0"} <= set(b["changed"]),
    # Unfrozen around its own step: the discriminator trains, and so does the generator.
    "rl114_frozen_good.py": lambda b: {"d_hidden/kernel:0", "d_out/kernel:0", "g_out/kernel:0"} <= set(b["changed"]),
    # Two tapes, two optimizers, one reconstruction loss: the encoder and the decoder both move.
    "rl114_two_tapes_good.py": lambda b: {"enc_h/kernel:0", "enc_h/bias:0", "dec_out/kernel:0"} <= set(b["changed"]),
    "rl109_vaegan_good.py": lambda b: {"enc_out/kernel:0", "dec_out/kernel:0", "disc_out/kernel:0"} <= set(b["changed"]),
    "rl109_tape_good.py": lambda b: "gen_out/kernel:0" in b["changed"] and {"disc_out/kernel:0", "disc_out/bias:0"} <= set(b["unchanged"]),
    "rl108_tape_good.py": lambda b: {"gen_h/kernel:0", "gen_out/kernel:0"} <= set(b["changed"]),
    # Each model meant to train moves; the frozen backbone does not, the target follows by
    # polyak averaging.
    "tape_patterns_good.py": lambda b: {f"{m}_fc/kernel:0" for m in ("gan_gen", "gan_enc", "gan_disc", "q_online", "q_target", "head",
                                                                  "ae_enc", "ae_dec", "ae_pred", "ed_enc", "ed_dec")} <= set(b["changed"])
    and {"backbone_fc/kernel:0", "backbone_fc/bias:0"} <= set(b["unchanged"]),
    "rl114_clipped_gan_good.py": lambda b: "discriminator/d_bn1/gamma:0" in b["steps"]["d_step"],
    "rl114_seq2seq_good.py": lambda b: {"seq2seq/embedding:0", "seq2seq/output_projection/kernel:0"} <= set(b["steps"]["dec_step"]),
    "rl114_wrapped_optimizer_good.py": lambda b: set(b["trainable"]) == set(b["steps"]["train_step"]),
    "rl114_flat_grad_good.py": lambda b: "pi/pol/logstd:0" in b["steps"]["pol_step"]
    and set(b["trainable"]) == set().union(*b["steps"].values()),
    "rl108_gradients_good.py": lambda b: b["steps"]["d_step"] == _dense("discriminator", "dense", "dense_1"),
    "rl114_function_good.py": lambda b: set(b["trainable"]) == set().union(*b["steps"].values()),
    "rl122_good.py": lambda b: b["steps"]["train_step"] == _dense("decoder", "dense"),
    "rl114_keyed_saver_good.py": lambda b: b["lists"]["transfer_vars"] == [
        "seq_encoder/embedding:0", "seq_encoder/proj/kernel:0", "seq_encoder/proj/bias:0"],
    "rl114_empty_filter_good.py": lambda b: b["lists"]["model_vars"] == b["lists"]["all_vars"] and len(b["lists"]["all_vars"]) == 6,
    "rl108_workers_good.py": lambda b: sorted(b["lists"]["worker1_vars"]) == _dense("worker_1", "dense", "dense_1"),
    # get_variable under the root reuse: the validation forward reads the trained weights.
    "rl113_append_layers_good.py": lambda b: sorted(n for n in b["created"] if "fully_weight" in n) == _d(
        "forward/fully_weight_0", "forward/fully_weight_1"),
    # Built once, read by both decoders: one set of encoder weights.
    "rl113_encoder_twice_good.py": lambda b: sorted(n for n in b["created"] if n.startswith("encoder")) == _d(
        "encoder/Variable", "encoder/Variable_1"),
    # The lost conv_vae/ prefix is read by nothing: every parameter is listed, and the
    # filter by the graph's own inner scope finds the decoder.
    "rl116_private_graph_good.py": lambda b: len(b["lists"]["all_vars"]) == 6
    and b["lists"]["model_vars"] == ["decoder/dec_fc/kernel:0", "decoder/dec_fc/bias:0"],
    "rl116_good.py": lambda b: b["lists"]["model_vars"] == ["model/out/kernel:0", "model/out/bias:0"],
    # The inner loss mapped over the tasks is built once: theta/ exists when the list is read
    # after the mapping, and the meta-step trains all of it.
    "rl114_mapped_good.py": lambda b: b["lists"]["theta_vars"] == ["theta/w:0", "theta/b:0"]
    and b["steps"]["meta_step"] == _d("theta/b", "theta/w"),
    # The Sequential made in `call` adds no weights: seven kernels (four of the attention, the
    # two feed-forward layers', the classifier's) over fit's traces of two epochs.
    "rl111_sequential_good.py": lambda b: len(_kernels(b)) == 7,
    # The kept decoder's own gradients: the decoder moves, the encoder stays as fine-tuning means.
    "rl114_part_list_good.py": lambda b: {"decoder/kernel:0", "decoder/bias:0"} <= set(b["changed"])
    and {"encoder/kernel:0", "encoder/bias:0"} <= set(b["unchanged"]),
    # Both steps train their own model; the detached teacher stays as it was.
    "rl114_crossed_good.py": lambda b: {"student_out/kernel:0", "disc_out/kernel:0"} <= set(b["changed"])
    and {"teacher_out/kernel:0", "teacher_out/bias:0"} <= set(b["unchanged"]),
    # The same with the teachers of another project: the student and the discriminator move,
    # the teacher generator does not.
    "rl114_foreign_good.py": lambda b: {"student_out/kernel:0", "teacher_discriminator/disc_out/kernel:0"} <= set(b["changed"])
    and {"teacher_generator/teacher_out/kernel:0", "teacher_generator/teacher_out/bias:0"} <= set(b["unchanged"]),
    # The model owns the gate's kernel with the two others, and fit trains all three.
    "rl111_lambda_good.py": lambda b: sorted(_kernels(b)) == _d("features/kernel", "gate/kernel", "head/kernel")
    and set(_kernels(b)) <= set(b["changed"]),
    # The generator's recurrent weights, made when tf.while_loop builds its body, carry g_:
    # the generator's step trains them with its projections; the discriminator's, its own.
    "rl114_while_body_good.py": lambda b: b["steps"]["g_step"] == sorted(_d("g_rnn_w", "g_rnn_b") + _keras("g_init", "g_out"))
    and b["steps"]["d_step"] == _keras("d_hidden", "d_out"),
    # The classifier's and the real/fake model's steps move the shared body's two kernels,
    # nothing else (the generator is never trained here).
    "rl124_weightless_head_good.py": lambda b: len([n for n in b["changed"] if n.endswith("kernel:0")]) == 2,
    "rl117_wrapped_good.py": lambda b: {n.split("/")[2] for n in b["created"]} == {"cell_0", "cell_1"},
    # Each of the project's stacks has a kernel of its own for each layer.
    "rl117_subclass_good.py": lambda b: sorted(b["created"]) == _d(*(
        f"{scope}/rnn/{stack}/cell_{i}/lstm_cell/{v}" for scope, stack in (("decoder", "tuple_stack"), ("encoder", "stacked_cell"))
        for i in (0, 1) for v in ("bias", "kernel"))),
    "rl117_residual_good.py": lambda b: sorted(b["created"]) == _d(*(
        f"decoder/rnn/residual_stack/cell_{i}/lstm_cell/{v}" for i in (0, 1) for v in ("bias", "kernel"))),
    "rl117_helper_good.py": lambda b: {n.split("/")[3] for n in b["created"]} == {"cell_0", "cell_1", "cell_2"},
    "rl117_runners_good.py": lambda b: any(n.startswith("decoder/") for n in b["created"])
    and any(n.startswith("bidirectional_rnn/bw/") for n in b["created"]),
    # One encoder over two inputs: one forward and one backward set, made by the first run.
    "rl117_one_encoder_good.py": lambda b: sorted(b["created"]) == _d(*(
        f"context_rnn/bidirectional_rnn/{d}/lstm_cell/{v}" for d in ("bw", "fw") for v in ("bias", "kernel"))),
    # The stack is never run: only the single cell's weights, no multi_rnn_cell scope.
    "rl117_unused_stack_good.py": lambda b: sorted(b["created"]) == _d("rnn/basic_lstm_cell/bias", "rnn/basic_lstm_cell/kernel"),
    "rl123_good.py": lambda b: {"gen_in/kernel:0", "gen_mid/kernel:0", "gen_out/kernel:0"}
    <= {n.split("/", 1)[1] for n in b["changed"] if "/" in n},
    "rl118_good.py": lambda b: sorted(b["created"]) == _d("proj/dense/kernel", "proj/dense/bias"),
    # Frozen before `compile`: only the head trains.
    "rl126_good.py": lambda b: {"conv1/kernel:0", "conv2/kernel:0"} <= set(b["unchanged"]) and "head/kernel:0" in b["changed"],
    "rl126_unfreeze_good.py": lambda b: {"base_hidden/kernel:0", "base_hidden/bias:0"} <= set(b["changed"]),
    "rl126_callback_good.py": lambda b: {"base_hidden/kernel:0", "top/kernel:0"} <= set(b["changed"]),
    "rl127_good.py": lambda b: {"g_hidden/kernel:0", "g_out/kernel:0", "g_hidden/bias:0", "g_out/bias:0"} <= set(b["changed"]),
    "rl128_good.py": lambda b: b["error"] is None and _ends(b["changed"], "log_sigma:0", "kernel:0"),
    "rl119_good.py": lambda b: b["keras_steps"]["combined"] == _keras("g_hidden", "g_out")
    and b["keras_steps"]["discriminator"] == _keras("d_hidden", "d_out"),
    "rl119_outputs_good.py": lambda b: b["keras_steps"]["combined"] == _keras("g_hidden", "g_out")
    and b["keras_steps"]["discriminator"] == _keras("d_hidden", "d_out"),
    "rl120_dense_good.py": lambda b: len([n for n in b["created"] if n.endswith("kernel:0")]) == 3,
    # One kernel encodes and (transposed) decodes, and a step trains it.
    "rl120_modes_good.py": lambda b: len(_layer_kernels(b, "proj")) == 1 and set(_layer_kernels(b, "proj")) <= set(b["changed"]),
    # The layer applied again in the overwrite trains: both its variables change.
    "rl123_reapplied_good.py": lambda b: {"attention/att_proj/kernel:0", "attention/att_proj/bias:0"} <= set(b["changed"]),
}


@pytest.mark.parametrize("name", sorted(SILENT))
def test_silent_bad_fixture_builds_and_shows_the_damage(name, rule_fixtures_built):
    built = rule_fixtures_built[name]
    assert built["error"] is None, built["error"]
    assert SILENT[name](built), built


@pytest.mark.parametrize("name", sorted(GOOD_SHOWS))
def test_good_twin_shows_the_repair(name, rule_fixtures_built):
    assert GOOD_SHOWS[name](rule_fixtures_built[name]), rule_fixtures_built[name]


def _loop_moments(built: dict) -> list[str]:
    """Keras 3's Adam moments for the loop model's kernel (`adam_1/sequential_out_kernel_momentum`)."""
    return [n for n in built["created"] if n.endswith("_out_kernel_momentum:0") and "fit_out" not in n and "reg_out" not in n]


# Where the verdict rests on what Keras itself does, Keras 3 (`tf.keras` in TF 2.16+ without
# TF_USE_LEGACY_KERAS) is asked too: it must agree with tf_keras.
KERAS3 = {
    # Keras 3 tracks the layers the encoder's `__init__` stores, whatever its `__call__`:
    # the same encoder stays unchanged, and moves with the repaired list.
    "rl114_own_call_bad.py": lambda b: b["error"] is None and {"enc_h/kernel:0", "enc_out/kernel:0"} <= set(b["unchanged"]),
    "rl114_own_call_good.py": lambda b: b["error"] is None and {"enc_h/kernel:0", "enc_out/kernel:0"} <= set(b["changed"]),
    # Keras 3 raises on the frozen discriminator's empty list (tf_keras applies nothing).
    "rl114_frozen_bad.py": lambda b: "not enough values to unpack (expected 2, got 0)" in (b["error"] or {}).get("message", ""),
    "rl114_frozen_good.py": lambda b: b["error"] is None and _ends(b["changed"], "d_hidden/kernel:0", "d_out/kernel:0", "g_out/kernel:0"),
    "rl111_metric_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_metric_good.py": lambda b: b["error"] is None,
    "rl111_nested_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_nested_good.py": lambda b: b["error"] is None,
    "rl111_project_layer_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_project_layer_good.py": lambda b: b["error"] is None,
    "rl111_flag_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_flag_good.py": lambda b: b["error"] is None,
    "rl111_input_shape_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_input_shape_good.py": lambda b: b["error"] is None,
    "rl111_template_method_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_template_method_good.py": lambda b: b["error"] is None,
    "rl111_argument_test_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_argument_test_good.py": lambda b: b["error"] is None,
    "rl111_backend_filled_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_backend_filled_good.py": lambda b: b["error"] is None,
    # Keras 3 stops at once: a built layer may not add state.
    "rl111_add_weight_bad.py": lambda b: "cannot add new elements of state" in (b["error"] or {}).get("message", ""),
    "rl111_add_weight_good.py": lambda b: b["error"] is None,
    "rl111_setting_store_bad.py": lambda b: "cannot add new elements of state" in (b["error"] or {}).get("message", ""),
    "rl111_setting_store_good.py": lambda b: b["error"] is None,
    # Keras 3 refuses state made in `call` of a built layer, guarded or not: the bad twin
    # stops there, and the good twin's guard is a tf_keras shape (judged there only).
    "rl111_unset_flag_bad.py": lambda b: "cannot add new elements of state" in (b["error"] or {}).get("message", ""),
    "rl111_factory_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_factory_good.py": lambda b: b["error"] is None,
    "rl111_strategy_pick_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_strategy_pick_good.py": lambda b: b["error"] is None,
    # Rescaling, Resizing and CenterCrop made in `call` create no variable in Keras 3 either.
    "rl111_call_good.py": lambda b: b["error"] is None,
    "rl106_gan_bad.py": lambda b: b["error"] is None and b["created"].count("d_out/kernel:0") == 2,
    "rl106_gan_good.py": lambda b: b["error"] is None and b["created"].count("d_out/kernel:0") == 1,
    "rl120_bad.py": lambda b: "is incompatible with the layer" in (b["error"] or {}).get("message", ""),
    "rl120_good.py": lambda b: b["error"] is None,
    "rl111_optimizer_bad.py": lambda b: b["error"] is None and len(_loop_moments(b)) == 3,
    "rl111_optimizer_good.py": lambda b: b["error"] is None and len(_loop_moments(b)) == 1,
    "rl111_optimizer_step_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_optimizer_step_good.py": lambda b: b["error"] is None,
    "rl120_loop_bad.py": lambda b: "is incompatible with the layer" in (b["error"] or {}).get("message", ""),
    "rl120_loop_good.py": lambda b: b["error"] is None and len([n for n in b["created"] if n.endswith("gamma:0")]) == 3,
    "rl120_append_loop_bad.py": lambda b: "is incompatible with the layer" in (b["error"] or {}).get("message", ""),
    "rl120_append_loop_good.py": lambda b: b["error"] is None and len([n for n in b["created"] if n.endswith("gamma:0")]) == 2,
    "rl121_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl121_good.py": lambda b: b["error"] is None,
    "rl121_each_turn_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl121_each_turn_good.py": lambda b: b["error"] is None,
    "rl124_bad.py": lambda b: "This optimizer can only be called for the variables it was originally built with" in (b["error"] or {}).get("message", ""),
    "rl124_good.py": lambda b: b["error"] is None,
    "rl124_subclass_bad.py": lambda b: "This optimizer can only be called for the variables it was originally built with" in (b["error"] or {}).get("message", ""),
    "rl124_subclass_good.py": lambda b: b["error"] is None,
    "rl124_fit_step_bad.py": lambda b: "This optimizer can only be called for the variables it was originally built with" in (b["error"] or {}).get("message", ""),
    "rl124_fit_step_good.py": lambda b: b["error"] is None,
    "rl124_grown_bad.py": lambda b: "Unknown variable" in (b["error"] or {}).get("message", ""),
    "rl124_grown_good.py": lambda b: b["error"] is None,
    # Keras 3 reads `trainable` at each step: the discriminator, frozen after its `compile`,
    # is never stepped, with one Adam or two, so nothing raises (the rule's message says so).
    "rl124_resume_bad.py": lambda b: b["error"] is None and "d_out/kernel:0" in b["unchanged"],
    "rl124_resume_good.py": lambda b: b["error"] is None and "g_out/kernel:0" in b["changed"],
    "rl120_ordered_bad.py": lambda b: "is incompatible with the layer" in (b["error"] or {}).get("message", ""),
    "rl120_ordered_good.py": lambda b: b["error"] is None,
    # Keras 3 names variables by their own name only: one kernel of three keeps its initial
    # value (None gradients are skipped as in tf_keras), against none.
    "rl123_bad.py": lambda b: b["error"] is None and len([n for n in b["unchanged"] if n.endswith("kernel:0")]) == 1
    and len([n for n in b["changed"] if n.endswith("kernel:0")]) == 2,
    "rl123_good.py": lambda b: b["error"] is None and len([n for n in b["changed"] if n.endswith("kernel:0")]) == 3
    and not any(n.endswith("kernel:0") for n in b["unchanged"]),
    # Keras 3 names variables by their own name only: one gamma against two.
    "rl120_stack_bad.py": lambda b: b["error"] is None and len([n for n in b["created"] if n.endswith("gamma:0")]) == 1,
    "rl120_stack_good.py": lambda b: b["error"] is None and len([n for n in b["created"] if n.endswith("gamma:0")]) == 2,
    "rl120_shortcut_bad.py": lambda b: b["error"] is None and len([n for n in b["created"] if n.endswith("gamma:0")]) == 1,
    "rl120_build_bad.py": lambda b: b["error"] is None and len(_gammas(b)) == 1,
    "rl120_build_good.py": lambda b: b["error"] is None and len(_gammas(b)) == 3,
    "rl120_shortcut_good.py": lambda b: b["error"] is None and len([n for n in b["created"] if n.endswith("gamma:0")]) == 2,
    "rl120_dense_bad.py": lambda b: "expected axis -1 of input shape to have value 48" in (b["error"] or {}).get("message", ""),
    "rl120_dense_good.py": lambda b: b["error"] is None and len([n for n in b["created"] if n.endswith("kernel:0")]) == 3,
    "unseen_tf2_good.py": lambda b: b["error"] is None and len([n for n in b["created"] if n.endswith("gamma:0")]) == 4,
    "rl111_sequential_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_sequential_good.py": lambda b: b["error"] is None and len(_kernels(b)) == 7,
    "rl114_crossed_bad.py": lambda b: "No gradients provided for any variable" in (b["error"] or {}).get("message", ""),
    "rl114_crossed_good.py": lambda b: b["error"] is None,
    "rl114_foreign_bad.py": lambda b: "No gradients provided for any variable" in (b["error"] or {}).get("message", ""),
    "rl114_foreign_good.py": lambda b: b["error"] is None,
    # Keras 3 lets the Lambda make its gate, again on each call, and fit's retrace raises.
    "rl111_lambda_bad.py": lambda b: "tf.function only supports singleton tf.Variables" in (b["error"] or {}).get("message", ""),
    "rl111_lambda_good.py": lambda b: b["error"] is None and len(_kernels(b)) == 3 and set(_kernels(b)) <= set(b["changed"]),
    # Keras 3 tracks none of the layers made in the overridden `__call__`: the model's
    # trainable_variables is empty, and apply_gradients stops on it before the retrace, after
    # the trace's two calls made 2 scales x (conv + dense) kernels each: 8.
    "rl111_own_call_bad.py": lambda b: "not enough values to unpack" in (b["error"] or {}).get("message", "")
    and len([n for n in b["created"] if n.endswith("kernel:0")]) == 8,
    "rl111_own_call_good.py": lambda b: b["error"] is None,
    # Keras 3 names the variables under their model's name: the encoder's stay unchanged.
    "rl114_starred_list_bad.py": lambda b: b["error"] is None
    and {"encoder/enc_h/kernel:0", "encoder/enc_h/bias:0"} <= set(b["unchanged"]),
    "rl114_starred_list_good.py": lambda b: b["error"] is None and "encoder/enc_h/kernel:0" in b["changed"],
    "rl124_weightless_head_bad.py": lambda b: "This optimizer can only be called for the variables it was originally built with"
    in (b["error"] or {}).get("message", ""),
    "rl124_weightless_head_good.py": lambda b: b["error"] is None
    and len([n for n in b["changed"] if n.endswith("kernel:0")]) == 2,
    "rl124_default_bad.py": lambda b: "This optimizer can only be called for the variables it was originally built with"
    in (b["error"] or {}).get("message", ""),
    "rl124_default_good.py": lambda b: b["error"] is None,
    "rl124_trainer_pick_bad.py": lambda b: "Unknown variable" in (b["error"] or {}).get("message", ""),
    "rl124_trainer_pick_good.py": lambda b: b["error"] is None,
    "rl124_architecture_pick_bad.py": lambda b: "Unknown variable" in (b["error"] or {}).get("message", ""),
    "rl124_architecture_pick_good.py": lambda b: b["error"] is None,
    "rl120_modes_bad.py": lambda b: b["error"] is None and len([n for n in b["created"] if n.endswith("kernel:0")]) == 1,
    "rl120_modes_good.py": lambda b: b["error"] is None
    and [n for n in b["created"] if n.endswith("kernel:0")] == [n for n in b["changed"] if n.endswith("kernel:0")] != [],
    "rl123_reapplied_good.py": lambda b: b["error"] is None
    and {n.split("/")[-1] for n in b["changed"]} >= {"kernel:0", "bias:0"},
    # Keras 3 reads `trainable` when `fit` first makes its train function: a freeze after
    # `compile` but before the first `fit` holds there (the rule's message names tf_keras).
    "rl126_bad.py": lambda b: b["error"] is None and _ends(b["unchanged"], "conv1/kernel:0", "conv2/kernel:0")
    and _ends(b["changed"], "head/kernel:0"),
    "rl126_good.py": lambda b: b["error"] is None and _ends(b["unchanged"], "conv1/kernel:0", "conv2/kernel:0"),
    # After a first `fit`, Keras 3 ignores the change as tf_keras does.
    "rl126_unfreeze_bad.py": lambda b: b["error"] is None and _ends(b["unchanged"], "base_hidden/kernel:0")
    and _ends(b["changed"], "top/kernel:0"),
    "rl126_unfreeze_good.py": lambda b: b["error"] is None and _ends(b["changed"], "base_hidden/kernel:0", "top/kernel:0"),
    # Keras 3 drops the train function on `compile` too.
    "rl126_callback_bad.py": lambda b: b["error"] is not None and b["error"]["type"] == "TypeError"
    and "'NoneType' object is not callable" in b["error"]["message"],
    "rl126_callback_good.py": lambda b: b["error"] is None and _ends(b["changed"], "base_hidden/kernel:0", "top/kernel:0"),
    # Keras 3 makes `kernel` a read-only property: the assignment in `build` raises.
    "rl127_bad.py": lambda b: b["error"] is not None and b["error"]["type"] == "AttributeError"
    and "has no setter" in b["error"]["message"],
    "rl127_good.py": lambda b: b["error"] is None and _ends(b["changed"], "g_hidden/kernel:0", "g_out/kernel:0"),
}


def _ends(names: list, *suffixes: str) -> bool:
    """Every suffix names one of the variables (Keras 3 prefixes the model's name)."""
    return all(any(n.endswith("/" + s) or n == s for n in names) for s in suffixes)


@pytest.fixture(scope="module")
def keras3_built() -> dict[str, dict]:
    return tf_build([FIXTURES / name for name in sorted(KERAS3)], eager=True, keras3=True)


@pytest.mark.parametrize("name", sorted(KERAS3))
def test_keras3_judges_the_fixture_as_tf_keras_does(name, keras3_built):
    assert KERAS3[name](keras3_built[name]), keras3_built[name]


def test_every_rule_has_fixtures():
    from reuse_lint.rules import all_rules

    for rule in all_rules():
        if rule.CODE == "RL001":
            continue
        stem = rule.CODE.lower()
        assert (FIXTURES / f"{stem}_bad.py").exists(), stem
        assert (FIXTURES / f"{stem}_good.py").exists(), stem
