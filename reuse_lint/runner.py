"""The runner: paths, configuration, the project's module index, cache, processes and fixes.

It is the only static layer that touches the file system; the engine gets source text and a
loader callback from here.
"""

from __future__ import annotations

import ast
import gc
import os
import re
import shutil
import stat
import sys
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from reuse_lint import checker, engine, fixes, notebook, tfnames
from reuse_lint.cache import CACHE_DIR, Cache, context_key, digest, entry_key, index_record, indexed, racy, recorded_limit, signature
from reuse_lint.config import ConfigError, Settings, settings_from_args  # noqa: F401 - re-exported
from reuse_lint.engine.callers import calls_in as callers_in
from reuse_lint.engine.constructions import constructions as class_constructions
from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.values import ModuleState
from reuse_lint.paths import shown as _display
from reuse_lint.rules import select_rules

SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", "build", "dist", ".venv", "venv", ".tox", ".nox",
     ".eggs", "node_modules", ".mypy_cache", ".pytest_cache", ".reuse_lint_cache", "site-packages"}
)
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
REQUIREMENT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
# A requirement on TensorFlow or Keras with a lower bound (`tensorflow>=2.16`, `keras==3.3.3`,
# `tensorflow[and-cuda]~=2.17.0`); `tf-keras`, `keras-nlp` and `tensorflow_probability` are
# other packages. The first bound is the lower one in the forms requirements are written in.
_TF_REQUIREMENT = re.compile(
    rb"(?<![\w.-])(tensorflow(?:-cpu|-gpu|-macos|-intel|-aarch64)?|keras)(?:\[[^\]]*\])?"
    # pip's `tensorflow>=2.16`; Poetry's `tensorflow = "^2.16"` and `{version = "~2.17", ...}`
    rb"(?:\s*(?:===|==|>=|~=|>)\s*|\s*=\s*(?:\{[^}\n]*?version\s*=\s*)?[\"'](?:\^|~|>=|==)?\s*)"
    rb"(\d+)(?:\.(\d+))?",
    re.IGNORECASE)
_IMPORTS_TF_KERAS = re.compile(rb"^\s*(?:import|from)\s+tf_keras\b", re.MULTILINE)


def requires_keras3(text: bytes) -> bool:
    """A requirement for TensorFlow 2.16 or later (whose `tf.keras` is Keras 3) or for Keras 3."""
    for match in _TF_REQUIREMENT.finditer(text):
        package, major, minor = match.group(1).lower(), int(match.group(2)), int(match.group(3) or 0)
        if package == b"keras" and major >= 3:
            return True
        if package != b"keras" and (major, minor) >= (2, 16):
            return True
    return False
# How many folders above a file of an unmarked project its absolute imports are looked for in.
UNMARKED_LEVELS = 2
# Below this many files one process wins: starting workers costs more than it saves.
# Measured on even samples of tf_keras, 2 cores (seconds, 1 vs 2 processes): 16 files
# 0.13 vs 0.17, 32 files 0.17 vs 0.18, 48 files 0.20 vs 0.16, 128 files 0.46 vs 0.29.
PARALLEL_MIN_FILES = 48
CHUNK = 16  # files per task: big enough to amortise the pickling, small enough to balance


@dataclass
class Result:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fixed: int = 0
    diff_text: str = ""
    sources: dict[str, list[str]] = field(default_factory=dict)
    rule_codes: list[str] = field(default_factory=list)
    # Folders named on the command line that held no Python file to lint (ruff's warning).
    empty: list[str] = field(default_factory=list)
    # What the run did, for tests and benchmarks: files linted, from cache, skipped unparsed.
    stats: dict[str, int] = field(default_factory=lambda: {"linted": 0, "cached": 0, "skipped": 0})

    def source_lines(self, path: str) -> list[str] | None:
        return self.sources.get(path)


_CAPWORD = re.compile(rb"\b[A-Z][A-Za-z0-9_]*")  # the identifiers a class is usually named by


def _is_venv(path: Path) -> bool:
    try:
        return os.path.exists(path / "pyvenv.cfg")  # False, not an error, in a folder we cannot read
    except OSError:
        return False


# The file currently being analysed in this process, for the one line an internal error gets.
current_file: str | None = None


def collect_files(paths: list[str], settings: Settings, errors: list[str],
                  empty: list[str] | None = None) -> list[Path]:
    """Files named on the command line are always linted; directories are walked, and
    those that hold no Python file to lint are added to `empty`. Only regular files are
    linted: a FIFO or a device would block or never end."""
    found: list[Path] = []
    seen: dict[tuple[int, int], list[Path | str]] = {}  # (device, inode) -> paths linted (real, once asked)

    def add(p: Path, named: bool) -> None:
        # A path reached twice (a symlink, `a/` and `a/b.py`) is linted once. The file's
        # identity (device, inode) is one stat, not one per path component; only when it
        # repeats is the real path asked, since hard links are one inode under two names,
        # and each name is a file of its own to the user, with its findings at its path.
        shown = _display(p)  # a named path as the user typed it
        try:
            st = os.stat(p)
        except OSError as exc:
            errors.append(f"{shown}: cannot read: {exc.strerror or exc}")
            return
        if not stat.S_ISREG(st.st_mode):
            if named:
                errors.append(f"{shown}: not a regular file")
            return
        key = (st.st_dev, st.st_ino)
        if key not in seen:
            seen[key] = [p]
            found.append(p)
            return
        real = os.path.realpath(p)
        known = seen[key]
        for i, other in enumerate(known):
            if isinstance(other, Path):
                known[i] = other = os.path.realpath(other)  # asked once, on the first repeat
            if other == real:
                return
        known.append(real)
        found.append(p)

    def unreadable(exc: OSError) -> None:
        where = _display(Path(exc.filename)) if exc.filename else "a folder"
        errors.append(f"{where}: cannot read the folder: {exc.strerror or exc}")

    for raw in paths:
        p = Path(raw)
        try:
            st = os.stat(p)
        except FileNotFoundError:
            errors.append(f"{_display(p)}: no such file or directory")
            continue
        except OSError as exc:
            errors.append(f"{_display(p)}: cannot read: {exc.strerror or exc}")
            continue
        if not stat.S_ISDIR(st.st_mode):
            if not (settings.force_exclude and settings.is_excluded(p)):
                add(p, named=True)
        else:
            before = len(found)
            for root, dirs, files in os.walk(p, onerror=unreadable):
                root_path = Path(root)
                dirs[:] = sorted(
                    d for d in dirs
                    if d not in SKIP_DIRS and not d.endswith(".egg-info")
                    and not _is_venv(root_path / d)
                    and not settings.is_excluded(root_path / d)
                )
                for name in sorted(files):
                    if name.endswith((".py", notebook.SUFFIX)) and not settings.is_excluded(root_path / name):
                        add(root_path / name, named=False)
            if empty is not None and len(found) == before:
                empty.append(_display(p))
    return found


def find_project_root(start: Path) -> Path:
    here = start.resolve()
    here = here if os.path.isdir(here) else here.parent
    return _project_root_of(here)


@lru_cache(maxsize=4096)
def _project_root_of(here: Path) -> Path:
    root = _marked_ancestor(str(here))
    return here if root is None else Path(root)


