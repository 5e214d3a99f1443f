"""TensorFlow's version string (`tf.__version__`, `tf.version.VERSION`): a TensorFlow 2
version, known in its major part only.

Projects pick code by it (`if tf.__version__ < '2.0.0':`, `tf.version.VERSION[0] == '2'`,
`tf.__version__.startswith('1.')`), often to import one of two modules of the same names; with
the test unknown, both arms run and every name they bind differently is lost. The analysis
judges code as TensorFlow 2 runs it, so the string is some "2.<minor>.<patch>...": a test its
major part decides is answered, one that needs the minor version (`< '2.4'`) stays unknown.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from reuse_lint import tfnames
from reuse_lint.engine.tfapi import NOT_SPECIAL, TFMethod, attributes
from reuse_lint.engine.values import UNKNOWN, Const

_PREFIX = "2."  # what every TensorFlow 2 version string starts with
# Every such string sorts (as Python compares strings) in [_LOWEST, _ABOVE): "2.0.0" is the
# first release, and any "2...." sorts below "3".
_LOWEST, _ABOVE = "2.0.0", "3"


@dataclass(frozen=True)
class Version:
    """The version string of the TensorFlow the code runs under."""


def of(name: str) -> Any:
    """The value of the TensorFlow attribute `name`, when it is the version string; else None."""
    return Version() if tfnames.canonical(name) in tfnames.VERSION_STRINGS else None


@attributes(Version)
def _version_attribute(base: Version, attr: str) -> Any:
    return TFMethod(_startswith, base) if attr == "startswith" else UNKNOWN


def _startswith(interp, target: Version, node, module, args, kwargs) -> Any:
    if kwargs or len(args) != 1 or not isinstance(args[0], Const) or not isinstance(args[0].value, str):
        return UNKNOWN
    prefix = args[0].value
    if _PREFIX.startswith(prefix):
        return Const(True)
    # A prefix that agrees with "2." as far as that goes needs the minor version.
    return UNKNOWN if prefix.startswith(_PREFIX) else Const(False)


def subscript(base: Any, index: Any) -> Any:
    """`tf.__version__[0]`: the major version's digit."""
    if isinstance(base, Version) and isinstance(index, Const) and index.value in (0, 1):
        return Const(_PREFIX[index.value])
    return NOT_SPECIAL


_FLIPPED = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}


def compare(op: ast.cmpop, left: Any, right: Any) -> Any:
    """`tf.__version__ < '2.0.0'` (either way round): known when every TensorFlow 2 version
    string gives the same answer."""
    if isinstance(right, Version) and not isinstance(left, Version):
        left, right, op = right, left, _FLIPPED.get(type(op), type(op))()
    if not (isinstance(left, Version) and isinstance(right, Const) and isinstance(right.value, str)):
        return NOT_SPECIAL
    c = right.value
    below, above = c < _LOWEST, c >= _ABOVE  # every version is above c / below c
    answer = {
        ast.Lt: True if above else False if c <= _LOWEST else None,
        ast.LtE: True if above else False if below else None,
        ast.Gt: True if below else False if above else None,
        ast.GtE: True if c <= _LOWEST else False if above else None,
        ast.Eq: False if below or above else None,
        ast.NotEq: True if below or above else None,
    }.get(type(op))
    return UNKNOWN if answer is None else Const(answer)
