# stellargraph/stellargraph 7a14497 ("Store embeddings statefully in ComplEx and DistMult models
# (#1100)", issue #1088): `ComplEx.__call__` and `DistMult.__call__` make their node and relation
# `Embedding` layers every time they are applied, so two models built from one object (two
# `build()` calls, or `build()` and a later application) have separate, independently trained
# embeddings. The fix makes them once in `__init__`. stellargraph/layer/knowledge_graph.py is
# imported from the export below the package __init__ files (stand-ins for the mapper's triple
# generator and for the core helpers `experimental` and `require_integer_in_range`, which the
# layers use only to annotate and validate); each class builds two models from one object; prints
# how many embedding variables the two share.
import os, sys, types, importlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import tf_keras as keras
tree = os.path.abspath(sys.argv[1]); sys.path.insert(0, tree)
for name in ("stellargraph", "stellargraph.layer", "stellargraph.core", "stellargraph.mapper"):
    m = types.ModuleType(name); m.__path__ = [os.path.join(tree, *name.split("."))]; sys.modules[name] = m
class KGTripleGenerator:
    def __init__(self):
        self.G = types.SimpleNamespace(number_of_nodes=lambda: 5, _edges=types.SimpleNamespace(types=["a", "b"]))
def stub(name, **kw):
    m = types.ModuleType(name); m.__dict__.update(kw); sys.modules[name] = m
stub("stellargraph.mapper.knowledge_graph", KGTripleGenerator=KGTripleGenerator, KGTripleSequence=object)
stub("stellargraph.core.experimental", experimental=lambda *a, **k: (lambda c: c))
stub("stellargraph.core.validation", require_integer_in_range=lambda *a, **k: None)
kg = importlib.import_module("stellargraph.layer.knowledge_graph")
for cls in ("ComplEx", "DistMult"):
    obj = getattr(kg, cls)(KGTripleGenerator(), 4)
    m1 = keras.Model(*obj.build()); m2 = keras.Model(*obj.build())
    v1 = {id(v) for v in m1.trainable_variables}; v2 = {id(v) for v in m2.trainable_variables}
    print("kernels %s: embedding variables shared by two models of one object: %d of %d" % (cls, len(v1 & v2), len(v1)))