@lru_cache(maxsize=8192)
def _marked_ancestor(here: str) -> str | None:
    # Memoised per directory and asked of the parent in turn: the loader, the prefilter and
    # `importers` ask for every folder of a tree, and their ancestors are shared (a corpus
    # of 500 unmarked folders made 13 k `exists` calls when each walked up on its own).
    if any(os.path.exists(os.path.join(here, marker)) for marker in PROJECT_MARKERS):
        return here
    parent = os.path.dirname(here)
    return None if parent == here else _marked_ancestor(parent)


def _real_parent(path: str) -> Path:
    # The file's real directory; realpath costs a syscall per component, so it is memoised
    # on the absolute directory (a relative one changes meaning with the cwd): a tree has
    # far fewer folders than files, and a warm run asks again for every missed import.
    # (A symlinked file resolves to its link's folder here, which is where Python looks too.)
    return _real_dir(os.path.dirname(path))


@lru_cache(maxsize=16384)
def _resolved_path(path: str) -> str:
    # Asked for every missed import of every module a lint loads (stdlib, third party).
    return str(Path(path).resolve())


@lru_cache(maxsize=8192)
def _real_dir(directory: str) -> Path:
    return Path(directory).resolve()


class ProjectLoader:
    """Resolves `import model`, `from .ops import linear` to the project's own files.

    It remembers the content hash of every module it parsed and, between `begin()` and
    `loaded()`, which modules one lint pulled in: the cache keys a file's findings on them.

    A module whose top level touched no TensorFlow state (the interpreter takes a snapshot of
    its globals then) is interpreted once per process: later lints are handed the same module,
    its globals restored to the snapshot. On real projects, where every file imports the same
    siblings, running those top levels again for every file was most of the time."""

    def __init__(self, read: Callable[[Path], bytes], start: Path | None = None) -> None:
        self._read = read
        # Where the run was started (the working folder; the editor's workspace): an unmarked
        # project's bound. The cache keys a file on its path from there, so the bound is kept.
        self._start = _real_dir(str(start if start is not None else Path.cwd()))
        self._parsed: dict[Path, ModuleState | None] = {}
        self.hashes: dict[Path, str | None] = {}
        self._states: dict[Path, ModuleState] = {}
        self._shared: dict[Path, ModuleState] = {}
        # state -> its file, for the states this loader made. Weak: a lint's states die with
        # it, and a key by id() would outlive its object and name the next one made there.
        self._path_of: weakref.WeakKeyDictionary[ModuleState, Path] = weakref.WeakKeyDictionary()
        # importer (resolved) -> its imports that found no project module, from every lint:
        # a shared module's top-level misses were recorded by the lint that ran it
        self._misses: dict[str, set[tuple[str, str, int]]] = {}
        self._main: str | None = None
        self._resolved: dict[tuple[str, str, int], Path | None] = {}
        self._watched: dict[tuple[str, str, int], list[str]] = {}
        # path -> its signature, taken just before its bytes were read (cache.signature)
        self.signatures: dict[str, list[int] | None] = {}
        # For `constructions`: per project root, the files naming each CapWords identifier;
        # the parses of those files; per (class file, name), the answer and the files read.
        self._names_in: dict[Path, dict[bytes, list[Path]]] = {}
        self._trees: dict[Path, ast.Module | None] = {}
        self._constructions: dict[tuple[str, str], tuple[list | None, list[Path]]] = {}
        # For `calls`: per project root, its source files; per (function file, name), the answer.
        self._files_in: dict[Path, list[Path]] = {}
        self._calls: dict[tuple[str, str], tuple[list | None, list[Path]]] = {}
        self._consulted: set[Path] = set()  # files the last lint's constructions were read from
        self._keras3: dict[Path, tuple[bool, list[Path]]] = {}  # per project root, for `keras3`

    def forget(self, path: Path) -> None:
        """Drop what the loader knows of a module whose text changed.

        Parses and shareable module states are kept for the life of a run; in the editor
        server the run is the editing session. The changed module's parse goes, and so do the
        shared states of it and of every module whose top level imported it, transitively
        (they may hold what it defined), and the last lint's states, which the next begin()
        would share again."""
        self._parsed.pop(path, None)
        self.hashes.pop(path, None)
        self._names_in.clear()  # the file may name other classes now
        self._trees.pop(path, None)
        self._constructions.clear()
        self._files_in.clear()
        self._calls.clear()
        stale = {path}
        grew = True
        while grew:
            grew = False
            for shared, state in self._shared.items():
                if shared not in stale and any(self._path_of.get(r) in stale for r in state.requires):
                    stale.add(shared)
                    grew = True
        for shared in stale:
            self._shared.pop(shared, None)
        self._states = {}

    def __call__(self, importer: ModuleState, name: str, level: int) -> ModuleState | None:
        path = self.resolve(importer.path, name, level)  # a str: no Path made per import
        if path is None:
            where = _resolved_path(importer.path)
            self._misses.setdefault(where, set()).add((where, name, level))
            return None
        # One state per module and lint, as Python keeps one module object: a cycle (or a
        # package's `math.py` that the approximate resolution maps `import math` to) then
        # meets a module already loading instead of recursing without end.
        if path not in self._states:
            shared = self._shared.get(path)
            if shared is not None:
                self._hand_out(shared)
                return shared
            state = self._fresh_state(path, name)
            if state is None:
                return None
            self._states[path] = state
            self._path_of[state] = path
        return self._states[path]

    def _hand_out(self, state: ModuleState) -> None:
        """A shared module and the modules its top level imported, as their top levels left
        them, become this lint's."""
        todo = [state]
        while todo:
            s = todo.pop()
            path = self._path_of[s]
            if path not in self._states:
                s.restore()
                self._states[path] = s
                todo.extend(s.requires)

    def begin(self, main: str | None = None) -> None:
        """A new lint (of the file `main`): forget the module states (globals) of the last
        one, keep the parses and the modules that can be shared."""
        self._share()
        self._states = {}
        self._consulted = set()
        self._main = _resolved_path(main) if main is not None else None

    def _share(self) -> None:
        """Keep the modules of the last lint that later lints can start from: those whose
        top level and every import's, transitively, left a snapshot (a cycle's members are
        judged here, once all of them finished loading)."""
        # Every module the last lint's modules reach through their top levels' imports, and
        # who imported each (keys by id() are safe here: `reached` holds every state keyed).
        reached: dict[int, ModuleState] = {}
        importers: dict[int, list[ModuleState]] = {}
        todo = list(self._states.values())
        while todo:
            state = todo.pop()
            if id(state) in reached:
                continue
            reached[id(state)] = state
            for r in state.requires:
                importers.setdefault(id(r), []).append(state)
                todo.append(r)
        # Not shareable: a module that did not finish loading, left no snapshot or was not made
        # by this loader (the linted file itself, imported back through a cycle), and every
        # module that imports one, transitively. A cycle of shareable modules stays shareable.
        bad = [s for s in reached.values() if s not in self._path_of or not s.loaded or s.snapshot is None]
        unshareable = {id(s) for s in bad}
        while bad:
            for importer in importers.get(id(bad.pop()), ()):
                if id(importer) not in unshareable:
                    unshareable.add(id(importer))
                    bad.append(importer)
        for path, state in self._states.items():
            if path not in self._shared and id(state) not in unshareable:
                self._shared[path] = state

    def loaded(self) -> dict[str, str | None]:
        return {str(p): self.hashes.get(p) for p in sorted(set(self._states) | self._consulted)}

    def constructions(self, path: str, name: str) -> list | None:
        """Every construction `name(...)` of the class `name` defined in the module `path`,
        in the files of its project (`constructions.constructions` reads each); None when a
        file may construct it in a way not written as such a call, or cannot be read. The
        files read count as the lint's inputs (`loaded`). A file created later that constructs
        the class is not seen until the class's module or a file read changes."""
        target = _resolved_path(path)
        key = (target, name)
        if key not in self._constructions:
            self._constructions[key] = self._find_constructions(target, name)
        found, read = self._constructions[key]
        self._consulted.update(read)
        return found

    def calls(self, path: str, name: str) -> list | None:
        """The calls that may call a function `name` (`callers.calls_in`) in the other files
        of the project of `path`; None when one of them may call it unseen, cannot be
        parsed, or is a notebook that names it (notebooks are read only when linted). The
        files that name it count as the lint's inputs, as for `constructions`."""
        target = _resolved_path(path)
        key = (target, name)
        if key not in self._calls:
            self._calls[key] = self._find_calls(target, name)
        found, read = self._calls[key]
        self._consulted.update(read)
        return found

    def keras3(self, path: str) -> bool:
        """Whether the project of `path` runs Keras 3 as its `tf.keras`: a requirement at its
        root (pyproject.toml, setup.py, setup.cfg, requirements*.txt) asks for TensorFlow 2.16
        or later or for Keras 3, and none of its files names the switch back to Keras 2
        (TF_USE_LEGACY_KERAS) or imports tf_keras. The requirement files and a file naming the
        switch count as the lint's inputs, as for `constructions`."""
        root = _project_root_of(_real_parent(path))
        if root not in self._keras3:
            self._keras3[root] = self._find_keras3(root)
        answer, read = self._keras3[root]
        self._consulted.update(read)
        return answer

    def _find_keras3(self, root: Path) -> tuple[bool, list[Path]]:
        read: list[Path] = []
        asks = False
        try:
            names = sorted(os.listdir(root))
        except OSError:
            return False, read
        for name in names:
            if name in REQUIREMENT_FILES or (name.startswith("requirements") and name.endswith(".txt")):
                path = root / name
                try:
                    data = self.read(path)
                except OSError:
                    continue
                read.append(path)
                asks = asks or requires_keras3(data)
        if not asks:
            return False, read
        for file in self._source_files(root):
            try:
                data = self._read(file)
            except OSError:
                continue
            if tfnames.LEGACY_KERAS_SWITCH.encode() in data or _IMPORTS_TF_KERAS.search(data):
                self.read(file)
                read.append(file)
                return False, read
        return True, read

    def _find_calls(self, target: str, name: str) -> tuple[list | None, list[Path]]:
        root = _project_root_of(_real_parent(target))
        word = re.compile(rb"\b" + re.escape(name.encode()) + rb"\b")
        read: list[Path] = []
        found: list = []
        for file in self._source_files(root):
            if _resolved_path(str(file)) == target:
                continue
            try:
                data = self._read(file)
            except OSError:
                continue
            if not word.search(data):
                continue
            read.append(file)
            if file.suffix != ".py":
                try:
                    self.read(file)  # its hash keys the cache, as a parsed file's does
                except OSError:
                    pass
            tree = self._tree(file) if file.suffix == ".py" else None
            calls = callers_in(tree, name) if tree is not None else None
            if calls is None:
                return None, read
            found.extend(calls)
        return found, read

    def _source_files(self, root: Path) -> list[Path]:
        if root not in self._files_in:
            files = []
            for folder, dirs, names in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _is_venv(Path(folder, d)))
                for file in sorted(n for n in names if n.endswith((".py", ".ipynb"))):
                    path = Path(folder, file)
                    if path.is_file():  # a FIFO or a device named *.py: reading it could block
                        files.append(path)
            self._files_in[root] = files
        return self._files_in[root]

    def _find_constructions(self, target: str, name: str) -> tuple[list | None, list[Path]]:
        root = _project_root_of(_real_parent(target))
        files = self._name_index(root).get(name.encode(), [])
        found: list = []
        for i, file in enumerate(files):
            tree = self._tree(file)
            if tree is None:
                return None, files[:i + 1]
            defines = _resolved_path(str(file)) == target
            bound = {name} if defines else self._imported_as(file, tree, target, name)
            if bound is None or (not bound and self._may_be_the_class(file, tree, name)):
                return None, files[:i + 1]
            calls = class_constructions(tree, name, bound, defines)
            if calls is None:
                return None, files[:i + 1]
            found.extend(calls)
        return found, files

    def _name_index(self, root: Path) -> dict[bytes, list[Path]]:
        if root not in self._names_in:
            index: dict[bytes, list[Path]] = {}
            for path in self._source_files(root):
                if path.suffix != ".py":
                    continue
                try:
                    data = self._read(path)  # only the files that name the class count as read
                except OSError:
                    continue
                for word in set(_CAPWORD.findall(data)):
                    index.setdefault(word, []).append(path)
            self._names_in[root] = index
        return self._names_in[root]

    def _tree(self, path: Path) -> ast.Module | None:
        if path not in self._trees:
            try:
                self._trees[path] = ast.parse(self.read(path))
            except (OSError, SyntaxError, ValueError, RecursionError):
                self._trees[path] = None
        return self._trees[path]

    def _may_be_the_class(self, file: Path, tree: ast.Module, name: str) -> bool:
        """`file` reads `name` without importing it from the class's module: it is another
        thing only where the file defines its own, or imports it from a library (no project
        module) or from a project module that defines its own; a re-export may be the class."""
        if not any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(tree)):
            return False
        sources = []
        for node in ast.walk(tree):
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
                sources.append(None)
            elif isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name for a in node.names):
                sources.append(self.resolve(file, node.module or "", node.level))
        if not sources:
            return True  # a star import, a global set by hand: it may be anything
        for source in sources:
            if source is None:
                continue
            other = self._tree(source)
            if other is None or not any(isinstance(n, ast.ClassDef) and n.name == name for n in other.body):
                return True
        return False

    def _imported_as(self, file: Path, tree: ast.Module, target: str, name: str) -> set[str] | None:
        """The names `file` binds the class to (`from model import Model as M`); None for a
        star import of its module."""
        bound = set()
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            resolved = self.resolve(file, node.module or "", node.level)
            if resolved is None or _resolved_path(str(resolved)) != target:
                continue
            for alias in node.names:
                if alias.name == "*":
                    return None
                if alias.name == name:
                    bound.add(alias.asname or name)
        return bound

    def misses(self) -> list[tuple[str, str, int]]:
        """Imports of the last lint that found no project module (stdlib, third party)."""
        importers = {_resolved_path(str(p)) for p in self._states}
        if self._main is not None:
            importers.add(self._main)
        return sorted(m for where in importers for m in self._misses.get(where, ()))

    def resolves(self, importer: str, name: str, level: int) -> bool:
        return self.resolve(Path(importer), name, level) is not None

    def resolve(self, importer: Path | str, name: str, level: int) -> Path | None:
        # Memoised per directory: a warm run checks every file's unresolved imports again,
        # and the same `import numpy` from one folder always resolves the same way in a run.
        key = (os.path.dirname(os.path.abspath(importer)), name, level)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(importer, name, level)
        return self._resolved[key]

    def _bases(self, importer: Path | str, level: int, name: str = "") -> list[Path]:
        """The folders an import is looked for in, as Python's path would hold them."""
        if level:
            base = _real_parent(os.path.abspath(importer))
            for _ in range(level - 1):
                base = base.parent
            return [base]
        here = _real_parent(os.path.abspath(importer))
        root = _project_root_of(here)
        bases = [here, root] if here != root else [root]
        if root == here:
            # No pyproject.toml, setup.py or .git above (a bare copy of a project): the
            # project is run from a folder above, most often its top one, where `from
            # layers.base import Block` in models/net.py finds layers/. The nearest of the
            # folders above that holds the module answers, as if it were on the path.
            bases.extend(list(here.parents)[:UNMARKED_LEVELS])
        src = root / "src"
        if os.path.isdir(src):
            bases.append(src)
        # A module inside package `a` that imports `a.b.c` is run from the folder holding
        # `a` (`python -m a.x`, or that folder on PYTHONPATH), however deep it lies: the
        # nearest such folder above is on the path, if it lies in the project. A folder named
        # `a` above the project is another thing (a checkout in ~/a, a library's folder).
        first = name.split(".", 1)[0]
        top = self._top_of(here)
        if first and top is not None:
            for folder in (here, *here.parents):
                if folder == top:
                    break
                if folder.name == first:
                    if folder.parent not in bases:
                        bases.append(folder.parent)
                    break
        return bases

    def _top_of(self, here: Path) -> Path | None:
        """The folder above which no import of `here` is looked for: the marked project root,
        or where the run was started for an unmarked project (None: the module lies outside)."""
        marked = _marked_ancestor(str(here))
        if marked is not None:
            return Path(marked)
        return self._start if self._start == here or self._start in here.parents else None

    def watched(self, importer: str, name: str, level: int) -> list[str]:
        """The folders whose change could make a missed import find a project module: every
        base it was looked for in, and each existing folder along its dotted name (creating
        `x.py`, `x/` or `x/__init__.py` changes one of them)."""
        key = (os.path.dirname(importer), name, level)
        if key not in self._watched:
            self._watched[key] = self._folders(importer, name, level)
        return self._watched[key]

    def _folders(self, importer: str, name: str, level: int) -> list[str]:
        parts = [p for p in name.split(".") if p]
        folders = []
        for base in self._bases(Path(importer), level, name):
            folders.append(str(base))
            for part in parts:
                base = base / part
                if not os.path.isdir(base):
                    break
                folders.append(str(base))
        return folders

    def _resolve(self, importer: Path | str, name: str, level: int) -> Path | None:
        parts = [p for p in name.split(".") if p]
        for base in self._bases(importer, level, name):
            target = base.joinpath(*parts) if parts else base
            for candidate in (target.with_suffix(".py") if parts else None, target / "__init__.py"):
                if candidate is not None and os.path.isfile(candidate):
                    return candidate
        return None

    def read(self, path: Path) -> bytes:
        self.signatures[str(path)] = signature(str(path))  # first: a later change shows
        data = self._read(path)
        self.hashes[path] = digest(data)
        return data

    def _fresh_state(self, path: Path, name: str) -> ModuleState | None:
        if path not in self._parsed:
            try:
                if _file_too_large(path, os.path.getsize(path)):
                    raise engine.ParseFailure("too large", 1, 1)  # an import we do not follow
                self._parsed[path] = engine.parse_module(self.read(path), _display(path), name)
            except (OSError, engine.ParseFailure):
                self._parsed[path] = None
        parsed = self._parsed[path]
        if parsed is None:
            return None
        # Each lint gets its own globals: module state is per interpretation.
        return ModuleState(path=parsed.path, name=name, tree=parsed.tree, lines=parsed.lines, py2=parsed.py2)


