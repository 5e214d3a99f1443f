"""The cache: content-hash entries, and a stat index in front of them.

Entries: one small JSON file per (file bytes, tool version, settings) key. A file's findings
can also depend on the project modules its analysis loaded, so an entry records those paths
with their content hashes, and the imports that found no project module; a hit is only a hit
while the hashes match and those imports still find nothing.

The index: one JSON file mapping each linted path to its stat signature (size, mtime, inode),
the context of its key, its findings, the signatures of the modules it loaded and the
modification times of the folders its missed imports were looked for in (a module created
there changes them). A warm run answers from the index with a few `stat` calls a file and
reads no source; anything that differs falls back to the entries. As in git's index, a file
modified within the last seconds is not indexed, since a same-tick change would keep its
signature.

Everything is written to a temporary file and renamed into place, so concurrent runs never see
half of one; the last index written wins, which loses only speed. What cannot be read or
decoded is a miss.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import tempfile
import time
from pathlib import Path

from reuse_lint import __version__
from reuse_lint.diagnostics import Diagnostic, Edit, Fix, Related

CACHE_DIR = ".reuse_lint_cache"
_FORMAT = 3  # bump when the entry or index layout changes
INDEX = "index.json"
# A signature taken this close to the file's last change may not show a change made in the
# same clock tick (seconds on some file systems): such files are not indexed.
RACY_NS = 2_000_000_000


def signature(path: str) -> list[int] | None:
    """[size, mtime, inode] of a file; [mtime] of a folder (a folder's size means nothing
    portable); None when it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if stat.S_ISDIR(st.st_mode):
        return [st.st_mtime_ns]
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def racy(sig: list[int] | None) -> bool:
    if sig is None:
        return False
    mtime = sig[1] if len(sig) == 3 else sig[0]
    return time.time_ns() - mtime < RACY_NS


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


def context_key(shown: str, settings_key: str) -> str:
    """Everything but the file's bytes that its findings depend on: tool, analysis code,
    settings and selected rules, and the path as shown."""
    h = hashlib.blake2b(digest_size=20)
    for part in (__version__, analysis_fingerprint(), str(_FORMAT), settings_key, shown):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def entry_key(data: bytes, context: str) -> str:
    h = hashlib.blake2b(context.encode(), digest_size=20)
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
        related=tuple(Related(r["path"], r["line"], r["column"], r["message"], r.get("cell")) for r in j["related"]),
        help=j["help"],
        fix=Fix(fix["message"], tuple(_edit(e) for e in fix["edits"]), fix["applicability"] == "safe") if fix else None,
        extra=j.get("extra") or {},
        cell=j.get("cell"),
    )


class Cache:
    def __init__(self, root: Path) -> None:
        self.dir = root / CACHE_DIR / f"v{_FORMAT}"

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def entry(self, key: str, hash_of, resolves) -> dict | None:
        """The entry (deps, misses, diagnostics as JSON) if every dependency still hashes as
        recorded and every import that found no project module still finds none."""
        try:
            entry = json.loads(self._path(key).read_bytes())
            if any(hash_of(path) != h for path, h in entry["deps"].items()):
                return None
            if any(resolves(importer, name, level) for importer, name, level in entry["misses"]):
                return None  # a module created since would now be loaded
            entry["found"] = [_from_json(j) for j in entry["diagnostics"]]
            return entry
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing or corrupt: lint again

    def put(self, key: str, diagnostics: list[Diagnostic], deps: dict[str, str | None], misses: list) -> None:
        body = json.dumps({"deps": deps, "misses": misses, "diagnostics": [_to_json(d) for d in diagnostics]})
        _write(self._path(key), body)

    # ----- the stat index ------------------------------------------------------------------
    def load_index(self) -> dict[str, dict]:
        try:
            index = json.loads((self.dir / INDEX).read_bytes())
        except (OSError, ValueError):
            return {}
        return index if isinstance(index, dict) else {}

    def save_index(self, records: dict[str, dict]) -> None:
        """Merge this run's records into the index on disk (another run may have written it).
        The entry a path's previous record pointed to, and the records and entries of files
        that are gone, are deleted: the cache holds about one entry a file, however often
        the files are edited."""
        if not records:
            return
        index = self.load_index()
        stale = [old.get("key") for path, old in index.items() if path in records and old.get("key") != records[path]["key"]]
        index.update(records)
        for path in [p for p in index if not os.path.exists(p)]:
            stale.append(index.pop(path).get("key"))
        _write(self.dir / INDEX, json.dumps(index, separators=(",", ":")))
        for key in stale:
            if isinstance(key, str):
                try:
                    os.unlink(self._path(key))
                except (OSError, ValueError):
                    pass  # already gone, or another run's to remove


def index_record(sig: list[int], key: str, context: str, diagnostics: list[Diagnostic], deps: dict, dirs: dict) -> dict:
    """key: the file's content-hash entry; deps: module path -> signature; dirs: folder ->
    signature (None: it did not exist). The caller leaves out files whose signatures are racy."""
    return {"sig": sig, "key": key, "context": context, "deps": deps, "dirs": dirs,
            "diagnostics": [_to_json(d) for d in diagnostics]}


def indexed(record: dict | None, sig: list[int] | None, context: str, signature_of) -> list[Diagnostic] | None:
    """The findings the index holds for a file whose signature is `sig`, if the file, its
    key's context, the modules it loaded and the folders its missed imports searched are all
    as they were. `signature_of(path)` is `signature`, memoised by the caller."""
    if record is None or sig is None:
        return None
    try:
        if record["sig"] != sig or record["context"] != context:
            return None
        for path, expected in (*record["deps"].items(), *record["dirs"].items()):
            if signature_of(path) != expected:
                return None
        return [_from_json(j) for j in record["diagnostics"]]
    except (KeyError, TypeError, AttributeError, ValueError, IndexError):
        return None


def _write(path: Path, body: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:8]}.", suffix=".tmp", dir=path.parent)
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
