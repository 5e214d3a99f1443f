# usage: tfts_layers.py TREE {head|decoder}   (TREE holds the tfts package of one commit)
# pandas is imported (and named in annotations) by the tfts package but not used by these
# layers; it is not installed here, so every pandas module is an empty stand-in.
import importlib.abc, importlib.machinery, os, sys, types
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
class _Stub(types.ModuleType):
    __path__ = []
    def __getattr__(self, name):
        if name.startswith("__"): raise AttributeError(name)
        return type(name, (), {})
class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
    def create_module(self, spec): return _Stub(spec.name)
    def exec_module(self, module): pass
sys.meta_path.insert(0, _StubFinder())
sys.path.insert(0, os.path.abspath(sys.argv[1]))
if sys.argv[2] == "head":
    from tfts.tasks.auto_task import ClassificationHead
    mk = lambda: ClassificationHead(num_labels=2, dense_units=(4, 4)); args = [tf.random.normal([2, 5, 3])]
else:
    from tfts.models.unet import Decoder
    mk = lambda: Decoder((2, 2, 2), units=4)
    args = [tf.random.normal([2, 16, 4]), tf.random.normal([2, 8, 8]), tf.random.normal([2, 4, 12]), tf.random.normal([2, 2, 12])]
    mk0 = mk; mk = lambda: (lambda d: (lambda *t: d(list(t))))(mk0())
a = mk(); f = lambda: a(*args)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
b = mk(); print(try_tf_function(lambda *t: b(*t), *args))
