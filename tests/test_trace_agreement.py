"""The static linter and the trace agree, fixture by fixture.

One table: for every fixture of the static rules, the article's examples and the project's
runnable scripts, what `lint_files` reports, what `run_trace` reports (a finding is
`CODE@line` in the fixture itself, `CODE@file:line` in a module it imports) and why the two
map onto each other, or why a rule has no dynamic counterpart. The traces run in one child
per mode (`run_traces`), so TensorFlow starts twice for the whole table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from reuse_lint.runner import lint_files
from reuse_lint.trace import TraceError, run_trace, run_traces

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")


@dataclass(frozen=True)
class Row:
    fixture: str  # under fixtures/
    static: tuple[str, ...]
    dynamic: tuple[str, ...]
    why: str
    crash: str | None = None  # TensorFlow's error, when the traced program dies
    also_lint: tuple[str, ...] = ()  # modules whose own findings the script runs into
    steps: int = 0  # traced with --steps: the bug shows only once training runs

    @property
    def path(self) -> str:
        return os.path.join(FIXTURES, self.fixture)


NO_COUNTERPART = "no dynamic counterpart: "
GOOD = "good: nothing to report"
DYNAMIC_ONLY = "dynamic only: "

TABLE = (
    Row("rules/real_patterns_good.py", (), (), GOOD),
    Row("rules/issue16_patterns_good.py", (), ("RT204@123",),
        DYNAMIC_ONLY + "the linter stays silent on two template modules made under one name on purpose "
        "(encoder/, encoder_1/: two models); the trace sees matching weights built twice and "
        "cannot tell intent, so it reports the copy: a precision trade-off, not a disagreement"),
    Row("rules/rl101_bad.py", ("RL101@16",), ("RT201@16",),
        "RL101→RT201: the second call creates discriminator/ again without reuse"),
    Row("rules/rl101_good.py", (), (), GOOD),
    Row("rules/rl101_missing_args_good.py", (), (), GOOD),
    Row("rules/rl101_filled_list_good.py", (), (), GOOD),
    Row("rules/rl101_model_dict_bad.py", ("RL101@24",), ("RT201@24",),
        "RL101→RT201: the discriminator read back from the models' dict creates discriminator/ again"),
    Row("rules/rl101_model_dict_good.py", (), (), GOOD),
    Row("rules/rl101_rnn_encoder_bad.py", ("RL101@28",), ("RT201@28",),
        "RL101→RT201: the encoder's fresh GRU asks for rnn/gru_cell/ again without reuse"),
    Row("rules/rl101_rnn_encoder_good.py", (), (), GOOD),
    Row("rules/rl101_group_gate_bad.py", ("RL101@37",), ("RT201@37",),
        "RL101→RT201: both feature groups pass the configuration's gate, so the second input-layer "
        "call creates key_proj/ again without reuse"),
    Row("rules/rl101_group_gate_good.py", (), (), GOOD),
    Row("rules/rl101_mode_attr_bad.py", ("RL101@34",), ("RT201@34",),
        "RL101→RT201: the inference object builds its decoder under the other mode test, in the "
        "graph that already holds the training object's decoder/tgt_embedding, without reuse"),
    Row("rules/rl101_mode_attr_good.py", (), (), GOOD),
    Row("rules/rl105_split_layers_good.py", (), (), GOOD),
    Row("rules/rl109_vaegan_good.py", (), (), GOOD),
    Row("rules/rl102_bad.py", ("RL102@14",), ("RT201@15", "RT202@9"),
        "RL102→RT202: reuse=True before anything exists, reported inside the builder (line 9); "
        "the trace then creates the variables, so the later reuse=False call is an RT201"),
    Row("rules/rl102_good.py", (), (), GOOD),
    Row("rules/rl102_partial_bad.py", ("RL102@11",), ("RT202@12", "RT202@13", "RT201@20"),
        "RL102→RT202: the partial's reuse=True runs before anything exists, reported at the builder's scope "
        "(line 11; the trace, at each layer); the trace then creates the variables, so the later "
        "reuse=False call is an RT201"),
    Row("rules/rl102_partial_good.py", (), (), GOOD),
    Row("rules/rl102_conditional_good.py", (), (), GOOD),
    Row("rules/rl102_plain_class_bad.py", ("RL102@19",), ("RT202@20",),
        "RL102→RT202: the attention scope reuses on its first call, reported at the scope (line 19; "
        "the trace, at the layer)"),
    Row("rules/rl102_plain_class_good.py", (), (), GOOD),
    Row("rules/rl102_unrolled_attention_bad.py", ("RL102@39",), ("RT202@40", "RT202@41"),
        "RL102→RT202: the first fact of the first hop looks the attention weights up under the "
        "scope's reuse=True, reported at the scope (line 39; the trace, at each layer)"),
    Row("rules/rl102_unrolled_attention_good.py", (), (), GOOD),
    Row("rules/rl102_average_bad.py", ("RL102@29",), ("RT202@15",),
        "RL102→RT202: the discriminator's reuse=True call (29) makes its batch norm's moving "
        "averages of new batch moments, which cannot be looked up (the trace, at `ema.apply`, 15)"),
    Row("rules/rl102_average_good.py", (), (), GOOD),
    Row("rules/rl102_slim_normalizer_bad.py", ("RL102@40",), ("RT202@18",),
        "RL102→RT202: the arg_scope hands the project's batch norm to each slim conv, which runs "
        "it in its own scope; the reuse=True call (40) makes averages of new batch moments (the "
        "trace, at `ema.apply`, 18)"),
    Row("rules/rl102_slim_normalizer_good.py", (), (), GOOD),
    Row("rules/rl102_registry_pick_bad.py", ("RL102@23",), ("RT202@23",),
        "RL102→RT202: the model picked from the registry by an unknown name may be the fine-tuning "
        "one, whose first tower looks fc1 up under reuse=True before anything made it"),
    Row("rules/rl102_registry_pick_good.py", (), (), GOOD),
    Row("rules/rl103_bad.py", ("RL103@8",), ("RT201@15",),
        "RL103→RT201 (the symptom): the scope drops `reuse`, so the reuse=True call at 15 creates again"),
    Row("rules/rl103_good.py", (), (), GOOD),
    Row("rules/rl103_unused_flag_bad.py", ("RL103@22",), ("RT201@28",),
        "RL103→RT201 (the symptom): `enc1` drops `reuse`, and with training on the norm helper "
        "does not reuse by itself, so the reuse=True call at 28 creates enc1/norm/offset again"),
    Row("rules/rl103_unused_flag_good.py", (), (), GOOD),
    Row("rules/rl104_bad.py", ("RL104@17",), ("RT201@17",),
        "RL104→RT201: name_scope does not prefix get_variable, so proj/w is created twice"),
    Row("rules/rl104_good.py", (), (), GOOD),
    Row("rules/rl105_bad.py", ("RL105@16",), ("RT204@16",),
        "RL105→RT204: default_name makes discriminator_1/, a silent copy"),
    Row("rules/rl105_good.py", (), (), GOOD),
    Row("rules/rl106_bad.py", ("RL106@13",), ("RT204@13",),
        "RL106→RT204: Keras layers built per call, dense_2/ copies dense/"),
    Row("rules/rl106_good.py", (), (), GOOD),
    Row("rules/rl106_gan_bad.py", ("RL106@15",), (),
        NO_COUNTERPART + "the second discriminator is a new functional model with weights of its "
        "own; the trace sees two models built, not a copy it can tell from an intended one"),
    Row("rules/rl106_gan_good.py", (), (), GOOD),
    Row("rules/rl106_legacy_good.py", (), (), GOOD),
    Row("rules/rl107_bad.py", ("RL107@15",), ("RT202@18",),
        "RL107→RT202: the root reuse_variables() (15) leaks into minimize (18), whose Adam slots "
        "cannot be created"),
    Row("rules/rl107_good.py", (), (), GOOD),
    Row("rules/rl107_auto_reuse_good.py", (), (), GOOD),
    Row("rules/rl107_model_bad.py", ("RL107@25",), ("RT202@20",),
        "RL107→RT202: scope.reuse_variables() (25) still holds when the sampling model's "
        "apply_gradients (20) makes its Adam slots, which cannot be created"),
    Row("rules/rl107_model_good.py", (), (), GOOD),
    Row("rules/rl107_reuse_false_bad.py", ("RL107@12",), ("RT202@36", "RT202@37"),
        "RL107→RT202: the root reuse_variables() (12) survives the reuse=False scope; both "
        "minimize calls (36, 37) fail to make their slots"),
    Row("rules/rl107_reuse_false_good.py", (), (), GOOD),
    Row("rules/rl107_scoped_bad.py", ("RL107@23",), ("RT202@13",),
        "RL107→RT202: the gate scope's reuse_variables() (23) holds at the next call, whose "
        "moving average (13) cannot be created"),
    Row("rules/rl107_scoped_good.py", (), (), GOOD),
    Row("rules/rl107_rebuilt_model_good.py", (), (), GOOD),
    Row("rules/rl107_tower_average_good.py", (), (), GOOD),
    Row("rules/rl107_guarded_average_bad.py", ("RL107@32",), ("RT202@22",),
        "RL107→RT202: the critic's reuse_variables() (32) holds at its second call, whose batch "
        "moments the norm's train-flag guard still averages (22)"),
    Row("rules/rl107_guarded_average_good.py", (), (), GOOD),
    Row("rules/rl107_reapplied_average_good.py", (), (), GOOD),
    Row("rules/rl108_bad.py", ("RL108@33",), ("RT206@33",),
        'RL108→RT206: scope "disc" returned disc_aux/ variables, which the discriminator step trains'),
    Row("rules/rl108_good.py", (), (), GOOD),
    Row("rules/rl108_object_lists_bad.py", ("RL108@20",), ("RT206@38",),
        "RL108→RT206: the linter reports each object's unscoped get_collection (20), the trace "
        "the discriminators' step (38), which also changes F/ and G/"),
    Row("rules/rl108_object_lists_good.py", (), (), GOOD),
    Row("rules/rl108_workers_bad.py", ("RL108@28",), ("RT206@28",),
        'RL108→RT206: scope "worker_1", selected after the loop built twelve workers, also '
        "returned worker_10/ and worker_11/"),
    Row("rules/rl108_workers_good.py", (), (), GOOD),
    Row("rules/rl108_target_bad.py", ("RL108@12",), (),
        NO_COUNTERPART + "the finished `online` scope object selects exactly online/'s variables, "
        "as asked; that target/'s were meant is only in the source, and no optimizer trains them"),
    Row("rules/rl108_target_good.py", (), (), GOOD),
    Row("rules/rl108_acgan_good.py", (), ("RT206@50",),
        DYNAMIC_ONLY + "AC-GAN's auxiliary class step (every trainable variable) changes D's and G's "
        "variables, which their own steps list; the trace cannot tell a joint objective from a step "
        "training its adversary, while the linter sees both players trained by listed adversarial "
        "steps and the class head trained by this step alone: a precision trade-off of the trace, "
        "as for InfoGAN"),
    Row("rules/rl109_bad.py", ("RL109@28",), ("RT206@28",),
        "RL109→RT206: the generator step without var_list also trains discriminator/"),
    Row("rules/rl109_ddpg_bad.py", ("RL109@14",), ("RT206@14",),
        "RL109→RT206: the critic step without var_list also trains actor/"),
    Row("rules/rl109_ddpg_good.py", (), (), GOOD),
    Row("rules/rl109_good.py", (), (), GOOD),
    Row("rules/rl109_extended_loss_bad.py", ("RL109@47",), ("RT206@47",),
        "RL109→RT206: the generator's minimize without var_list, its loss grown by `+=` through the "
        "discriminator, also trains discriminator/"),
    Row("rules/rl109_extended_loss_good.py", (), (), GOOD),
    Row("rules/rl109_aae_good.py", (), ("RT206@36",),
        DYNAMIC_ONLY + "the reconstruction step (no var_list) changes the encoder that the "
        "generator step also lists; the trace sees one step train another's variables and cannot "
        "tell that an autoencoder's reconstruction is meant to train the encoder, while the linter "
        "sees the reconstruction loss never meet the discriminator: a precision trade-off of the trace"),
    Row("rules/rl109_infogan_good.py", (), ("RT206@41",),
        DYNAMIC_ONLY + "InfoGAN's mutual-information step (no var_list) changes D's and G's variables, "
        "which their own steps list; the trace cannot tell a third, joint objective from a step "
        "training its adversary, while the linter sees both players already trained by listed "
        "adversarial steps of their own: a precision trade-off of the trace"),
    Row("rules/rl110_bad.py", ("RL110@11",), ("RT202@12",),
        "RL110→RT202: reuse=False inherits reuse=True, so head/out (12) is looked up, never created"),
    Row("rules/rl110_good.py", (), (), GOOD),
    Row("rules/rl111_bad.py", ("RL111@7",), (),
        NO_COUNTERPART + "TF 2 raises while tracing the tf.function; the trace reports that "
        "error and no finding", crash="tf.function only supports singleton tf.Variables"),
    Row("rules/rl111_call_bad.py", ("RL111@13", "RL111@16", "RL111@19", "RL111@20", "RL111@24"), (),
        NO_COUNTERPART + "without --steps the trace stops at fit's first gradient step, before "
        "the retrace on which TF 2 raises; the layers' first weights are one legitimate set"),
    Row("rules/rl111_call_good.py", (), (), GOOD),
    Row("rules/rl111_metric_bad.py", ("RL111@18",), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace of the metric function on which TF 2 raises"),
    Row("rules/rl111_metric_good.py", (), (), GOOD),
    Row("rules/rl111_nested_bad.py", ("RL111@25", "RL111@31"), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace on which TF 2 raises"),
    Row("rules/rl111_nested_good.py", (), (), GOOD),
    Row("rules/rl111_project_layer_bad.py", ("RL111@22",), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace on which TF 2 raises"),
    Row("rules/rl111_project_layer_good.py", (), (), GOOD),
    Row("rules/rl111_flag_bad.py", ("RL111@17", "RL111@19"), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace on which TF 2 raises"),
    Row("rules/rl111_flag_good.py", (), (), GOOD),
    Row("rules/rl111_input_shape_bad.py", ("RL111@22",), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace on which TF 2 raises"),
    Row("rules/rl111_input_shape_good.py", (), (), GOOD),
    Row("rules/rl111_template_method_bad.py", ("RL111@26", "RL111@28"), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace on which TF 2 raises"),
    Row("rules/rl111_template_method_good.py", (), (), GOOD),
    Row("rules/rl111_argument_test_bad.py", ("RL111@12", "RL111@22"), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace on which TF 2 raises"),
    Row("rules/rl111_argument_test_good.py", (), (), GOOD),
    Row("rules/rl111_backend_filled_bad.py", ("RL111@15",), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace on which TF 2 raises"),
    Row("rules/rl111_backend_filled_good.py", (), (), GOOD),
    Row("rules/rl111_add_weight_bad.py", ("RL111@15", "RL111@18"), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace on which TF 2 raises"),
    Row("rules/rl111_add_weight_good.py", (), (), GOOD),
    Row("rules/rl111_setting_store_bad.py", ("RL111@16",), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace on which TF 2 raises"),
    Row("rules/rl111_setting_store_good.py", (), (), GOOD),
    Row("rules/rl111_unset_flag_bad.py", ("RL111@18",), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace on which TF 2 raises"),
    Row("rules/rl111_unset_flag_good.py", (), (), GOOD),
    Row("rules/rl111_factory_bad.py", ("RL111@11",), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace on which TF 2 raises"),
    Row("rules/rl111_factory_good.py", (), (), GOOD),
    Row("rules/rl111_sequential_bad.py", ("RL111@20",), (),
        NO_COUNTERPART + "as for rl111_call_bad: without --steps the trace stops at fit's first "
        "gradient step, before the retrace on which TF 2 raises"),
    Row("rules/rl111_sequential_good.py", (), (), GOOD),
    Row("rules/rl111_lambda_bad.py", ("RL111@11",), (),
        NO_COUNTERPART + "tf_keras refuses the variables made inside the Lambda layer as the "
        "model is built; the trace reports that error and no finding",
        crash="Variables were created within a Lambda layer"),
    Row("rules/rl111_lambda_good.py", (), (), GOOD),
    Row("rules/rl111_strategy_pick_bad.py", ("RL111@45",), (),
        NO_COUNTERPART + "without --steps the trace stops at fit's first gradient step, before the "
        "retrace on which TF 2 raises for the bias the picked strategy's merge makes"),
    Row("rules/rl111_strategy_pick_good.py", (), (), GOOD),
    Row("rules/rl111_optimizer_bad.py", ("RL111@11",), (),
        NO_COUNTERPART + "without --steps the trace stops at the loop's first tape.gradient, before "
        "the second pass makes a second Adam; to TF each optimizer's variables are one legitimate set"),
    Row("rules/rl111_optimizer_good.py", (), (), GOOD),
    Row("rules/rl111_optimizer_step_bad.py", ("RL111@13",), (),
        NO_COUNTERPART + "without --steps the trace stops at the step's first tape.gradient, before "
        "the apply_gradients whose new variables TF 2 refuses on the retrace"),
    Row("rules/rl111_optimizer_step_good.py", (), (), GOOD),
    Row("rules/rl108_tape_bad.py", ("RL108@26",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (None gradients: apply_gradients raises) TF shows"),
    Row("rules/rl108_tape_good.py", (), (), GOOD),
    Row("rules/rl109_tape_bad.py", ("RL109@27",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the generator step also moves the discriminator) TF shows"),
    Row("rules/rl109_tape_good.py", (), (), GOOD),
    Row("rules/rl114_tape_bad.py", ("RL114@21",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the encoder never changes) TF shows"),
    Row("rules/rl114_tape_good.py", (), (), GOOD),
    Row("rules/rl114_weighted_head_bad.py", ("RL114@31",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the head's centres never change) TF shows"),
    Row("rules/rl114_weighted_head_good.py", (), (), GOOD),
    Row("rules/rl114_config_branch_bad.py", ("RL114@43",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the encoder never changes) TF shows"),
    Row("rules/rl114_config_branch_good.py", (), (), GOOD),
    Row("rules/rl114_critic_bad.py", ("RL114@48",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the shared encoder never changes) TF shows"),
    Row("rules/rl114_critic_good.py", (), (), GOOD),
    Row("rules/rl114_keras3_bad.py", ("RL114@27",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the encoder never changes) TF shows"),
    Row("rules/rl114_keras3_good.py", (), (), GOOD),
    Row("rules/rl114_two_tapes_bad.py", ("RL114@17",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the encoder never changes) TF shows"),
    Row("rules/rl114_two_tapes_good.py", (), (), GOOD),
    Row("rules/rl114_shared_bad.py", ("RL114@23",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the shared encoder unchanged by the critic step) TF shows"),
    Row("rules/rl114_shared_good.py", (), (), GOOD),
    Row("rules/rl114_staged_bad.py", ("RL114@65",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the embedder unchanged by the supervisor phase) TF shows"),
    Row("rules/rl114_staged_good.py", (), (), GOOD),
    Row("rules/rl114_wrong_model_bad.py", ("RL114@17",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the generator never changes) TF shows"),
    Row("rules/rl114_wrong_model_good.py", (), (), GOOD),
    Row("rules/rl114_crossed_bad.py", ("RL114@22",), (),
        NO_COUNTERPART + "without --steps the trace stops at the first tape.gradient, before the "
        "discriminator's apply_gradients on which TF raises (every gradient None)"),
    Row("rules/rl114_crossed_good.py", (), (), GOOD),
    Row("rules/rl114_foreign_bad.py", ("RL114@35",), (),
        NO_COUNTERPART + "without --steps the trace stops at the first tape.gradient, before the "
        "discriminator's apply_gradients on which TF raises (every gradient None)"),
    Row("rules/rl114_foreign_good.py", (), (), GOOD),
    Row("rules/rl114_part_list_bad.py", ("RL114@32",), (),
        NO_COUNTERPART + "without --steps the trace stops at the first tape.gradient, before the "
        "apply_gradients on which TF raises (the encoder's gradient paired with the decoder's kernel)"),
    Row("rules/rl114_part_list_good.py", (), (), GOOD),
    Row("rules/rl114_own_call_bad.py", ("RL114@37",), (),
        NO_COUNTERPART + "without --steps the trace stops at the first tape.gradient, before the step whose damage (the encoder never changes) TF shows"),
    Row("rules/rl114_own_call_good.py", (), (), GOOD),
    Row("rules/rl114_head_bad.py", ("RL114@29",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the projection head never changes) TF shows"),
    Row("rules/rl114_head_good.py", (), (), GOOD),
    Row("rules/rl114_own_step_bad.py", ("RL114@23",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the heads never change) TF shows"),
    Row("rules/rl114_own_step_good.py", (), (), GOOD),
    Row("rules/rl114_starred_list_bad.py", ("RL114@18",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the encoder never changes) TF shows"),
    Row("rules/rl114_starred_list_good.py", (), (), GOOD),
    Row("rules/rl114_strategy_run_bad.py", ("RL114@23",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the step whose damage (the generator never changes) TF shows"),
    Row("rules/rl114_strategy_run_good.py", (), (), GOOD),
    Row("rules/rl114_frozen_bad.py", ("RL114@33",), (),
        NO_COUNTERPART + "without --steps the trace stops at this first tape.gradient, before the "
        "apply_gradients on the frozen discriminator's empty list (tf_keras applies nothing, Keras 3 raises)"),
    Row("rules/rl114_frozen_good.py", (), (), GOOD),
    Row("rules/tape_patterns_good.py", (), (), GOOD),
    Row("rules/unseen_tf1_good.py", (), (), GOOD),
    Row("rules/unseen_tf2_good.py", (), (), GOOD),
    Row("rules/rl111_eager_bad.py", ("RL111@9", "RL111@10"), ("RT208@9", "RT208@10"),
        "RL111→RT208: the discriminator's second call (on real after fake) makes its Dense layers again"),
    Row("rules/rl111_eager_good.py", (), (), GOOD),
    Row("rules/rl111_own_call_bad.py", ("RL111@9", "RL111@26"), (),
        NO_COUNTERPART + "without --steps the trace stops at the step's first tape.gradient, before "
        "the retrace on which TF 2 raises on the overridden `__call__`'s new variables"),
    Row("rules/rl111_own_call_good.py", (), (), GOOD),
    Row("rules/rl111_good.py", (), (), GOOD),
    Row("rules/rl112_bad.py", ("RL112@12",), ("RT202@12", "RT202@13"),
        "RL112→RT202: after reuse_variables() the auto-named layers dense_2, dense_3 do not exist; "
        "the trace reports each layer, the linter the first"),
    Row("rules/rl112_good.py", (), (), GOOD),
    Row("rules/rl112_layer_reuse_bad.py", ("RL112@11",), ("RT203@11", "RT203@11"),
        "RL112→RT203: on the second hop the unnamed layers given reuse are both gate/dense, so the "
        "second asks for the first's kernel and bias with other shapes (TF then stops on the matmul)",
        crash="Dimensions must be equal"),
    Row("rules/rl112_layer_reuse_good.py", (), (), GOOD),
    Row("rules/rl112_cell_loop_bad.py", ("RL112@33",), ("RT202@33",),
        "RL112→RT202: the LSTM cell called step by step made its weights under encoder/ on its first "
        "call and nothing after; the decoder loop's reuse_variables() is still on for the unnamed "
        "output layer, so decoder/fully_connected/weights is looked up and does not exist"),
    Row("rules/rl112_cell_loop_good.py", (), (), GOOD),
    Row("rules/rl112_layer_kw_bad.py", ("RL112@9",), ("RT203@9", "RT203@9"),
        "RL112→RT203: the reuse=True call's unnamed layers, given reuse through d_block's **layer_kw, "
        "are both discriminator/dense, so the second asks for the first's kernel and bias with other "
        "shapes (TF then stops on the matmul)", crash="Dimensions must be equal"),
    Row("rules/rl112_layer_kw_good.py", (), (), GOOD),
    Row("rules/rl113_bad.py", ("RL113@9",), ("RT204@16",),
        "RL113→RT204: tf.Variable ignores reuse, so the reuse=True call (16) makes discriminator_1/Variable"),
    Row("rules/rl113_good.py", (), (), GOOD),
    Row("rules/rl113_auto_default_good.py", (), (), GOOD),
    Row("rules/rl113_encoder_twice_bad.py", ("RL113@9",), ("RT204@28",),
        "RL113→RT204: the encoder's second build (28), for face B, makes encoder_1/Variable and "
        "encoder_1/Variable_1 beside the first build's weights"),
    Row("rules/rl113_encoder_twice_good.py", (), (), GOOD),
    Row("rules/rl113_append_layers_bad.py", ("RL113@19",), ("RT204@32",),
        "RL113→RT204: the validation forward (32), under the root reuse, makes forward_1/fully_weight_0 "
        "and _1 beside the trained weights; the sizes are a list filled by `.append`"),
    Row("rules/rl113_append_layers_good.py", (), (), GOOD),
    Row("rules/rl114_bad.py", ("RL114@28",), ("RT206@15",),
        "RL114→RT206: the linter reports the selection (28), the trace the variables it missed "
        "(bn1/gamma, beta, created at 15)"),
    Row("rules/rl114_good.py", (), (), GOOD),
    Row("rules/rl114_setup_calls_bad.py", ("RL114@40",), ("RT206@19",),
        "RL114→RT206: the linter reports the selection (40), still knowing every variable after the "
        "run folder's compiled pattern and timestamp; the trace the variables it missed (bn1, created at 19)"),
    Row("rules/rl114_setup_calls_good.py", (), (), GOOD),
    Row("rules/rl114_append_loop_bad.py", ("RL114@30",), ("RT206@10",),
        "RL114→RT206: the linter reports the test of the loop that fills the generator's list "
        "by `.append` (30), the trace the batch norm it missed (bn0, created at 10)"),
    Row("rules/rl114_append_loop_good.py", (), (), GOOD),
    Row("rules/rl114_outer_scopes_bad.py", ("RL114@41",), ("RT206@20",),
        "RL114→RT206: the linter reports the generator's name filter (41), whose model scope fake_loss/ "
        "also holds the discriminator copy built for the fakes; the trace the copy's variables (h, "
        "created at 20)"),
    Row("rules/rl114_outer_scopes_good.py", (), (), GOOD),
    Row("rules/rl114_function_bad.py", ("RL114@36",), (),
        NO_COUNTERPART + "the trace knows a model by its variable scope, and these functions "
        "open none: bn1/gamma and bn1/beta are variables no step trains, which it cannot tell "
        "from variables kept out of training on purpose"),
    Row("rules/rl114_function_good.py", (), (), GOOD),
    Row("rules/rl114_clipped_gan_bad.py", ("RL114@28",), ("RT206@16",),
        "RL114→RT206: the linter reports the selection (28) carried through clipped "
        "compute_gradients pairs, the trace the variables it missed (bn1, created at 16)"),
    Row("rules/rl114_clipped_gan_good.py", (), (), GOOD),
    Row("rules/rl114_seq2seq_bad.py", ("RL114@23", "RL114@24"), ("RT206@13",),
        "RL114→RT206: the linter reports both filters (23, 24) carried through tf.gradients "
        "and clip_by_global_norm, the trace the model's variables no list takes (made from 13)"),
    Row("rules/rl114_seq2seq_good.py", (), (), GOOD),
    Row("rules/rl114_aux_head_bad.py", ("RL114@50",), ("RT206@9",),
        "RL114→RT206: the linter reports the one step's filter (50), which leaves out the auxiliary "
        "head a term of its loss is scored on; the trace the head's variable no list takes (made at 9)"),
    Row("rules/rl114_aux_head_good.py", (), (), GOOD),
    Row("rules/rl114_clip_loop_bad.py", ("RL114@73",), ("RT206@63",),
        "RL114→RT206: the linter reports the one step's filter (73), carried through gradients a "
        "loop clips one by one (or clip_by_global_norm, by a setting); the trace the auxiliary "
        "head's variable no list takes (made at 63)"),
    Row("rules/rl114_clip_loop_good.py", (), (), GOOD),
    Row("rules/rl114_wrapped_optimizer_bad.py", ("RL114@60",), ("RT206@50",),
        "RL114→RT206: the linter reports the one step's filter (60), its optimizer picked by name and "
        "wrapped by SyncReplicasOptimizer on a setting; the trace the auxiliary head's variable no "
        "list takes (made at 50)"),
    Row("rules/rl114_wrapped_optimizer_good.py", (), (), GOOD),
    Row("rules/rl114_lazy_property_good.py", (), (), GOOD),
    Row("rules/rl114_flat_grad_bad.py", ("RL114@56", "RL114@57"), (),
        NO_COUNTERPART + "the trace learns a step's list from an optimizer, and these steps have "
        "none: flat tf.gradients applied by assign ops; TF's own steps (the verdict in "
        "test_fixtures_tensorflow.py) show that neither moves logstd"),
    Row("rules/rl114_flat_grad_good.py", (), (), GOOD),
    Row("rules/rl108_gradients_bad.py", ("RL108@28",), (),
        NO_COUNTERPART + "the trace learns that a list takes every variable from "
        "compute_gradients or minimize; tf.gradients(loss, tf.trainable_variables()) zipped "
        "to apply_gradients reaches it as a plain list (TF shows the generator moved by d_step)"),
    Row("rules/rl108_gradients_good.py", (), (), GOOD),
    Row("rules/rl114_empty_filter_bad.py", ("RL114@30", "RL116@13"), (),
        NO_COUNTERPART + "the new graph builds the VAE at its root as TF always does, and the "
        "loop's empty selection feeds no optimizer: nothing fails or trains wrongly"),
    Row("rules/rl114_empty_filter_good.py", (), (), GOOD),
    Row("rules/rl114_keyed_saver_bad.py", ("RL114@19",), (),
        NO_COUNTERPART + "TF itself refuses the transfer Saver built on the empty dict (No variables to "
        "save) before the trace can look at a list", crash="No variables to save"),
    Row("rules/rl114_keyed_saver_good.py", (), (), GOOD),
    Row("rules/rl114_select_before_build_bad.py", ("RL114@23", "RL114@24"), ("RT206@27", "RT206@28"),
        "RL114→RT206: the linter reports the two selections taken before the network exists "
        "(23, 24), the trace the two steps that then train nothing (27, 28)"),
    Row("rules/rl114_select_before_build_good.py", (), (), GOOD),
    Row("rules/rl114_mapped_bad.py", ("RL114@13",), ("RT206@32",),
        "RL114→RT206: the linter reports the selection read in the learner's constructor (13), "
        "before tf.map_fn builds the inner loss's weights; the trace the meta-step that then "
        "trains nothing (32)"),
    Row("rules/rl114_mapped_good.py", (), (), GOOD),
    Row("rules/rl114_while_body_bad.py", ("RL114@42",), (),
        NO_COUNTERPART + "the trace finds no step over the loop body's weights to report: they are "
        "made inside tf.while_loop's control-flow context, and TF's own lists (the verdict in "
        "test_fixtures_tensorflow.py) show no step holds them"),
    Row("rules/rl114_while_body_good.py", (), (), GOOD),
    Row("rules/rl108_builder_target_bad.py", ("RL108@33",), (),
        NO_COUNTERPART + "the finished `training` scope's name selects exactly training/'s "
        "variables, as asked; that target/'s were meant is only in the source, and the list "
        "feeds assign ops, not an optimizer"),
    Row("rules/rl108_builder_target_good.py", (), (), GOOD),
    Row("rules/rl115_bad.py", ("RL115@8",), ("RT201@13",),
        "RL115→RT201: the positional True is default_name, not reuse; the second call (13) creates again"),
    Row("rules/rl115_good.py", (), (), GOOD),
    Row("rules/rl115_literal_default_good.py", (), (), GOOD),
    Row("rules/rl116_bad.py", ("RL116@6",), (),
        NO_COUNTERPART + "the new graph builds out/ at its root as TF always does; the empty "
        "trainable_variables('model/') feeds no optimizer, so nothing fails or trains wrongly"),
    Row("rules/rl116_good.py", (), (), GOOD),
    Row("rules/rl116_private_graph_bad.py", ("RL116@10",), (),
        NO_COUNTERPART + "each critic's graph builds hidden/ and value/ at its root as TF always "
        "does; that the evaluation critic's reuse=True meant the training critic's weights is only "
        "in the source: nothing fails or is created twice in one graph"),
    Row("rules/rl116_private_graph_good.py", (), (), GOOD),
    Row("rules/rl117_bad.py", ("RL117@8",), (),
        NO_COUNTERPART + "TF raises while building (the second layer gets the first's kernel); "
        "the trace reports that error and no finding", crash="Dimensions must be equal"),
    Row("rules/rl117_good.py", (), (), GOOD),
    Row("rules/rl117_one_encoder_good.py", (), (), GOOD),
    Row("rules/rl117_helper_bad.py", ("RL117@14",), (),
        NO_COUNTERPART + "the three layers run on cell_0's weights; to TF one set of variables "
        "used three times is one layer's, nothing is created twice or looked up in vain"),
    Row("rules/rl117_helper_good.py", (), (), GOOD),
    Row("rules/rl117_runners_bad.py", ("RL117@16", "RL117@26"), (),
        NO_COUNTERPART + "the decoder and the backward direction run on weights made for the "
        "encoder and the forward direction; TF creates nothing twice, so the trace sees no event"),
    Row("rules/rl117_runners_good.py", (), (), GOOD),
    Row("rules/rl117_unused_stack_good.py", (), (), GOOD),
    Row("rules/rl117_wrapped_bad.py", ("RL117@22",), (),
        NO_COUNTERPART + "TF raises while building (the second layer gets the first's kernel); "
        "the trace reports that error and no finding", crash="Dimensions must be equal"),
    Row("rules/rl117_wrapped_good.py", (), (), GOOD),
    Row("rules/rl117_subclass_bad.py", ("RL117@21", "RL117@26"), (),
        NO_COUNTERPART + "TF raises while building the first stack (its second layer gets the "
        "first's kernel); the trace reports that error and no finding", crash="Dimensions must be equal"),
    Row("rules/rl117_subclass_good.py", (), (), GOOD),
    Row("rules/rl117_residual_bad.py", ("RL117@38",), (),
        NO_COUNTERPART + "TF raises while building the stack (its second layer gets the first's "
        "kernel); the trace reports that error and no finding", crash="Dimensions must be equal"),
    Row("rules/rl117_residual_good.py", (), (), GOOD),
    Row("rules/rl118_bad.py", ("RL118@9",), (),
        NO_COUNTERPART + "get_variable creates a new proj/kernel beside proj/dense/kernel; to TF "
        "it is one more variable, indistinguishable from an intended one"),
    Row("rules/rl118_good.py", (), (), GOOD),
    Row("rules/rl119_bad.py", ("RL119@16",), ("RT206@23",),
        "RL119→RT206: the linter reports the compile (16), the trace the combined model's step "
        "(23), which also changes the discriminator's weights", steps=2),
    Row("rules/rl119_good.py", (), (), GOOD, steps=2),
    Row("rules/rl119_outputs_bad.py", ("RL119@18",), ("RT206@25",),
        "RL119→RT206: a combined model of two outputs; the linter reports the compile (18), the "
        "trace the combined model's step (25), which also changes the discriminator's weights", steps=2),
    Row("rules/rl119_outputs_good.py", (), (), GOOD, steps=2),
    Row("rules/rl120_bad.py", ("RL120@17",), (),
        NO_COUNTERPART + "TF raises on the batch norm's second width; the trace reports that "
        "error and no finding", crash="is incompatible with the layer"),
    Row("rules/rl120_good.py", (), (), GOOD),
    Row("rules/rl120_loop_bad.py", ("RL120@17",), (),
        NO_COUNTERPART + "TF raises on the batch norm's second width, on the loop's second pass; "
        "the trace reports that error and no finding", crash="is incompatible with the layer"),
    Row("rules/rl120_loop_good.py", (), (), GOOD),
    Row("rules/rl120_append_loop_bad.py", ("RL120@19",), (),
        NO_COUNTERPART + "TF raises on the batch norm's second width, on the loop's second pass over "
        "the convs `__init__` appended; the trace reports that error and no finding",
        crash="is incompatible with the layer"),
    Row("rules/rl120_append_loop_good.py", (), (), GOOD),
    Row("rules/rl120_stack_bad.py", ("RL120@19",), (),
        NO_COUNTERPART + "one LayerNormalization applied twice creates its weights once; to TF "
        "that is one layer used twice, as siamese towers use theirs"),
    Row("rules/rl120_stack_good.py", (), (), GOOD),
    Row("rules/rl120_build_bad.py", ("RL120@28", "RL120@29"), (),
        NO_COUNTERPART + "one block object applied three times builds its sublayers once; to TF "
        "that is one layer used three times, as siamese towers use theirs"),
    Row("rules/rl120_build_good.py", (), (), GOOD),
    Row("rules/rl120_shortcut_bad.py", ("RL120@23",), (),
        NO_COUNTERPART + "one BatchNormalization applied to a residual path and to its shortcut "
        "creates its weights once; to TF that is one layer used twice"),
    Row("rules/rl120_shortcut_good.py", (), (), GOOD),
    Row("rules/rl120_dense_bad.py", ("RL120@18",), (),
        NO_COUNTERPART + "TF raises on the hidden Dense's second width; the trace reports that "
        "error and no finding", crash="is incompatible with the layer"),
    Row("rules/rl120_dense_good.py", (), (), GOOD),
    Row("rules/rl120_ordered_bad.py", ("RL120@21",), (),
        NO_COUNTERPART + "TF raises on the batch norm's second width (the convolutions kept in an "
        "OrderedDict); the trace reports that error and no finding", crash="is incompatible with the layer"),
    Row("rules/rl120_ordered_good.py", (), (), GOOD),
    Row("rules/rl120_modes_bad.py", ("RL120@25",), (),
        NO_COUNTERPART + "one projection of one's own applied twice in one direction creates its "
        "kernel once; to TF that is one layer used twice"),
    Row("rules/rl120_modes_good.py", (), (), GOOD),
    Row("rules/rl121_bad.py", ("RL121@22",), (),
        NO_COUNTERPART + "run alone, TF raises on the second optimizer's retrace; under the "
        "trace's hooks it does not (why is not yet investigated), and the trace reports nothing"),
    Row("rules/rl121_good.py", (), (), GOOD),
    Row("rules/rl121_each_turn_bad.py", ("RL121@28",), (),
        NO_COUNTERPART + "as for rl121_bad: TF raises on the second resolution's retrace when the "
        "script runs alone, and the trace reports no variable of it"),
    Row("rules/rl121_each_turn_good.py", (), (), GOOD),
    Row("rules/rl124_bad.py", ("RL124@27",), (),
        NO_COUNTERPART + "without --steps the trace stops at the first tape.gradient, before the "
        "encoder's step where TF raises (its Adam knows only the decoder's variables)"),
    Row("rules/rl124_good.py", (), (), GOOD),
    Row("rules/rl124_default_bad.py", ("RL124@14",), (),
        NO_COUNTERPART + "without --steps the trace stops at the first emulator's tape.gradient, "
        "before the second emulator's step where TF raises (the default Adam knows only the first's variables)"),
    Row("rules/rl124_default_good.py", (), (), GOOD),
    Row("rules/rl124_gan_bad.py", ("RL124@42",), (),
        NO_COUNTERPART + "the trace stops at the first train_on_batch, the discriminator's, before "
        "the combined model's step where TF raises (its Adam knows only the discriminator's variables)"),
    Row("rules/rl124_gan_good.py", (), (), GOOD),
    Row("rules/rl124_subclass_bad.py", ("RL124@45",), (),
        NO_COUNTERPART + "without --steps the trace stops at the first tape.gradient, before the "
        "actor's step where TF raises (its Adam knows only the critic's variables)"),
    Row("rules/rl124_subclass_good.py", (), (), GOOD),
    Row("rules/rl124_fit_step_bad.py", ("RL124@36",), (),
        NO_COUNTERPART + "without --steps the trace stops at the discriminator's tape.gradient in the "
        "train_step `fit` runs, before the generator's step where TF raises (its Adam knows only the "
        "discriminator's variables)"),
    Row("rules/rl124_fit_step_good.py", (), (), GOOD),
    Row("rules/rl124_weightless_head_bad.py", ("RL124@37",), (),
        NO_COUNTERPART + "without --steps the trace stops at the classifier's first gradient (36), "
        "before the real/fake model's step where TF raises (its Adam knows only the "
        "classifier's variables, not the new Dense head's)"),
    Row("rules/rl124_weightless_head_good.py", (), (), GOOD),
    Row("rules/rl124_grown_bad.py", ("RL124@35",), (),
        NO_COUNTERPART + "without --steps the trace stops at the first tape.gradient, before the "
        "clustering step where TF raises (its Adam knows only the autoencoder's variables, listed by `+=`)"),
    Row("rules/rl124_grown_good.py", (), (), GOOD),
    Row("rules/rl124_resume_bad.py", ("RL124@54",), (),
        NO_COUNTERPART + "the trace stops at the first train_on_batch, the combined model's, before "
        "the discriminator's step where TF raises (its Adam knows only the generator's variables)"),
    Row("rules/rl124_resume_good.py", (), (), GOOD),
    Row("rules/rl124_trainer_pick_bad.py", ("RL124@64",), (),
        NO_COUNTERPART + "without --steps the trace stops at the pre-training tape.gradient (27), "
        "before the clustering step where TF raises (its Adam knows only the autoencoder's variables, "
        "not the clustering layer's centres)"),
    Row("rules/rl124_trainer_pick_good.py", (), (), GOOD),
    Row("rules/rl125_bad.py", ("RL125@42",), (),
        NO_COUNTERPART + "to TensorFlow, a target update that assigns eight of nine target "
        "variables is just a smaller update: the variable zip never pairs is never touched"),
    Row("rules/rl125_good.py", (), (), GOOD),
    Row("rules/rl125_stats_bad.py", ("RL125@24",), (),
        NO_COUNTERPART + "the shifted pairs reach a target moving mean and the online output kernel; "
        "TF raises at that assign (line 25) while building, and the trace reports the error",
        crash="Shapes must be equal rank, but are 1 and 2"),
    Row("rules/rl125_stats_good.py", (), (), GOOD),
    Row("rules/rl124_architecture_pick_bad.py", ("RL124@78",), (),
        NO_COUNTERPART + "without --steps the trace stops at the pre-training tape.gradient (71), "
        "before the clustering step where TF raises (its Adam knows only the autoencoder's variables "
        "of the architecture picked, not the clustering layer's centres)"),
    Row("rules/rl124_architecture_pick_good.py", (), (), GOOD),
    Row("rules/rl122_bad.py", ("RL122@14",), (),
        NO_COUNTERPART + "TF raises TypeError at the misspelt keyword while building; the trace "
        "reports that error and no finding", crash="unexpected keyword argument 'list_var'"),
    Row("rules/rl122_good.py", (), (), GOOD),
    Row("rules/rl123_bad.py", ("RL123@15",), (),
        NO_COUNTERPART + "to TF the overwritten layer is one more layer built once, and its None "
        "gradients are skipped with a warning: the trace sees no sharing event"),
    Row("rules/rl123_good.py", (), (), GOOD),
    Row("rules/rl123_reapplied_good.py", (), (), GOOD),
    Row("rules/rl126_bad.py", ("RL126@25",), (),
        NO_COUNTERPART + "the trace stops at fit's first tape.gradient; which weights Keras steps "
        "is fixed by the trainable state of compile, which the trace does not compare"),
    Row("rules/rl126_good.py", (), (), GOOD),
    Row("rules/rl126_unfreeze_bad.py", ("RL126@18",), (),
        NO_COUNTERPART + "the trace stops at the first fit's tape.gradient, before the second fit "
        "that leaves the unfrozen base unchanged"),
    Row("rules/rl126_unfreeze_good.py", (), (), GOOD),
    Row("rules/rl126_callback_bad.py", ("RL126@24",), (),
        NO_COUNTERPART + "the trace stops at fit's first tape.gradient, before the callback compiles "
        "the model again"),
    Row("rules/rl126_callback_good.py", (), (), GOOD),
    Row("rules/rl127_bad.py", ("RL127@17",), (),
        NO_COUNTERPART + "the trace reports variables made, copied or shared; a weight replaced by a "
        "tensor is made once and only left untrained, which the trace does not compare"),
    Row("rules/rl127_good.py", (), (), GOOD),
    Row("rules/rl128_bad.py", ("RL128@14",), (),
        NO_COUNTERPART + "the trace stops at the first step's tape.gradient; under --steps it reports "
        "what each step's var_list changed, and Keras 3 leaves the bare tf.Variable out of every list"),
    Row("rules/rl128_good.py", (), (), GOOD),
    Row("seed/example1_incorrect_reuse.py", ("RL101@16",), ("RT201@16",),
        "RL101→RT201: the article's Example 1"),
    Row("seed/example2_correct_reuse.py", (), (), GOOD),
    Row("seed/example3_basic_gan.py", (), (), GOOD),
    Row("project/train.py", ("RL101@12",), ("RT201@12",),
        "RL101→RT201: the builder comes from model.py"),
    Row("project/run_gan.py", ("RL101@gan.py:9",), ("RT201@gan.py:9",),
        "RL101→RT201 in gan.py, whose inherited discriminator the script builds twice",
        also_lint=("project/gan.py",)),
    Row("crossmodule/custom_cell_bad/main.py", ("RL101@21",), ("RT201@21",),
        "RL101→RT201: dynamic_rnn runs model.py's own cell class under `rnn`, where the one-step "
        "call made rnn/gated/w", also_lint=("crossmodule/custom_cell_bad/model.py",)),
    Row("crossmodule/custom_cell_good/main.py", (), (), GOOD, also_lint=("crossmodule/custom_cell_good/model.py",)),
    Row("crossmodule/memory_cell_bad/main.py", ("RL113@ntm_cell.py:26", "RL113@ntm_cell.py:27"), ("RT204@18",),
        "RL113→RT204: each later step, called without the state (18), runs ntm_cell.py's start-state "
        "branch again under the reused scope: its tf.Variables make ntm/init_cell_1/ and "
        "ntm/init_cell_2/ copies of the start memory and read vector",
        also_lint=("crossmodule/memory_cell_bad/ntm_cell.py",)),
    Row("crossmodule/memory_cell_good/main.py", (), (), GOOD, also_lint=("crossmodule/memory_cell_good/ntm_cell.py",)),
    Row("crossmodule/stacked_cell_bad/main.py", ("RL101@25",), ("RT201@25",),
        "RL101→RT201: the inference encoder's fresh stack of cells.py's own cells, each in a "
        "DropoutWrapper, runs under encoder/multi_rnn_cell/cell_i again without reuse",
        also_lint=("crossmodule/stacked_cell_bad/cells.py",)),
    Row("crossmodule/stacked_cell_good/main.py", (), (), GOOD, also_lint=("crossmodule/stacked_cell_good/cells.py",)),
    Row("crossmodule/cond_branches_bad/main.py", ("RL101@16",), ("RT201@16",),
        "RL101→RT201: graph mode builds both branches of the tf.cond, the evaluation one second, "
        "and it makes model.py's classifier/conv1/kernel again",
        also_lint=("crossmodule/cond_branches_bad/model.py",)),
    Row("crossmodule/cond_branches_good/main.py", (), (), GOOD, also_lint=("crossmodule/cond_branches_good/model.py",)),
    Row("crossmodule/namespace_pkg_bad/main.py", ("RL101@15",), ("RT201@15",),
        "RL101→RT201: the discriminator of libs/networks.py, imported from a folder without "
        "__init__.py, is built again for the generated batch and makes discriminator/d_h0/w again",
        also_lint=("crossmodule/namespace_pkg_bad/libs/networks.py",)),
    Row("crossmodule/namespace_pkg_good/main.py", (), (), GOOD,
        also_lint=("crossmodule/namespace_pkg_good/libs/networks.py",)),
    Row("crossmodule/critic_flag_bad/train.py", ("RL115@critic.py:13", "RL115@critic.py:14", "RL115@critic.py:16"),
        ("RT201@11",),
        "RL115→RT201: critic.py's scopes take the flag as default_name, so train.py's reuse=True "
        "call (11) creates critic/h0/w again", also_lint=("crossmodule/critic_flag_bad/critic.py",)),
    Row("crossmodule/critic_flag_good/train.py", (), (), GOOD, also_lint=("crossmodule/critic_flag_good/critic.py",)),
    Row("crossmodule/perceptual_loss_bad/main.py", ("RL124@31",), (),
        NO_COUNTERPART + "the trace stops at the first train_on_batch, the discriminator's, before "
        "the combined model's step where TF raises (its Adam knows only the discriminator's variables)",
        also_lint=("crossmodule/perceptual_loss_bad/nets.py", "crossmodule/perceptual_loss_bad/losses.py")),
    Row("crossmodule/perceptual_loss_good/main.py", (), (), GOOD,
        also_lint=("crossmodule/perceptual_loss_good/nets.py", "crossmodule/perceptual_loss_good/losses.py")),
    Row("crossmodule/pkg_import_bad/main.py", ("RL101@graph.py:10",), ("RT201@graph.py:10",),
        "RL101→RT201: vae/run/graph.py, which imports `vae.nets.coder` by its full dotted name, "
        "encodes the noisy batch with a second encoder call without reuse (encoder/e_h0/w)",
        also_lint=("crossmodule/pkg_import_bad/vae/run/graph.py",)),
    Row("crossmodule/pkg_import_good/main.py", (), (), GOOD,
        also_lint=("crossmodule/pkg_import_good/vae/run/graph.py",)),
)
ROWS = {row.fixture: row for row in TABLE}


def _label(row: Row, diagnostic) -> str:
    here = os.path.samefile(diagnostic.path, row.path)
    return f"{diagnostic.code}@{diagnostic.line if here else f'{os.path.basename(diagnostic.path)}:{diagnostic.line}'}"


def _labels(row: Row, diagnostics) -> tuple[str, ...]:
    return tuple(sorted(_label(row, d) for d in diagnostics))


@pytest.fixture(scope="session")
def traces() -> dict:
    found = run_traces([row.path for row in TABLE if not row.steps])
    for row in TABLE:
        if row.steps:
            found[row.path] = run_trace(row.path, steps=row.steps, timeout=120)
    return found


def test_every_fixture_has_a_row():
    files = {
        f"{folder}/{name}"
        for folder in ("rules", "seed")
        for name in os.listdir(os.path.join(FIXTURES, folder)) if name.endswith(".py")
    }
    assert set(ROWS) == files | {"project/train.py", "project/run_gan.py", "crossmodule/custom_cell_bad/main.py",
                                 "crossmodule/custom_cell_good/main.py", "crossmodule/memory_cell_bad/main.py",
                                 "crossmodule/memory_cell_good/main.py", "crossmodule/stacked_cell_bad/main.py",
                                 "crossmodule/stacked_cell_good/main.py", "crossmodule/cond_branches_bad/main.py",
                                 "crossmodule/cond_branches_good/main.py",
                                 "crossmodule/namespace_pkg_bad/main.py", "crossmodule/namespace_pkg_good/main.py",
                                 "crossmodule/critic_flag_bad/train.py", "crossmodule/critic_flag_good/train.py",
                                 "crossmodule/perceptual_loss_bad/main.py", "crossmodule/perceptual_loss_good/main.py",
                                 "crossmodule/pkg_import_bad/main.py", "crossmodule/pkg_import_good/main.py"}


def test_a_bad_row_explains_its_mapping_and_a_good_row_is_silent():
    for row in TABLE:
        if row.why == GOOD:
            assert (row.static, row.dynamic) == ((), ()), row.fixture
        elif row.why.startswith(DYNAMIC_ONLY):
            assert not row.static and row.dynamic, row.fixture
        elif not row.dynamic:
            assert row.why.startswith(NO_COUNTERPART), row.fixture
        else:
            rule, counterpart = row.why.split(":")[0].split(" ")[0].split("→")
            assert rule == row.static[0].split("@")[0], row.fixture
            assert counterpart in {d.split("@")[0] for d in row.dynamic}, row.fixture


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.fixture)
def test_static(row):
    paths = [row.path, *(os.path.join(FIXTURES, p) for p in row.also_lint)]
    assert _labels(row, lint_files(paths)) == tuple(sorted(row.static))


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.fixture)
def test_dynamic(row, traces):
    traced = traces[row.path]
    if row.crash:
        assert isinstance(traced, TraceError) and row.crash in traced.traceback
        traced = traced.result
    assert not isinstance(traced, TraceError), traced
    assert _labels(row, traced.diagnostics) == tuple(sorted(row.dynamic))


@pytest.mark.parametrize("fixture", ["rules/rl106_bad.py", "project/run_gan.py"])
def test_a_batch_traces_like_single_runs(fixture, traces):
    row, alone = ROWS[fixture], run_trace(ROWS[fixture].path, timeout=120)
    assert _labels(row, alone.diagnostics) == _labels(row, traces[row.path].diagnostics)
    assert [v.name for v in alone.variables] == [v.name for v in traces[row.path].variables]
