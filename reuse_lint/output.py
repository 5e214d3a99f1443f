"""Output formats. Each takes diagnostics and writes text; none decides exit codes."""

from __future__ import annotations

import json
import linecache
import re
from collections import Counter
from typing import Callable, Iterable, TextIO

from reuse_lint.diagnostics import Diagnostic

FORMATS = ("full", "concise", "json", "sarif", "github")

SourceLookup = Callable[[str], "list[str] | None"]

# What a terminal or a CI log could act on rather than show: C0 and C1 controls (ESC starts
# an escape sequence, CR rewrites the line, LF starts one that could read `::error`), line and
# paragraph separators, the bidirectional overrides that reorder what is shown, and the lone
# surrogates that undecodable bytes in a file name become (they cannot even be encoded).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the byte that surrogateescape stood in for
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, keep: str = "") -> str:
    """The text with every character a terminal or CI log could act on written as an escape;
    `keep`: characters the caller encodes its own way."""
    if keep:
        return _UNPRINTABLE.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)
    return _UNPRINTABLE.sub(_escape, text)


def shown_path(path: str) -> str:
    """A path as a text format's line starts with it: printable, and never `::` (a line of
    the concise format could otherwise read as a GitHub workflow command)."""
    path = printable(path)
    return f"./{path}" if path.startswith("::") else path


def shown_where(d) -> str:
    """`path:line:column` (`notebook.ipynb:cell 7:line:column`) of a finding or a related
    location, with its path as `shown_path` makes it."""
    return shown_path(d.path) + d.where()[len(d.path):]


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
            stream.write(f"{shown_where(d)}: {d.code} {printable(d.message)}\n")
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

    console = Console(file=stream, highlight=False, soft_wrap=True, emoji=False)
    for d in diagnostics:
        console.print(
            f"[bold]{escape(shown_where(d))}[/]: "
            f"[bold red]{d.code}[/] [red]{d.name}[/] {escape(printable(d.message))}"
        )
        # A notebook's excerpt is its cell's text (notebook.where_key).
        lines = sources(d.path if d.cell is None else f"{d.path}:cell {d.cell}")
        if lines and 1 <= d.line <= len(lines):
            text = lines[d.line - 1].rstrip("\r\n").expandtabs(1)
            gutter = " " * len(str(d.line))
            width = (d.end_column - d.column) if d.end_line == d.line else len(text) - d.column + 1
            width = max(1, width)
            # The caret is measured on the text as shown, escapes included.
            before = printable(text[:d.column - 1])
            span = text[d.column - 1:d.column - 1 + width]
            width += len(printable(span)) - len(span)
            console.print(f"[blue]{gutter} |[/]")
            console.print(f"[blue]{d.line} |[/] {escape(printable(text))}")
            console.print(f"[blue]{gutter} |[/] {' ' * len(before)}[bold red]{'^' * width}[/]")
        for r in d.related:
            console.print(f"  [blue]= related:[/] {escape(shown_where(r))}: {escape(printable(r.message))}")
        if d.help:
            console.print(f"  [cyan]= help:[/] {escape(printable(d.help))}")
        if d.fix:
            kind = "fix" if d.fix.safe else "unsafe fix"
            console.print(f"  [green]= {kind} available:[/] {escape(printable(d.fix.message))}")
        console.print()


def summary_line(diagnostics: list[Diagnostic], fixed: int = 0, errors: int = 0) -> str:
    """`errors`: the error lines the run printed (files unread, analyses cut short): a run
    with any never claims that all checks passed."""
    n = len(diagnostics)
    if n == 0 and fixed == 0:
        return "All checks passed!"  # never said beside an error: the caller prints nothing then
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
    if errors:
        parts.append(f"Not every file was checked fully: {_plural(errors, 'error')} above.")
    return " ".join(parts)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def statistics(diagnostics: Iterable[Diagnostic], stream: TextIO, as_json: bool = False) -> None:
    counts = Counter((d.code, d.name) for d in diagnostics)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if as_json:
        json.dump([{"code": code, "name": name, "count": n} for (code, name), n in rows], stream, indent=2)
        stream.write("\n")
        return
    for (code, name), n in rows:
        stream.write(f"{n:>5}\t{code}\t{name}\n")
