"""`reuse-lint server` driven over stdio as an editor drives it: initialize, didOpen, didChange,
codeAction, shutdown. Timings are measured in benchmarks/lsp_latency.py, not here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lsp_client import LspClient

ROOT = Path(__file__).resolve().parent.parent

MODEL = '''import tensorflow.compat.v1 as tf


def discriminator(x, reuse=False):
    with tf.variable_scope("d", reuse=reuse):
        return tf.layers.dense(x, 1, name="out")
'''
TRAIN = '''import tensorflow.compat.v1 as tf
from model import discriminator

x = tf.zeros([8, 2])
real = discriminator(x)
fake = discriminator(x)
'''
NAME_SCOPES = '''import tensorflow.compat.v1 as tf


def project(x):
    with tf.variable_scope("proj"):
        return tf.matmul(x, tf.get_variable("w", [2, 2]))


x = tf.zeros([8, 2])
with tf.name_scope("encoder"):
    e = project(x)
with tf.name_scope("decoder"):
    d = project(e)
'''


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.reuse-lint]\n")
    (tmp_path / "model.py").write_text(MODEL)
    (tmp_path / "train.py").write_text(TRAIN)
    (tmp_path / "scopes.py").write_text(NAME_SCOPES)
    # A `tensorflow` that leaves a mark if anything imports it: the server must not.
    fake = tmp_path / "fake_site" / "tensorflow"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(f"open({str(tmp_path / 'IMPORTED')!r}, 'w').close()\n")
    return tmp_path


@pytest.fixture
def client(project):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(project / "fake_site"), str(ROOT)]))
    with open(project / "server.log", "w") as log:
        lsp = LspClient(project, env, log)
        yield lsp
        if lsp.proc.poll() is None:
            lsp.proc.kill()
            lsp.proc.wait()


def _open(client: LspClient, path: Path, version: int = 1) -> str:
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": version, "text": path.read_text()}})
    return uri


def _change(client: LspClient, uri: str, version: int, line: int, start: int, end: int, text: str) -> None:
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}},
                            "text": text}]})


def _apply(text: str, edits: list[dict]) -> str:
    lines = text.splitlines(keepends=True)
    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        s, t = e["range"]["start"], e["range"]["end"]
        assert s["line"] == t["line"]  # the fixes used here are one-line edits
        line = lines[s["line"]]
        lines[s["line"]] = line[: s["character"]] + e["newText"] + line[t["character"]:]
    return "".join(lines)


def test_server_publishes_diagnostics_and_quick_fixes_over_stdio(client, project):
    init = client.initialize(project)
    capabilities = init["capabilities"]
    assert capabilities["codeActionProvider"]["codeActionKinds"] == ["quickfix"]
    assert capabilities["textDocumentSync"]["change"] == 2  # incremental

    # didOpen: RL101 on the second call, the first call related, the rule's doc linked.
    uri = _open(client, project / "train.py")
    _, [d] = client.diagnostics(uri, version=1)
    assert (d["code"], d["source"], d["severity"]) == ("RL101", "reuse-lint", 1)
    assert d["range"] == {"start": {"line": 5, "character": 7}, "end": {"line": 5, "character": 23}}
    assert d["message"].startswith("Variable `d/out/kernel` is created a second time")
    assert d["codeDescription"]["href"].endswith("/reuse_lint/rules/repeated_scope_without_reuse.py")
    [related] = d["relatedInformation"]
    assert related["location"] == {"uri": uri, "range": {"start": {"line": 4, "character": 7}, "end": {"line": 4, "character": 7}}}

    # codeAction: the safe fix as the preferred quick fix; applied, it is the repair.
    [action] = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}})
    assert (action["title"], action["kind"], action["isPreferred"]) == ("RL101: pass reuse=True", "quickfix", True)
    fixed = _apply(TRAIN, action["edit"]["changes"][uri])
    assert fixed.splitlines()[5] == "fake = discriminator(x, reuse=True)"

    # didChange: `# noqa: RL101` typed at the end of the line suppresses the finding...
    _change(client, uri, 2, 5, 23, 23, "  # noqa: RL101")
    assert client.diagnostics(uri, version=2)[1] == []
    # ...and removing it brings the finding back.
    _change(client, uri, 3, 5, 23, 38, "")
    assert [d["code"] for d in client.diagnostics(uri, version=3)[1]] == ["RL101"]

    # A change to the imported module re-checks the module that depends on it: with
    # AUTO_REUSE in the builder, train.py is clean without being touched.
    model = _open(client, project / "model.py")
    assert client.diagnostics(model, version=1)[1] == []
    # (opening it re-checks its dependents too: train.py unchanged, still RL101)
    assert [d["code"] for d in client.diagnostics(uri, version=3)[1]] == ["RL101"]
    _change(client, model, 2, 4, 38, 43, "tf.AUTO_REUSE")
    assert client.diagnostics(model, version=2)[1] == []
    assert client.diagnostics(uri, version=3)[1] == []

    # didSave checks at once, with the document's text as the editor holds it.
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri, version=3)[1] == []

    # An unsafe fix is offered, titled as unsafe and not preferred.
    scopes = _open(client, project / "scopes.py")
    _, [d104] = client.diagnostics(scopes, version=1)
    [unsafe] = client.request("textDocument/codeAction", {
        "textDocument": {"uri": scopes}, "range": d104["range"], "context": {"diagnostics": [d104]}})
    assert unsafe["title"] == "RL104: use tf.variable_scope instead of tf.name_scope (unsafe fix)"
    assert unsafe["isPreferred"] is False
    assert "with tf.variable_scope(\"decoder\"):" in _apply(NAME_SCOPES, unsafe["edit"]["changes"][scopes])

    assert client.close() == 0
    assert not (project / "IMPORTED").exists(), "the server imported tensorflow"


def test_related_location_in_another_module_is_that_module_s_uri(client, project):
    (project / "shared.py").write_text(
        "import tensorflow.compat.v1 as tf\nfrom model import discriminator\n\nfirst = discriminator(tf.zeros([8, 2]))\n")
    (project / "again.py").write_text("import tensorflow.compat.v1 as tf\nfrom shared import discriminator\n\nsecond = discriminator(tf.zeros([8, 2]))\n")
    client.initialize(project)
    uri = _open(client, project / "again.py")
    _, [d] = client.diagnostics(uri, version=1)
    assert d["code"] == "RL101"
    [related] = d["relatedInformation"]
    assert related["location"]["uri"] == (project / "shared.py").resolve().as_uri()
    assert related["location"]["range"]["start"] == {"line": 3, "character": 8}
    assert client.close() == 0


def test_a_changed_pyproject_is_read_again_and_every_open_document_checked_again(client, project):
    client.initialize(project, {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}})
    _, registration = client.wait(lambda m: m.get("method") == "client/registerCapability")
    [watch] = registration["params"]["registrations"]
    assert watch["method"] == "workspace/didChangeWatchedFiles"
    assert watch["registerOptions"]["watchers"] == [{"globPattern": "**/pyproject.toml"}]
    client.respond(registration)
    uri = _open(client, project / "train.py")
    assert [d["code"] for d in client.diagnostics(uri, version=1)[1]] == ["RL101"]

    config = project / "pyproject.toml"
    config.write_text('[tool.reuse-lint]\nignore = ["RL101"]\n')
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    assert client.diagnostics(uri, version=1)[1] == []

    # A configuration that does not read is shown, and the last good one stays.
    config.write_text("[tool.reuse-lint]\nselect = 5\n")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    _, shown = client.wait(lambda m: m.get("method") == "window/showMessage")
    assert shown["params"]["type"] == 1 and "pyproject.toml" in shown["params"]["message"]

    _change(client, uri, 2, 0, 0, 0, "x0 = 1  # unsaved\n")
    assert client.diagnostics(uri, version=2)[1] == []  # still RL101 ignored

    # A client that watches nothing: saving the open pyproject.toml reloads it too. The
    # unsaved text of open documents is carried over.
    config.write_text("[tool.reuse-lint]\n")
    client.notify("textDocument/didSave", {"textDocument": {"uri": config.as_uri()}})
    _, [d] = client.diagnostics(uri, version=2)
    assert (d["code"], d["range"]["start"]["line"]) == ("RL101", 6)  # the unsaved line counts
    assert client.close() == 0


NOTEBOOK_CELLS = [
    (1, "# A GAN\n"),  # markdown: counted in the cell numbers, never checked
    (2, "import tensorflow.compat.v1 as tf\n%matplotlib inline\nfrom model import discriminator\n\n"
        "real = discriminator(tf.zeros([8, 2]))\n"),
    (2, "fake = discriminator(tf.zeros([8, 2]))\n"),
]


def _cell_uri(notebook: Path, i: int) -> str:
    return f"vscode-notebook-cell:{notebook.as_posix()}#W{i}sZmlsZQ%3D%3D"


def test_a_notebook_s_cells_are_checked_as_one_script_and_answered_at_each_cell(client, project):
    init = client.initialize(project, {"notebookDocument": {"synchronization": {}}})
    [selector] = init["capabilities"]["notebookDocumentSync"]["notebookSelector"]
    assert selector == {"notebook": "*", "cells": [{"language": "python"}]}
    path = project / "gan.ipynb"
    uri = path.as_uri()
    cells = [_cell_uri(path, i) for i in range(len(NOTEBOOK_CELLS))]
    client.notify("notebookDocument/didOpen", {
        "notebookDocument": {"uri": uri, "notebookType": "jupyter-notebook", "version": 1,
                             "cells": [{"kind": kind, "document": cells[i]} for i, (kind, _) in enumerate(NOTEBOOK_CELLS)]},
        "cellTextDocuments": [{"uri": cells[i], "languageId": "python" if kind == 2 else "markdown", "version": 1,
                               "text": text} for i, (kind, text) in enumerate(NOTEBOOK_CELLS)]})
    # The builder comes from model.py; the first call is in cell 2, the repeated one in cell 3.
    _, [d] = client.diagnostics(cells[2], version=1)
    assert d["code"] == "RL101"
    assert d["range"] == {"start": {"line": 0, "character": 7}, "end": {"line": 0, "character": 38}}
    [related] = d["relatedInformation"]
    assert related["location"] == {"uri": cells[1], "range": {"start": {"line": 4, "character": 7},
                                                              "end": {"line": 4, "character": 7}}}
    assert client.diagnostics(cells[1], version=1)[1] == []

    # The safe fix, as a quick fix on the cell's own document.
    [action] = client.request("textDocument/codeAction", {
        "textDocument": {"uri": cells[2]}, "range": d["range"], "context": {"diagnostics": [d]}})
    assert action["title"] == "RL101: pass reuse=True"
    assert _apply(NOTEBOOK_CELLS[2][1], action["edit"]["changes"][cells[2]]) == \
        "fake = discriminator(tf.zeros([8, 2]), reuse=True)\n"

    # A cell edited in the notebook: `# noqa` typed in cell 3, then removed.
    def edit_cell(version: int, start: int, end: int, text: str) -> None:
        client.notify("notebookDocument/didChange", {
            "notebookDocument": {"uri": uri, "version": version},
            "change": {"cells": {"textContent": [{"document": {"uri": cells[2], "version": version},
                                                  "changes": [{"range": {"start": {"line": 0, "character": start},
                                                                         "end": {"line": 0, "character": end}},
                                                               "text": text}]}]}}})

    edit_cell(2, 38, 38, "  # noqa: RL101")
    assert client.diagnostics(cells[2], version=2)[1] == []
    edit_cell(3, 38, 53, "")
    assert [d["code"] for d in client.diagnostics(cells[2], version=3)[1]] == ["RL101"]

    # A change to the module the notebook imports checks the notebook again.
    model = _open(client, project / "model.py")
    assert client.diagnostics(model, version=1)[1] == []
    # (opening it checks the notebook again too: unchanged, still RL101)
    assert [d["code"] for d in client.diagnostics(cells[2], version=3)[1]] == ["RL101"]
    _change(client, model, 2, 4, 38, 43, "tf.AUTO_REUSE")
    assert client.diagnostics(model, version=2)[1] == []
    assert client.diagnostics(cells[2], version=3)[1] == []

    def cleared(cell: str) -> list:
        _, message = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                 and m["params"]["uri"] == cell and "version" not in m["params"])
        return message["params"]["diagnostics"]

    # A cell deleted: its findings are cleared. (With the model fixed it has none; the
    # message without a version is the clearing.)
    client.notify("notebookDocument/didChange", {
        "notebookDocument": {"uri": uri, "version": 4},
        "change": {"cells": {"structure": {"array": {"start": 2, "deleteCount": 1}, "didClose": [{"uri": cells[2]}]}}}})
    assert cleared(cells[2]) == []

    # Closed: the cells' findings are cleared.
    client.notify("notebookDocument/didClose", {"notebookDocument": {"uri": uri},
                                                "cellTextDocuments": [{"uri": c} for c in cells[:2]]})
    assert cleared(cells[1]) == []
    assert client.close() == 0
    assert not (project / "IMPORTED").exists(), "the server imported tensorflow"
