"""The engine: source text in, facts out (`analyse`). No file system, no configuration, no
rules, no output: `reuse_lint.checker` brings the facts and the rules together.

Other modules of a project reach the engine only through the `loader` callback, which the
runner supplies; the engine itself never opens a file.
"""

from __future__ import annotations

import ast
import gc
import io
import re
import tokenize

from reuse_lint.engine.events import Analysis
from reuse_lint.engine.interp import Interpreter, Loader
from reuse_lint.engine.tfapi.core import graph_program
from reuse_lint.engine.values import ModuleState

__all__ = ["analyse", "Analysed", "parse_module", "ParseFailure", "decode", "split_lines"]


class ParseFailure(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def decode(source: bytes) -> str:
    """Decode as Python does: BOM, then a coding cookie, then UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        return source.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        raise ParseFailure(f"cannot decode the file: {exc}", 1, 1) from None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def split_lines(text: str) -> list[str]:
    """Lines as the parser counts them: only \n, \r\n and \r end a line (str.splitlines
    would also split at form feeds and Unicode separators, shifting every position)."""
    lines = _LINE.findall(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _parse(text: str, path: str) -> ast.Module:
    # A syntax tree holds no reference cycles, yet the cyclic collector, triggered by the
    # parser's allocations, walks the growing tree again and again: a third of the parse time
    # on TensorFlow's sources. Collection resumes once the tree is built.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return ast.parse(text, filename=path)
    finally:
        if enabled:
            gc.enable()


# The one wording for a Python 2 file, until Python 2 sources are converted before analysis.
def parse_module(source: bytes | str, path: str, name: str = "__main__") -> ModuleState:
    text = decode(source) if isinstance(source, bytes) else source
    text = text.lstrip("\ufeff")
    lines = split_lines(text)
    try:
        tree = _parse(text, path)
    except SyntaxError as exc:
        line = exc.lineno or 1
        line_text = lines[line - 1] if 0 < line <= len(lines) else ""
        column = exc.offset or 1
        column = min(max(column, 1), len(line_text.rstrip("\r\n")) + 1)
        failure = ParseFailure(f"syntax error: {exc.msg}", line, column)
    except (ValueError, RecursionError) as exc:
        # (A MemoryError is not the file's fault: it propagates, and the runner reports the
        # analysis as cut short rather than the file as unparsable.)
        failure = ParseFailure(f"cannot parse the file: {exc}", 1, 1)
    else:
        return ModuleState(path=path, name=name, tree=tree, lines=lines)
    return _parse_python2(text, path, name, failure)


def _parse_python2(text: str, path: str, name: str, failure: ParseFailure) -> ModuleState:
    """The file read as Python 2; the Python 3 error when it is not Python 2 either."""
    from reuse_lint import py2

    converted = py2.convert(text)
    if converted is None:
        raise failure
    new_text, conversion = converted
    try:
        tree = _parse(new_text, path)
    except (SyntaxError, ValueError, RecursionError):
        raise failure from None
    return ModuleState(path=path, name=name, tree=tree, lines=split_lines(new_text), py2=conversion)


class Analysed:
    """One module's analysis: the facts, and the limit it reached, if any (the facts are then
    those gathered before it). `release()` once the rules have read them."""

    def __init__(self, interpreter: Interpreter) -> None:
        self._interpreter = interpreter
        self.analysis: Analysis = interpreter.analysis
        self.cut_short: str | None = interpreter.cut_short

    def release(self) -> None:
        self._interpreter.release()


def analyse(module: ModuleState, loader: Loader | None) -> Analysed:
    """Interpret a parsed module as a program, following its imports through `loader`."""
    interpreter = Interpreter(loader)
    interpreter.set_budget()
    interpreter.run_module(module)
    interpreter.analysis.graph_program = graph_program(interpreter)
    keras3 = getattr(loader, "keras3", None)
    if keras3 is not None and interpreter.analysis.keras_layer_classes:
        interpreter.analysis.keras3_project = keras3(module.path)
    return Analysed(interpreter)
