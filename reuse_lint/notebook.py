"""Jupyter notebooks: their code cells as one script, and positions back to (cell, line, column).

A kernel runs a notebook's code cells top to bottom in one namespace, so the linter reads them
as one module: the code cells concatenated in order. IPython syntax that is not Python (magics
`%matplotlib`, shell lines `!pip`, help `obj?`) is blanked line by line, and a cell that still
does not parse is blanked whole (the kernel would raise there and run nothing of it): no line
ever moves, so a position in the script is a position in one cell.

Cells are numbered from 1 over all the notebook's cells, markdown included, as an editor
shows them. `nbformat` is imported only when a notebook is read: a `check` of `.py` files
never pays for it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from typing import Callable

from reuse_lint.diagnostics import Diagnostic, Fix, Related

SUFFIX = ".ipynb"
# A line the kernel hands to IPython rather than to Python: `%magic`, `!shell`, `?help`,
# `help?`, and the assignment forms `x = !ls`, `x = %time f()`.
_IPYTHON_LINE = re.compile(r"^\s*(?:[%!?]|[\w.]+\s*\?\??\s*$|[\w.,\s]+=\s*[%!])")


class NotebookError(Exception):
    """A notebook that cannot be read: not JSON, or not a notebook nbformat knows."""


def is_notebook(path) -> bool:
    return str(path).endswith(SUFFIX)


@dataclass(frozen=True)
class Cell:
    number: int  # 1-based, over all cells
    source: str  # as in the notebook
    start: int  # the script's line where the cell begins (1-based)
    lines: int  # how many script lines it takes


def _lines(text: str) -> list[str]:
    from reuse_lint.engine import split_lines  # the parser's own line breaks

    return split_lines(text)


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _without_ipython(source: str) -> str | None:
    """The cell with its IPython lines blanked; None when it is not Python even then. A cell
    that parses as it is keeps every line (a continuation line may start with `%`)."""
    lines = _lines(source)
    if lines and lines[0].lstrip().startswith("%%"):
        return None  # a cell magic: the body is the magic's input, not Python
    if _parses(source):
        return source
    text = "".join("\n" if _IPYTHON_LINE.match(line) else line for line in lines)
    return text if _parses(text) else None


def _blank(source: str) -> str:
    """The cell as Python sees it: IPython lines blanked, or every line if it does not parse."""
    text = _without_ipython(source)
    return "\n" * len(_lines(source)) if text is None else text


class Notebook:
    """A notebook's code cells as one script, and the way back."""

    def __init__(self, node, trailer: str) -> None:
        self.node = node  # the nbformat NotebookNode, in its own version (v4)
        self._trailer = trailer  # what followed nbformat's JSON in the file ("\n")
        self.cells: list[Cell] = []
        parts: list[str] = []
        line = 1
        python = _is_python(node)
        for number, cell in enumerate(node.get("cells", []), start=1):
            if cell.get("cell_type") != "code" or not python:
                continue
            source = _text(cell.get("source", ""))
            script = _blank(source)
            if script and not script.endswith("\n"):
                script += "\n"
            count = len(_lines(script))
            self.cells.append(Cell(number, source, line, count))
            parts.append(script)
            line += count
        self.script = "".join(parts)

    # ----- positions ---------------------------------------------------------------------

    def locate(self, line: int) -> tuple[int, int] | None:
        """(cell number, line in the cell) of a script line; None past the last cell."""
        for cell in self.cells:
            if cell.start <= line < cell.start + max(cell.lines, 1):
                return cell.number, line - cell.start + 1
        return None

    def map(self, diagnostics: list[Diagnostic], path: str) -> list[Diagnostic]:
        """Script positions to cell positions: the finding, its related locations in this
        notebook, and its fix (dropped when its edits leave the finding's cell)."""
        return [m for d in diagnostics if (m := self._map_one(d, path)) is not None]

    def _map_one(self, d: Diagnostic, path: str) -> Diagnostic | None:
        if d.path != path or d.cell is not None:
            return d
        where = self.locate(d.line)
        if where is None:
            return d if d.line == 1 else None  # an empty script's RL001 stays at 1:1
        cell, line = where
        end_line = line + (d.end_line - d.line)
        related = tuple(self._map_related(r, path) for r in d.related)
        fix = self._map_fix(d.fix, cell)
        return replace(d, cell=cell, line=line, end_line=end_line, related=related, fix=fix)

    def _map_related(self, r: Related, path: str) -> Related:
        where = self.locate(r.line) if r.path == path else None
        if where is None:
            return r
        return replace(r, cell=where[0], line=where[1])

    def _map_fix(self, fix: Fix | None, cell: int) -> Fix | None:
        if fix is None:
            return None
        edits = []
        for e in fix.edits:
            start, end = self.locate(e.line), self.locate(e.end_line)
            if start is None or end is None or start[0] != cell or end[0] != cell:
                return None
            edits.append(replace(e, line=start[1], end_line=end[1]))
        return replace(fix, edits=tuple(edits))

    def sources(self, path: str) -> dict[str, list[str]]:
        """Each code cell's lines, under the key the `full` format looks up (`where_key`)."""
        return {where_key(path, c.number): _lines(c.source) for c in self.cells}

    # ----- fixes -------------------------------------------------------------------------

    def with_sources(self, sources: dict[int, str]) -> "Notebook":
        """A copy whose code cells `sources` (number -> text) have new text."""
        import copy

        node = copy.deepcopy(self.node)
        for number, text in sources.items():
            node["cells"][number - 1]["source"] = text
        return Notebook(node, self._trailer)

    def dumps(self) -> str:
        """The notebook as nbformat writes it (the version's JSON writer, then the file's trailer)."""
        from nbformat import versions

        return versions[self.node["nbformat"]].writes_json(self.node) + self._trailer


