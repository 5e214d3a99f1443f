# the accuracy() closure from main() (ast-extracted) passed to compile(metrics=[...]) and fit for 3 steps
import os, sys, types; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *; from extract import load
import numpy as np
L = 6
acc = load(sys.argv[1], "accuracy", {"tf": tf, "hparams": types.SimpleNamespace(max_length=L)})
m = tf.keras.Sequential([tf.keras.layers.Embedding(10, 4), tf.keras.layers.Dense(10)])
m.compile("adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=[acc])
x = np.random.randint(1, 10, (6, L - 1)); y = np.random.randint(1, 10, (6, L - 1))
try:
    m.fit(x, y, batch_size=2, epochs=1, verbose=0); print("fit OK")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("fit RAISES", msg(e))
