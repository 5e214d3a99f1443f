"""Settings: `[tool.reuse-lint]` of the nearest pyproject.toml, overridden by flags.

Read only when a run asks for it, never at import time.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from reuse_lint.paths import shown
from reuse_lint.rules import known_code

KEYS = {"select", "ignore", "extend-select", "exclude", "extend-exclude", "per-file-ignores", "output-format"}
DEFAULT_FORMAT = "full"
FORMATS = ("full", "concise", "json", "sarif", "github")


class ConfigError(Exception):
    """Bad configuration or flags: the message names what is wrong."""


@dataclass
class Settings:
    paths: list[str] = field(default_factory=lambda: ["."])
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    output_format: str = DEFAULT_FORMAT
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    statistics: bool = False
    exit_zero: bool = False
    quiet: bool = False
    no_cache: bool = False
    stdin: bool = False
    stdin_filename: str | None = None
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    jobs: int | None = None
    root: Path = field(default_factory=Path.cwd)
    config_path: Path | None = None
    # Skip files that cannot reach TensorFlow variable code (runner.Prefilter); off only to
    # prove, in tests, that it never changes the findings.
    prefilter: bool = True
    force_exclude: bool = False

    def is_excluded(self, path: Path) -> bool:
        if not self.exclude:
            return False  # the common case: no path to resolve for every file of a tree
        rel = _relative(path, self.root)
        return any(_matches(rel, path.name, pat) for pat in self.exclude)

    def rules_for(self, path: Path, rules):
        if not self.per_file_ignores:
            return rules
        rel = _relative(path, self.root)
        ignored = self._ignores().codes(rel, path.name)
        if not ignored:
            return rules
        return tuple(r for r in rules if not any(r.CODE.startswith(c) or c == "ALL" for c in ignored))

    def _ignores(self) -> "_PatternTable":
        # Built once a run (settings are complete by then), for the per-file-ignores as they are.
        key = id(self.per_file_ignores), len(self.per_file_ignores)
        if getattr(self, "_ignores_for", None) != key:
            self._ignores_table = _PatternTable(self.per_file_ignores)
            self._ignores_for = key
        return self._ignores_table

    def cache_key(self) -> str:
        # Asked for every file: with 20 k per-file-ignores the repr is worth keeping.
        inputs = (self.select, self.ignore, self.per_file_ignores)
        cached = getattr(self, "_cache_key", None)
        if cached is None or cached[0] != [id(x) for x in inputs] + [len(self.per_file_ignores)]:
            key = repr((sorted(self.select or ["ALL"]), sorted(self.ignore), sorted(self.per_file_ignores.items())))
            cached = self._cache_key = ([id(x) for x in inputs] + [len(self.per_file_ignores)], key)
        return cached[1]


class _PatternTable:
    """Which codes the per-file-ignores give a file, as `_matches` would say pattern by
    pattern, without trying every pattern on every file: plain names are looked up (the file,
    its name, and each folder above it), and the globs of each code list are one regex."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.plain: dict[str, list[str]] = {}
        globs: dict[tuple, list[str]] = {}
        for pattern, codes in table.items():
            for p in {pattern.rstrip("/"), pattern.rstrip("/").replace("**/", "")}:
                if any(ch in p for ch in "*?["):
                    globs.setdefault(tuple(codes), []).append(p)
                else:
                    self.plain.setdefault(p, []).extend(codes)
        self.globs = [
            (re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in pats)),
             re.compile("|".join(fnmatch.translate(os.path.normcase(p + "/*")) for p in pats)),
             list(codes))
            for codes, pats in globs.items()
        ]

    def codes(self, rel: str, name: str) -> list[str]:
        rel_n, name_n = os.path.normcase(rel), os.path.normcase(name)
        found: list[str] = []
        # fnmatch(rel, p), fnmatch(name, p), and fnmatch(rel, p + "/*"): p is a folder above.
        parts = rel_n.split("/")
        for key in {rel_n, name_n, *("/".join(parts[:i]) for i in range(1, len(parts)))}:
            found += self.plain.get(key, ())
        for whole, below, codes in self.globs:
            if whole.match(rel_n) or whole.match(name_n) or below.match(rel_n):
                found += codes
        return found


