"""Precision of RT204, RT205 and RT206 on small TF1 programs: sets of weights named apart on
purpose, sharing written on purpose and models trained together on purpose stay silent;
copies, collisions and adversaries trained by the wrong step are reported at their line.
Real TensorFlow through `run_trace`, one child each.
"""

from __future__ import annotations

import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest

from reuse_lint.trace import run_trace

HEADER = "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n"

PROGRAMS = {
    # DCGAN's sampler: the generator's code again, with reuse_variables() in the sampler itself.
    "sampler": """
        def generator(z):
            with tf.variable_scope("generator"):
                return tf.layers.dense(z, 2, name="out")

        def sampler(z):
            with tf.variable_scope("generator") as scope:
                scope.reuse_variables()
                return tf.layers.dense(z, 2, name="out")

        def embed(ids):
            with tf.variable_scope("embedding"):
                return tf.nn.embedding_lookup(tf.get_variable("w", [10, 4]), ids)

        def logits(h):
            with tf.variable_scope("embedding", reuse=True):  # tied weights
                return tf.matmul(h, tf.get_variable("w", [10, 4]), transpose_b=True)

        z = tf.placeholder(tf.float32, [None, 4])
        fake, sample = generator(z), sampler(z)
        out = logits(embed(tf.placeholder(tf.int32, [None])))
    """,
    # Two builders that both name their scope "model" and ask for AUTO_REUSE.
    "collision": """
        def encoder(x):
            with tf.variable_scope("model", reuse=tf.AUTO_REUSE):
                return tf.matmul(x, tf.get_variable("w", [4, 4]))

        def decoder(h):
            with tf.variable_scope("model", reuse=tf.AUTO_REUSE):
                return tf.matmul(h, tf.get_variable("w", [4, 4]))

        y = decoder(encoder(tf.placeholder(tf.float32, [None, 4])))
    """,
    "vae": """
        x = tf.placeholder(tf.float32, [None, 4])
        with tf.variable_scope("encoder"):
            z = tf.layers.dense(x, 2)
        with tf.variable_scope("decoder"):
            x_hat = tf.layers.dense(z, 4)
        step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(tf.square(x - x_hat)))
    """,
    "a3c": """
        s = tf.placeholder(tf.float32, [None, 4])
        with tf.variable_scope("shared"):
            h = tf.layers.dense(s, 16)
        with tf.variable_scope("policy_net"):
            logits = tf.layers.dense(h, 4)
        with tf.variable_scope("value_net"):
            v = tf.layers.dense(h, 1)
        opt = tf.train.RMSPropOptimizer(1e-3)
        policy_step = opt.minimize(tf.reduce_mean(logits))
        value_step = opt.minimize(tf.reduce_mean(tf.square(v)))
    """,
    "gan": """
        def generator(z):
            with tf.variable_scope("generator"):
                return tf.layers.dense(z, 2)

        def discriminator(x, reuse=False):
            with tf.variable_scope("discriminator", reuse=reuse):
                return tf.layers.dense(x, 1)

        real = tf.placeholder(tf.float32, [None, 2])
        d_real = discriminator(real)
        d_fake = discriminator(generator(tf.random.normal([8, 4])), reuse=True)
        d_loss = tf.reduce_mean(tf.nn.softplus(d_fake) + tf.nn.softplus(-d_real))
        d_vars = tf.trainable_variables("discriminator/")
        d_step = tf.train.AdamOptimizer().minimize(d_loss, var_list=d_vars)
        g_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(tf.nn.softplus(-d_fake)))
    """,
    "ddpg": """
        s = tf.placeholder(tf.float32, [None, 3])
        with tf.variable_scope("actor"):
            a = tf.layers.dense(s, 1)
        with tf.variable_scope("critic"):
            q = tf.layers.dense(tf.concat([s, a], 1), 1)
        y = tf.placeholder(tf.float32, [None, 1])
        actor_vars = tf.trainable_variables("actor/")
        actor_step = tf.train.AdamOptimizer().minimize(-tf.reduce_mean(q), var_list=actor_vars)
        critic_step = tf.train.AdamOptimizer().minimize(tf.reduce_mean(tf.square(y - q)))
    """,
    # An ensemble: one builder under scopes the code numbers itself, each with its own weights.
    "towers": """
        def net(x):
            return tf.layers.dense(x, 1, name="out")

        x = tf.placeholder(tf.float32, [None, 4])
        with tf.variable_scope("tower_0"):
            a = net(x)
        with tf.variable_scope("tower_1"):
            b = net(x)
        with tf.variable_scope("tower_2"):
            c = net(x)
        ensemble = (a + b + c) / 3.0
    """,
    # A head called twice, after an unrelated layer took `dense`: TensorFlow names the copies
    # `dense_1` and `dense_2`.
    "heads": """
        def head(x):
            return tf.layers.dense(x, 1)

        h = tf.layers.dense(tf.placeholder(tf.float32, [None, 4]), 4)
        real = head(h)
        fake = head(h * 2.0)
    """,
}


@pytest.fixture(scope="module")
def traced(tmp_path_factory) -> dict[str, list[tuple[str, int, str]]]:
    tmp = tmp_path_factory.mktemp("precision")
    paths = {}
    for name, body in PROGRAMS.items():
        paths[name] = tmp / f"{name}.py"
        paths[name].write_text(HEADER + textwrap.dedent(body))

    def trace(name: str):
        result = run_trace(str(paths[name]), timeout=120)
        return name, [(d.code, d.line, d.message) for d in result.diagnostics]

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(trace, PROGRAMS))


def _line(name: str, text: str) -> int:
    """1-based line of `text` in the traced program (the header is two lines)."""
    lines = (HEADER + textwrap.dedent(PROGRAMS[name])).splitlines()
    (index,) = [i for i, line in enumerate(lines) if text in line]
    return index + 1


def test_sharing_written_at_the_reusing_site_is_not_rt205(traced):
    assert traced["sampler"] == []


def test_two_builders_colliding_through_auto_reuse_is_rt205(traced):
    [(code, line, message)] = traced["collision"]
    assert (code, line) == ("RT205", _line("collision", 'return tf.matmul(h, tf.get_variable("w"'))
    assert "`decoder` reuses `model/w` created by `encoder`" in message


@pytest.mark.parametrize("name", ["vae", "a3c"])
def test_models_trained_together_on_purpose_are_not_rt206(traced, name):
    assert traced[name] == []


@pytest.mark.parametrize("name, step, model", [
    ("gan", "g_step =", "discriminator"),
    ("ddpg", "critic_step =", "actor"),
])
def test_step_training_another_steps_model_is_rt206(traced, name, step, model):
    [(code, line, message)] = traced[name]
    assert (code, line) == ("RT206", _line(name, step))
    assert f"also trains `{model}/`, which another step trains as its own" in message


def test_sets_of_weights_named_apart_by_the_code_are_not_rt204(traced):
    assert traced["towers"] == []


def test_a_copy_named_by_tensorflow_after_an_unrelated_layer_is_rt204(traced):
    [(code, line, message)] = traced["heads"]
    assert (code, line) == ("RT204", _line("heads", "fake = head("))
    assert "`dense_2/kernel` copies `dense_1/kernel`" in message