# ----- the prefilter -------------------------------------------------------------------------
#
# Every finding but RL001 needs an event, every event starts at a TensorFlow value, and the
# interpreter makes those only from imports of TensorFlow's modules (tfnames.may_reach_api
# says which imported names can lead to an API it models). The interpreter runs the file and,
# transitively, the project modules it imports (`from model import tf` re-exports one). When
# none of those imports such a name, nothing but a syntax error (RL001) can be reported.

_BLOCKS = {
    ast.FunctionDef: ("body",), ast.AsyncFunctionDef: ("body",), ast.ClassDef: ("body",),
    ast.If: ("body", "orelse"), ast.For: ("body", "orelse"), ast.AsyncFor: ("body", "orelse"),
    ast.While: ("body", "orelse"), ast.With: ("body",), ast.AsyncWith: ("body",),
    ast.Try: ("body", "handlers", "orelse", "finalbody"), ast.ExceptHandler: ("body",),
    ast.Match: ("cases",), ast.match_case: ("body",),
}
if hasattr(ast, "TryStar"):  # Python 3.11
    _BLOCKS[ast.TryStar] = _BLOCKS[ast.Try]


def _imports(tree: ast.Module):
    """Every import statement, at any depth; a walk over statements, not expressions."""
    stack = list(tree.body)
    while stack:
        stmt = stack.pop()
        kind = type(stmt)
        if kind is ast.Import or kind is ast.ImportFrom:
            yield stmt
            continue
        for name in _BLOCKS.get(kind, ()):
            stack.extend(getattr(stmt, name))


