"""`reuse-lint server`: the Language Server Protocol over stdio, on pygls.

Diagnostics on open and save at once, on change after a short pause in typing; each carries
its code, the rule's documentation as a link, and related locations. Python files and
notebooks (the notebook protocol: a notebook's code cells are one script, and each finding is
published at its cell's document); a changed pyproject.toml is read again. Quick fixes: the safe
fixes, and the unsafe ones titled as such. The analysis is static: the server never imports
the user's code nor TensorFlow. Only this command imports pygls.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from reuse_lint import __version__, runner
from reuse_lint.diagnostics import Diagnostic, Edit
from reuse_lint.lsp.project import Project

# Seconds of quiet after a keystroke before a check: long enough that a burst of typing is
# checked once, short enough to stay well inside 0.3 s from the last keystroke.
DEBOUNCE = 0.08
SOURCE = "reuse-lint"
CONFIG_FILE = "pyproject.toml"


class ReuseLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("reuse-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         notebook_document_sync=types.NotebookDocumentSyncOptions(notebook_selector=[
                             types.NotebookDocumentFilterWithCells(
                                 notebook="*", cells=[types.NotebookCellLanguage(language="python")])], save=True))
        self.project: Project | None = None
        self.findings: dict[str, list[Diagnostic]] = {}  # uri -> last findings published
        self._pending: dict[str, asyncio.TimerHandle] = {}
        # Open documents to re-check because a module they import changed, in order (a dict
        # as an ordered set); checked one per turn of the event loop, after pending edits.
        self._dependents: dict[str, None] = {}
        self._draining: asyncio.Handle | None = None
        self._cells: dict[str, set[str]] = {}  # notebook uri -> the cell uris last published

    # ----- the project -------------------------------------------------------------------

    def project_for(self) -> Project | None:
        if self.project is None:
            root = self.workspace.root_path or "."
            try:
                self.project = Project(Path(root))
            except runner.ConfigError as exc:
                self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"reuse-lint: {exc}"))
                return None
        return self.project

    def reload_configuration(self) -> None:
        """A pyproject.toml changed: read the configuration again, carry the open documents'
        unsaved text over, and check them all again. A configuration that no longer reads is
        shown, and the last good one stays in use."""
        try:
            project = Project(Path(self.workspace.root_path or "."))
        except runner.ConfigError as exc:
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"reuse-lint: {exc}"))
            return
        for uri in self.workspace.text_documents:
            path = _path(uri)
            if path is not None:
                project.open(path, self.text(uri))
        for uri in self.workspace.notebook_documents:
            self.sync_notebook(uri, project)
        self.project = project
        self.findings.clear()  # found under the old settings: code actions must not offer them
        for uri in self._open_documents(project).values():
            self._dependents[uri] = None
        self._drain_soon()

    def watch_configuration(self) -> None:
        """Ask the client to tell us of pyproject.toml changes, if it can be asked."""
        workspace = self.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if watched is None or not watched.dynamic_registration:
            return  # a save of an open pyproject.toml still reloads it
        self.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
            id="reuse-lint-pyproject", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=f"**/{CONFIG_FILE}")]),
        )]))

    def text(self, uri: str) -> str:
        return self.workspace.get_text_document(uri).source

    def sync_notebook(self, uri: str, project: Project) -> None:
        """Hand the project a notebook's cells as the editor holds them."""
        path = _notebook_path(uri)
        document = self.workspace.get_notebook_document(notebook_uri=uri)
        if path is None or document is None:
            return
        project.open_notebook(path, [("code" if cell.kind == types.NotebookCellKind.Code else "markdown",
                                      self.text(cell.document)) for cell in document.cells])

    def _open_documents(self, project: Project) -> dict[Path, str]:
        """module or notebook -> the uri it is open under: Python files and notebooks."""
        found = {project.key(p): u for u in self.workspace.text_documents if (p := _path(u)) is not None}
        found.update({project.key(p): u for u in self.workspace.notebook_documents if (p := _notebook_path(u)) is not None})
        return found

    # ----- checking ----------------------------------------------------------------------

    def schedule(self, uri: str) -> None:
        """Check after DEBOUNCE seconds without another change to the document."""
        handle = self._pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        self._pending[uri] = asyncio.get_running_loop().call_later(DEBOUNCE, self.check_changed, uri)

    def check_changed(self, uri: str) -> None:
        """Check the document now, and queue the open documents whose findings depend on it."""
        self._pending.pop(uri, None)
        project = self.project_for()
        if project is None:
            return
        if uri in self.workspace.notebook_documents:
            self.check_notebook(uri)  # nothing imports a notebook: no dependents
            return
        path = _path(uri)
        if path is None:
            return
        self.publish(uri, project.check(path))
        open_uris = self._open_documents(project)
        for module in project.affected(path, list(open_uris))[1:]:
            self._dependents[open_uris[module]] = None
        self._drain_soon()

    def _drain_soon(self, delay: float = 0.0) -> None:
        if self._draining is None and self._dependents:
            self._draining = asyncio.get_running_loop().call_later(delay, self._drain_one)

    def _drain_one(self) -> None:
        """Re-check one queued dependent. An edit waiting for its check goes first: the
        document being typed in is answered before the ones that import it."""
        self._draining = None
        if self._pending:
            self._drain_soon(DEBOUNCE)
            return
        uri = next(iter(self._dependents), None)
        if uri is None:
            return
        del self._dependents[uri]
        path = _path(uri)
        if uri in self.workspace.notebook_documents:
            self.check_notebook(uri)
        elif path is not None and self.project is not None and uri in self.workspace.text_documents:
            self.publish(uri, self.project.check(path))
        self._drain_soon()

    def check_notebook(self, uri: str) -> None:
        """Check an open notebook and publish each code cell's findings at that cell's uri (a
        finding at no cell, RL001 of an empty script, goes to the first code cell)."""
        document = self.workspace.get_notebook_document(notebook_uri=uri)
        path = _notebook_path(uri)
        if document is None or path is None or self.project is None:
            return
        cells = {number: cell.document for number, cell in enumerate(document.cells, start=1)}
        code = [cell.document for cell in document.cells if cell.kind == types.NotebookCellKind.Code]
        found: dict[str, list[Diagnostic]] = {cell: [] for cell in code}
        for d in self.project.check(path):
            cell = cells.get(d.cell) if d.cell is not None else (code[0] if code else None)
            if cell in found:
                found[cell].append(d)
        for cell, findings in found.items():
            self.publish(cell, findings, cells)
        for gone in self._cells.get(uri, set()) - found.keys():
            self.unpublish(gone)
        self._cells[uri] = set(found)

    def close_notebook(self, uri: str) -> None:
        path = _notebook_path(uri)
        if path is not None and self.project is not None:
            self.project.close_notebook(path)
        for cell in self._cells.pop(uri, set()):
            self.unpublish(cell)

    def publish(self, uri: str, findings: list[Diagnostic], cells: dict[int, str] | None = None) -> None:
        """`cells`: a notebook's cell uris by cell number, for related locations in its cells."""
        self.findings[uri] = findings
        document = self.workspace.get_text_document(uri)
        lines = document.lines
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=[_lsp_diagnostic(d, lines, cells) for d in findings]))

    def unpublish(self, uri: str) -> None:
        """Clear a document's findings (closed, or a cell removed from its notebook)."""
        self.findings.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def code_actions(self, uri: str, wanted: types.Range) -> list[types.CodeAction]:
        lines = self.workspace.get_text_document(uri).lines
        actions = []
        for d in self.findings.get(uri, []):
            if d.fix is None or not d.fix.edits:
                continue
            where = _range(d.line, d.column, d.end_line, d.end_column, lines)
            if where.end.line < wanted.start.line or where.start.line > wanted.end.line:
                continue
            title = f"{d.code}: {d.fix.message}" + ("" if d.fix.safe else " (unsafe fix)")
            actions.append(types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[_lsp_diagnostic(d, lines)],
                is_preferred=d.fix.safe,
                edit=types.WorkspaceEdit(changes={uri: [_text_edit(e, lines) for e in d.fix.edits]}),
            ))
        return actions


