"""Python 2 sources, read in memory as Python 3 with fissix (lib2to3's maintained fork).

TF1-era projects are often Python 2. A file CPython cannot parse is converted with the fixers
that rewrite an expression or a statement in place (print, except, raise, exec, backquotes,
`<>`, number and string literals, dict iteration, xrange, ...), so every line keeps its number
and its indentation: the converted tree's line numbers are the file's own, and a column is
mapped back through the few characters a fixer changed on that line. Fixers that add, remove
or join lines (tuple parameters, metaclasses, the ones that insert an import) are not used,
and a fixer that moves lines in one file is dropped for that file. Tuple parameters
(`def f(a, (b, c)):`, `lambda (k, v): v`) are unpacked on lines they already hold instead
(see `_inline_tuple_params`).

fissix is imported only when a file fails to parse, so a Python 3 project never pays for it.
"""

from __future__ import annotations

import ast
import difflib
import functools
import re
from dataclasses import dataclass, field

# Each rewrites within a line (the import renames rewrite within a statement).
FIXERS = tuple(
    f"fissix.fixes.fix_{name}"
    for name in (
        "print", "except", "raise", "exec", "execfile", "repr", "ne", "numliterals", "long",
        "unicode", "dict", "xrange", "has_key", "apply", "basestring", "funcattrs", "getcwdu",
        "raw_input", "throw", "standarderror", "sys_exc", "methodattrs", "renames", "types",
        "xreadlines", "paren", "imports", "imports2", "urllib", "itertools", "next", "nonzero",
        "map", "filter", "zip",
    )
)
_URLLIB = "fissix.fixes.fix_urllib"
# Without these a Python 2 file does not parse as Python 3 at all.
ESSENTIAL = frozenset(
    f"fissix.fixes.fix_{name}"
    for name in ("print", "except", "raise", "exec", "repr", "ne", "numliterals", "long", "unicode")
)

SUFFIX = " (read as Python 2)"

_INDENT = re.compile(r"[ \t\f]*")


@dataclass(frozen=True)
class Conversion:
    """The lines a conversion changed: line number -> (converted, original) text."""

    changed: dict[int, tuple[str, str]] = field(default_factory=dict)

    def column(self, line: int, column: int) -> int:
        """The original 1-based column of a converted one on the same line."""
        pair = self.changed.get(line)
        if pair is None:
            return column
        converted, original = pair
        at = column - 1
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, converted, original, autojunk=False).get_opcodes():
            if i1 <= at < i2 or (at == i2 == len(converted)):
                if tag == "equal":
                    return j1 + (at - i1) + 1
                return j1 + 1  # inside a rewritten span: its start
        return min(column, len(original) + 1)


@functools.lru_cache(maxsize=128)
def convert(text: str) -> tuple[str, Conversion] | None:
    """The file read as Python 2 and written as Python 3 on the same lines, or None when it
    is not Python 2 either (or no line-keeping conversion parses). Memoised: a run parses
    an imported module for the prefilter and for the interpreter, and fissix's parser
    costs ~100 times CPython's."""
    # Imported here: 40 ms, paid only by a run that meets a file Python 3 cannot parse.
    from fissix.pgen2.parse import ParseError
    from fissix.pgen2.tokenize import TokenError

    def run(fixers) -> str | None:
        source = text if text.endswith("\n") else text + "\n"
        try:
            tree = _tool(tuple(fixers)).refactor_string(source, "<python 2>")
            if not _inline_tuple_params(tree):
                return None
        except (ParseError, TokenError, IndentationError, SyntaxError, ValueError, RecursionError):
            return None
        out = str(tree)
        return out if text.endswith("\n") else out[:-1]

    from reuse_lint.engine import split_lines  # the engine imports this module lazily too

    lines = split_lines(text)

    def keeps_lines(out: str) -> list[str] | None:
        new = split_lines(out)
        if len(new) != len(lines):
            return None
        for a, b in zip(new, lines):
            if _INDENT.match(a).group() != _INDENT.match(b).group():
                return None
        return new

    out = run(FIXERS)
    if out is None:
        return None
    new = keeps_lines(out)
    if new is None:
        # fix_urllib splits `from urllib import urlencode, urlopen` in two lines: the usual
        # culprit, tried first (a parse each, so one try instead of one per fixer).
        out = run(f for f in FIXERS if f != _URLLIB)
        new = keeps_lines(out) if out is not None else None
    if new is None:
        # Another fixer moved lines in this file: keep the ones that do not.
        kept = [f for f in FIXERS if (one := run([f])) is not None and keeps_lines(one) is not None]
        if not ESSENTIAL <= set(kept):
            return None
        out = run(kept)
        new = keeps_lines(out) if out is not None else None
        if new is None:
            return None
    out, new = _python3_tabs(out, new)
    try:
        ast.parse(out)
    except (SyntaxError, ValueError, RecursionError):
        return None
    changed = {i: (a, b) for i, (a, b) in enumerate(zip(new, lines), start=1) if a != b}
    return out, Conversion(changed)