def _tensorflow_names(stmt: ast.Import | ast.ImportFrom) -> list[str]:
    """The qualified names of TensorFlow values the statement binds (as the interpreter's
    `_stmt_Import`/`_stmt_ImportFrom` do), or [] for an import of anything else."""
    if isinstance(stmt, ast.Import):
        # `import a.b.c` binds `a`; `import a.b.c as d` binds `a.b.c`.
        names = [alias.name if alias.asname else alias.name.split(".")[0] for alias in stmt.names]
    elif stmt.level == 0 and stmt.module:
        names = [stmt.module if a.name == "*" else f"{stmt.module}.{a.name}" for a in stmt.names]
    else:
        return []
    return [name for name in names if name.split(".")[0] in tfnames.ROOT_MODULES]


def _imported_names(stmt: ast.Import | ast.ImportFrom) -> list[tuple[str, int]]:
    """(dotted name, level) for every project module the statement might load, prefixes included."""
    if isinstance(stmt, ast.Import):
        dotted = [alias.name for alias in stmt.names]
        level = 0
    else:
        base, level = stmt.module or "", stmt.level
        dotted = [base] if base or level else []  # `from . import x` loads the package first
        dotted += [f"{base}.{a.name}" if base else a.name for a in stmt.names if a.name != "*"]
        if not dotted:
            dotted = [""]
    names = []
    for name in dotted:
        parts = name.split(".")
        if level == 0 and parts[0] in tfnames.ROOT_MODULES:
            continue  # the interpreter models these itself; it never asks the loader
        names += [(".".join(parts[:i]), level) for i in range(1, len(parts) + 1)]
    return names


