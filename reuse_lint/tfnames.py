"""The one table of TensorFlow names that the rules care about.

Names are matched after canonicalisation, never on the text a file uses: whether a file
wrote `tf.variable_scope`, `v1.variable_scope` or `from tensorflow.compat.v1 import
variable_scope as vs`, the interpreter resolves the value to the qualified name
`tensorflow.compat.v1.variable_scope`, and `canonical()` turns that into `tf.variable_scope`.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Module roots whose imports we follow, with the canonical prefix each stands for.
# Order matters: the longest prefix wins.
_PREFIXES = (
    ("tensorflow.compat.v1.keras.", "keras."),
    ("tensorflow.compat.v2.keras.", "keras."),
    ("tensorflow.compat.v1.", "tf."),
    ("tensorflow.contrib.slim.", "slim."),
    ("tensorflow.contrib.layers.", "contrib.layers."),
    ("tensorflow.contrib.", "contrib."),
    ("tensorflow.keras.", "keras."),
    ("tensorflow.python.keras.", "keras."),
    ("tensorflow.", "tf."),
    ("tf_slim.", "slim."),
    ("tf_keras.", "keras."),
    ("keras.", "keras."),
)
ROOT_MODULES = ("tensorflow", "tf_slim", "tf_keras", "keras")


def canonical(qualname: str) -> str:
    """`tensorflow.compat.v1.layers.dense` -> `tf.layers.dense`."""
    dotted = qualname + "."
    for prefix, canon in _PREFIXES:
        if dotted.startswith(prefix):
            return _public_layer((canon + dotted[len(prefix):]).rstrip("."))
    return qualname


# Keras 2's modules of layer classes, which projects import from directly (`from
# keras.layers.core import Dense`); `keras.layers` exports each class under the same name.
# (`legacy_rnn.rnn_cell_impl` holds TF's own RNN cells, modelled as such: not listed.)
_KERAS_LAYER_MODULES = frozenset(
    """core convolutional convolutional_recurrent normalization recurrent cudnn_recurrent pooling
    merge embeddings advanced_activations wrappers noise local dense_attention""".split()
)


def _public_layer(canon: str) -> str:
    """`keras.layers.core.Dense` -> `keras.layers.Dense`."""
    parts = canon.split(".")
    if len(parts) == 4 and parts[:2] == ["keras", "layers"] and parts[2] in _KERAS_LAYER_MODULES and parts[3][:1].isupper():
        return "keras.layers." + parts[3]
    return canon


VARIABLE_SCOPE = "tf.variable_scope"
# `reuse` is variable_scope's ninth positional parameter (after name_or_scope, default_name,
# values, initializer, regularizer, caching_device, partitioner, custom_getter).
VARIABLE_SCOPE_REUSE_POSITION = 8
NAME_SCOPES = frozenset({"tf.name_scope", "tf.op_scope"})
GET_VARIABLE = "tf.get_variable"
GET_VARIABLE_SCOPE = "tf.get_variable_scope"
AUTO_REUSE = "tf.AUTO_REUSE"
MAKE_TEMPLATE = "tf.make_template"
GRAPH = "tf.Graph"
# `InteractiveSession(graph=g)` holds its graph as `Session(graph=g)` does.
SESSIONS = frozenset({"tf.Session", "tf.InteractiveSession"})
RESET_DEFAULT_GRAPH = "tf.reset_default_graph"
# `keras.backend.variable` (`K.variable`) makes a tf.Variable under TensorFlow.
VARIABLE = frozenset({"tf.Variable", "tf.compat.v2.Variable", "keras.backend.variable"})
# Names only Keras 3 has (`keras.ops`, `from keras import random`, `keras.Variable`; the
# `keras_core` preview): a module that uses one runs Keras 3, whose layers track Keras
# variables only, not a bare `tf.Variable` kept on `self`.
# (Raw names below the `keras` package, not canonical ones: tf.keras has none of them.)
KERAS3_ONLY = ("ops", "random", "Variable")
KERAS3_PREVIEW = "keras_core"
# The environment switch that makes `tf.keras` Keras 2 (tf_keras) on TF 2.16 and later.
LEGACY_KERAS_SWITCH = "TF_USE_LEGACY_KERAS"
# Keras modules whose layers track a `tf.Variable` set on them: tf_keras and TF's own old copy.
KERAS2_ROOTS = ("tf_keras", "tensorflow.python.keras", "tensorflow.compat.v1.keras")
# Keras 2's filled backend tensors (`K.zeros`, `K.ones`) are variables: eager, one per
# call; in a tf.function TF raises (the singleton error, or a shape tensor out of scope).
FILLED_VARIABLES = frozenset({"keras.backend.zeros", "keras.backend.ones"})
# A functional model's inputs: a builder applied to several of them makes one tower per
# input (queries._meant_to_share).
KERAS_INPUTS = frozenset({"keras.Input", "keras.layers.Input"})
# Where `trainable` stands among the positional arguments: `tf.Variable(0, False)` is a
# counter kept out of training (`keras.backend.variable(value, dtype, name)` has none).
TRAINABLE_POSITION = {"tf.Variable": 1, "tf.compat.v2.Variable": 1, "tf.get_variable": 5}
TF_FUNCTION = frozenset({"tf.function", "tf.compat.v2.function"})
# Higher-order ops that trace the functions they are given once, when the op is built: what
# they make exists as soon as the call returns (a MAML learner's inner loss mapped over tasks).
# Each name -> the positions and keywords of its function arguments.
TRACED_AT_CALL = {
    "tf.map_fn": ((0, "fn"),), "tf.scan": ((0, "fn"),), "tf.foldl": ((0, "fn"),), "tf.foldr": ((0, "fn"),),
    "tf.while_loop": ((0, "cond"), (1, "body")),
    "tf.vectorized_map": ((0, "fn"),),
}
# Of those, the functions TF runs once per step on what the previous step returned (a loop's
# body, a scan's or fold's accumulator function): one step function of the model, its layers
# applied again to their own earlier output by design. `map_fn`'s runs on each element apart.
RECURRENT_STEPS = frozenset({("tf.while_loop", "body"), ("tf.scan", "fn"), ("tf.foldl", "fn"), ("tf.foldr", "fn")})
# `tf.distribute.Strategy` methods that call the function given them, on each replica, with
# its `args=`/`kwargs=`: `strategy.run(step_fn, args=(x,))`. A strategy is rarely a value the
# analysis knows (a parameter, a TPU resolver's), so the method name and the call's shape
# (a function first, then only these keywords) are what tell it.
STRATEGY_RUNS = frozenset({"run", "experimental_run_v2", "experimental_run"})
STRATEGY_RUN_KEYWORDS = frozenset({"args", "kwargs", "options"})
# `tf.cond(pred, true_fn, false_fn)` (TF 1.x also `fn1=`/`fn2=`) and `tf.case(pairs,
# default)`: graph mode builds every branch once, in order, when the op is built.
TF_COND = frozenset({"tf.cond", "tf.python.ops.control_flow_ops.cond"})
TF_CASE = frozenset({"tf.case", "tf.python.ops.control_flow_ops.case"})
# Names only graph-mode (TF 1 style) programs use: a program that names one builds graphs, so
# its `tf.cond`s build both branches. An eager program runs the taken branch only.
GRAPH_CODE = frozenset({
    "tf.placeholder", "tf.placeholder_with_default", "tf.Session", "tf.InteractiveSession",
    "tf.disable_eager_execution", "tf.disable_v2_behavior", "tf.get_variable", "tf.variable_scope",
    "tf.Graph", "tf.get_default_graph", "tf.reset_default_graph",
})
# What runs only with eager execution off, or turns it off, or exists only in TensorFlow 1
# (`tf.Session` under TF's own root, not `tf.compat.v1`, as the module names it): a program
# that names one runs TF in graph mode (Keras there steps with its legacy optimizers).
GRAPH_MODE = frozenset({
    "tf.placeholder", "tf.placeholder_with_default", "tf.disable_eager_execution", "tf.disable_v2_behavior",
    "tensorflow.Session", "tensorflow.InteractiveSession", "tensorflow.ConfigProto",
})
# What turns TF 1's eager execution on (TF 2 runs eagerly anyway, but keeps the v1 variable
# store behind `tf.compat.v1` graphs).
EAGER_ON = frozenset({"tf.enable_eager_execution", "tf.enable_v2_behavior"})
# Keras 1's API (multi-backend Keras of 2016-17), gone from tf.keras and Keras 3: a program
# that names one, or passes one of the keywords below to a Keras name, runs on a Keras whose
# optimizers make their updates per model, so one optimizer may step several.
LEGACY_KERAS = frozenset({
    "keras.backend.set_image_dim_ordering", "keras.backend.image_dim_ordering",
    "keras.layers.Convolution1D", "keras.layers.Convolution2D", "keras.layers.Convolution3D",
    "keras.layers.Deconvolution2D", "keras.layers.merge", "keras.layers.Merge",
})
LEGACY_KERAS_KEYWORDS = frozenset({"init", "nb_epoch", "border_mode", "subsample", "output_dim", "nb_filter",
                                   "input", "output"})
# TensorFlow's version string (`tf.VERSION` is also `tf.compat.v1.VERSION`).
VERSION_STRINGS = frozenset({"tf.__version__", "tf.version.VERSION", "tf.VERSION"})

# Functional layers: canonical name -> (default scope name, variables it creates).
# The default name is what TF uniquifies (`dense`, `dense_1`) when `name=`/`scope=` is absent.
_KERNEL_BIAS = ("kernel", "bias")
_WEIGHTS_BIASES = ("weights", "biases")
_BN_LAYERS = ("gamma", "beta", "moving_mean", "moving_variance")
_BN_CONTRIB = ("beta", "moving_mean", "moving_variance")

LAYER_FUNCTIONS: dict[str, tuple[str, tuple[str, ...]]] = {}
for _name in ("dense", "conv1d", "conv2d", "conv3d", "conv2d_transpose", "conv3d_transpose"):
    LAYER_FUNCTIONS[f"tf.layers.{_name}"] = (_name, _KERNEL_BIAS)
LAYER_FUNCTIONS["tf.layers.separable_conv1d"] = ("separable_conv1d", ("depthwise_kernel", "pointwise_kernel", "bias"))
LAYER_FUNCTIONS["tf.layers.separable_conv2d"] = ("separable_conv2d", ("depthwise_kernel", "pointwise_kernel", "bias"))
LAYER_FUNCTIONS["tf.layers.batch_normalization"] = ("batch_normalization", _BN_LAYERS)
for _ns in ("contrib.layers", "slim"):
    for _name, _scope in (
        ("fully_connected", "fully_connected"),
        ("linear", "fully_connected"),
        ("conv2d", "Conv"),
        ("convolution2d", "Conv"),
        ("convolution", "Conv"),
        ("conv2d_transpose", "Conv2d_transpose"),
        ("conv2d_in_plane", "ConvInPlane"),
        ("separable_conv2d", "SeparableConv2d"),
    ):
        LAYER_FUNCTIONS[f"{_ns}.{_name}"] = (_scope, _WEIGHTS_BIASES)
    LAYER_FUNCTIONS[f"{_ns}.batch_norm"] = ("BatchNorm", _BN_CONTRIB)
    LAYER_FUNCTIONS[f"{_ns}.layer_norm"] = ("LayerNorm", ("beta", "gamma"))

# slim / contrib.layers layers that run a `normalizer_fn` (and their `activation_fn`) inside
# their own scope, after their weights: every entry of the loop above.
NORMALIZED_LAYERS = frozenset(
    name for name in LAYER_FUNCTIONS
    if name.startswith(("contrib.layers.", "slim.")) and LAYER_FUNCTIONS[name][0] not in ("BatchNorm", "LayerNorm")
)
ARG_SCOPES = frozenset({"slim.arg_scope", "contrib.framework.arg_scope"})
# `arg_scope` keys a function by its identity: `conv2d` is `convolution2d` by another name,
# and `linear` a partial of `fully_connected`; both namespaces hold the same functions.
_ARG_SCOPE_ALIASES = {
    "conv1d": "convolution1d", "conv2d": "convolution2d", "conv3d": "convolution3d",
    "conv2d_transpose": "convolution2d_transpose", "conv2d_in_plane": "convolution2d_in_plane",
    "separable_conv2d": "separable_convolution2d", "linear": "fully_connected",
}


def arg_scope_key(canon: str) -> str | None:
    """The function a slim / contrib.layers name is, as `arg_scope` keys it (None: not one)."""
    for namespace in ("contrib.layers.", "slim."):
        if canon.startswith(namespace):
            leaf = canon[len(namespace):]
            return _ARG_SCOPE_ALIASES.get(leaf, leaf)
    return None


# The argument that names a functional layer's scope: `name=` in tf.layers, `scope=` elsewhere.
def layer_name_argument(canon: str) -> str:
    return "name" if canon.startswith("tf.layers.") else "scope"


# Calls into these namespaces may create variables we do not model (RNN cells, estimators,
# Keras models): after one, "nothing was created" can no longer be claimed.
OPAQUE_CREATOR_PREFIXES = (
    "tf.nn.rnn_cell.", "tf.nn.dynamic_rnn", "tf.nn.bidirectional_dynamic_rnn", "tf.nn.static_rnn",
    "tf.contrib.", "contrib.", "slim.", "keras.", "tf.estimator.", "tf.train.ExponentialMovingAverage",
    "tf.layers.", "tf.hub", "tf.keras",
    # The same creators by their implementation paths (`from tensorflow.python.ops import rnn,
    # variable_scope`) and TF 0.x's names (`tf.nn.rnn`, `tf.nn.seq2seq`, `tensorflow.models`).
    "tf.nn.rnn", "tf.nn.bidirectional_rnn", "tf.nn.static_bidirectional_rnn", "tf.nn.seq2seq",
    "tf.models.", "tf.python.ops.rnn", "tf.python.ops.variable_scope.", "tf.python.ops.variables.",
    "tf.python.layers.", "tf.python.training.",
)


# Layer functions that make no variable (reshaping, dropout, pooling): under the prefixes
# above, yet a call of one is an op like any other.
WEIGHTLESS_FUNCTIONS = frozenset(
    [f"{ns}.{leaf}" for ns in ("contrib.layers", "slim") for leaf in (
        "flatten", "dropout", "max_pool2d", "avg_pool2d", "max_pool3d", "avg_pool3d", "one_hot_encoding", "softmax",
        "unit_norm")]
    + [f"tf.layers.{leaf}" for leaf in (
        "flatten", "dropout", "max_pooling1d", "max_pooling2d", "max_pooling3d", "average_pooling1d",
        "average_pooling2d", "average_pooling3d")]
)


def may_create_opaquely(canon: str) -> bool:
    if canon in LAYER_FUNCTIONS or canon == GET_VARIABLE or canon in WEIGHTLESS_FUNCTIONS:
        return False
    if makes_configuration(canon):
        return False  # `tf.contrib.keras.initializers.he_normal()`: a setting, no variable
    return canon.startswith(OPAQUE_CREATOR_PREFIXES)


# TensorFlow Addons' layers that hold weights, modelled as the Keras layers they are
# (`tfa.layers.InstanceNormalization()` in a CycleGAN's `call` makes its gamma and beta on
# every call). The package's other names stay a third party's.
ADDON_LAYERS = {
    f"tensorflow_addons.layers.{name}": f"keras.layers.{name}"
    for name in ("GroupNormalization", "InstanceNormalization", "FilterResponseNormalization",
                 "WeightNormalization", "SpectralNormalization", "NoisyDense")
}


KERAS_DATA_HELPERS = frozenset({"keras.utils.to_categorical", "keras.utils.normalize"})
# What reads a whole Keras model (layers, weights, optimizer) back from a file a run saved.
KERAS_MODEL_LOADERS = frozenset({
    "keras.models.load_model", "tf.keras.models.load_model", "keras.saving.load_model", "tf.keras.saving.load_model",
    # the architecture read back, the weights then loaded into it (`load_weights`)
    "keras.models.model_from_json", "tf.keras.models.model_from_json",
    "keras.models.model_from_config", "tf.keras.models.model_from_config",
})


def makes_configuration(canon: str) -> bool:
    """An initializer, regularizer or constraint (`tf.keras.regularizers.l2(0.1)`,
    `tf.random_normal_initializer()`, `xavier_initializer()`), or Keras's NumPy data helpers
    (`keras.datasets.*.load_data()`, `to_categorical`): a setting or data, not a graph's
    tensor. Two builder calls given two of them are configured, not fed, differently."""
    namespace, _, leaf = canon.rpartition(".")
    if canon.startswith("keras.datasets.") or canon in KERAS_DATA_HELPERS:
        return True  # NumPy data, not a graph's tensor: two loads are not two inputs to one model
    if namespace.rsplit(".", 1)[-1] in ("initializers", "regularizers", "constraints"):
        return True
    return leaf.endswith(("_initializer", "_regularizer", "Initializer", "Regularizer"))


# Files that mention none of these bytes import no TensorFlow root module.
RAW_MARKERS = (b"tensorflow", b"tf_slim", b"keras")

NON_TRAINABLE = frozenset({"moving_mean", "moving_variance"})
STOP_GRADIENT = "tf.stop_gradient"
# A sequence turned back to front: what a backward RNN written by hand runs on.
REVERSALS = frozenset({"tf.reverse", "tf.reverse_v2", "tf.reverse_sequence"})
# Joins of tensors along an axis: along the batch axis, each input's samples stay apart.
BATCH_JOINS = frozenset({"tf.concat"})
# TF1 training steps built by hand: gradients of a loss for a list, clipped, zipped back.
GRADIENTS = "tf.gradients"
CLIP_BY_GLOBAL_NORM = "tf.clip_by_global_norm"
GRADIENT_TAPES = frozenset({"tf.GradientTape", "tf.autodiff.GradientTape"})
EMA = "tf.train.ExponentialMovingAverage"
# Optimizers that wrap another, given first (`opt` or `optimizer`), and hand it every step: the
# wrapped one computes and applies, and makes its slots under its own name
# (`SyncReplicasOptimizer(MomentumOptimizer(...))` gives `w/Momentum`). The replica count, the
# shard reduction, a clip or a loss scale change the gradients, not which variables train.
OPTIMIZER_WRAPPERS = frozenset({
    "tf.train.SyncReplicasOptimizer", "tf.train.SyncReplicasOptimizerV2", "tf.tpu.CrossShardOptimizer",
    "contrib.tpu.CrossShardOptimizer", "contrib.opt.MovingAverageOptimizer", "contrib.opt.DropStaleGradientOptimizer",
    "contrib.mixed_precision.LossScaleOptimizer", "contrib.estimator.clip_gradients_by_norm",
})
# A hand-written batch norm's update of its moving statistics (`from tensorflow.python.training
# import moving_averages`, as slim's own batch norm does): an op, whose `zero_debias` (on by
# default) also makes two non-trainable variables under the averaged one's name.
ASSIGN_MOVING_AVERAGE = "tf.python.training.moving_averages.assign_moving_average"
_ZERO_DEBIAS_NAME = re.compile(r"(^|/)(biased|local_step)(_\d+)?$")


def is_zero_debias_name(name: str) -> bool:
    """`bn/moving_mean/biased`, `.../local_step_1`: a name `assign_moving_average` may have made."""
    return _ZERO_DEBIAS_NAME.search(name) is not None
# The statistics a hand-written batch norm averages: ops' outputs, never variables.
MOMENTS = frozenset({"tf.nn.moments", "tf.nn.weighted_moments"})

# Selections of variables: `get_collection(KEY, scope)` and its shorthands.
# `tf.contrib.framework.get_variables` is slim's function under its TF 1.x contrib name.
TRAINABLE_SELECTORS = frozenset({
    "tf.trainable_variables", "slim.get_trainable_variables", "contrib.framework.get_trainable_variables",
})
SELECTORS = TRAINABLE_SELECTORS | {
    "tf.get_collection", "tf.global_variables", "tf.all_variables", "tf.model_variables",
    "slim.get_variables", "slim.get_model_variables",
    "contrib.framework.get_variables", "contrib.framework.get_model_variables",
}
TRAINABLE_KEYS = frozenset({"tf.GraphKeys.TRAINABLE_VARIABLES", "trainable_variables"})
GLOBAL_KEYS = frozenset({"tf.GraphKeys.GLOBAL_VARIABLES", "variables", "tf.GraphKeys.MODEL_VARIABLES", "model_variables"})

# Optimizers whose minimize/apply_gradients create slot variables next to each variable.
SLOT_OPTIMIZERS = frozenset({
    "AdamOptimizer", "MomentumOptimizer", "RMSPropOptimizer", "AdagradOptimizer",
    "AdadeltaOptimizer", "FtrlOptimizer", "AdagradDAOptimizer", "ProximalAdagradOptimizer",
    "AdaMaxOptimizer", "NadamOptimizer", "LazyAdamOptimizer",
})


_SCOPE_LEAVES = frozenset({"variable_scope", "variable_op_scope", "op_scope", "name_scope"})


def opens_unknown_scope(canon: str, keywords: frozenset[str], starred: bool) -> bool:
    """A context manager the interpreter does not model that may still name or reuse
    variables: a scope reached by another spelling (`from tensorflow.python.ops import
    variable_scope as vs; vs.variable_scope(...)`, the old `variable_op_scope`), or an
    `arg_scope` that sets `reuse` for the layers inside it."""
    leaf = canon.rsplit(".", 1)[-1]
    if leaf in _SCOPE_LEAVES:
        return canon != VARIABLE_SCOPE and canon not in NAME_SCOPES
    return leaf == "arg_scope" and ("reuse" in keywords or starred)


def is_optimizer(canon: str) -> bool:
    """A `tf.train` optimizer of its own (a wrapper of another is OPTIMIZER_WRAPPERS')."""
    return canon.startswith("tf.train.") and canon.endswith("Optimizer") and canon not in OPTIMIZER_WRAPPERS


KERAS_CALLBACK = "keras.callbacks.Callback"
# The hooks of a Keras callback that `fit` runs after its train function exists.
KERAS_FIT_HOOKS = frozenset({
    "on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end", "on_train_batch_begin", "on_train_batch_end",
})
KERAS_MODELS = frozenset({"keras.Sequential", "keras.Model", "keras.models.Sequential", "keras.models.Model"})
FUNCTIONAL_MODELS = frozenset({"keras.Model", "keras.models.Model"})
# Runs the function it is given on every call of the layer, and tracks nothing it makes.
KERAS_LAMBDA = "keras.layers.Lambda"


# Keras layers that own no weights: building one per call shares nothing and copies nothing.
# (The preprocessing layers Rescaling, Resizing and CenterCrop make no variable in tf_keras or
# Keras 3; the random ones, RandomFlip..., make a seed generator's and are not listed. Keras 3
# gives Dropout and the noise layers a seed variable too, so under Keras 3 they fail in `call`;
# they stay listed because in tf_keras they make none, and a file's text rarely says which.)
KERAS_WEIGHTLESS = frozenset(
    """Activation ReLU LeakyReLU ELU Softmax ThresholdedReLU Dropout SpatialDropout1D
    SpatialDropout2D SpatialDropout3D GaussianNoise GaussianDropout AlphaDropout Flatten Reshape
    InputSpec Permute RepeatVector Lambda Masking Identity Input InputLayer ActivityRegularization Add Subtract
    Multiply Average Maximum Minimum Concatenate Dot MaxPooling1D MaxPooling2D MaxPooling3D
    AveragePooling1D AveragePooling2D AveragePooling3D MaxPool1D MaxPool2D MaxPool3D AvgPool1D
    AvgPool2D AvgPool3D GlobalMaxPooling1D GlobalMaxPooling2D GlobalMaxPooling3D
    GlobalAveragePooling1D GlobalAveragePooling2D GlobalAveragePooling3D GlobalMaxPool1D
    GlobalMaxPool2D GlobalMaxPool3D GlobalAvgPool1D GlobalAvgPool2D GlobalAvgPool3D
    ZeroPadding1D ZeroPadding2D ZeroPadding3D Cropping1D Cropping2D Cropping3D UpSampling1D
    UpSampling2D UpSampling3D Rescaling Resizing CenterCrop""".split()
)


def is_weightless_layer(canon: str) -> bool:
    return canon.rsplit(".", 1)[-1] in KERAS_WEIGHTLESS


# Keras layers that own no trainable weight, though some own other variables: the random
# augmentation layers (a seed generator's state), `Normalization` (its adapted mean and
# variance) and the lookup and encoding layers (tables). Built in TF 2.21 with Keras 3 and
# tf_keras (where each exists), each has 0 trainable weights: a gradient list has nothing of
# theirs to take. (`Pipeline` is left out: its weights are those of the layers it is given.)
KERAS_UNTRAINABLE = KERAS_WEIGHTLESS | frozenset(
    """RandomFlip RandomRotation RandomZoom RandomTranslation RandomContrast RandomBrightness
    RandomCrop RandomHeight RandomWidth RandomGrayscale RandomHue RandomSaturation
    RandomColorJitter RandomColorDegeneration RandomSharpness RandomPosterization RandomShear
    RandomErasing RandomGaussianBlur RandomInvert RandomPerspective RandomElasticTransform
    AutoContrast Solarization Equalization RandAugment AugMix CutMix MixUp
    Normalization Discretization Hashing CategoryEncoding IntegerLookup
    StringLookup TextVectorization""".split()
)


def is_untrainable_layer(canon: str) -> bool:
    """A Keras layer class that owns no trainable weight (`Rescaling`, `RandomFlip`)."""
    return is_keras_object(canon) and canon.rsplit(".", 1)[-1] in KERAS_UNTRAINABLE


# The modules where Keras defines its base classes, which projects import directly
# (`from tensorflow.python.keras.engine.base_layer import Layer`, Keras 3's `keras.src`).
_KERAS_BASE_CLASSES = {
    "keras.engine.base_layer.Layer": "keras.layers.Layer",
    "keras.engine.training.Model": "keras.Model",
    "keras.engine.sequential.Sequential": "keras.Sequential",
    "keras.layers.layer.Layer": "keras.layers.Layer",
    "keras.models.model.Model": "keras.Model",
    "keras.models.sequential.Sequential": "keras.Sequential",
}


def keras_base_class(canon: str) -> str:
    """`keras.src.engine.base_layer.Layer` -> `keras.layers.Layer`: a Keras base class by
    its public name (other names are returned as they are)."""
    if canon.startswith("keras.src."):
        canon = "keras." + canon[len("keras.src."):]
    return _KERAS_BASE_CLASSES.get(canon, canon)


def is_keras_layer_class(canon: str) -> bool:
    """A Keras layer or model class a user class may subclass (`keras.layers.Layer`,
    `keras.Model`): Keras runs the subclass's `call` on every call of the object. TF 1's
    `tf.layers` classes are left out: graph code runs `call` outside any tf.function."""
    canon = keras_base_class(canon)
    return canon == "keras.Layer" or (canon.startswith("keras.") and is_keras_object(canon))


def is_keras_object(canon: str) -> bool:
    """A Keras layer or model class (`keras.layers.Dense`, `tf.layers.Dense`), not a function
    (`keras.layers.Input` makes a tensor)."""
    if canon in KERAS_INPUTS:
        return False
    if canon in KERAS_MODELS:
        return True
    for prefix in ("keras.layers.", "tf.layers."):
        if canon.startswith(prefix):
            last = canon[len(prefix):]
            return "." not in last and last[:1].isupper()
    return False


def is_keras_application(canon: str) -> bool:
    """A packaged Keras model (`keras.applications.VGG19`, `keras.applications.vgg19.VGG19`):
    a whole model made of layers of its own. Lower-case names (`preprocess_input`) are
    functions."""
    if not canon.startswith("keras.applications."):
        return False
    return canon.rsplit(".", 1)[-1][:1].isupper()


def is_legacy_layer_class(canon: str) -> bool:
    """TF 1's layer classes (`tf.layers.Dense`, `tf.compat.v1.layers.Conv2D`): unlike Keras's,
    they make their weights with `get_variable` in the scope they are first called in, so
    they honour that scope's reuse."""
    return canon.startswith("tf.layers.") and is_keras_object(canon)


# Where TF 0.x to 2.x kept its graph-mode RNN cells: `tf.nn.rnn_cell` (and
# `tf.compat.v1.nn.rnn_cell`, canonically the same), `tf.contrib.rnn` and its 1.0-1.1
# `core_rnn_cell` modules, the implementation modules projects imported directly (TF 2 keeps
# them in `tensorflow.python.keras.layers.legacy_rnn`), and TF 0.x's `tensorflow.models.rnn.rnn_cell`.
RNN_CELL_NAMESPACES = frozenset({
    "tf.nn.rnn_cell", "contrib.rnn", "tf.contrib.rnn", "contrib.rnn.core_rnn_cell", "contrib.rnn.python.ops.core_rnn_cell",
    "contrib.rnn.python.ops.core_rnn_cell_impl", "contrib.rnn.python.ops.rnn_cell", "tf.python.ops.rnn_cell",
    "tf.python.ops.rnn_cell_impl", "tf.models.rnn.rnn_cell", "keras.layers.legacy_rnn.rnn_cell_impl",
})


# Normalization layers: one object applied at two places of one stack shares its scale and
# offset (batch norm its moving statistics too) between them, and fails on a second width.
KERAS_NORMALIZATION = frozenset({
    "BatchNormalization", "SyncBatchNormalization", "LayerNormalization", "GroupNormalization",
    "RMSNormalization",
})


def is_normalization_layer(canon: str) -> bool:
    return is_keras_object(canon) and canon.rsplit(".", 1)[-1] in KERAS_NORMALIZATION


# Weighted Keras layers that are applied again on purpose, or own no trainable weights of a
# place: tied embeddings (an `Embedding` read back as the output projection), recurrent layers
# and cells (one object over the time steps), wrappers that apply another layer, dot-product
# attention, and the preprocessing layers.
_RESTACKED_ON_PURPOSE = frozenset(
    """Embedding RNN SimpleRNN LSTM GRU SimpleRNNCell LSTMCell GRUCell StackedRNNCells ConvLSTM1D
    ConvLSTM2D ConvLSTM3D CuDNNLSTM CuDNNGRU Bidirectional TimeDistributed Wrapper Layer Attention
    AdditiveAttention Normalization TextVectorization StringLookup IntegerLookup Discretization
    Hashing HashedCrossing CategoryEncoding""".split()
)


def is_stacked_layer(canon: str) -> bool:
    """A Keras layer whose one object applied at two places of one stack shares its weights
    by mistake: a normalization layer, or a weighted layer such as `Dense` or `Conv2D`."""
    if is_normalization_layer(canon):
        return True
    last = canon.rsplit(".", 1)[-1]
    return (
        canon.startswith("keras.layers.") and is_keras_object(canon) and not is_weightless_layer(canon)
        and last not in _RESTACKED_ON_PURPOSE and not last.startswith("Random")
    )


def is_keras_optimizer(canon: str) -> bool:
    """A Keras optimizer class (`tf.keras.optimizers.Adam`, `keras.optimizers.SGD`, TF 2's
    `tf.optimizers.Adam`, the `legacy` and `experimental` ones): it holds variables (its
    step count, a slot per weight). Not a schedule, nor `get`, nor the abstract base."""
    parts = canon.split(".")
    parts = parts[1:] if parts[0] == "tf" else parts
    if parts[:2] == ["keras", "optimizers"]:
        rest = parts[2:]
    elif parts[:1] == ["optimizers"]:
        rest = parts[1:]
    else:
        return False
    rest = rest[1:] if rest[:1] in (["legacy"], ["experimental"]) else rest
    return len(rest) == 1 and rest[0][:1].isupper() and rest[0] not in ("Optimizer", "LossScaleOptimizer")


def is_keras_metric(canon: str) -> bool:
    """A stateful Keras metric class (`keras.metrics.SparseCategoricalAccuracy`; TF2's
    `tf.metrics` is the same module): it holds variables (totals, counts). Lower-case
    names are stateless functions (`sparse_categorical_accuracy`), and so is TF 1's
    `tf.metrics.accuracy`, a function (its local variables are graph code's business)."""
    for prefix in ("keras.metrics.", "tf.metrics."):
        if canon.startswith(prefix):
            last = canon[len(prefix):]
            return "." not in last and last[:1].isupper() and last != "Metric"
    return False

RNN_RUNNERS = frozenset({
    "tf.nn.dynamic_rnn", "tf.nn.static_rnn", "tf.nn.bidirectional_dynamic_rnn", "tf.nn.static_bidirectional_rnn",
    "tf.nn.rnn", "tf.nn.bidirectional_rnn", "contrib.rnn.static_rnn", "contrib.rnn.static_bidirectional_rnn",
})
# Runners whose second argument is a cell too: the backward direction.
BIDIRECTIONAL_RUNNERS = frozenset({
    "tf.nn.bidirectional_dynamic_rnn", "tf.nn.static_bidirectional_rnn", "tf.nn.bidirectional_rnn",
    "contrib.rnn.static_bidirectional_rnn",
})


# TF's own cells whose weights the engine makes when a runner or a direct call first runs them
# in a graph: the cell's base name (its scope under the one it runs in, counted like a layer's
# when no `name=` is given), its variables (TF 1.2 on; TF 2.21 `tf.compat.v1` names them so),
# and its constructor's parameters in order, to read `reuse`, `name`, `use_peepholes` and
# `num_proj` however they are passed. Other cells (contrib's block and layer-norm cells...)
# keep their variables unmodelled.
BUILTIN_RNN_CELLS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "BasicRNNCell": ("basic_rnn_cell", ("kernel", "bias"), ("num_units", "activation", "reuse", "name")),
    "BasicLSTMCell": ("basic_lstm_cell", ("kernel", "bias"),
                      ("num_units", "forget_bias", "state_is_tuple", "activation", "reuse", "name")),
    "GRUCell": ("gru_cell", ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"),
                ("num_units", "activation", "reuse", "kernel_initializer", "bias_initializer", "name")),
    "LSTMCell": ("lstm_cell", ("kernel", "bias"),
                 ("num_units", "use_peepholes", "cell_clip", "initializer", "num_proj", "proj_clip",
                  "num_unit_shards", "num_proj_shards", "forget_bias", "state_is_tuple", "activation", "reuse",
                  "name")),
}
# LSTMCell's variables that its options add.
LSTM_PEEPHOLES = ("w_f_diag", "w_i_diag", "w_o_diag")
LSTM_PROJECTION = ("projection/kernel",)