# ----- positions: ours are 1-based characters, LSP's 0-based UTF-16 code units ---------------

def _utf16(line_text: str, column: int) -> int:
    prefix = line_text[: max(column - 1, 0)]
    return len(prefix.encode("utf-16-le")) // 2


def _position(line: int, column: int, lines) -> types.Position:
    if not 0 < line <= len(lines):
        # Another module's line we do not hold: characters stand for UTF-16 units (exact
        # outside the astral planes).
        return types.Position(line=max(line - 1, 0), character=max(column - 1, 0))
    return types.Position(line=line - 1, character=_utf16(lines[line - 1], column))


def _range(line: int, column: int, end_line: int, end_column: int, lines) -> types.Range:
    return types.Range(start=_position(line, column, lines), end=_position(end_line, end_column, lines))


def _text_edit(e: Edit, lines) -> types.TextEdit:
    return types.TextEdit(range=_range(e.line, e.column, e.end_line, e.end_column, lines), new_text=e.content)


def _doc_link(code: str) -> types.CodeDescription | None:
    """The rule's documentation: its module, whose docstring is the doc (`reuse-lint rule CODE`)."""
    import sys

    from reuse_lint.rules import rule_by_code

    rule = rule_by_code(code)
    module = sys.modules.get(rule.__module__) if rule else None
    if module is None or not getattr(module, "__file__", None):
        return None
    return types.CodeDescription(href=Path(module.__file__).resolve().as_uri())