class Prefilter:
    """Decides, per file, whether the interpreter could report anything beyond RL001."""

    def __init__(self, loader: ProjectLoader) -> None:
        self._loader = loader
        # path -> (imports a name that may reach an API, project imports, misses); None when
        # the module cannot be read or parsed
        self._modules: dict[Path, tuple | None] = {}

    def inert(self, path: Path, data: bytes, module: ModuleState) -> tuple[bool, dict[str, str | None], list]:
        """(True, deps, misses) when nothing but RL001 can come out of the file (its bytes and
        their parse). deps: the project modules consulted, with their hashes; misses: the
        imports that found no project module."""
        reaches, found, misses = self._scan(path, data, module.tree)
        if reaches:
            return False, {}, []
        closure = self._closure(found)
        if closure is None or any(self._modules[m][0] for m in closure):
            return False, {}, []
        for dependency in closure:
            misses = misses + self._modules[dependency][2]
        deps = {str(p): self._loader.hashes.get(p) for p in sorted(closure)}
        return True, deps, sorted(set(misses))

    def _closure(self, found: list[Path]) -> set[Path] | None:
        """The project modules the file reaches; None when one cannot be read or parsed."""
        seen: set[Path] = set()
        todo = list(found)
        while todo:
            module = todo.pop()
            if module in seen:
                continue
            seen.add(module)
            info = self._module(module)
            if info is None:
                return None
            todo.extend(info[1])
        return seen

    def _scan(self, path: Path, data: bytes, tree: ast.Module) -> tuple[bool, list[Path], list]:
        # Without the bytes of a root module's name there is no TensorFlow import to look at.
        reaches, found, misses = False, [], []
        tensorflow = any(marker in data for marker in tfnames.RAW_MARKERS)
        importer = _resolved_path(str(path))
        for stmt in _imports(tree):
            if tensorflow and not reaches:
                reaches = any(tfnames.may_reach_api(name) for name in _tensorflow_names(stmt))
            for name, level in _imported_names(stmt):
                target = self._loader.resolve(path, name, level)
                if target is not None:
                    found.append(target)
                else:
                    misses.append((importer, name, level))
        return reaches, found, misses

    def _module(self, path: Path):
        if path not in self._modules:
            try:
                data = self._loader.read(path)
                tree = engine.parse_module(data, str(path)).tree
            except (OSError, engine.ParseFailure):
                self._modules[path] = None
            else:
                self._modules[path] = self._scan(path, data, tree)
        return self._modules[path]


# ----- linting one file ------------------------------------------------------------------------

def _identity(path: str) -> tuple | str:
    try:
        st = os.stat(path)
    except OSError:
        return path
    return (st.st_dev, st.st_ino)


def _decode_lines(data: bytes) -> list[str] | None:
    try:
        return engine.decode(data).splitlines(keepends=True)
    except engine.ParseFailure:
        return None


class Worker:
    """What one process needs to lint files: settings, rules, loader, prefilter and cache."""

    def __init__(self, settings: Settings, rules, cache_root: Path | None) -> None:
        self.settings = settings
        self.rules = rules
        self.loader = ProjectLoader(lambda p: p.read_bytes())
        self.prefilter = Prefilter(self.loader) if settings.prefilter else None
        self.cache = Cache(cache_root) if cache_root is not None else None
        self.stats = {"linted": 0, "cached": 0, "skipped": 0}
        self.cut_short: str | None = None  # the limit the last file's analysis reached

    def _hash_now(self, path: str) -> str | None:
        self.loader.signatures[path] = signature(path)
        if not os.path.isfile(path):
            return None  # gone, or now a FIFO or a device: reading it could block for ever
        try:
            return digest(Path(path).read_bytes())
        except OSError:
            return None

    def lint(self, path: Path) -> tuple[list[Diagnostic], dict | None]:
        """Findings of one file's analysis, wherever their sites are (the runner keeps those
        in the files asked for), from the cache when its bytes and dependencies are
        unchanged, and the file's record for the stat index (None: not cached or racy)."""
        global current_file
        self.cut_short = _file_too_large(path, os.path.getsize(path))
        if self.cut_short:
            return [], None
        sig = signature(str(path)) if self.cache is not None else None  # before the read
        data = path.read_bytes()
        shown = current_file = _display(path)
        if self.cache is None:
            return self._analyse(path, data, shown)[0], None
        context = _context(self.settings, shown, self.rules)
        key = entry_key(data, context)
        entry = self.cache.entry(key, self._hash_now, self.loader.resolves)
        if entry is not None:
            self.stats["cached"] += 1
            diagnostics, deps, misses = entry["found"], entry["deps"], entry["misses"]
            self.cut_short = recorded_limit(entry)
        else:
            # An analysis cut short is cached too: the same bytes reach the same limit, and a
            # warm run must not redo, file after file, the work that costs the most.
            diagnostics, deps, misses = self._analyse(path, data, shown)
            self.cache.put(key, diagnostics, deps, misses, self.cut_short)
        return diagnostics, self._index_record(sig, key, context, diagnostics, deps, misses)

    def _index_record(self, sig, key: str, context: str, diagnostics, deps: dict, misses: list) -> dict | None:
        signatures = self.loader.signatures
        dep_sigs = {p: signatures.get(p) for p in deps}
        folders = {f for importer, name, level in misses for f in self.loader.watched(importer, name, level)}
        for folder in folders - signatures.keys():
            signatures[folder] = signature(folder)
        dir_sigs = {f: signatures[f] for f in sorted(folders)}
        if sig is None or any(racy(s) for s in (sig, *dep_sigs.values(), *dir_sigs.values())):
            return None
        return index_record(sig, key, context, diagnostics, dep_sigs, dir_sigs, self.cut_short)

    def _analyse(self, path: Path, data: bytes, shown: str):
        data, book, unreadable = _python_source(path, data, shown, self.rules)
        if unreadable is not None:
            return unreadable, {}, []
        self.cut_short = _code_too_large(book, data)
        if self.cut_short:
            return [], {}, []
        try:
            module = engine.parse_module(data, shown)
        except engine.ParseFailure:
            module = None  # the engine reports RL001
        if self.prefilter is not None and module is not None:
            inert, deps, misses = self.prefilter.inert(path, data, module)
            if inert:
                self.stats["skipped"] += 1
                return [], deps, misses
        self.stats["linted"] += 1
        self.loader.begin(shown)
        limits: list[str] = []
        diagnostics = _mapped(book, checker.lint_source(data, shown, self.rules, loader=self.loader, parsed=module,
                                                       everywhere=True, cut_short=limits,
                                                       cells=notebook.cell_starts(book)), shown)
        self.cut_short = limits[0] if limits else None
        del module
        # The interpretation's garbage (some of it cyclic) is young: one collection of the
        # young generations now, while the run keeps the automatic collector off (_quiet_gc).
        gc.collect(1)
        return diagnostics, self.loader.loaded(), self.loader.misses()


