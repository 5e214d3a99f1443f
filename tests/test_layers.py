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
    for path in (PACKAGE / "engine").glob("*.py"):
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