def _inline_tuple_params(tree) -> bool:
    """Python 2's tuple parameters, rewritten without adding a line (fissix's own fixer puts
    the unpacking on a new line, shifting every line below). Each tuple becomes one
    parameter `_py2_tuple_N`, unpacked in front of the function's first statement, on that
    statement's line (`(b, c) = _py2_tuple_0; return b`), or, in a lambda, by a one-item
    comprehension around its body (`[v for (k, v) in [_py2_tuple_0]][0]`). False when a
    function's first statement is compound (an `if`, a `for`): no line can take the
    unpacking, and the file is not converted."""
    from fissix import pygram, pytree

    syms = pygram.python_symbols
    tuple_kinds = (syms.tfpdef, syms.vfpdef)
    holders = (syms.parameters, syms.typedargslist, syms.varargslist, syms.lambdef)

    def is_tuple(node) -> bool:
        return node.type in tuple_kinds and node.children[0].type == pygram.token.LPAR

    def owner(node):
        while node.type not in (syms.funcdef, syms.lambdef):
            node = node.parent
        return node

    # Innermost first: a lambda's body is replaced by its text, which must already hold the
    # rewritten lambdas inside it.
    functions = [n for n in tree.pre_order() if n.type in (syms.funcdef, syms.lambdef)]
    for func in reversed(functions):
        params = func.children[2] if func.type == syms.funcdef else func
        tuples = [n for n in params.pre_order() if is_tuple(n) and n.parent.type in holders and owner(n) is func]
        if not tuples:
            continue
        unpack = []
        for k, node in enumerate(tuples):
            name = f"_py2_tuple_{k}"
            unpack.append((str(node).strip(), name))
            node.replace(pytree.Leaf(pygram.token.NAME, name, prefix=node.prefix))
        if func.type == syms.lambdef:
            body = func.children[-1]
            loops = " ".join(f"for {target} in [{name}]" for target, name in unpack)
            text = str(body)
            stripped = text.lstrip()
            body.replace(pytree.Leaf(pygram.token.NAME, f"[{stripped} {loops}][0]", prefix=text[:len(text) - len(stripped)]))
            continue
        suite = func.children[-1]
        first = suite if suite.type == syms.simple_stmt else next(
            (c for c in suite.children if c.type not in (pygram.token.NEWLINE, pygram.token.INDENT)), None)
        if first is not None and first.type != syms.simple_stmt:
            header = _header_expression(first, syms)
            if header is None:
                return False
            binds = ", ".join(_walrus_binds(target, name) for target, name in unpack)
            text = str(header)
            stripped = text.lstrip()
            header.replace(pytree.Leaf(pygram.token.NAME, f"([{binds}] and {stripped})", prefix=text[:len(text) - len(stripped)]))
            continue
        if first is None:
            return False
        leaf = first
        while not isinstance(leaf, pytree.Leaf):
            leaf = leaf.children[0]
        leaf.value = "".join(f"{target} = {name}; " for target, name in unpack) + leaf.value
    return True


def _header_expression(stmt, syms):
    """The expression a compound statement evaluates first (an `if`'s test, a `for`'s
    iterable, a `with`'s first context manager), or None (`try`, `def`, a decorator)."""
    from fissix.pytree import Leaf

    if stmt.type in (syms.if_stmt, syms.while_stmt):
        return stmt.children[1]
    if stmt.type == syms.for_stmt:
        return stmt.children[3]
    if stmt.type == syms.with_stmt:
        item = stmt.children[1]
        if not isinstance(item, Leaf) and any(isinstance(c, Leaf) and c.value == "as" for c in item.children):
            return item.children[0]
        return item
    return None


def _walrus_binds(target: str, name: str) -> str:
    """`(b, (c, d))` unpacked from `name` by assignment expressions, which a header can hold:
    `(b := name[0]), (c := name[1][0]), (d := name[1][1])`."""
    def walk(node, path: str):
        if isinstance(node, ast.Name):
            yield f"({node.id} := {name}{path})"
        elif isinstance(node, ast.Tuple):
            for k, elt in enumerate(node.elts):
                yield from walk(elt, f"{path}[{k}]")
        else:
            raise ValueError("not a parameter tuple")

    return ", ".join(walk(ast.parse(target, mode="eval").body, ""))


@functools.lru_cache(maxsize=64)
def _tool(fixers: tuple[str, ...]):
    from fissix.refactor import RefactoringTool

    return RefactoringTool(list(fixers))


def _python3_tabs(text: str, lines: list[str]) -> tuple[str, list[str]]:
    """Python 2 counts a tab in an indent as up to the next multiple of 8 columns; Python 3
    refuses indents that mix tabs and spaces ambiguously. Spaces, as Python 2 read them."""
    if not any(line[:1] in ("\t", " ") and "\t" in _INDENT.match(line).group() for line in lines):
        return text, lines
    try:
        ast.parse(text)
        return text, lines
    except (SyntaxError, ValueError, RecursionError):
        pass
    out = []
    for line in lines:
        indent = _INDENT.match(line).group()
        out.append(indent.expandtabs(8) + line[len(indent):] if "\t" in indent else line)
    return "".join(out), out


def original_positions(d, converted: dict[str, Conversion]):
    """A finding on converted text, at the file's own columns. A finding in a file read as
    Python 2 says so and offers no fix: a fix's edits are anchored on text the file does not
    hold."""
    from dataclasses import replace

    def at(path: str, line: int, column: int) -> int:
        conversion = converted.get(path)
        return conversion.column(line, column) if conversion is not None else column

    related = tuple(replace(r, column=at(r.path, r.line, r.column)) for r in d.related)
    if d.path not in converted:
        return replace(d, related=related) if related != d.related else d
    return replace(
        d,
        message=d.message + SUFFIX,
        column=at(d.path, d.line, d.column),
        end_column=at(d.path, d.end_line, d.end_column),
        related=related,
        fix=None,
    )