def _python_source(path: Path, data: bytes, shown: str, file_rules):
    """(Python source, notebook, None) for a file's bytes: a notebook's code cells as one script,
    with the Notebook that maps positions back; (b"", None, findings) for a notebook that
    cannot be read (RL001, as for a file that cannot be decoded)."""
    if not notebook.is_notebook(path):
        return data, None, None
    try:
        book = notebook.read(data)
    except notebook.NotebookError as exc:
        from reuse_lint.rules import syntax_error

        rule = syntax_error.SyntaxError
        return b"", None, [rule.diagnostic(shown, str(exc), 1, 1)] if rule in file_rules else []
    return notebook.script_bytes(book), book, None


def _mapped(book: "notebook.Notebook | None", diagnostics: list[Diagnostic], shown: str) -> list[Diagnostic]:
    """Positions in a notebook's script back to its cells."""
    return diagnostics if book is None else book.map(diagnostics, shown)


def _fix_notebook(path: Path, data: bytes, shown: str, lint, settings: Settings, result: Result) -> list[Diagnostic]:
    """--fix and --diff on a notebook: only the edited cells' sources change, and only in a
    file that nbformat itself would write byte for byte."""
    book = notebook.read(data)
    fixed, count, diagnostics = notebook.fix_notebook(
        book, lambda nb: lint(notebook.script_bytes(nb), notebook.cell_starts(nb)), unsafe=settings.unsafe_fixes)
    error = None
    if count and settings.diff:
        result.diff_text += notebook.cell_diff(shown, book, fixed)
    elif count and not notebook.in_nbformat_layout(data, book):
        error = "fix not written: the file is not laid out as nbformat writes it (save it from Jupyter first)"
    elif count:
        try:
            fixes.write_atomic(path, fixed.dumps().encode("utf-8"))
        except OSError as exc:
            error = f"cannot write the fix: {exc.strerror or exc}"
    if error is not None:
        result.errors.append(f"{shown}: {error}")
        fixed, diagnostics = book, lint(notebook.script_bytes(book), notebook.cell_starts(book))
    else:
        result.fixed += count
    result.sources.update(fixed.sources(shown))
    return _mapped(fixed, diagnostics, shown)


def lint_file(path: Path, settings: Settings, loader: ProjectLoader, rules, result: Result) -> tuple[list[Diagnostic], list[str] | None]:
    """Fix (or diff) one file; the checking path without fixes is `Worker.lint`."""
    global current_file
    before = os.stat(path)  # first: a change after it shows, and the fix is not written
    shown = current_file = _display(path)
    large = _file_too_large(path, before.st_size)
    if large:
        result.errors.append(cut_short_message(shown, large))
        return [], None
    data = path.read_bytes()
    file_rules = settings.rules_for(path, rules)
    limits: list[str] = []

    def lint(source: bytes, cells: tuple[int, ...] = ()) -> list[Diagnostic]:
        loader.begin(shown)
        limits.clear()  # only the last analysis's limit describes what is reported
        return checker.lint_source(source, shown, file_rules, loader=loader, cut_short=limits, cells=cells)

    if notebook.is_notebook(path):
        source, book, unreadable = _python_source(path, data, shown, file_rules)
        if unreadable is not None:
            return unreadable, None
        large = _code_too_large(book, source)
        if large:
            result.errors.append(cut_short_message(shown, large))
            return [], None
        diagnostics = _fix_notebook(path, data, shown, lint, settings, result)
        if limits:
            result.errors.append(cut_short_message(shown, limits[0]))
        return diagnostics, None
    if settings.fix or settings.diff:
        fixed, count, diagnostics = fixes.fix_source(data, lint, unsafe=settings.unsafe_fixes)
        if fixed != data:
            if settings.diff:
                result.diff_text += fixes.unified_diff(shown, data, fixed)
            else:
                try:
                    fixes.write_atomic(path, fixed, original=data, before=before)
                except (OSError, fixes.NotWritten) as exc:
                    reason = str(exc) if isinstance(exc, fixes.NotWritten) else f"cannot write the fix: {exc.strerror or exc}"
                    result.errors.append(f"{shown}: {reason}")
                    diagnostics = lint(data)
                    count = 0
                else:
                    data = fixed
            result.fixed += count
    else:
        diagnostics = lint(data)
    if limits:
        result.errors.append(cut_short_message(shown, limits[0]))
    return diagnostics, (_decode_lines(data) if diagnostics else None)


# ----- a run -------------------------------------------------------------------------------------

_WORKER: Worker | None = None


@contextmanager
def _quiet_gc():
    """The automatic cyclic collector off for a run. Its passes are triggered by allocation
    counts, and parsing allocates hundreds of thousands of nodes a file (none of them in a
    cycle), so it walked the live trees again and again: a fifth of a cold run on TF's sources.
    Workers collect the young generations after each interpreted file instead."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _init_worker(settings: Settings, rules, cache_root: Path | None) -> None:
    global _WORKER
    _WORKER = Worker(settings, rules, cache_root)


def _init_process(settings: Settings, rules, cache_root: Path | None) -> None:
    gc.disable()  # a worker process lives for one run: see _quiet_gc
    _init_worker(settings, rules, cache_root)


def _lint_chunk(paths: list[Path]) -> tuple[list[tuple[list[Diagnostic], str | None, dict | None]], dict[str, int]]:
    """In a worker process: (findings, error message, index record) per path, and the
    worker's counts."""
    assert _WORKER is not None
    before = dict(_WORKER.stats)
    out = []
    for path in paths:
        try:
            diagnostics, record = _WORKER.lint(path)
            limit = _WORKER.cut_short
            out.append((diagnostics, cut_short_message(_display(path), limit) if limit else None, record))
        except OSError as exc:
            out.append(([], f"{_display(path)}: cannot read: {exc.strerror or exc}", None))
        except RecursionError:
            out.append(([], cut_short_message(_display(path), "nested too deeply"), None))
        except MemoryError:
            out.append(([], cut_short_message(_display(path), "out of memory"), None))
        except Exception as exc:  # noqa: BLE001 - an engine bug on one file must not lose the rest
            out.append(([], internal_error_message(_display(path), exc), None))
    return out, {k: _WORKER.stats[k] - before[k] for k in before}


# Parsing costs about 220 MB a MB of source, and the analysis 3 to 4 CPU seconds a MB: past
# this size a file would risk the promise of 10 s and 1 GB a file on a busy machine. The largest real module seen
# (TensorFlow's generated schema_py_generated.py) is 0.7 MB; bigger ones are generated data.
MAX_FILE_BYTES = 1_000_000
# A notebook's bytes are mostly its stored outputs (images in base64), which the analysis never
# sees: the file gets a wider cap (reading its JSON costs about 0.12 s a MB) and its code cells,
# joined, the cap of a file.
MAX_NOTEBOOK_BYTES = 20_000_000


def _too_large(size: int, limit: int | None = None, what: str = "a file may have") -> str | None:
    limit = MAX_FILE_BYTES if limit is None else limit
    if size <= limit:
        return None
    return f"too large: {size:,} bytes, over the {limit:,} {what}"


def _file_too_large(path: Path, size: int) -> str | None:
    if notebook.is_notebook(path):
        return _too_large(size, MAX_NOTEBOOK_BYTES, "a notebook may have")
    return _too_large(size)


