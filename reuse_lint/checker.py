"""Facts and rules together: the engine's analysis of a module, each selected rule's findings
over it, `# noqa` suppressions, and positions mapped back for files read as Python 2.

The engine knows nothing of rules; rules read only the engine's facts; this module is where
the two meet, for the runner, the language server and the tests.
"""

from __future__ import annotations

import re
import tokenize
from typing import Iterable

from reuse_lint import engine
from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.interp import Loader
from reuse_lint.engine.queries import CUT_SHORT
from reuse_lint.engine.values import ModuleState
from reuse_lint.rules import all_rules, syntax_error
from reuse_lint.rules.base import Rule, RuleContext

__all__ = ["lint_source", "comments", "suppressed"]


def lint_source(
    source: bytes | str,
    path: str,
    rules: Iterable[type[Rule]] | None = None,
    *,
    loader: Loader | None = None,
    module_name: str = "__main__",
    parsed: ModuleState | None = None,
    everywhere: bool = False,
    cut_short: list[str] | None = None,
    cells: tuple[int, ...] = (),
) -> list[Diagnostic]:
    """Findings of one module's analysis: at the module's own sites, or, with `everywhere`,
    at the sites of every module the analysis loaded (a leak in `model.py` that only the
    caller `main.py` reveals is found by main.py's analysis and reported in model.py).
    `parsed`: the caller's own `parse_module(source, path, module_name)` of the same source,
    so a file is parsed once; it is interpreted here and must not be used again.
    `cut_short`: receives the limit the analysis reached, if any (the findings are then
    those made before it). `cells`: for a notebook's script, the line where each code cell
    starts (`notebook.cell_starts`)."""
    rules = tuple(all_rules() if rules is None else rules)
    try:
        module = parsed if parsed is not None else engine.parse_module(source, path, module_name)
    except engine.ParseFailure as failure:
        if syntax_error.SyntaxError not in rules:
            return []
        return [syntax_error.SyntaxError.diagnostic(path, failure.message, failure.line, failure.column)]
    module.cells = tuple(cells)
    analysed = engine.analyse(module, loader)
    sources = analysed.analysis.sources
    ctx = RuleContext(analysed.analysis, frozenset(sources) if everywhere else frozenset({path}))
    diagnostics: dict[tuple, Diagnostic] = {}
    for rule in rules:
        for d in rule().check(ctx):
            diagnostics.setdefault((d.code, d.path, d.line, d.column), d)
    # A query the rules asked may have reached its own limit too.
    limit = analysed.cut_short or analysed.analysis.memo.get(CUT_SHORT)
    if limit and cut_short is not None:
        cut_short.append(limit)
    # `# noqa` is read in the file where the finding is, whichever analysis found it (a
    # converted Python 2 file keeps its comments on their lines).
    by_path = {p: comments(sources[p].lines) for p in {d.path for d in diagnostics.values()} if p in sources}
    converted = {p: m.py2 for p, m in sources.items() if m.py2 is not None}
    analysed.release()
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

