# Franzelfx/forex-predicter 812d0d2 (src/layers.py): TransformerBlock.call applies its input
# projections dense_1..3 again as the feed-forward layers. Loads the file of the exported commit
# (its Keras 2 imports pointed at tf_keras; none of them makes variables) and calls the block on
# an input narrower than hidden_neurons and on one as wide.
import collections, importlib.util, os, sys, types; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import tf_keras
from tf_keras.src.engine import input_spec

sys.modules["keras"] = tf_keras
sys.modules["keras.engine"] = types.ModuleType("keras.engine")
sys.modules["keras.engine.input_spec"] = input_spec
spec = importlib.util.spec_from_file_location("forex_layers", os.path.join(sys.argv[1], "src", "layers.py"))
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)

for width in (3, 8):
    block = m.TransformerBlock(hidden_neurons=8, attention_heads=2, dropout_rate=0.1)
    try:
        block(tf.random.normal([2, 5, width]))
    except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
        print(f"TransformerBlock (input width {width}): call RAISES " + msg(e))
        continue
    calls = collections.Counter()
    for layer in block._flatten_layers(include_self=False, recursive=False):
        if layer.weights:
            original = layer.call
            def counted(*a, _n=layer.name, _f=original, **k):
                calls[_n] += 1
                return _f(*a, **k)
            layer.call = counted
    block(tf.random.normal([2, 5, width]))
    shared = {n: c for n, c in calls.items() if c > 1}
    print(f"TransformerBlock (input width {width}): call OK, {len(block.trainable_variables)} trainable variables; "
          f"weighted layers run more than once per call: {shared or 'none'}")