def _code_too_large(book: "notebook.Notebook | None", source: bytes) -> str | None:
    """A notebook's code cells over a file's cap (a plain file was checked by its size)."""
    if book is None:
        return None
    return _too_large(len(source), what="a notebook's code cells may have")


def cut_short_message(shown: str, limit: str) -> str:
    if limit.startswith("too large"):
        return f"{shown}: not analysed ({limit})"  # nothing of it was seen: no findings at all
    return f"{shown}: analysis cut short ({limit}): findings past that point may be missing"


def internal_error_message(shown: str | None, exc: BaseException) -> str:
    where = f" while analysing {shown}" if shown else ""
    return f"internal error{where}, please report: {type(exc).__name__}: {exc}"


def _jobs(settings: Settings, n_files: int) -> int:
    if settings.jobs is not None:
        # Never more processes than tasks: `--jobs 10000` would start them all at once.
        return max(1, min(settings.jobs, -(-n_files // CHUNK)))
    if n_files < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(os.cpu_count() or 1, n_files // CHUNK))


def _context(settings: Settings, shown: str, file_rules) -> str:
    codes = ",".join(r.CODE for r in file_rules)
    return context_key(shown, f"{settings.cache_key()}|{codes}")


def _index_hits(files: list[Path], settings: Settings, rules, index: dict, result: Result) -> dict[int, tuple[list, str | None]]:
    """Answer what the stat index can in this process, reading no source: a warm run then
    starts no worker at all. Per file index: (findings, the cut-short line or None)."""
    if not index:
        return {}
    memo: dict[str, list[int] | None] = {}

    def signature_of(path: str) -> list[int] | None:
        if path not in memo:
            memo[path] = signature(path)
        return memo[path]

    hits = {}
    for i, path in enumerate(files):
        where = os.path.abspath(path)
        record = index.get(where)
        if record is None:
            continue
        found = indexed(record, signature_of(where), _context(settings, _display(path), rules), signature_of)
        if found is not None:
            limit = recorded_limit(record)
            hits[i] = (found, cut_short_message(_display(path), limit) if limit else None)
    result.stats["cached"] += len(hits)
    return hits


def _stem(path: Path) -> bytes:
    """The name an import of this module must spell somewhere (a package: its folder)."""
    return (path.parent.name if path.name == "__init__.py" else path.stem).encode()


def importers(targets: list[Path], settings: Settings, index: dict) -> list[Path]:
    """The project modules whose analysis may reach the targets: those that import them,
    directly or through other modules. A leak in `model.py` that only `train.py`'s calls
    reveal is found by analysing train.py, so linting model.py alone analyses train.py too.

    A file whose stat index record is current answers from the modules its last analysis
    loaded; any other file is read, and parsed only when it spells a target's name."""
    # Per folder, not per file: a whole tree asked for has a tenth as many. A root inside
    # another root is walked with it.
    folders = {os.path.dirname(str(t)) for t in targets}
    roots = {_project_root_of(_real_dir(os.path.abspath(f))) for f in folders}
    roots = {r for r in roots if not any(parent in roots for parent in r.parents)}
    walked = [Path(p).resolve() for p in settings.paths if os.path.isdir(p)]
    if all(any(d == r or d in r.parents for d in walked) for r in roots):
        return []  # every root lies in a folder asked for: its importers are all analysed anyway
    # Files are compared by identity (device, inode): a stat each, no path resolution.
    asked = {_identity(str(t)) for t in targets}
    candidates = [path for root in sorted(roots) for path in collect_files([str(root)], settings, [])
                  if _identity(str(path)) not in asked]
    if not candidates:
        return []  # the whole project was asked for: every importer is analysed anyway
    wanted = {t.resolve() for t in targets}
    loader = ProjectLoader(lambda p: p.read_bytes())
    direct: dict[Path, set[Path] | None] = {}

    def imports_of(path: Path, stems: set[bytes]) -> set[Path]:
        record = index.get(os.path.abspath(path))
        if record is not None and record.get("sig") == signature(os.path.abspath(path)):
            deps = record.get("deps")
            return {Path(p) for p in deps} if isinstance(deps, dict) else set()
        if path not in direct:
            try:
                raw = path.read_bytes()
            except OSError:
                return set()
            # The name is in the bytes of a notebook's JSON too: most files stop here, and
            # nbformat is loaded only for a notebook that may import a target.
            if not any(stem in raw for stem in stems):
                return set()  # asked again, with other names, if the frontier grows
            # A notebook imports through its code cells (its JSON may even parse as a dict).
            data = _python_source(path, raw, _display(path), ())[0]
            try:
                tree = engine.parse_module(data, str(path)).tree
            except engine.ParseFailure:
                direct[path] = set()
                return set()
            found = set()
            for stmt in _imports(tree):
                for name, level in _imported_names(stmt):
                    target = loader.resolve(path, name, level)
                    if target is not None:
                        found.add(target)
            direct[path] = found
        return direct[path]

    found: list[Path] = []
    frontier = set(wanted)
    while frontier and candidates:
        stems = {_stem(p) for p in frontier}
        new = [c for c in candidates if imports_of(c, stems) & frontier]
        found.extend(new)
        candidates = [c for c in candidates if c not in set(new)]
        frontier = {c.resolve() for c in new}
    return sorted(found)


def _check_files(files: list[Path], settings: Settings, rules, cache_root: Path | None, result: Result) -> None:
    """Each file is analysed as the program it is (`python file.py`), following its imports.
    A finding is reported in the file where its site is, whichever analysis found it, once;
    and only in the files asked for. Their importers are analysed too, for the findings
    only a caller reveals."""
    cache = Cache(cache_root) if cache_root is not None else None
    index = cache.load_index() if cache is not None else {}
    callers = importers(files, settings, index) if files else []
    analysed = files + callers
    hits = _index_hits(analysed, settings, rules, index, result) if cache is not None else {}
    pending = [path for i, path in enumerate(analysed) if i not in hits]
    per_path: dict[Path, tuple[list[Diagnostic], str | None, dict | None]] = {}
    _lint_pending(pending, settings, rules, cache_root, result, per_path)
    wanted = {_display(p): p for p in files}
    allowed: dict[str, set[str]] = {}
    seen: set[tuple] = set()
    records = {}
    for i, path in enumerate(analysed):  # the order of a serial run, whoever answered
        diagnostics, error, record = (*hits[i], None) if i in hits else per_path[path]
        if error:
            result.errors.append(error)
        if record is not None:
            records[os.path.abspath(path)] = record
        asked = i < len(files)
        for d in diagnostics:
            key = (d.code, d.path, d.cell, d.line, d.column)
            # A file asked for is a program: its bugs are reported wherever they are, in the
            # modules it imports too. A caller only tells what it reveals in the files asked for.
            if key in seen or not (d.path in wanted or asked):
                continue
            if d.path not in allowed:  # exclusions and per-file-ignores: the finding's file's
                where = wanted.get(d.path, Path(d.path))
                excluded = d.path not in wanted and settings.is_excluded(where)
                allowed[d.path] = set() if excluded else {r.CODE for r in settings.rules_for(where, rules)}
            if d.code in allowed[d.path]:
                seen.add(key)
                result.diagnostics.append(d)
    for shown in sorted({d.path for d in result.diagnostics}):
        _remember_source(wanted.get(shown, Path(shown)), result)
    if cache is not None:
        cache.save_index(records)


def _lint_pending(files: list[Path], settings: Settings, rules, cache_root: Path | None, result: Result, per_path: dict) -> None:
    if not files:
        return
    chunks = [files[i:i + CHUNK] for i in range(0, len(files), CHUNK)]
    jobs = _jobs(settings, len(files))
    if jobs == 1:
        _init_worker(settings, rules, cache_root)
        for chunk in chunks:
            _take(chunk, _lint_chunk(chunk), result, per_path)
        return
    lost = _in_pool(chunks, jobs, (settings, rules, cache_root), result, per_path)
    # A worker killed (the OOM killer, a signal) breaks the pool and loses every chunk in
    # flight. Their files run again, one a task, in new pools while that makes progress; then
    # each alone, so that a file whose process dies even alone is reported, not lost.
    while lost:
        retry = [[path] for chunk in lost for path in chunk]
        lost = _in_pool(retry, min(jobs, len(retry)), (settings, rules, cache_root), result, per_path)
        if len(lost) == len(retry):
            break
    for chunk in lost:
        if _in_pool([chunk], 1, (settings, rules, cache_root), result, per_path):
            per_path[chunk[0]] = ([], f"{_display(chunk[0])}: the process analysing it was killed (out of memory?)", None)


def _take(chunk: list[Path], outcome, result: Result, per_path: dict) -> None:
    per_file, counts = outcome
    for k, v in counts.items():
        result.stats[k] += v
    per_path.update(zip(chunk, per_file))


def _in_pool(chunks: list[list[Path]], jobs: int, initargs: tuple, result: Result, per_path: dict) -> list[list[Path]]:
    """Lint the chunks in a pool of worker processes; the chunks lost to a broken pool."""
    # Imported here: it costs a one-file pre-commit call ~12 ms and serves only big trees.
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(jobs, initializer=_init_process, initargs=initargs)
    lost = []
    try:
        futures = []
        for chunk in chunks:
            # A worker may die while later chunks are still being handed out: submit then
            # refuses, and those chunks are lost with the ones in flight.
            try:
                futures.append(pool.submit(_lint_chunk, chunk))
            except BrokenProcessPool:
                break
        for chunk, future in zip(chunks, futures):
            try:
                _take(chunk, future.result(), result, per_path)
            except BrokenProcessPool:
                lost.append(chunk)
        lost.extend(chunks[len(futures):])
    finally:
        pool.shutdown()
    return lost


def _remember_source(path: Path, result: Result) -> None:
    # Only files with findings need their text, for the `full` format's excerpts.
    try:
        data = path.read_bytes()
        if notebook.is_notebook(path):
            result.sources.update(notebook.read(data).sources(_display(path)))
            return
        lines = _decode_lines(data)
    except (OSError, notebook.NotebookError):
        return
    if lines is not None:
        result.sources[_display(path)] = lines


def _cache_root(settings: Settings) -> Path | None:
    if settings.no_cache or settings.fix or settings.diff:
        return None
    if settings.config_path is not None:
        return settings.config_path.parent
    return find_project_root(Path(settings.paths[0]) if settings.paths else Path.cwd())


def clean_cache(path: str) -> Path | None:
    """Remove the cache of the project that `path` belongs to; the folder removed, if any."""
    folder = find_project_root(Path(path)) / CACHE_DIR
    if folder.is_symlink():
        folder.unlink()  # the link only: what it points to is not the project's
        return folder
    if not folder.is_dir():
        return None
    shutil.rmtree(folder)
    return folder


def _run_stdin(settings: Settings, rules, result: Result) -> None:
    name = settings.stdin_filename or "-"
    data = sys.stdin.buffer.read((MAX_NOTEBOOK_BYTES if notebook.is_notebook(Path(name)) else MAX_FILE_BYTES) + 1)
    large = _file_too_large(Path(name), len(data))
    if large:
        result.errors.append(cut_short_message(name, large))
        return
    file_rules = settings.rules_for(Path(name), rules) if settings.stdin_filename else rules
    loader = ProjectLoader(lambda p: p.read_bytes())
    global current_file
    current_file = name
    source, book, unreadable = _python_source(Path(name), data, name, file_rules)
    if unreadable is not None:
        result.diagnostics = unreadable
        return
    large = _code_too_large(book, source)
    if large:
        result.errors.append(cut_short_message(name, large))
        return
    limits: list[str] = []
    result.diagnostics = _mapped(book, checker.lint_source(source, name, file_rules, loader=loader, cut_short=limits,
                                                           cells=notebook.cell_starts(book)), name)
    if limits:
        result.errors.append(cut_short_message(name, limits[0]))
    if book is not None:
        result.sources.update(book.sources(name))
        return
    lines = _decode_lines(data)
    if lines is not None:
        result.sources[name] = lines


def run(settings: Settings) -> Result:
    result = Result()
    # `select = []` selects nothing (select_rules reads an empty list as "no selection").
    rules = () if settings.select == [] else select_rules(settings.select, settings.ignore)
    result.rule_codes = [r.CODE for r in rules]
    if settings.stdin:
        _run_stdin(settings, rules, result)
        result.diagnostics = [_relative_paths(d) for d in result.diagnostics]
        return result
    files = collect_files(settings.paths, settings, result.errors, result.empty)
    if settings.fix or settings.diff:
        loader = ProjectLoader(lambda p: p.read_bytes())
        for path in files:
            try:
                diagnostics, lines = lint_file(path, settings, loader, rules, result)
            except OSError as exc:
                result.errors.append(f"{_display(path)}: cannot read: {exc.strerror or exc}")
                continue
            except RecursionError:
                result.errors.append(cut_short_message(_display(path), "nested too deeply"))
                continue
            except MemoryError:
                result.errors.append(cut_short_message(_display(path), "out of memory"))
                continue
            result.diagnostics.extend(diagnostics)
            if lines is not None:
                result.sources[_display(path)] = lines
        if settings.fix:
            # Each fix above was found by linting its file alone; what is left is listed as
            # `check` lists it, with what importers and imported modules reveal.
            errors, result.errors = result.errors, []
            result.diagnostics, result.sources = [], {}
            with _quiet_gc():
                _check_files(files, settings, rules, None, result)
            result.errors = list(dict.fromkeys(errors + result.errors))
    else:
        with _quiet_gc():
            _check_files(files, settings, rules, _cache_root(settings), result)
    result.diagnostics = [_relative_paths(d) for d in result.diagnostics]
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def _relative_paths(d: Diagnostic) -> Diagnostic:
    """No absolute path in any output: a related location in an imported module is known
    by its absolute path; show it relative to the working directory, as the file itself."""
    if not os.path.isabs(d.path) and not any(os.path.isabs(r.path) for r in d.related):
        return d
    return d.with_paths(_display)


def lint_files(paths: list[str]) -> list[Diagnostic]:
    """Lint files and directories with the default settings: the API other tools call."""
    settings = Settings(paths=list(paths))
    return run(settings).diagnostics