def _lsp_diagnostic(d: Diagnostic, lines, cells: dict[int, str] | None = None) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=_related_uri(r, cells),
                                    range=_range(r.line, r.column, r.line, r.column, lines if (r.path, r.cell) == (d.path, d.cell) else [])),
            message=r.message)
        for r in d.related
    ]
    message = d.message if not d.help else f"{d.message}\nhelp: {d.help}"
    return types.Diagnostic(
        range=_range(d.line, d.column, d.end_line, d.end_column, lines),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        code=d.code,
        code_description=_doc_link(d.code),
        source=SOURCE,
        related_information=related or None,
        data={"name": d.name, "fix": None if d.fix is None else ("safe" if d.fix.safe else "unsafe")},
    )


def _related_uri(r, cells: dict[int, str] | None) -> str:
    """A related location in one of the notebook's cells is that cell's document."""
    if r.cell is not None and cells and r.cell in cells:
        return cells[r.cell]
    return from_fs_path(os.path.abspath(r.path))


def _notebook_path(uri: str) -> Path | None:
    path = to_fs_path(uri)
    return Path(path) if path and path.endswith(".ipynb") else None


def _is_config(uri: str) -> bool:
    path = to_fs_path(uri)
    return path is not None and os.path.basename(path) == CONFIG_FILE


def _path(uri: str) -> Path | None:
    path = to_fs_path(uri)
    return Path(path) if path and path.endswith(".py") else None


# ----- the protocol ----------------------------------------------------------------------------

def build() -> ReuseLintServer:
    server = ReuseLintServer()

    @server.feature(types.INITIALIZED)
    def initialized(ls: ReuseLintServer, params: types.InitializedParams) -> None:
        ls.watch_configuration()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: ReuseLintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(_is_config(change.uri) for change in params.changes):
            ls.reload_configuration()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ReuseLintServer, params: types.DidOpenTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        project = ls.project_for()
        if path is not None and project is not None:
            project.open(path, params.text_document.text)
            ls.check_changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ReuseLintServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = _path(uri)
        project = ls.project_for()
        if path is not None and project is not None:
            project.change(path, ls.text(uri))  # pygls has applied the change to its copy
            ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ReuseLintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if _is_config(uri):
            ls.reload_configuration()
            return
        path = _path(uri)
        project = ls.project_for()
        if path is not None and project is not None:
            project.change(path, ls.text(uri))
            ls.check_changed(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ReuseLintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = _path(uri)
        if path is not None and ls.project is not None:
            ls.project.close(path)
        ls.unpublish(uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_did_open(ls: ReuseLintServer, params: types.DidOpenNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        project = ls.project_for()
        if project is not None:
            ls.sync_notebook(uri, project)
            ls.check_changed(uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_did_change(ls: ReuseLintServer, params: types.DidChangeNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        project = ls.project_for()
        if project is not None:
            ls.sync_notebook(uri, project)  # pygls has applied the change to its copy
            ls.schedule(uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_did_save(ls: ReuseLintServer, params: types.DidSaveNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        project = ls.project_for()
        if project is not None:
            ls.sync_notebook(uri, project)
            ls.check_changed(uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_did_close(ls: ReuseLintServer, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.close_notebook(params.notebook_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: ReuseLintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params.text_document.uri, params.range)

    return server


def main(argv: list[str]) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="reuse-lint server", description="Serve the Language Server Protocol over stdio.")
    p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)  # pygls logs to stderr; stdout is the protocol
    build().start_io()
    return 0
