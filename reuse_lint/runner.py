"""The runner: paths, configuration, the project's module index, cache, processes and fixes.

It is the only static layer that touches the file system; the engine gets source text and a
loader callback from here.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from reuse_lint import engine, fixes
from reuse_lint.config import ConfigError, Settings, settings_from_args  # noqa: F401 - re-exported
from reuse_lint.diagnostics import Diagnostic
from reuse_lint.engine.values import ModuleState
from reuse_lint.rules import select_rules

SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "__pycache__", "build", "dist", ".venv", "venv", ".tox", ".nox",
     ".eggs", "node_modules", ".mypy_cache", ".pytest_cache", ".reuse_lint_cache", "site-packages"}
)
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


@dataclass
class Result:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fixed: int = 0
    diff_text: str = ""
    sources: dict[str, list[str]] = field(default_factory=dict)

    def source_lines(self, path: str) -> list[str] | None:
        return self.sources.get(path)


def _is_venv(path: Path) -> bool:
    return (path / "pyvenv.cfg").exists()


def collect_files(paths: list[str], settings: Settings, errors: list[str]) -> list[Path]:
    """Files named on the command line are always linted; directories are walked."""
    found: list[Path] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            found.append(p)

    for raw in paths:
        p = Path(raw)
        if not p.exists():
            errors.append(f"{raw}: no such file or directory")
        elif p.is_file():
            add(p)
        else:
            for root, dirs, files in os.walk(p):
                root_path = Path(root)
                dirs[:] = sorted(
                    d for d in dirs
                    if d not in SKIP_DIRS and not d.endswith(".egg-info")
                    and not _is_venv(root_path / d)
                    and not settings.is_excluded(root_path / d)
                )
                for name in sorted(files):
                    if name.endswith(".py") and not settings.is_excluded(root_path / name):
                        add(root_path / name)
    return found


def find_project_root(start: Path) -> Path:
    here = start.resolve()
    here = here if here.is_dir() else here.parent
    for candidate in (here, *here.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return here


class ProjectLoader:
    """Resolves `import model`, `from .ops import linear` to the project's own files."""

    def __init__(self, read: Callable[[Path], bytes]) -> None:
        self._read = read
        self._parsed: dict[Path, ModuleState | None] = {}

    def __call__(self, importer: ModuleState, name: str, level: int) -> ModuleState | None:
        path = self.resolve(Path(importer.path), name, level)
        if path is None:
            return None
        return self._fresh_state(path, name)

    def resolve(self, importer: Path, name: str, level: int) -> Path | None:
        parts = [p for p in name.split(".") if p]
        if level:
            base = importer.resolve().parent
            for _ in range(level - 1):
                base = base.parent
            bases = [base]
        else:
            here = importer.resolve().parent
            root = find_project_root(here)
            bases = [here, root] if here != root else [root]
            src = root / "src"
            if src.is_dir():
                bases.append(src)
        for base in bases:
            target = base.joinpath(*parts) if parts else base
            for candidate in (target.with_suffix(".py") if parts else None, target / "__init__.py"):
                if candidate is not None and candidate.is_file():
                    return candidate
        return None

    def _fresh_state(self, path: Path, name: str) -> ModuleState | None:
        if path not in self._parsed:
            try:
                self._parsed[path] = engine.parse_module(self._read(path), str(path), name)
            except (OSError, engine.ParseFailure):
                self._parsed[path] = None
        parsed = self._parsed[path]
        if parsed is None:
            return None
        # Each lint gets its own globals: module state is per interpretation.
        return ModuleState(path=parsed.path, name=name, tree=parsed.tree, lines=parsed.lines)


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def lint_file(path: Path, settings: Settings, loader: ProjectLoader, rules, result: Result) -> tuple[list[Diagnostic], list[str] | None]:
    data = path.read_bytes()
    shown = _display(path)
    file_rules = settings.rules_for(path, rules)

    def lint(source: bytes) -> list[Diagnostic]:
        return engine.lint_source(source, shown, file_rules, loader=loader)

    if settings.fix or settings.diff:
        fixed, count, diagnostics = fixes.fix_source(data, lint, unsafe=settings.unsafe_fixes)
        if fixed != data:
            if settings.diff:
                result.diff_text += fixes.unified_diff(shown, data, fixed)
            else:
                try:
                    fixes.write_atomic(path, fixed)
                except OSError as exc:
                    result.errors.append(f"{shown}: cannot write the fix: {exc.strerror or exc}")
                    diagnostics = lint(data)
                    count = 0
                else:
                    data = fixed
            result.fixed += count
    else:
        diagnostics = lint(data)
    try:
        lines = engine.decode(data).splitlines(keepends=True)
    except engine.ParseFailure:
        lines = None
    return diagnostics, lines


def run(settings: Settings) -> Result:
    result = Result()
    rules = select_rules(settings.select, settings.ignore)
    loader = ProjectLoader(lambda p: p.read_bytes())
    if settings.stdin:
        data = sys.stdin.buffer.read()
        name = settings.stdin_filename or "-"
        result.diagnostics = engine.lint_source(data, name, rules, loader=loader)
        try:
            result.sources[name] = engine.decode(data).splitlines(keepends=True)
        except engine.ParseFailure:
            pass
        return result
    files = collect_files(settings.paths, settings, result.errors)
    for path in files:
        try:
            diagnostics, lines = lint_file(path, settings, loader, rules, result)
        except OSError as exc:
            result.errors.append(f"{_display(path)}: cannot read: {exc.strerror or exc}")
            continue
        result.diagnostics.extend(diagnostics)
        if lines is not None:
            result.sources[_display(path)] = lines
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def lint_files(paths: list[str]) -> list[Diagnostic]:
    """Lint files and directories with the default settings: the API other tools call."""
    settings = Settings(paths=list(paths))
    return run(settings).diagnostics