def rnn_cell_kind(canon: str) -> str | None:
    """"multi" for MultiRNNCell, "wrapper" for a cell that runs another one (DropoutWrapper,
    ResidualWrapper: the weights are the inner cell's), "cell" for a cell class, else None."""
    namespace, _, last = canon.rpartition(".")
    if namespace not in RNN_CELL_NAMESPACES:
        return None
    if last == "MultiRNNCell":
        return "multi"
    if last.endswith("Wrapper"):
        return "wrapper"
    return "cell" if last.endswith("Cell") else None


MULTI_RNN_CELL = frozenset(f"{ns}.MultiRNNCell" for ns in RNN_CELL_NAMESPACES)


def is_rnn_cell(canon: str) -> bool:
    return rnn_cell_kind(canon) in ("cell", "wrapper")

SAVERS = frozenset({"tf.train.Saver"})


# ----- what can reach an API the interpreter models -------------------------------------------
#
# Every event the engine records (a creation, a scope, a selection, an optimizer use...) starts
# at a TensorFlow value, and the interpreter makes those only from an import of a module in
# ROOT_MODULES (it follows neither getattr nor __import__). An imported qualified name can
# lead to an event only if attributes of it canonicalise to one of the names below, or into one
# of the namespaces below; `tensorflow.python.ops.array_ops` (how TF's own sources import
# themselves) never does. The runner's prefilter skips the files whose imports, and those of
# the project modules they import, all fail this test; a test proves on a corpus that it
# changes no finding. Keep this in step with the tables above and the interpreter's dispatch.
SPECIAL_NAMES = frozenset(
    {VARIABLE_SCOPE, GET_VARIABLE, GET_VARIABLE_SCOPE, AUTO_REUSE, MAKE_TEMPLATE, GRAPH,
     "tf.get_default_graph", RESET_DEFAULT_GRAPH, STOP_GRADIENT, EMA, GRADIENTS,
     CLIP_BY_GLOBAL_NORM, ASSIGN_MOVING_AVERAGE}
    | OPTIMIZER_WRAPPERS
    | SESSIONS
    | REVERSALS  # a hand-written backward RNN's input (rnn.py's CellRun)
    | BATCH_JOINS  # fake and real samples in one batch (tensors.py)
    | LEGACY_KERAS  # a Keras 1 program, whose optimizers serve several models (core.legacy_optimizers)
    | EAGER_ON  # no variable store: nothing "already exists" (core.eager_program)
    | MOMENTS  # read where a moving average is applied to them
    | VERSION_STRINGS  # not an event, but it picks which code runs
    | KERAS_DATA_HELPERS
    | KERAS_MODEL_LOADERS  # what a run resumes from (see keras.resumed_or_built)
    | GRADIENT_TAPES
    | NAME_SCOPES | VARIABLE | FILLED_VARIABLES | KERAS_INPUTS | TF_FUNCTION | set(TRACED_AT_CALL) | TF_COND | TF_CASE | GRAPH_CODE | set(LAYER_FUNCTIONS) | SELECTORS | MULTI_RNN_CELL
    | ARG_SCOPES | RNN_RUNNERS | SAVERS | {k for k in TRAINABLE_KEYS | GLOBAL_KEYS if k.startswith("tf.")}
    | KERAS_MODELS | {"keras.Layer"}
    | {KERAS_CALLBACK}  # a callback's hooks, which `fit` runs (queries.callback_recompiles)
    # Keras 2's base classes where projects import them from (`keras.src.engine` since 2.13);
    # not Keras 3's `keras.src.layers`, which only Keras's own sources import.
    | set(_KERAS_BASE_CLASSES)
    | {"keras.src." + name[len("keras."):] for name in _KERAS_BASE_CLASSES if name.startswith("keras.engine.")}
)
# Matched by pattern: Keras layer and metric classes, optimizers, RNN cells.
SPECIAL_NAMESPACES = ("tf.layers", "keras.layers", "keras.applications", "tf.train", "keras.metrics", "tf.metrics", "keras.optimizers", "keras.datasets",
                      "tf.keras.optimizers", "tf.optimizers", *sorted(RNN_CELL_NAMESPACES))
_RAW_PREFIXES = tuple(raw for raw, _ in _PREFIXES)
# `tf`, `tf.nn`, `tf.nn.rnn_cell`...: every dotted prefix of a special name or namespace.
_SPECIAL_PREFIXES = frozenset(
    ".".join(parts[:i])
    for name in SPECIAL_NAMES | set(SPECIAL_NAMESPACES)
    for parts in [name.split(".")]
    for i in range(1, len(parts) + 1)
)


@lru_cache(maxsize=4096)
def may_reach_api(qualname: str) -> bool:
    """Whether `qualname` (a module or name imported from a TF root) or an attribute of it
    can canonicalise to a name the interpreter gives a meaning to."""
    dotted = qualname + "."
    # `tensorflow`, `tensorflow.compat`: longer spellings below them map elsewhere.
    if any(raw.startswith(dotted) for raw in _RAW_PREFIXES):
        return True
    # Past every prefix it is a part of, the canonical name of `qualname.x` is that of
    # `qualname` plus `.x`: compare canonical names.
    canon = canonical(qualname)
    if canon in _SPECIAL_PREFIXES:
        return True
    return any(canon.startswith(ns + ".") for ns in SPECIAL_NAMESPACES)
