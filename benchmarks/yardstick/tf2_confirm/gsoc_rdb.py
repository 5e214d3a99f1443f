# captain-pool/GSOC f3477c6 (E2_ESRGAN): RDB.__init__ kept `self.conv = lambda x: Conv2D(...)(x)`,
# so every use of self.conv in RDB.call made a new Conv2D. The project's lib/utils.py is imported
# from the export (its settings read from the export's config/config.yaml, as main.py does), one
# RDB is called twice eagerly while the variables each call creates are counted, a fresh one is
# called twice under tf.function, and the layer's tracked weights are counted.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
setup(sys.argv[1] + "/E2_ESRGAN")
import yaml
_load = yaml.load
yaml.load = lambda stream, Loader=yaml.SafeLoader: _load(stream, Loader=Loader)  # PyYAML 6 needs a Loader; 2019's did not
from lib import settings
settings.Settings("config/config.yaml")
from lib import utils
x = tf.random.normal([1, 8, 8, 32])
a = utils.RDB()
f = lambda: a(x)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
print("RDB trainable weights tracked:", len(a.trainable_weights))
b = utils.RDB()
print(try_tf_function(lambda t: b(t), x))
