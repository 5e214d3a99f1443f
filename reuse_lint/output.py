"""Output formats. Each takes diagnostics and writes text; none decides exit codes."""

from __future__ import annotations

import json
import linecache
from collections import Counter
from typing import Callable, Iterable, TextIO

from reuse_lint.diagnostics import Diagnostic

FORMATS = ("full", "concise", "json", "sarif", "github")

SourceLookup = Callable[[str], "list[str] | None"]


def _disk_lines(path: str) -> list[str] | None:
    lines = linecache.getlines(path)
    return lines or None


def render(
    diagnostics: list[Diagnostic],
    fmt: str,
    stream: TextIO,
    *,
    sources: SourceLookup = _disk_lines,
    fixable_hint: bool = True,
    rule_codes: "list[str] | None" = None,
) -> None:
    """`rule_codes`: the rules the run selected, which SARIF lists even when none fired."""
    if fmt == "json":
        json.dump([d.to_json() for d in diagnostics], stream, indent=2)
        stream.write("\n")
    elif fmt == "concise":
        for d in diagnostics:
            stream.write(f"{d.where()}: {d.code} {d.message}\n")
    elif fmt == "github":
        from reuse_lint.formats_ci import write_github

        write_github(diagnostics, stream)
    elif fmt == "sarif":
        from reuse_lint.formats_ci import write_sarif

        write_sarif(diagnostics, stream, rule_codes)
    else:
        _render_full(diagnostics, stream, sources)


def _render_full(diagnostics: list[Diagnostic], stream: TextIO, sources: SourceLookup) -> None:
    if not diagnostics:
        return  # a clean run (the usual pre-commit call) need not import rich at all
    # rich is imported here so that `concise` and `json` runs never pay for it.
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=stream, highlight=False, soft_wrap=True)
    for d in diagnostics:
        console.print(
            f"[bold]{escape(d.where())}[/]: "
            f"[bold red]{d.code}[/] [red]{d.name}[/] {escape(d.message)}"
        )
        # A notebook's excerpt is its cell's text (notebook.where_key).
        lines = sources(d.path if d.cell is None else f"{d.path}:cell {d.cell}")
        if lines and 1 <= d.line <= len(lines):
            text = lines[d.line - 1].rstrip("\r\n").expandtabs(1)
            gutter = " " * len(str(d.line))
            width = (d.end_column - d.column) if d.end_line == d.line else len(text) - d.column + 1
            width = max(1, width)
            console.print(f"[blue]{gutter} |[/]")
            console.print(f"[blue]{d.line} |[/] {escape(text)}")
            console.print(f"[blue]{gutter} |[/] {' ' * (d.column - 1)}[bold red]{'^' * width}[/]")
        for r in d.related:
            console.print(f"  [blue]= related:[/] {escape(r.where())}: {escape(r.message)}")
        if d.help:
            console.print(f"  [cyan]= help:[/] {escape(d.help)}")
        if d.fix:
            kind = "fix" if d.fix.safe else "unsafe fix"
            console.print(f"  [green]= {kind} available:[/] {escape(d.fix.message)}")
        console.print()


def summary_line(diagnostics: list[Diagnostic], fixed: int = 0) -> str:
    n = len(diagnostics)
    if n == 0 and fixed == 0:
        return "All checks passed!"
    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}, {n} remaining.")
    elif n:
        safe = sum(1 for d in diagnostics if d.fix and d.fix.safe)
        unsafe = sum(1 for d in diagnostics if d.fix and not d.fix.safe)
        s = f"Found {n} finding{'s' if n != 1 else ''}."
        if safe:
            s += f" {safe} fixable with --fix."
        if unsafe:
            s += f" {unsafe} more with --unsafe-fixes."
        parts.append(s)
    return " ".join(parts)


def statistics(diagnostics: Iterable[Diagnostic], stream: TextIO) -> None:
    counts = Counter((d.code, d.name) for d in diagnostics)
    for (code, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        stream.write(f"{n:>5}\t{code}\t{name}\n")
