"""Build a TF1-era script's graph on TF 2.x (tf.compat.v1) and stop at its first Session.run.

Used to confirm the rows of tf1.tsv: run it on a /tmp export of the buggy and of the fixed commit
(never on a checkout inside this repository) and compare the RESULT lines.

    cd /tmp/export/bug && python tf1_build.py SCRIPT_OR_DRIVER [args...]

Prints `RESULT ERROR <TF's exception>` or `RESULT STOPPED_AT_SESSION_RUN|FINISHED`, then the
graph's variables (`VAR name shape`). What it adds so 2016-2018 code reaches its variable code:
`import tensorflow` is tf.compat.v1 with v2 behaviour off; tf.contrib.layers/slim map to tf_slim,
tf.contrib.rnn to tf.nn.rnn_cell, and small re-implementations stand in for
legacy_seq2seq.rnn_decoder/embedding_rnn_seq2seq/sequence_loss(_by_example) and
contrib.seq2seq.sequence_loss; pre-1.0
names (histogram_summary, mul, concat(axis, values), positional sigmoid_cross_entropy...) are
aliased; data and IO packages the graph code does not use before Session.run (scipy, cv2, gym,
tqdm...) are replaced by inert modules. Everything else is the project's own code.
"""
import os, sys, runpy, types, importlib, re
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as real_tf
from tensorflow.python.framework import ops
ops.Tensor = real_tf.Tensor          # tf_slim 1.1 still names ops.Tensor
import tensorflow.compat.v1 as v1
v1.disable_v2_behavior()
v1.logging.set_verbosity(v1.logging.ERROR)
import tf_slim
import tf_slim.layers
import tf_keras.src.legacy_tf_layers as _L, tf_keras.src.legacy_tf_layers.normalization, tf_keras.src.legacy_tf_layers.core, tf_keras.src.legacy_tf_layers.convolutional, tf_keras.src.legacy_tf_layers.pooling
sys.modules['tf_keras.legacy_tf_layers'] = _L
for _m in ('normalization','core','convolutional','pooling'):
    sys.modules['tf_keras.legacy_tf_layers.'+_m] = getattr(_L, _m)
from tensorflow.python.layers import normalization as _n, core as _c, convolutional as _cv
_ = (tf_slim.layers.batch_norm, v1.layers.dense, v1.nn.rnn_cell.BasicLSTMCell, _n.BatchNormalization, _c.Dense, _cv.Conv2D)

class Stop(Exception):
    pass

def report(tag):
    g = v1.get_default_graph()
    vs = g.get_collection(v1.GraphKeys.GLOBAL_VARIABLES)
    tv = g.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)
    print(f"RESULT {tag} global={len(vs)} trainable={len(tv)}")
    for v in vs:
        print("VAR", v.name, v.shape)

def _run(self, *a, **k):
    raise Stop("Session.run")
v1.Session.run = _run
v1.InteractiveSession.run = _run

rnn = types.ModuleType("tensorflow.contrib.rnn")
for n in dir(v1.nn.rnn_cell):
    if not n.startswith("_"):
        setattr(rnn, n, getattr(v1.nn.rnn_cell, n))
rnn.static_rnn = v1.nn.static_rnn
rnn.static_bidirectional_rnn = v1.nn.static_bidirectional_rnn
rnn.core_rnn_cell = rnn
rnn.LSTMBlockCell = v1.nn.rnn_cell.LSTMCell  # contrib-only fused cell; same variables per layer
class _Lazy(types.ModuleType):
    def __init__(self, name, provs):
        super().__init__(name); self._p = provs
    def __getattr__(self, a):
        if a.startswith("__"): raise AttributeError(a)
        for p in self._p:
            m = importlib.import_module(p) if isinstance(p, str) else p
            if hasattr(m, a): return getattr(m, a)
        raise AttributeError(f"{self.__name__}.{a} unavailable on TF 2.21")
contrib = types.ModuleType("tensorflow.contrib")
ls2s = types.ModuleType("tensorflow.contrib.legacy_seq2seq")
def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    # TF 1.x semantics: one scope, reuse switched on after the first step
    with v1.variable_scope(scope or "rnn_decoder"):
        state, outputs, prev = initial_state, [], None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with v1.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                v1.get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state
def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True, softmax_loss_function=None, name=None):
    losses = [w * v1.nn.sparse_softmax_cross_entropy_with_logits(labels=t, logits=l) for l, t, w in zip(logits, targets, weights)]
    return v1.add_n(losses)
def sequence_loss(logits, targets, weights, **k):
    return v1.reduce_mean(sequence_loss_by_example(logits, targets, weights))
def embedding_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols, num_decoder_symbols,
                          embedding_size, output_projection=None, feed_previous=False, dtype=None, scope=None):
    # enough of the TF 1.x function to create the encoder/decoder variables through `cell`
    with v1.variable_scope(scope or "embedding_rnn_seq2seq"):
        emb = v1.get_variable("encoder_embedding", [num_encoder_symbols, embedding_size])
        _, state = v1.nn.static_rnn(cell, [v1.nn.embedding_lookup(emb, i) for i in encoder_inputs],
                                    dtype=dtype or v1.float32)
        demb = v1.get_variable("decoder_embedding", [num_decoder_symbols, embedding_size])
        return rnn_decoder([v1.nn.embedding_lookup(demb, i) for i in decoder_inputs], state, cell)
