# captain-pool/GSOC 3caec86..234c8cc (E3_Distill_ESRGAN): the adversarial distillation step took
# the discriminator's gradients with respect to the teacher *generator's* variables and applied
# them to the teacher discriminator's. The nested step_fn of Trainer.train_adversarial, taken from
# the export with ast, runs under tf.function with the project's RelativisticAverageLoss
# (E2_ESRGAN/lib/utils.py of the same commit) and pixelwise_mse (E3 libs/utils.py), on small
# Keras models for the student, the teacher generator and the teacher discriminator.
import ast, os, sys, textwrap, types
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
from absl import logging
root = sys.argv[1]
sys.path.insert(0, root + "/E2_ESRGAN")
from lib import utils as esrgan_utils


def nested(path, name, within=None):
    src = open(path).read()
    tree = ast.parse(src)
    if within:
        tree = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == within)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return textwrap.dedent("\n".join(src.splitlines()[node.lineno - 1:node.end_lineno]))
    raise KeyError(name)


K = tf.keras
def gen():
    return K.Sequential([K.layers.Conv2D(3, 3, padding="same")])
student, teacher_g = gen(), gen()
teacher_d = K.Sequential([K.layers.Conv2D(4, 3, strides=2), K.layers.Flatten(), K.layers.Dense(1)])
lr = tf.random.uniform([2, 8, 8, 3]) * 255; hr = tf.random.uniform([2, 8, 8, 3]) * 255
for m in (student, teacher_g, teacher_d):
    m(lr)  # built up front, as the trainer's models are
ns = {"tf": tf, "logging": logging, "student": student, "alpha": 0.5,
      "self": types.SimpleNamespace(teacher_generator=teacher_g, teacher_discriminator=teacher_d, batch_size=2),
      "ra_generator": esrgan_utils.RelativisticAverageLoss(teacher_d, type_="G"),
      "ra_discriminator": esrgan_utils.RelativisticAverageLoss(teacher_d, type_="D"),
      "generator_optimizer": K.optimizers.Adam(), "discriminator_optimizer": K.optimizers.Adam(),
      "generator_metric": K.metrics.Mean(), "discriminator_metric": K.metrics.Mean(),
      "student_psnr": K.metrics.Mean(), "teacher_psnr": K.metrics.Mean()}
exec(nested(root + "/E3_Distill_ESRGAN/libs/utils.py", "pixelwise_mse"), ns)  # the project's own source
ns["utils"] = types.SimpleNamespace(pixelwise_mse=ns["pixelwise_mse"])
exec(nested(root + "/E3_Distill_ESRGAN/libs/train.py", "step_fn", within="train_adversarial"), ns)
d_before = [v.numpy().copy() for v in teacher_d.trainable_variables]
try:
    tf.function(ns["step_fn"])(lr, hr)
    moved = any(not np.allclose(a, b.numpy()) for a, b in zip(d_before, teacher_d.trainable_variables))
    print(f"distillation step: OK, teacher discriminator moved: {moved}")
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("distillation step RAISES", msg(e))
