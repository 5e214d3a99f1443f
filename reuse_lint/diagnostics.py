"""The one finding type shared by the static linter (RLxxx) and the dynamic trace (RTxxx).

Every output format renders this type, so a format added once serves both modes.
Lines and columns are 1-based; columns count characters, not bytes. In a notebook, `cell` is
the cell's number (1-based, over all cells) and lines count from the cell's first line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable


@dataclass(frozen=True)
class Related:
    """A second location that explains a finding (the first creation of a clashing variable)."""

    path: str
    line: int
    column: int
    message: str
    cell: int | None = None

    def where(self) -> str:
        return location(self.path, self.cell, self.line, self.column)

    def to_json(self) -> dict:
        out = {"path": self.path, "line": self.line, "column": self.column, "message": self.message}
        if self.cell is not None:
            out["cell"] = self.cell
        return out


@dataclass(frozen=True)
class Edit:
    """Replace the text between two 1-based (line, column) positions with `content`."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str

    def to_json(self) -> dict:
        return {
            "content": self.content,
            "location": {"line": self.line, "column": self.column},
            "end_location": {"line": self.end_line, "column": self.end_column},
        }


@dataclass(frozen=True)
class Fix:
    """A repair for one finding. `safe` fixes keep behaviour apart from the bug itself."""

    message: str
    edits: tuple[Edit, ...]
    safe: bool = True

    def to_json(self) -> dict:
        return {
            "message": self.message,
            "applicability": "safe" if self.safe else "unsafe",
            "edits": [e.to_json() for e in self.edits],
        }


@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    related: tuple[Related, ...] = ()
    help: str | None = None
    fix: Fix | None = None
    # Free-form facts a format may show (variable names, shapes); never needed to act.
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    cell: int | None = None  # a notebook's cell; line, column and the fix's edits are in it

    def sort_key(self) -> tuple:
        return (self.path, self.cell or 0, self.line, self.column, self.code, self.message)

    def with_paths(self, show: Callable[[str], str]) -> Diagnostic:
        """The finding with its path and its related locations' paths as `show` gives them
        (every output shows them relative: see reuse_lint.paths)."""
        related = tuple(replace(r, path=show(r.path)) for r in self.related)
        return replace(self, path=show(self.path), related=related)

    def where(self) -> str:
        """`path:line:column`, or `notebook.ipynb:cell 7:line:column`."""
        return location(self.path, self.cell, self.line, self.column)

    def to_json(self) -> dict:
        out = {
            "code": self.code,
            "name": self.name,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "help": self.help,
            "related": [r.to_json() for r in self.related],
            "fix": self.fix.to_json() if self.fix else None,
        }
        if self.cell is not None:
            out["cell"] = self.cell
        return out


@dataclass(frozen=True)
class RuleDoc:
    """What a static or a trace rule is, as `rule CODE` and the formats show it."""

    code: str
    name: str
    summary: str
    doc: str


def location(path: str, cell: int | None, line: int, column: int) -> str:
    return f"{path}:{line}:{column}" if cell is None else f"{path}:cell {cell}:{line}:{column}"