def where_key(path: str, cell: int) -> str:
    return f"{path}:cell {cell}"


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _is_python(node) -> bool:
    """A notebook of another kernel (R, Julia) holds no Python to lint."""
    metadata = node.get("metadata", {})
    language = (metadata.get("language_info") or {}).get("name") or (metadata.get("kernelspec") or {}).get("language")
    return language is None or str(language).lower() in ("python", "python3", "ipython", "ipython3")


def read(data: bytes) -> Notebook:
    """Parse a notebook's bytes; NotebookError with one line saying why not."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"cannot decode the notebook: {exc}") from None
    import warnings

    from nbformat import ValidationError, convert, reader

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat warns about missing cell ids and such
            node = reader.reads(text)
            if node.get("nbformat") != 4:
                node = convert(node, 4)
    # What nbformat raises for JSON that is not a notebook of a version it knows: its own
    # errors, and a few from walking a structure of the wrong shape.
    except (ValidationError, ValueError, KeyError, TypeError, AttributeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise NotebookError(f"cannot read the notebook: {reason}") from None
    if not isinstance(node.get("cells"), list):
        raise NotebookError("cannot read the notebook: it has no list of cells")
    stripped = text.rstrip()
    return Notebook(node, text[len(stripped):])


def from_cells(cells: list[tuple[str, str]]) -> Notebook:
    """A notebook as an editor holds it: (cell type, source) of each cell, in order."""
    return Notebook({"cells": [{"cell_type": kind, "source": source} for kind, source in cells], "metadata": {}}, "")


def script_bytes(nb: Notebook) -> bytes:
    return nb.script.encode("utf-8")


def cell_starts(nb: Notebook | None) -> tuple[int, ...]:
    """The script line where each code cell starts (none for a plain script)."""
    return tuple(c.start for c in nb.cells) if nb is not None else ()


# ----- --fix and --diff on a notebook -------------------------------------------------------------

def in_nbformat_layout(data: bytes, nb: Notebook) -> bool:
    """True when nbformat would write these very bytes: only then can a fix change nothing but
    the sources of the cells it edits."""
    try:
        return nb.dumps().encode("utf-8") == data
    except (KeyError, TypeError, ValueError):
        return False


def fix_notebook(nb: Notebook, lint: Callable[[Notebook], list[Diagnostic]], *, unsafe: bool, rounds: int = 4):
    """Apply the fixes cell by cell until none applies; (new notebook, count, what remains).
    `lint` returns findings in script positions. A cell whose fixed text does not parse is
    left as it was."""
    from reuse_lint import fixes

    total = 0
    diagnostics = lint(nb)
    for _ in range(rounds):
        per_cell: dict[int, list[Fix]] = {}
        for d in diagnostics:
            fix = fixes.applicable(d, unsafe)
            where = nb.locate(d.line) if fix else None
            local = nb._map_fix(fix, where[0]) if where else None
            if local is not None:
                per_cell.setdefault(where[0], []).append(local)
        changed: dict[int, str] = {}
        count = 0
        for number, cell_fixes in per_cell.items():
            source = next(c.source for c in nb.cells if c.number == number)
            text, n = fixes.apply_edits(source, cell_fixes)
            python = _without_ipython(text)
            if n and text != source and python is not None and fixes.valid_python(python):
                changed[number], count = text, count + n
        if not changed:
            break
        nb, total = nb.with_sources(changed), total + count
        diagnostics = lint(nb)
    return nb, total, diagnostics


def cell_diff(path: str, before: Notebook, after: Notebook) -> str:
    """A unified diff per changed cell (`a/nb.ipynb:cell 3`), as ruff shows a notebook's fixes."""
    import difflib

    old = {c.number: c.source for c in before.cells}
    out = []
    for cell in after.cells:
        if old.get(cell.number) == cell.source:
            continue
        a, b = _lines(old.get(cell.number, "")), _lines(cell.source)
        where = where_key(path, cell.number)
        for line in difflib.unified_diff(a, b, fromfile=f"a/{where}", tofile=f"b/{where}"):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of cell\n")
    return "".join(out)


def to_script(data: bytes) -> str:
    """The notebook's code cells as one script, for `trace` (IPython lines blanked)."""
    return read(data).script
