# akanyaani/universal-transformer-tf2.0 c1b93485 ("fixes"): DecoderLayer.call applied self.mha1, its
# self-attention, again as the encoder-decoder attention (`out2 = self.mha1(enc_output, enc_output,
# out1, ...)`), leaving self.mha2 unused; the fix applies self.mha2 there. The export's
# layers/decoder_layer.py is imported (tf_keras), one DecoderLayer(d_model=8, num_heads=2, dff=16)
# is called eagerly on a decoder input and an encoder output of 5 steps each (this commit passes
# the encoder output as query and key, so the two lengths must agree) under a GradientTape, and
# the variables of each attention block are counted with the gradients the output gives them.
# (The layer's second LayerNormalization is left unused by both commits, still at HEAD.)
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
setup(os.path.abspath(sys.argv[1]))
import io, contextlib
from layers.decoder_layer import DecoderLayer
tf.random.set_seed(0)
d = DecoderLayer(8, 2, 16)
x = tf.random.normal([2, 5, 8]); enc = tf.random.normal([2, 5, 8])
with tf.GradientTape() as tape:
    with contextlib.redirect_stdout(io.StringIO()):  # the call prints its output shape
        y = d(x, enc, training=False, mask=None)
    loss = tf.reduce_sum(y * y)
grads = dict(zip([id(v) for v in d.trainable_variables], tape.gradient(loss, d.trainable_variables)))
def stats(layer):
    vs = layer.trainable_variables
    return len(vs), sum(grads.get(id(v)) is not None for v in vs)
m1, m2 = stats(d.mha1), stats(d.mha2)
print("variables of mha1 (made, with a gradient): %d, %d; of mha2: %d, %d; the decoder layer: %d"
      % (m1 + m2 + (len(d.trainable_variables),)))
