"""What every rule is: a class whose docstring is its documentation and whose VALID and
INVALID examples are its tests (the test suite runs them all).

In INVALID examples, each line that must be reported ends with `# expect: CODE`.
"""

from __future__ import annotations

import ast
import inspect
import re
from typing import Iterable, Iterator

from reuse_lint.diagnostics import Diagnostic, Edit, Fix, Related
from reuse_lint.engine.events import Analysis, Site
from reuse_lint.engine.syntax import positional_names

REQUIRED_HEADINGS = ("## What it does", "## Why is this bad?", "## Example", "Use instead:")


class Rule:
    CODE: str = ""
    NAME: str = ""
    FIXABLE: bool = False
    VALID: tuple[str, ...] = ()
    INVALID: tuple[str, ...] = ()

    def check(self, ctx: "RuleContext") -> Iterable[Diagnostic]:
        return ()

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        text = cls.doc()
        match = re.search(r"## What it does\s+(.+?)(?:\n\n|$)", text, re.S)
        first = " ".join((match.group(1) if match else text).split(". ")[0].split())
        if len(first) > 90 and ": " in first:
            first = first.split(": ")[0]  # the listing wants the pattern, not its variants
        return first.rstrip(".")


def char_column(line: str, byte_offset: int) -> int:
    """ast gives UTF-8 byte offsets; findings count characters (1-based)."""
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")) + 1


class RuleContext:
    """What a rule sees: the analysis, and how to turn sites into findings."""

    def __init__(self, analysis: Analysis, targets: frozenset[str]) -> None:
        self.analysis = analysis
        self.targets = targets

    def lines(self, path: str) -> list[str]:
        module = self.analysis.sources.get(path)
        return module.lines if module is not None else []

    def position(self, site: Site) -> tuple[int, int, int, int]:
        node = site.node
        lines = self.lines(site.path)
        line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or line
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        end_text = lines[end_line - 1] if 0 < end_line <= len(lines) else ""
        col = char_column(text, getattr(node, "col_offset", 0))
        end_col = char_column(end_text, getattr(node, "end_col_offset", None) or 0)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.For, ast.While, ast.With)):
            end_line, end_col = line, len(text.rstrip("\r\n")) + 1  # the header line only
        return line, col, end_line, end_col

    def keyword_edit(self, site: Site, keyword: str, value: str, position: int | None = None) -> Edit | None:
        """Set `keyword=value` on the call at `site`: replace the value if the keyword is
        there, else insert it after the last argument (or just inside the parenthesis).

        None when an inserted keyword cannot be proven to bind: `position` is the keyword's
        index among the callee's positional parameters (None: keyword-only), and a call
        with that many positional arguments already gives it ("multiple values for
        argument"); `*args` or `**kwargs` may already hold it."""
        call = site.node
        if not isinstance(call, ast.Call):
            return None
        if all(kw.arg != keyword for kw in call.keywords):
            if any(isinstance(a, ast.Starred) for a in call.args) or any(kw.arg is None for kw in call.keywords):
                return None
            if position is not None and len(call.args) > position:
                return None
        lines = self.lines(site.path)

        def point(line: int, byte_col: int) -> tuple[int, int]:
            return line, char_column(lines[line - 1], byte_col)

        for kw in call.keywords:
            if kw.arg == keyword:
                start = point(kw.value.lineno, kw.value.col_offset)
                end = point(kw.value.end_lineno, kw.value.end_col_offset)
                return Edit(*start, *end, value)
        arguments = [*call.args, *call.keywords]
        if arguments:
            last = max(arguments, key=lambda a: (a.end_lineno, a.end_col_offset))
            at = point(last.end_lineno, last.end_col_offset)
            return Edit(*at, *at, f", {keyword}={value}")
        # No argument: the first "(" after the callee is the call's own.
        line, col = call.func.end_lineno, call.func.end_col_offset
        while line <= len(lines):
            raw = lines[line - 1].encode("utf-8")
            found = raw.find(b"(", col)
            if found >= 0:
                at = point(line, found + 1)
                return Edit(*at, *at, f"{keyword}={value}")
            line, col = line + 1, 0
        return None

    @staticmethod
    def parameter_position(call: ast.AST, func: ast.AST, name: str) -> int | None:
        """Where the call's positional arguments would reach parameter `name` of the
        function `func` (a bound method's first parameter is given by its object)."""
        params = positional_names(func.args)
        if name not in params:
            return None
        index = params.index(name)
        bound = params[:1] in (["self"], ["cls"]) and isinstance(getattr(call, "func", None), ast.Attribute)
        return index - 1 if bound else index

    def tf_alias(self, path: str, call: ast.AST) -> str | None:
        """How this file spells the TensorFlow module (`tf`, `v1`, `tf.compat.v1`)."""
        from reuse_lint import tfnames
        from reuse_lint.engine.values import TFRef

        func = getattr(call, "func", None)
        if isinstance(func, ast.Attribute):
            return ast.unparse(func.value)
        module = self.analysis.sources.get(path)
        if module is None:
            return None
        for name, value in module.globals.items():
            if isinstance(value, TFRef) and tfnames.canonical(value.qualname) == "tf":
                return name
        return None

    def related(self, site: Site, message: str) -> Related:
        line, col, _, _ = self.position(site)
        return Related(site.path, line, col, message)

    def report(
        self,
        rule: Rule,
        site: Site,
        message: str,
        *,
        related: Iterable[Related] = (),
        help: str | None = None,
        fix: Fix | None = None,
    ) -> Iterator[Diagnostic]:
        if site.path not in self.targets:
            return
        line, col, end_line, end_col = self.position(site)
        yield Diagnostic(
            code=rule.CODE,
            name=rule.NAME,
            message=message,
            path=site.path,
            line=line,
            column=col,
            end_line=end_line,
            end_column=end_col,
            related=tuple(related),
            help=help,
            fix=fix,
        )
