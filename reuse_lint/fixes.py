"""Applying fixes: all of a file's edits in one pass, checked, then written atomically.

A fix is a set of text edits anchored on the parser's positions (as in ruff). Everything
outside the edits stays byte for byte: the encoding and its declaration, a BOM, CRLF line
endings, tabs, comments, and the file's mode. A result that libcst cannot parse is never
written.
"""

from __future__ import annotations

import codecs
import difflib
import io
import os
import stat
import tempfile
import tokenize
from pathlib import Path
from typing import Callable

from reuse_lint.diagnostics import Diagnostic, Edit, Fix

MAX_ROUNDS = 4  # a fix can uncover another (a repeated call after a dropped reuse)


def _offsets(text: str) -> list[int]:
    from reuse_lint.engine import split_lines

    starts, total = [0], 0
    for line in split_lines(text):
        total += len(line)
        starts.append(total)
    return starts


def _span(starts: list[int], e: Edit) -> tuple[int, int]:
    def at(line: int, column: int) -> int:
        line = min(max(line, 1), len(starts))
        return starts[line - 1] + column - 1

    return at(e.line, e.column), at(e.end_line, e.end_column)


def applicable(d: Diagnostic, unsafe: bool) -> Fix | None:
    if d.fix is None or not d.fix.edits:
        return None
    return d.fix if (d.fix.safe or unsafe) else None


def apply_edits(text: str, fixes: list[Fix]) -> tuple[str, int]:
    """Apply non-overlapping fixes (a fix whose edits overlap an earlier one waits a round)."""
    starts = _offsets(text)
    taken: list[tuple[int, int]] = []
    chosen: list[tuple[int, int, str]] = []
    count = 0
    for fix in fixes:
        spans = [(*_span(starts, e), e.content) for e in fix.edits]
        if any(not (end <= a or start >= b) or (start == end == a == b) for start, end, _ in spans for a, b in taken):
            continue
        taken.extend((s, e) for s, e, _ in spans)
        chosen.extend(spans)
        count += 1
    for start, end, content in sorted(chosen, reverse=True):
        text = text[:start] + content + text[end:]
    return text, count


def valid_python(text: str) -> bool:
    import libcst  # only a run that fixes pays for libcst

    try:
        libcst.parse_module(text)
    except (libcst.ParserSyntaxError, RecursionError, ValueError):
        return False
    try:
        compile(text, "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _encoding(data: bytes) -> str:
    try:
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError:
        return "utf-8"


def fix_source(
    data: bytes, lint: Callable[[bytes], list[Diagnostic]], *, unsafe: bool
) -> tuple[bytes, int, list[Diagnostic]]:
    """Fix until nothing more applies; returns the new bytes, the count fixed, what remains."""
    encoding = _encoding(data)
    bom = data.startswith(codecs.BOM_UTF8)
    total = 0
    diagnostics = lint(data)
    for _ in range(MAX_ROUNDS):
        fixes = [f for d in diagnostics if (f := applicable(d, unsafe))]
        if not fixes:
            break
        text = data.decode(encoding)
        if bom and text.startswith("\ufeff"):
            text = text[1:]
        new_text, count = apply_edits(text, fixes)
        if count == 0 or new_text == text or not valid_python(new_text):
            break
        new_data = new_text.encode(encoding)
        if bom and not new_data.startswith(codecs.BOM_UTF8):
            new_data = codecs.BOM_UTF8 + new_data
        data, total = new_data, total + count
        diagnostics = lint(data)
    return data, total, diagnostics


class NotWritten(Exception):
    """A fix was not written, and why (one line for the user); the file is as it was."""


def write_atomic(path: Path, data: bytes, original: bytes | None = None, before: os.stat_result | None = None) -> None:
    """Write the fixed bytes over the file, keeping everything the file is besides its text.

    Through a symbolic link, the target is written (the link stays a link). A file without
    its owner's write bit is not written. A file with other hard links, or whose owner and
    group a new file could not take, is written in place (a rename would split the links or
    change the owner); any other file goes through a temporary file in its folder, with the
    same mode, owner and group, renamed over it. `original` and `before` are the bytes and
    the stat the fix was computed from: if the file changed since, nothing is written."""
    target = Path(os.path.realpath(path))
    st = os.stat(target)
    if not st.st_mode & stat.S_IWUSR:
        raise NotWritten("read-only (no write permission bit); not fixed")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".reuse-lint", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, st.st_mode & 0o7777)
        in_place = st.st_nlink > 1
        if not in_place and (st.st_uid, st.st_gid) != _owner(tmp):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                in_place = True
        _unchanged(target, original, before)  # the last moment before the file is replaced
        if in_place:
            os.unlink(tmp)
            with open(target, "r+b") as handle:
                handle.write(data)
                handle.truncate()
                handle.flush()
                os.fsync(handle.fileno())
        else:
            os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _owner(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_uid, st.st_gid


def _unchanged(target: Path, original: bytes | None, before: os.stat_result | None) -> None:
    if original is None or before is None:
        return
    now = os.stat(target)
    same_stat = (now.st_size, now.st_mtime_ns, now.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    if not same_stat or target.read_bytes() != original:
        raise NotWritten("changed while it was being fixed; not written (run --fix again)")


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    encoding = _encoding(before)
    a = before.decode(encoding, errors="replace").splitlines(keepends=True)
    b = after.decode(encoding, errors="replace").splitlines(keepends=True)
    from reuse_lint.output import printable

    # The header's name is escaped (a newline in it would start a line of its own); the
    # lines themselves are the file's, byte for byte, as a patch needs them.
    shown = printable(path)
    lines = difflib.unified_diff(a, b, fromfile=f"a/{shown}", tofile=f"b/{shown}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