ls2s.embedding_rnn_seq2seq = embedding_rnn_seq2seq
ls2s.rnn_decoder = rnn_decoder; ls2s.sequence_loss_by_example = sequence_loss_by_example; ls2s.sequence_loss = sequence_loss
contrib.layers = _Lazy("tensorflow.contrib.layers", ("tf_slim.layers", "tf_slim"))
contrib.slim = tf_slim
contrib.rnn = rnn
contrib.legacy_seq2seq = ls2s
cs2s = types.ModuleType("tensorflow.contrib.seq2seq")
def _seq_loss(logits, targets, weights, **k):
    ce = v1.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)
    return v1.reduce_sum(ce * weights) / v1.reduce_sum(weights)
cs2s.sequence_loss = _seq_loss
contrib.seq2seq = cs2s
sys.modules["tensorflow.contrib.seq2seq"] = cs2s
sys.modules["tensorflow.contrib.legacy_seq2seq"] = ls2s
contrib.framework = _Lazy("tensorflow.contrib.framework", ("tf_slim", v1))
class TF(types.ModuleType):
    def __init__(self):
        super().__init__("tensorflow"); self.__path__ = real_tf.__path__
        self.__version__ = "1.15.0"; self.contrib = contrib
    def __getattr__(self, a):
        return getattr(v1, a)
sys.modules["tensorflow"] = TF()
sys.modules["tensorflow.contrib"] = contrib
sys.modules["tensorflow.contrib.layers"] = contrib.layers
sys.modules["tensorflow.contrib.slim"] = tf_slim
sys.modules["tensorflow.contrib.rnn"] = rnn
sys.modules["tensorflow.contrib.framework"] = contrib.framework
v1.app.run = lambda main=None, argv=None: main([sys.argv[0]])
import builtins; builtins.xrange = range
import inspect as _insp
class _ClassNS(types.ModuleType):
    # removed APIs (tf.estimator) that old code only subclasses or names at import time
    def __getattr__(self, a):
        if a.startswith("__"): raise AttributeError(a)
        if a[:1].isupper():
            c = type(a, (object,), {"__init__": lambda self, *x, **k: None}); setattr(self, a, c); return c
        m = _ClassNS(self.__name__ + "." + a); setattr(self, a, m); return m
if not hasattr(v1, "estimator"): v1.estimator = _ClassNS("tf.estimator")
if not hasattr(_insp, "getargspec"): _insp.getargspec = _insp.getfullargspec
v1.nn.deconv2d = v1.nn.conv2d_transpose
# pre-1.0 names, so the era's scripts reach their variable code
for _old, _new in [("histogram_summary", v1.summary.histogram), ("scalar_summary", v1.summary.scalar),
                   ("image_summary", v1.summary.image), ("merge_summary", v1.summary.merge),
                   ("merge_all_summaries", v1.summary.merge_all), ("mul", v1.multiply), ("sub", v1.subtract),
                   ("neg", v1.negative), ("pack", v1.stack), ("concat_v2", v1.concat),
                   ("initialize_all_variables", v1.global_variables_initializer), ("all_variables", v1.global_variables)]:
    if not hasattr(v1, _old): setattr(v1, _old, _new)
if not hasattr(v1.train, "SummaryWriter"): v1.train.SummaryWriter = v1.summary.FileWriter
_sce = v1.nn.sigmoid_cross_entropy_with_logits
def _sce_compat(*a, **k):
    if a:  # 0.x order: (logits, targets)
        k.setdefault("logits", a[0])
        if len(a) > 1: k.setdefault("labels", a[1])
    if "targets" in k: k["labels"] = k.pop("targets")
    return _sce(**k)
v1.nn.sigmoid_cross_entropy_with_logits = _sce_compat
_concat = v1.concat
def _concat_compat(a=None, b=None, *r, **k):
    if a is None:  # concat(values=..., axis=...) by keyword
        return _concat(k.pop("values"), **k)
    if isinstance(a, int) and b is not None:  # 0.x order: concat(axis, values)
        return _concat(b, a, *r, **k)
    if b is None and "axis" in k: return _concat(a, **k)
    return _concat(a, b, *r, **k)
v1.concat = _concat_compat
from tensorflow.python.ops import control_flow_ops as _cfo
_cfo.cond = v1.cond
class _Dummy(types.ModuleType):
    # data/IO helpers the graph code never calls before Session.run
    __path__ = []
    def __getattr__(self, a):
        if a.startswith("__"): raise AttributeError(a)
        return _Dummy(self.__name__ + "." + a)
    def __call__(self, *a, **k): return None
import importlib.abc, importlib.machinery
_STUB_ROOTS = set()
class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in _STUB_ROOTS:
            return importlib.machinery.ModuleSpec(name, self)
    def create_module(self, spec): return _Dummy(spec.name)
    def exec_module(self, m): pass
sys.meta_path.insert(0, _StubFinder())
for _name in ("python_speech_features", "pandas", "sklearn", "joblib", "cloudpickle", "mpi4py", "atari_py", "visdom", "nltk", "SimpleITK", "nibabel", "tqdm", "msgpack", "msgpack_numpy", "zmq", "tabulate", "termcolor", "lmdb", "gym", "gym.spaces", "psutil", "scipy", "scipy.misc", "scipy.io", "scipy.ndimage", "scipy.stats", "cv2", "h5py", "skimage", "skimage.io", "skimage.transform"):
    try:
        importlib.import_module(_name)
    except ImportError:
        sys.modules[_name] = _Dummy(_name)
        _STUB_ROOTS.add(_name.split(".")[0])
script = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
try:
    runpy.run_path(script, run_name="__main__")
    report("FINISHED")
except Stop as e:
    report("STOPPED_AT_SESSION_RUN")
except SystemExit as e:
    report(f"EXIT {e.code}")
except Exception as e:
    import traceback; traceback.print_exc()  # the full trace goes to the log; RESULT is the summary
    msg = str(e).splitlines()[0][:300]
    print(f"RESULT ERROR {type(e).__name__}: {msg}")
    report("AT_ERROR")
