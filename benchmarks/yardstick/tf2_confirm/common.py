import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import tensorflow as tf


def setup(d):
    sys.path.insert(0, d); os.chdir(d)
def msg(e):
    s = str(e)
    for key in ("singleton", "non-first", "No gradients", "Incompatible", "expected axis", "shape"):
        for line in s.splitlines():
            if key in line: return type(e).__name__ + ": " + line.strip()[:150]
    return type(e).__name__ + ": " + (s.strip().splitlines() or [""])[-1][:150]
def try_tf_function(fn, *a):
    f = tf.function(fn)
    try:
        f(*a); f(*a)
        return "tf.function OK"
    except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
        return "tf.function RAISES " + msg(e)
def new_vars(fn, *a):
    made = []
    def creator(next_creator, **kw):
        v = next_creator(**kw); made.append(v.name); return v
    with tf.variable_creator_scope(creator):
        fn(*a)
    return len(made)
