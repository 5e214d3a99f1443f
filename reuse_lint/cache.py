"""The content-hash cache: one small JSON file per (file bytes, tool version, settings) key.

A file's findings can also depend on the project modules its analysis loaded, so an entry
records those paths with their content hashes, and the imports that found no project module;
a hit is only a hit while the hashes match and those imports still find nothing.
Entries are written to a temporary file and renamed into place, so concurrent runs never
see half an entry; an entry that cannot be read or decoded is a miss.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

from reuse_lint import __version__
from reuse_lint.diagnostics import Diagnostic, Edit, Fix, Related

CACHE_DIR = ".reuse_lint_cache"
_FORMAT = 2  # bump when the entry layout changes


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


@functools.lru_cache(maxsize=1)
def analysis_fingerprint() -> str:
    """The analysis's own code (engine, rules, names), by size and mtime: a rule edited in a
    checkout without a version bump must not be answered from entries the old rule wrote."""
    package = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=12)
    for path in sorted([*package.glob("*.py"), *(package / "engine").glob("*.py"), *(package / "rules").glob("*.py")]):
        stat = path.stat()
        h.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    return h.hexdigest()


def entry_key(data: bytes, shown: str, settings_key: str) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in (__version__, analysis_fingerprint(), str(_FORMAT), settings_key, shown):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    h.update(data)
    return h.hexdigest()


# ----- diagnostics to and from JSON ------------------------------------------------------------

def _to_json(d: Diagnostic) -> dict:
    out = d.to_json()
    out["extra"] = d.extra
    return out


def _edit(j: dict) -> Edit:
    start, end = j["location"], j["end_location"]
    return Edit(start["line"], start["column"], end["line"], end["column"], j["content"])


def _from_json(j: dict) -> Diagnostic:
    fix = j.get("fix")
    return Diagnostic(
        code=j["code"], name=j["name"], message=j["message"], path=j["path"],
        line=j["line"], column=j["column"], end_line=j["end_line"], end_column=j["end_column"],
        related=tuple(Related(r["path"], r["line"], r["column"], r["message"]) for r in j["related"]),
        help=j["help"],
        fix=Fix(fix["message"], tuple(_edit(e) for e in fix["edits"]), fix["applicability"] == "safe") if fix else None,
        extra=j.get("extra") or {},
    )


class Cache:
    def __init__(self, root: Path) -> None:
        self.dir = root / CACHE_DIR / f"v{_FORMAT}"

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, key: str, hash_of, resolves) -> list[Diagnostic] | None:
        """The entry's findings, if every dependency still hashes as recorded and every
        import that found no project module still finds none.

        `hash_of(path) -> str | None` hashes a dependency now (None when it is gone);
        `resolves(importer, name, level) -> bool` asks the loader about a missed import."""
        try:
            entry = json.loads(self._path(key).read_bytes())
            if any(hash_of(path) != h for path, h in entry["deps"].items()):
                return None
            if any(resolves(importer, name, level) for importer, name, level in entry["misses"]):
                return None  # a module created since would now be loaded
            return [_from_json(j) for j in entry["diagnostics"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing or corrupt: lint again

    def put(self, key: str, diagnostics: list[Diagnostic], deps: dict[str, str | None], misses: list) -> None:
        path = self._path(key)
        body = json.dumps({"deps": deps, "misses": misses, "diagnostics": [_to_json(d) for d in diagnostics]})
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:8]}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(body)
                os.replace(tmp, path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        except OSError:
            pass  # a read-only tree still lints; it just is not cached
