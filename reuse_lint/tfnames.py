"""The one table of TensorFlow names that the rules care about.

Names are matched after canonicalisation, never on the text a file uses: whether a file
wrote `tf.variable_scope`, `v1.variable_scope` or `from tensorflow.compat.v1 import
variable_scope as vs`, the interpreter resolves the value to the qualified name
`tensorflow.compat.v1.variable_scope`, and `canonical()` turns that into `tf.variable_scope`.
"""

from __future__ import annotations

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
            return (canon + dotted[len(prefix):]).rstrip(".")
    return qualname


VARIABLE_SCOPE = "tf.variable_scope"
NAME_SCOPES = frozenset({"tf.name_scope", "tf.op_scope"})
GET_VARIABLE = "tf.get_variable"
GET_VARIABLE_SCOPE = "tf.get_variable_scope"
AUTO_REUSE = "tf.AUTO_REUSE"
MAKE_TEMPLATE = "tf.make_template"
GRAPH = "tf.Graph"
RESET_DEFAULT_GRAPH = "tf.reset_default_graph"
VARIABLE = frozenset({"tf.Variable", "tf.compat.v2.Variable"})
TF_FUNCTION = frozenset({"tf.function", "tf.compat.v2.function"})

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

# The argument that names a functional layer's scope: `name=` in tf.layers, `scope=` elsewhere.
def layer_name_argument(canon: str) -> str:
    return "name" if canon.startswith("tf.layers.") else "scope"


# Calls into these namespaces may create variables we do not model (RNN cells, estimators,
# Keras models): after one, "nothing was created" can no longer be claimed.
OPAQUE_CREATOR_PREFIXES = (
    "tf.nn.rnn_cell.", "tf.nn.dynamic_rnn", "tf.nn.bidirectional_dynamic_rnn", "tf.nn.static_rnn",
    "tf.contrib.", "contrib.", "slim.", "keras.", "tf.estimator.", "tf.train.ExponentialMovingAverage",
    "tf.layers.", "tf.hub", "tf.keras",
)


def may_create_opaquely(canon: str) -> bool:
    if canon in LAYER_FUNCTIONS or canon == GET_VARIABLE:
        return False
    return canon.startswith(OPAQUE_CREATOR_PREFIXES)


# Files that mention none of these bytes cannot contain a TensorFlow variable or scope
# (every creating API is reached through one of these module names).
RAW_MARKERS = (b"tensorflow", b"tf_slim", b"keras", b"slim")

NON_TRAINABLE = frozenset({"moving_mean", "moving_variance"})
STOP_GRADIENT = "tf.stop_gradient"
EMA = "tf.train.ExponentialMovingAverage"

# Selections of variables: `get_collection(KEY, scope)` and its shorthands.
TRAINABLE_SELECTORS = frozenset({"tf.trainable_variables", "slim.get_trainable_variables"})
SELECTORS = TRAINABLE_SELECTORS | {
    "tf.get_collection", "tf.global_variables", "tf.all_variables", "tf.model_variables",
    "slim.get_variables", "slim.get_model_variables",
}
TRAINABLE_KEYS = frozenset({"tf.GraphKeys.TRAINABLE_VARIABLES", "trainable_variables"})
GLOBAL_KEYS = frozenset({"tf.GraphKeys.GLOBAL_VARIABLES", "variables", "tf.GraphKeys.MODEL_VARIABLES", "model_variables"})

# Optimizers whose minimize/apply_gradients create slot variables next to each variable.
SLOT_OPTIMIZERS = frozenset({
    "AdamOptimizer", "MomentumOptimizer", "RMSPropOptimizer", "AdagradOptimizer",
    "AdadeltaOptimizer", "FtrlOptimizer", "AdagradDAOptimizer", "ProximalAdagradOptimizer",
    "AdaMaxOptimizer", "NadamOptimizer", "LazyAdamOptimizer",
})


def is_optimizer(canon: str) -> bool:
    return canon.startswith("tf.train.") and canon.endswith("Optimizer")


_KERAS_MODELS = frozenset({"keras.Sequential", "keras.Model", "keras.models.Sequential", "keras.models.Model"})


def is_keras_object(canon: str) -> bool:
    """A Keras layer or model class (`keras.layers.Dense`, `tf.layers.Dense`), not a function."""
    if canon in _KERAS_MODELS:
        return True
    for prefix in ("keras.layers.", "tf.layers."):
        if canon.startswith(prefix):
            last = canon[len(prefix):]
            return "." not in last and last[:1].isupper()
    return False


MULTI_RNN_CELL = frozenset({"tf.nn.rnn_cell.MultiRNNCell", "contrib.rnn.MultiRNNCell", "tf.contrib.rnn.MultiRNNCell"})
RNN_RUNNERS = frozenset({
    "tf.nn.dynamic_rnn", "tf.nn.static_rnn", "tf.nn.bidirectional_dynamic_rnn",
    "contrib.rnn.static_rnn", "tf.contrib.rnn.static_rnn",
})


def is_rnn_cell(canon: str) -> bool:
    if canon in MULTI_RNN_CELL:
        return False
    for prefix in ("tf.nn.rnn_cell.", "contrib.rnn.", "tf.contrib.rnn.", "tf.compat.v1.nn.rnn_cell."):
        if canon.startswith(prefix):
            last = canon[len(prefix):]
            return last.endswith("Cell") and "." not in last
    return False

SAVERS = frozenset({"tf.train.Saver"})


def _leaf(canon: str) -> bytes:
    return canon.rsplit(".", 1)[-1].encode()


# Every event the engine records starts at a call whose name (or module path) holds one of
# these words, in the file or in a project module it imports: a file with none of them can
# yield nothing but RL001. Optimizers, graphs, templates, savers and `tf.function` are absent
# on purpose: alone they record nothing, and every rule about them also needs a creation or
# a selection, which is listed. The runner's prefilter relies on this (and a test proves it
# on a corpus): keep it in step with the tables above.
API_MARKERS = tuple(sorted(
    # Keras objects are matched by pattern: `*.layers.<Class>`, `Sequential`, `Model`.
    {b"variable_scope", b"get_variable", b"Variable", b"layers", b"Sequential", b"Model", b"Cell", b"_rnn"}
    | {_leaf(c) for c in LAYER_FUNCTIONS}
    | {_leaf(c) for c in SELECTORS}
))
