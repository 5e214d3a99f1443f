# NikolasMarkou/dl_techniques bf870f0 ("[yolo12] heads and tests", 2025, Keras 3):
# `YOLOv12SegmentationHead.call`, when its upsampling stages stop short of the target size by a
# factor of 2, 4 or 8, makes a new `keras.layers.Conv2DTranspose` and applies it: new weights on
# every call, trained by nothing the head tracks. The fix resizes instead ("avoids ... dynamic
# layer creation"). src/dl_techniques/layers/yolo12_heads.py is imported from the export below the
# package __init__ files, with Keras 3 (the project's Keras); a head with two upsampling stages
# gets P3/P4/P5 maps of 8x8, 4x4 and 2x2 (target 64x64, so a final x8 upsampling), is called
# twice eagerly counting the variables each call makes, and a fresh one inside tf.function.
import os, sys, types, importlib
os.environ["TF_USE_LEGACY_KERAS"] = "0"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
tree = os.path.join(os.path.abspath(sys.argv[1]), "src"); sys.path.insert(0, tree)
for name in ("dl_techniques", "dl_techniques.layers", "dl_techniques.utils"):
    m = types.ModuleType(name); m.__path__ = [os.path.join(tree, *name.split("."))]; sys.modules[name] = m
heads = importlib.import_module("dl_techniques.layers.yolo12_heads")
xs = [tf.random.normal([1, 8, 8, 4]), tf.random.normal([1, 4, 4, 4]), tf.random.normal([1, 2, 2, 4])]
mk = lambda: heads.YOLOv12SegmentationHead(num_classes=2, intermediate_filters=[8, 8], use_attention=False, dropout_rate=0.0)
a = mk(); f = lambda: a(xs)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
b = mk()
print(try_tf_function(lambda p3, p4, p5: b([p3, p4, p5]), *xs))
