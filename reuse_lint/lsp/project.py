"""The editor's view of a project: its analysis kept warm between keystrokes. No LSP here.

Open documents are an overlay on the disk: the analysis reads an open module's unsaved text,
and every other module from the disk. Parses are kept per module until that module changes;
each check re-interprets the module and what it imports (as `check` does), which is what lets
a finding in `train.py` follow an edit to `model.py`.

Which modules a change re-checks is one decision, `dependents()`: today the modules whose
last check loaded the changed one; an import index can replace it without touching the rest.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Iterable, Mapping

from reuse_lint import checker, notebook, runner
from reuse_lint.diagnostics import Diagnostic
from reuse_lint.rules import select_rules


def dependents(changed: Path, loaded: Mapping[Path, frozenset[Path]]) -> set[Path]:
    """The modules whose findings may change when `changed` changes: those whose last
    check loaded it (directly or through another import)."""
    return {module for module, used in loaded.items() if changed in used}


def _settings(root: Path) -> runner.Settings:
    """The project's configuration, as `reuse-lint check ROOT` would read it."""
    from reuse_lint.cli import _check_parser

    args: argparse.Namespace = _check_parser().parse_args([str(root), "--no-cache"])
    return runner.settings_from_args(args)


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.settings = _settings(self.root)  # raises runner.ConfigError, which the server shows
        self.rules = () if self.settings.select == [] else select_rules(self.settings.select, self.settings.ignore)
        self._overlay: dict[Path, str] = {}
        self._notebooks: dict[Path, notebook.Notebook] = {}  # open notebooks, as the editor holds them
        self._loader = runner.ProjectLoader(self._read, self.root)
        self._loaded: dict[Path, frozenset[Path]] = {}

    # ----- documents ---------------------------------------------------------------------

    @staticmethod
    def key(path: str | os.PathLike) -> Path:
        """A module's identity: its real path, as the loader resolves imports to."""
        return Path(os.path.realpath(path))

    def open(self, path: Path, text: str) -> None:
        self.change(path, text)

    def change(self, path: Path, text: str) -> None:
        path = self.key(path)
        self._overlay[path] = text
        self._loader.forget(path)

    def close(self, path: Path) -> None:
        path = self.key(path)
        self._overlay.pop(path, None)
        self._loader.forget(path)  # the disk's text counts again

    def open_notebook(self, path: Path, cells: list[tuple[str, str]]) -> None:
        """A notebook opened or changed in the editor: (cell type, source) of each cell."""
        self._notebooks[self.key(path)] = notebook.from_cells(cells)

    def close_notebook(self, path: Path) -> None:
        self._notebooks.pop(self.key(path), None)

    def is_open(self, path: Path) -> bool:
        return self.key(path) in self._overlay

    def _read(self, path: Path) -> bytes:
        text = self._overlay.get(path)
        return text.encode("utf-8") if text is not None else path.read_bytes()

    # ----- analysis ----------------------------------------------------------------------

    def check(self, path: Path) -> list[Diagnostic]:
        """Findings for one module, its unsaved text included; [] for an excluded file. An open
        notebook's code cells are read as one script (as `check` reads the file), and its
        findings are at their cells."""
        path = self.key(path)
        if self.settings.is_excluded(path):
            return []
        book = self._notebooks.get(path)
        try:
            source = notebook.script_bytes(book) if book is not None else self._read(path)
        except OSError:
            return []
        self._loader.begin(str(path))
        findings = checker.lint_source(source, str(path), self.settings.rules_for(path, self.rules), loader=self._loader,
                                       cells=notebook.cell_starts(book))
        self._loaded[path] = frozenset(Path(p) for p in self._loader.loaded())
        return findings if book is None else book.map(findings, str(path))

    def affected(self, changed: Path, candidates: Iterable[Path]) -> list[Path]:
        """`changed` and, among `candidates` (the open documents), those it may change."""
        changed = self.key(changed)
        hit = dependents(changed, self._loaded)
        return [changed] + sorted(self.key(c) for c in candidates if self.key(c) in hit and self.key(c) != changed)
