# usage: pkg_layer.py MODULE CLASS 'KWARGS-json' 'SHAPE-json' ['CALLKW-json'] TREE
# (session 26, s26d1) Imports MODULE (dotted) from the exported TREE below its package __init__
# files (each parent package is an empty module whose __path__ is the export's folder, so a
# package __init__ that imports libraries the layer does not use, pandas for instance, is not
# run), builds CLASS(**KWARGS), calls it twice eagerly counting the variables each call creates,
# then calls a fresh instance twice under tf.function.
import os, sys, json, types, importlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
args = sys.argv[1:]; tree = args.pop()
modname, cls, kw, shape = args[:4]; ckw = json.loads(args[4]) if len(args) > 4 else {}
tree = os.path.abspath(tree); sys.path.insert(0, tree)
parts = modname.split(".")
for i in range(1, len(parts)):
    name = ".".join(parts[:i]); m = types.ModuleType(name); m.__path__ = [os.path.join(tree, *parts[:i])]
    sys.modules[name] = m
mod = importlib.import_module(modname)
C = getattr(mod, cls); kw = json.loads(kw); shape = json.loads(shape)
x = tf.random.normal(shape)
a = C(**kw); f = lambda: a(x, **ckw)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
b = C(**kw)
print(try_tf_function(lambda t: b(t, **ckw), x))