def _matches(rel: str, name: str, pattern: str) -> bool:
    """A glob against the path relative to the root, or the bare file name; `dir/` and
    `dir` cover everything below, and `**/` may also stand for no directory at all."""
    pat = pattern.rstrip("/")
    candidates = {pat, pat.replace("**/", "")}
    return any(
        fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) or fnmatch.fnmatch(rel, p + "/*")
        for p in candidates
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _codes(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of rule codes")
    codes = [v.strip().upper() for v in value if v.strip()]
    for code in codes:
        if not known_code(code):
            raise ConfigError(f"{where}: unknown rule code {code!r}")
    return codes


def _patterns(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of glob patterns")
    return value


def _flag_patterns(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


def find_pyproject(start: Path) -> Path | None:
    here = start.resolve()
    here = here if os.path.isdir(here) else here.parent  # (False, not an error, when unreadable)
    for candidate in (here, *here.parents):
        path = candidate / "pyproject.toml"
        try:
            if not path.is_file():
                continue
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue  # a folder we may not look into holds no configuration of ours
        except tomllib.TOMLDecodeError as exc:
            # It may hold our section; linting with defaults would hide that silently.
            raise ConfigError(f"{shown(path)}: invalid TOML: {exc}") from None
        tool = data.get("tool")
        if isinstance(tool, dict) and "reuse-lint" in tool:
            return path
    return None


def load_config(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown(path)}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown(path)}: invalid TOML: {exc}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{shown(path)}: [tool] must be a table")
    section = tool.get("reuse-lint", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{shown(path)}: [tool.reuse-lint] must be a table")
    unknown = sorted(set(section) - KEYS)
    if unknown:
        raise ConfigError(f"{shown(path)}: unknown key in [tool.reuse-lint]: {unknown[0]!r}")
    return section


def settings_from_args(args) -> Settings:
    paths = list(args.paths) or ["."]
    stdin = paths == ["-"]
    start = Path(args.stdin_filename or ".") if stdin else Path(paths[0])
    while not os.path.exists(start) and start != start.parent:
        start = start.parent  # a --stdin-filename need not exist; its directory usually does
    config_path = Path(args.config) if args.config else find_pyproject(start if os.path.exists(start) else Path.cwd())
    section = load_config(config_path) if config_path else {}
    where = shown(config_path) if config_path else "config"
    s = Settings(paths=paths, stdin=stdin, stdin_filename=args.stdin_filename)
    s.root = config_path.parent if config_path else Path.cwd()
    s.config_path = config_path

    select = _codes(section["select"], f"{where}: select") if "select" in section else None
    ignore = _codes(section.get("ignore", []), f"{where}: ignore")
    extend = _codes(section.get("extend-select", []), f"{where}: extend-select")
    # Flags override the file's selection (extend-select included); --ignore adds to it,
    # as in ruff, so `--ignore X` never re-enables what the project ignores.
    if args.select:
        select, extend = _codes(args.select, "--select"), []
    if args.ignore:
        ignore = ignore + _codes(args.ignore, "--ignore")
    if args.extend_select:
        extend += _codes(args.extend_select, "--extend-select")
    if extend:
        select = (select or ["ALL"]) + extend
    s.select, s.ignore = select, ignore

    # As in ruff: --exclude replaces the file's `exclude`; both extend-excludes add to it.
    s.exclude = _patterns(section.get("exclude", []), f"{where}: exclude")
    if getattr(args, "exclude", None):
        s.exclude = _flag_patterns(args.exclude)
    s.exclude += _patterns(section.get("extend-exclude", []), f"{where}: extend-exclude")
    if getattr(args, "extend_exclude", None):
        s.exclude += _flag_patterns(args.extend_exclude)
    pfi = section.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f"{where}: per-file-ignores must be a table of pattern = [codes]")
    s.per_file_ignores = {pat: _codes(codes, f"{where}: per-file-ignores") for pat, codes in pfi.items()}

    fmt = args.output_format or section.get("output-format", DEFAULT_FORMAT)
    if fmt not in FORMATS:
        raise ConfigError(f"{where}: unknown output-format {fmt!r} (one of {', '.join(FORMATS)})")
    s.output_format = fmt
    s.fix, s.unsafe_fixes, s.diff = args.fix or args.unsafe_fixes, args.unsafe_fixes, args.diff
    s.statistics, s.exit_zero, s.quiet = args.statistics, args.exit_zero, args.quiet
    s.no_cache, s.jobs = args.no_cache, args.jobs
    s.force_exclude = getattr(args, "force_exclude", False)
    return s
