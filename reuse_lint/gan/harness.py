"""Builds a variant's graph, trains it on the ring and measures it.

A variant is a plain TF1 script (see `variants/`) that builds its graph at module
level and leaves these names behind: `z`, `real` (placeholders), `fake`,
`real_logits`, `fake_logits`, `d_loss`, `g_loss`, `d_train`, `g_train`. The
article's training loop fed both train ops to one `sess.run`; their order there is
undefined (the generator may read the discriminator mid-update), so this loop runs
the discriminator step, then the generator step.
"""

from __future__ import annotations

import contextlib
import os
import runpy
import sys
import tempfile
import threading
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from reuse_lint.gan import ring

# 384 rather than 256: measured on seeds 0-4, the larger batch keeps the last modes from
# being dropped while the learning rate decays, at about 1.3x the time a step.
BATCH = 384
HANDLES = ("z", "real", "fake", "real_logits", "fake_logits", "d_loss", "g_loss", "d_train", "g_train")


_IMPORT_LOCK = threading.Lock()


def import_tf():
    """Import TensorFlow the way the variants need it: v1 layers on TF 2.x, deterministic."""
    # tf.compat.v1.layers exists only with Keras 2 (tf_keras); the switch is read at import.
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TF's C++ chatter (cuInit on CPU) is not the user's
    with _IMPORT_LOCK:  # the variants' threads: one import, one redirection of fd 2 at a time
        if "tensorflow" not in sys.modules:
            with _native_stderr_muted():
                import tensorflow  # noqa: F401 - imported for its side effect, once
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.ERROR)
    tf.config.experimental.enable_op_determinism()
    return tf


@contextlib.contextmanager
def _native_stderr_muted():
    """TF 2.21's native libraries log at load time, before absl is set up, and so ignore
    TF_CPP_MIN_LOG_LEVEL ("All log messages before absl::InitializeLog()", oneDNN, "Could
    not find cuda drivers"). Those lines go to fd 2 while TensorFlow is imported; they are
    kept in a file and shown only if the import fails."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            log.seek(0)
            sys.stderr.write(log.read().decode("utf-8", "replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


@dataclass
class Built:
    graph: object
    handles: dict


def build(path: str, seed: int) -> Built:
    """Run the variant script in a fresh graph; TF errors (the duplicate variant) propagate."""
    tf = import_tf()
    graph = tf.Graph()
    with graph.as_default():
        # The graph seed must be set before the script creates its initializers.
        tf.compat.v1.set_random_seed(seed)
        with warnings.catch_warnings():
            # tf.compat.v1.layers warns on every call that it is deprecated; the
            # variants use it on purpose, as the article does.
            warnings.simplefilter("ignore")
            namespace = runpy.run_path(path, run_name="reuse_lint_gan_variant")
    missing = [name for name in HANDLES if name not in namespace]
    if missing:
        raise ValueError(f"{path} does not define {', '.join(missing)}")
    return Built(graph, {name: namespace[name] for name in HANDLES})


@dataclass
class Metrics:
    modes: int
    high_quality: float
    d_accuracy_real: float
    d_accuracy_fake: float
    d_loss: float
    g_loss: float
    samples: np.ndarray = field(repr=False)


def train(built: Built, *, steps: int, seed: int, on_step: Callable[[], None] = lambda: None) -> Metrics:
    tf = import_tf()
    h = built.handles
    rng = np.random.default_rng(seed)
    noise_dim = int(h["z"].shape[1])
    with built.graph.as_default(), tf.compat.v1.Session(graph=built.graph, config=_session_config(tf)) as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        for _ in range(steps):
            real = ring.sample(rng, BATCH)
            sess.run(h["d_train"], {h["z"]: _noise(rng, BATCH, noise_dim), h["real"]: real})
            sess.run(h["g_train"], {h["z"]: _noise(rng, BATCH, noise_dim)})
            on_step()
        return _evaluate(sess, h, np.random.default_rng(seed + 10_000), noise_dim)


def _session_config(tf):
    # One thread each: these matmuls are too small to gain from more, and a fixed
    # thread count keeps the reductions in one order. Per-session pools, so that two
    # sessions trained from two Python threads (`reuse-lint gan --all`) do not queue
    # on one process-wide pool.
    return tf.compat.v1.ConfigProto(
        intra_op_parallelism_threads=1, inter_op_parallelism_threads=1, use_per_session_threads=True
    )


def _noise(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    return rng.standard_normal((n, dim)).astype(np.float32)


def _evaluate(sess, h: dict, rng: np.random.Generator, noise_dim: int) -> Metrics:
    feed = {h["z"]: _noise(rng, ring.EVAL_SAMPLES, noise_dim), h["real"]: ring.sample(rng, ring.EVAL_SAMPLES)}
    fake, real_logits, fake_logits, d_loss, g_loss = sess.run(
        [h["fake"], h["real_logits"], h["fake_logits"], h["d_loss"], h["g_loss"]], feed
    )
    cover = ring.coverage(fake)
    return Metrics(
        modes=cover.modes,
        high_quality=cover.high_quality,
        d_accuracy_real=float((real_logits > 0).mean()),
        d_accuracy_fake=float((fake_logits < 0).mean()),
        d_loss=float(d_loss),
        g_loss=float(g_loss),
        samples=fake,
    )
