"""The one-way doors between layers: the engine knows no rule, no static module imports
TensorFlow, trace or gan."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "reuse_lint"


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_engine_imports_no_rule_and_no_runner():
    for path in (PACKAGE / "engine").rglob("*.py"):
        for name in imported_modules(path):
            assert not name.startswith(("reuse_lint.rules", "reuse_lint.runner", "reuse_lint.checker", "reuse_lint.cli")), (path.name, name)


def test_static_modules_import_neither_tensorflow_nor_trace_nor_gan():
    static = [p for p in PACKAGE.rglob("*.py") if not {"trace", "gan"} & set(p.relative_to(PACKAGE).parts)]
    assert len(static) > 20
    for path in static:
        for name in imported_modules(path):
            root = name.split(".")[0]
            assert root not in {"tensorflow", "keras", "tf_keras", "tf_slim"}, (path, name)
            # The CLI dispatches to them; a rule's documentation is looked up in trace.findings,
            # which holds the trace's rule texts and imports no TensorFlow.
            allowed = path.name in {"cli.py", "__main__.py"} or name.startswith("reuse_lint.trace.findings")
            assert not name.startswith(("reuse_lint.trace", "reuse_lint.gan")) or allowed, (path, name)


def test_a_pre_commit_call_on_a_python_file_loads_no_heavy_module():
    """One `.py` file checked in a project that also holds notebooks: neither TensorFlow nor
    the libraries of other paths (fixes, notebooks, Python 2, the server) are imported."""
    import subprocess
    import sys

    probe = (
        "import sys; from reuse_lint import cli\n"
        "code = cli.main(['check', '--no-cache', 'fixtures/seed/example3_basic_gan.py'])\n"
        "heavy = ('tensorflow', 'libcst', 'rich', 'nbformat', 'jsonschema', 'fissix', 'pygls')\n"
        "print(code, sorted(m for m in heavy if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "0 []"


def test_the_interpreter_knows_tensorflow_only_through_the_model_registry():
    """interp.py runs Python; what TensorFlow's APIs do is in engine/tfapi/, one module a
    family. The interpreter imports the registry, never the table of TF names nor a family."""
    imported = imported_modules(PACKAGE / "engine" / "interp.py")
    ours = {name for name in imported if name.startswith("reuse_lint")}
    assert "reuse_lint.engine.tfapi" in ours
    assert not {name for name in ours if name.startswith("reuse_lint.tfnames") or name == "reuse_lint.tfnames"}
    assert not {name for name in ours if name.startswith("reuse_lint.engine.tfapi.")}, ours
    # Nor the values only the models make: those reach the interpreter as opaque objects.
    tf_values = {"Tensor", "VarList", "VarRef", "TFRef", "KerasObject", "Optimizer", "Cell", "ScopeVal",
                 "ScopeName", "GraphVal", "TemplateVal", "deps"}
    assert not {name for name in ours if name.rpartition(".")[2] in tf_values}, ours
    # (engine/constructions.py reads a class's constructions from Python syntax: no TensorFlow;
    # engine/settings.py reads a program's settings objects the same way: argparse, and absl's
    # flags, which `tf.app.flags` only re-exports; engine/callers.py finds a function's calls in
    # the syntax, to count the ones that leave a default in place; engine/syntax.py names a
    # def's parameters.)
    readers = ("constructions", "settings", "callers", "syntax")
    assert ours <= {"reuse_lint.engine", "reuse_lint.engine.tfapi", "reuse_lint.engine.events",
                    "reuse_lint.engine.values"} | {f"reuse_lint.engine.{r}" for r in readers} | {
        n for n in ours if n.startswith(("reuse_lint.engine.events.", "reuse_lint.engine.values.",
                                         *(f"reuse_lint.engine.{r}." for r in readers)))}, ours


def test_every_modelled_name_is_canonical_and_reaches_the_prefilter():
    """A typo in a registration, or a name the prefilter does not know (its files would be
    skipped before the model ever ran), fails here."""
    from reuse_lint import tfnames
    from reuse_lint.engine import tfapi

    names = tfapi.registered_names()
    assert len(names) > 40
    for name in names:
        assert tfnames.canonical(name) == name, name
        assert name in tfnames.SPECIAL_NAMES, name
    assert tfapi.lookup("tf.variable_scope") is not None
    assert tfapi.lookup("tf.nn.rnn_cell.LSTMCell") is not None  # a family's, by its predicate
    assert tfapi.lookup("tf.no_such_api") is None


def test_no_modelled_name_is_claimed_by_a_family_too():
    """Exact names are looked up before families: no name may be both, so the order in which
    the family modules register can never change which model runs."""
    from reuse_lint.engine import tfapi

    for name in tfapi.registered_names():
        assert not [p for p in tfapi.family_predicates() if p(name)], name


def test_every_family_module_says_what_it_models():
    folder = PACKAGE / "engine" / "tfapi"
    modules = sorted(folder.glob("*.py"))
    assert len(modules) >= 10
    for path in modules:
        assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path.name
