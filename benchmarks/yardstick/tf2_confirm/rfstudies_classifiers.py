# rfstudies (cobermai/rfstudies e47b027): InceptionBlock applies one InceptionSubBlock four times,
# ResnetBlock applies one BatchNormalization to its main path and to its shortcut. Prints, per
# model, how often each weighted sub-layer object runs in one forward pass and how many
# variables the model owns.
import collections, os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
setup(sys.argv[1])
from src.model.classifiers.inception import InceptionBlock
from src.model.classifiers.resnet import ResnetBlock


def count_calls(model, x):
    calls = collections.Counter()
    for layer in model._flatten_layers(include_self=False, recursive=False):
        if not layer.weights:
            continue
        original = layer.call
        def counted(*a, _l=layer, _f=original, **k):
            calls[_l.name] += 1
            return _f(*a, **k)
        layer.call = counted
    model(x, training=True)
    return calls


x = tf.random.normal([2, 64, 3])
for cls in (InceptionBlock, ResnetBlock):
    m = cls(num_classes=2); m(x)
    calls = count_calls(m, x)
    shared = {n: c for n, c in calls.items() if c > 1}
    print(f"{cls.__name__}: variables {len(m.variables)}, trainable {len(m.trainable_variables)}; "
          f"weighted layers run more than once per pass: {shared or 'none'}")
