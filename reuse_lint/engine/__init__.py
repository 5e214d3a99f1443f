"""The engine: source text in, diagnostics out. No file system, no configuration, no output.

Other modules of a project reach the engine only through the `loader` callback, which the
runner supplies; the engine itself never opens a file.
"""

from __future__ import annotations

import ast
import gc
import io
import re
import tokenize
from typing import Iterable

from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.interp import Interpreter, Loader
from reuse_lint.engine.values import ModuleState
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reuse_lint.rules.base import Rule

__all__ = ["lint_source", "parse_module", "ParseFailure", "decode", "split_lines"]


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


def lint_source(
    source: bytes | str,
    path: str,
    rules: "Iterable[type[Rule]] | None" = None,
    *,
    loader: Loader | None = None,
    module_name: str = "__main__",
    parsed: ModuleState | None = None,
    everywhere: bool = False,
    cut_short: list[str] | None = None,
) -> list[Diagnostic]:
    """Findings of one module's analysis: at the module's own sites, or, with `everywhere`,
    at the sites of every module the analysis loaded (a leak in `model.py` that only the
    caller `main.py` reveals is found by main.py's analysis and reported in model.py).
    `parsed`: the caller's own `parse_module(source, path, module_name)` of the same source,
    so a file is parsed once; it is interpreted here and must not be used again.
    `cut_short`: receives the limit the analysis reached, if any (the findings are then
    those made before it)."""
    # Imported here: the rules import engine submodules, so the registry loads after us.
    from reuse_lint.rules import all_rules, syntax_error
    from reuse_lint.rules.base import RuleContext

    rules = tuple(all_rules() if rules is None else rules)
    try:
        module = parsed if parsed is not None else parse_module(source, path, module_name)
    except ParseFailure as failure:
        if syntax_error.SyntaxError not in rules:
            return []
        return [syntax_error.SyntaxError.diagnostic(path, failure.message, failure.line, failure.column)]
    interpreter = Interpreter(loader)
    interpreter.set_budget(len(source))
    interpreter.run_module(module)
    if interpreter.cut_short and cut_short is not None:
        cut_short.append(interpreter.cut_short)
    sources = interpreter.analysis.sources
    ctx = RuleContext(interpreter.analysis, frozenset(sources) if everywhere else frozenset({path}))
    diagnostics: dict[tuple, Diagnostic] = {}
    for rule in rules:
        for d in rule().check(ctx):
            diagnostics.setdefault((d.code, d.path, d.line, d.column), d)
    # `# noqa` is read in the file where the finding is, whichever analysis found it (a
    # converted Python 2 file keeps its comments on their lines).
    by_path = {p: comments(sources[p].lines) for p in {d.path for d in diagnostics.values()} if p in sources}
    converted = {p: m.py2 for p, m in sources.items() if m.py2 is not None}
    interpreter.release()
    if converted:
        from reuse_lint import py2

        diagnostics = {k: py2.original_positions(d, converted) for k, d in diagnostics.items()}
    kept = [d for d in diagnostics.values() if not suppressed(d, by_path.get(d.path, {}))]
    return sorted(kept, key=Diagnostic.sort_key)


_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.I)
_IGNORE = re.compile(r"#\s*reuse-lint:\s*ignore(?P<list>\[(?P<codes>[^\]]*)\])?", re.I)


def comments(lines: list[str]) -> dict[int, str]:
    """The comment of each line, from the tokenizer: a `# noqa` inside a string is not one."""
    found: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(iter(lines).__next__):
            if tok.type == tokenize.COMMENT:
                found[tok.start[0]] = tok.string
    except (tokenize.TokenError, SyntaxError, StopIteration):
        pass
    return found


def suppressed(d: Diagnostic, by_line: dict[int, str]) -> bool:
    """`# noqa`, `# noqa: RL101,RL102`, `# reuse-lint: ignore[RL101]` on the reported line."""
    for lineno in {d.line, d.end_line}:
        text = by_line.get(lineno)
        if not text:
            continue
        for pattern in (_NOQA, _IGNORE):
            for match in pattern.finditer(text):
                codes = match.group("codes")
                if codes is None and match.groupdict().get("list") is None:
                    return True  # a bare `# noqa` or `# reuse-lint: ignore`
                if d.code in {c.upper() for c in re.split(r"[\s,]+", codes or "") if c}:
                    return True
    return False

