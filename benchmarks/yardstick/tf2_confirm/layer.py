# usage: layer.py FILE CLASS 'KWARGS-json' 'SHAPE-json' ['CALLKW-json']
# Loads FILE as a module, builds CLASS(**KWARGS), calls it twice eagerly counting the variables each
# call creates, then calls a fresh instance twice under tf.function.
import os, sys, json, importlib.util; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
path, cls, kw, shape = sys.argv[1:5]; ckw = json.loads(sys.argv[5]) if len(sys.argv) > 5 else {}
spec = importlib.util.spec_from_file_location("mod_under_test", path); mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
C = getattr(mod, cls); kw = json.loads(kw); shape = json.loads(shape)
x = tf.random.normal(shape)
a = C(**kw); f = lambda: a(x, **ckw)
print("variables created by eager call 1, call 2:", new_vars(f), new_vars(f))
b = C(**kw)
print(try_tf_function(lambda t: b(t, **ckw), x))
