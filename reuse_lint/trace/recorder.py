"""What the hooks saw, as plain records: variable creations, reuse lookups, the errors
TensorFlow would have raised, optimizers and training steps. No TensorFlow here, so the
analysis can be read and tested without it.
"""

from __future__ import annotations

import linecache
import os
import sys
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Callable


_AUTOGRAPH = "__autograph_generated_file"


@dataclass(eq=False)
class Site:
    """One frame of user code: the call that led TensorFlow to do something."""

    path: str
    line: int
    function: str
    first_line: int
    code: CodeType | None = field(default=None, repr=False)
    lasti: int = -1

    @property
    def key(self) -> tuple[str, int]:
        return (self.path, self.line)

    @property
    def builder(self) -> tuple[str, str, int]:
        """The function this frame runs in: two sites with one builder are the same code."""
        return (self.path, self.function, self.first_line)

    def span(self) -> tuple[int, int, int, int]:
        """1-based (line, column, end_line, end_column) of the call expression.

        Python 3.11 keeps exact positions per instruction; they are looked up only when a
        finding needs them, so recording stays cheap.
        """
        if self.code is not None and self.lasti >= 0:
            positions = list(self.code.co_positions())
            index = self.lasti // 2
            if index < len(positions):
                line, end_line, col, end_col = positions[index]
                if line == self.line and col is not None and end_col is not None:
                    if end_line != line:
                        end_line, end_col = line, col + 1
                    return line, col + 1, end_line, end_col + 1
        # No positions (a line of a tf.function body): the line's statement, from its text.
        text = linecache.getline(self.path, self.line)
        start = len(text) - len(text.lstrip()) + 1
        end = len(text.rstrip()) + 1
        return (self.line, start, self.line, end) if end > start else (self.line, 1, self.line, 2)

    def label(self) -> str:
        return f"{os.path.basename(self.path)}:{self.line}"

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "function": self.function}


class UserCode:
    """Decides which frames are the user's: inside the project root, outside TensorFlow,
    site-packages, the standard library and reuse_lint itself."""

    def __init__(self, root: str):
        self.root = os.path.realpath(root) + os.sep
        package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
        trees = {os.path.realpath(p) + os.sep
                 for p in {package, sys.prefix, sys.base_prefix, sys.exec_prefix}}
        # A target may itself live in an excluded tree (the GAN variants ship inside
        # reuse_lint; an installed package sits in site-packages): then only a tree that does
        # not hold the root is excluded. The hooks' own frames never count.
        hooks = os.path.dirname(os.path.realpath(__file__)) + os.sep
        self._excluded = tuple(t for t in trees if not self.root.startswith(t)) + (hooks,)
        self._cache: dict[str, bool] = {}
        # (generated file, line) -> (file, line, function) of the code tf.function's autograph
        # rewrote, while it traces it; set by the hooks, which may import TensorFlow.
        self.origin: Callable[[str, int], tuple[str, int, str] | None] | None = None

    def is_user(self, filename: str) -> bool:
        known = self._cache.get(filename)
        if known is None and filename.startswith("<"):
            known = self._cache[filename] = False  # <frozen runpy>, <string>: no file of the user's
        if known is None:
            real = os.path.realpath(filename)
            known = (
                real.startswith(self.root)
                and _AUTOGRAPH not in real  # tf.function's rewrite
                and not real.startswith(self._excluded)
                and "site-packages" not in real[len(self.root):]
            )
            self._cache[filename] = known
        return known

    def stack(self, frame: FrameType | None) -> tuple[Site, ...]:
        """User frames from `frame` outwards, returned outermost first."""
        sites = []
        while frame is not None:
            code = frame.f_code
            if self.is_user(code.co_filename):
                sites.append(
                    Site(code.co_filename, frame.f_lineno, code.co_name,
                         code.co_firstlineno, code, frame.f_lasti)
                )
            elif self.origin is not None and _AUTOGRAPH in code.co_filename:
                # The user's own line inside a tf.function body (no column: the code that
                # runs is autograph's rewrite, whose positions are not the user's).
                origin = self.origin(code.co_filename, frame.f_lineno)
                if origin is not None and self.is_user(origin[0]):
                    sites.append(Site(origin[0], origin[1], origin[2], -1))
            frame = frame.f_back
        sites.reverse()
        return tuple(sites)


@dataclass(eq=False)
class Creation:
    name: str
    shape: tuple
    dtype: str
    trainable: bool
    stack: tuple[Site, ...]
    handle: object = field(default=None, repr=False)  # the TF variable, in the child only
    # TF 2: the user's Keras layer or model whose `__call__` was running, as (its id, its
    # class name, which call of it this was); None outside any.
    owner: tuple[int, str, int] | None = None
    # The line of the owner's call that made it, when that is not the creating line (a new
    # layer object applied there made its weights in its own `build`).
    call_site: Site | None = None

    @property
    def site(self) -> Site | None:
        return self.stack[-1] if self.stack else None


@dataclass(eq=False)
class Lookup:
    """A get_variable that found (or should have found) an existing variable."""

    name: str
    shape: tuple | None
    reuse: str  # "True", "AUTO_REUSE", or "False" for a clash
    stack: tuple[Site, ...]
    problem: str | None = None  # None, "duplicate", "missing", "shape"
    found_shape: tuple | None = None
    # Who switched reuse on: ("True" or "AUTO_REUSE", builder of the user code that wrote
    # it, or None when TensorFlow's own code did), None when no open scope set it.
    origin: tuple[str, tuple | None] | None = None


@dataclass(eq=False)
class Selection:
    """A collection query by scope (tf.get_collection, tf.trainable_variables(scope))."""

    scope: str
    names: list[str]  # the variables it returned
    site: Site | None


@dataclass(eq=False)
class OptimizerUse:
    kind: str
    site: Site | None
    var_list: list[str]
    implicit: bool  # var_list=None: all trainable variables
    takes_all: bool = False  # implicit, or a var_list holding every trainable variable
    graph: int = 0  # id of the graph it was built in
    train_ops: set = field(default_factory=set)  # op names of the returned train ops
    changed: set = field(default_factory=set)
    steps: int = 0
    keras_model: str | None = None  # a TF 1 Keras model's train function: the model's name
    # Variables it was given whose gradient is None: its loss does not reach them.
    no_gradient: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Recording:
    creations: list[Creation] = field(default_factory=list)
    lookups: list[Lookup] = field(default_factory=list)
    optimizers: list[OptimizerUse] = field(default_factory=list)
    empty_var_lists: list[tuple[str, Site | None]] = field(default_factory=list)
    selections: list[Selection] = field(default_factory=list)
    missing_contrib: list[tuple[str, Site | None]] = field(default_factory=list)
    steps_run: int = 0
    # TF 2: variable name -> the Keras model holding it (the name itself does not say).
    model_of: dict[str, str] = field(default_factory=dict)
    stopped: str | None = None
    # Set by the hooks: (orig handles, copy handles) -> True when one set feeds the other.
    chained: object = None


class StopTrace(BaseException):
    """Raised by a hook to end the user's program where execution (training) begins.

    A BaseException so that the user's own `except Exception:` blocks cannot swallow it.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
