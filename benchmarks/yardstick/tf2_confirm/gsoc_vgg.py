# captain-pool/GSOC 582c18b (with df64068): VGGArch, the ESRGAN discriminator, applied one
# BatchNormalization object after each of its seven strided convolutions, whose widths differ.
# The project's lib/model.py is imported from the export (settings from the export's
# config/config.yaml) and VGGArch is called on a small batch, eagerly.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
setup(sys.argv[1] + "/E2_ESRGAN")
import yaml
_load = yaml.load
yaml.load = lambda stream, Loader=yaml.SafeLoader: _load(stream, Loader=Loader)  # PyYAML 6 needs a Loader; 2019's did not
from lib import settings
settings.Settings("config/config.yaml")
from lib import model
d = model.VGGArch(num_features=8)
try:
    out = d(tf.random.normal([2, 64, 64, 3]))
    bns = [l for l in d._flatten_layers() if isinstance(l, tf.keras.layers.BatchNormalization)]
    print(f"VGGArch call: OK, output {tuple(out.shape)}, {len(bns)} BatchNormalization layers, {len(d.trainable_weights)} trainable weights")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("VGGArch call RAISES", msg(e))
