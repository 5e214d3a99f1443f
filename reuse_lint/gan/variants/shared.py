"""The reference GAN, correct: one discriminator, reused for the fake batch.

The article's Example 3, corrected so that it runs on TensorFlow 2.x through
`tf.compat.v1` and sized for the ring of eight 2-D Gaussians. The training loop
lives in `reuse_lint.gan.harness`; this file only builds the graph.
"""

import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

NOISE_DIM = 16
# 64 rather than 128: less than half the CPU a step (2,000 steps: about 4 s against 10 s,
# benchmarks/gan_table.py --profile), so that `reuse-lint gan --all` fits 30 s on 2 cores;
# the ring is still covered (7-8 of 8 modes over seeds 0-4).
HIDDEN = 64
LEARNING_RATE = 4e-3
# Halving the step every 700 updates (2,000 steps end at 1/7 of it) lets a fast start
# settle onto the narrow modes; measured on seeds 0-4, 500 dropped a mode on two of them.
HALF_LIFE = 700


def generator(z):
    with tf.variable_scope("generator"):
        x = tf.layers.dense(z, HIDDEN, activation=tf.nn.relu)
        x = tf.layers.dense(x, HIDDEN, activation=tf.nn.relu)
        x = tf.layers.dense(x, 2)
    return x


def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        x = tf.layers.dense(x, HIDDEN, activation=tf.nn.relu)
        x = tf.layers.dense(x, HIDDEN, activation=tf.nn.relu)
        logits = tf.layers.dense(x, 1)
    return logits


def cross_entropy(logits, labels):
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))


z = tf.placeholder(tf.float32, shape=[None, NOISE_DIM])
real = tf.placeholder(tf.float32, shape=[None, 2])

fake = generator(z)
real_logits = discriminator(real, reuse=False)
fake_logits = discriminator(fake, reuse=True)

d_loss_real = cross_entropy(real_logits, tf.ones_like(real_logits))
d_loss_fake = cross_entropy(fake_logits, tf.zeros_like(fake_logits))
d_loss = d_loss_real + d_loss_fake
g_loss = cross_entropy(fake_logits, tf.ones_like(fake_logits))

global_step = tf.train.get_or_create_global_step()
learning_rate = tf.train.exponential_decay(LEARNING_RATE, global_step, HALF_LIFE, 0.5)

d_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="discriminator")
g_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="generator")
d_train = tf.train.AdamOptimizer(learning_rate, beta1=0.5).minimize(d_loss, var_list=d_vars)
g_train = tf.train.AdamOptimizer(learning_rate, beta1=0.5).minimize(
    g_loss, var_list=g_vars, global_step=global_step
)
