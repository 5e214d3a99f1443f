# modudeepnlp/NLP_Tensorflow2.0 621eac5 (jmkim/Char_CNN): Classifier.call applies its one hidden
# Dense to the flattened features and again to its own output. Builds the Classifier of the
# exported tree on a batch of flattened convolution features and prints what TensorFlow does.
import inspect, os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
setup(os.path.join(sys.argv[1], "jmkim", "Char_CNN"))
import configs
configs.FLAGS(["confirm"])
from model.ops import Classifier

kwargs = {"dropout": 0.5, "classes": 2}
if "dim" in inspect.signature(Classifier.__init__).parameters:
    kwargs["dim"] = 256
c = Classifier(**kwargs)
try:
    c(tf.random.normal([2, 8704]))
    denses = [l for l in c._flatten_layers(include_self=False) if l.weights]
    print(f"Classifier: call OK, {len(denses)} Dense layers, {len(c.trainable_variables)} trainable variables")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("Classifier: call RAISES " + msg(e))
