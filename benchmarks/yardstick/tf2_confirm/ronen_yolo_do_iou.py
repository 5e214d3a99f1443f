# ronen-halevy/yolo-v3-tf2 b70cf55a ("runs with tf.function"): Evaluate.do_iou, an @tf.function
# method, made `t_unassigned = tf.Variable(tf.fill(tf.shape(true_y[..., 1]), 1))` from its own input
# on every call; the fix makes the variable in the (eager) loop over the dataset and passes it in.
# The class Evaluate is taken from the export's evaluate2.py with ast (the module imports the
# project's tfrecord and model-parsing code, yaml and matplotlib, which Evaluate.do_iou does not use)
# and do_iou is called as that commit's loop calls it, on two images with 2 and 3 true boxes.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import ast, inspect
src = open(os.path.join(sys.argv[1], "evaluate2.py")).read()
cls = next(n for n in ast.parse(src).body if isinstance(n, ast.ClassDef) and n.name == "Evaluate")
ns = {"tf": tf}
# runs the project's own class source from the exported commit, on purpose
exec(compile(ast.Module(body=[cls], type_ignores=[]), "evaluate2.py::Evaluate", "exec"), ns)  # noqa: S102
ev = ns["Evaluate"](nclasses=3, iou_thresh=0.5)
takes_var = "t_unassigned" in inspect.signature(ev.do_iou.python_function).parameters
z = tf.convert_to_tensor([0] * 3)
tp = fp = fn = oc = z
images = [  # (pred_y: x1 y1 x2 y2 class, true_y: x1 y1 x2 y2 conf class)
    (tf.constant([[0., 0., 1., 1., 0.], [2., 2., 3., 3., 1.]]),
     tf.constant([[0., 0., 1., 1., 1., 0.], [2., 2., 3., 3., 1., 1.]])),
    (tf.constant([[0., 0., 1., 1., 2.]]),
     tf.constant([[0., 0., 1., 1., 1., 2.], [5., 5., 6., 6., 1., 0.], [7., 7., 8., 8., 1., 1.]])),
]
try:
    for pred_y, true_y in images:
        if takes_var:
            t_unassigned = tf.Variable(tf.fill(tf.shape(true_y[..., 1]), 1))
            tp, fp, fn, oc = ev.do_iou(pred_y, true_y, tp, fp, fn, oc, t_unassigned)
        else:
            tp, fp, fn, oc = ev.do_iou(pred_y, true_y, tp, fp, fn, oc)
    print("tf.function do_iou: OK on both images; tp", tp.numpy().tolist(), "fp", fp.numpy().tolist(),
          "fn", fn.numpy().tolist(), "objects", oc.numpy().tolist())
except Exception as e:  # noqa: BLE001  (report whatever TensorFlow raises)
    print("tf.function do_iou RAISES", msg(e))
