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

The cache folder is input that anyone may have written (a committed or copied cache, a crafted
one): every file in it is sealed with a keyed hash (blake2b) under a random secret kept
outside the project, in the user's cache folder, together with the tool's version; a file
whose seal does not match this machine's secret is a miss, so the index and the entries this
machine wrote are the only ones trusted. Keys read back are checked to be digests before they
name a file, and nothing is written or removed outside the cache folder, which is not used
when it (or a folder in it) is a symbolic link.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import tempfile
import time
from pathlib import Path

from reuse_lint import __version__
from reuse_lint.diagnostics import Diagnostic, Edit, Fix, Related

CACHE_DIR = ".reuse_lint_cache"
_FORMAT = 4  # bump when the entry or index layout changes
INDEX = "index.json"
_KEY = re.compile(r"[0-9a-f]{40}")  # entry_key's digest: the only names an entry may have
_SECRET_BYTES = 32
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


def analysis_sources() -> list[Path]:
    """The modules whose code decides the findings: the package's top level, the engine with
    its subpackages (the TF API models in engine/tfapi/), and the rules."""
    package = Path(__file__).resolve().parent
    return sorted([*package.glob("*.py"), *(package / "engine").rglob("*.py"), *(package / "rules").glob("*.py")])


@functools.lru_cache(maxsize=1)
def analysis_fingerprint() -> str:
    """The analysis's own code, by size and mtime: a rule or an API model edited in a
    checkout without a version bump must not be answered from entries the old code wrote."""
    package = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=12)
    for path in analysis_sources():
        stat = path.stat()
        h.update(f"{path.relative_to(package).as_posix()}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
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


# ----- the seal ---------------------------------------------------------------------------------

def _secret_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reuse-lint" / "secret"


@functools.lru_cache(maxsize=1)
def machine_secret() -> bytes | None:
    """This user's random secret, created on first use; None when it can be neither read nor
    created (the cache is then not used: an unsealed cache could be anyone's)."""
    path = _secret_path()
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".secret.", dir=path.parent)  # mode 0600
        try:
            os.write(fd, secrets.token_bytes(_SECRET_BYTES))
            os.close(fd)
            try:
                os.link(tmp, path)  # atomic, and never replaces a secret another run made
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
        return _read_secret(path)
    except OSError:
        return None


def _read_secret(path: Path) -> bytes | None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        data = os.read(fd, _SECRET_BYTES + 1)
    finally:
        os.close(fd)
    return data if len(data) == _SECRET_BYTES else None


def _mac(secret: bytes, body: bytes) -> bytes:
    h = hashlib.blake2b(key=secret, digest_size=20)
    h.update(f"reuse-lint {__version__} {_FORMAT}\0".encode())
    h.update(body)
    return h.hexdigest().encode()


def seal(secret: bytes, body: str) -> str:
    """The body, behind a first line that proves this machine's tool wrote it."""
    data = body.encode("utf-8", "surrogatepass")
    return _mac(secret, data).decode() + "\n" + body


def unseal(secret: bytes, data: bytes):
    """The JSON value of a sealed file, or None when the seal does not match."""
    mac, _, body = data.partition(b"\n")
    if not hmac.compare_digest(mac, _mac(secret, body)):
        return None
    return json.loads(body)


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


def _inside(root: Path, folders: list[Path]) -> bool:
    """No folder is a symbolic link and each really lies in the project: the cache must not
    lead a write or an unlink out of it."""
    try:
        real_root = os.path.realpath(root)
        for folder in folders:
            if os.path.islink(folder):
                return False
            real = os.path.realpath(folder)
            if os.path.commonpath([real_root, real]) != real_root:
                return False
    except (OSError, ValueError):
        return False
    return True


class Cache:
    def __init__(self, root: Path) -> None:
        self.dir = root / CACHE_DIR / f"v{_FORMAT}"
        self.secret = machine_secret()
        # Checked once a run: a cache folder that leads elsewhere is not used at all.
        self.usable = self.secret is not None and _inside(root, [root / CACHE_DIR, self.dir])
        self._ignored = False

    def _path(self, key: str) -> Path:
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise ValueError(f"not a cache key: {key!r}")
        return self.dir / key[:2] / f"{key}.json"

    def _read(self, path: Path):
        if not self.usable:
            return None
        try:
            return unseal(self.secret, path.read_bytes())
        except (OSError, ValueError, RecursionError):
            return None  # missing, corrupt or too deeply nested: a miss

    def _write(self, path: Path, body: str) -> None:
        if not self.usable or (path.parent.exists() and not _inside(self.dir, [path.parent])):
            return
        _write(path, seal(self.secret, body))
        ignore = self.dir.parent / ".gitignore"
        if not self._ignored and not os.path.lexists(ignore):
            # As ruff does: the cache is this machine's, never a file to commit.
            _write(ignore, "*\n")
        self._ignored = True

    def entry(self, key: str, hash_of, resolves) -> dict | None:
        """The entry (deps, misses, diagnostics as JSON) if every dependency still hashes as
        recorded and every import that found no project module still finds none."""
        try:
            entry = self._read(self._path(key))
            if any(hash_of(path) != h for path, h in entry["deps"].items()):
                return None
            if any(resolves(importer, name, level) for importer, name, level in entry["misses"]):
                return None  # a module created since would now be loaded
            entry["found"] = [_from_json(j) for j in entry["diagnostics"]]
            return entry
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing or corrupt: lint again

    def put(self, key: str, diagnostics: list[Diagnostic], deps: dict[str, str | None], misses: list,
            cut_short: str | None = None) -> None:
        """`cut_short`: the limit the analysis reached; the same bytes reach it again, so a
        warm run answers with the findings made before it and says so again."""
        body = json.dumps({"deps": deps, "misses": misses, "diagnostics": [_to_json(d) for d in diagnostics],
                           "cut_short": cut_short})
        self._write(self._path(key), body)

    # ----- the stat index ------------------------------------------------------------------
    def load_index(self) -> dict[str, dict]:
        index = self._read(self.dir / INDEX)
        if not isinstance(index, dict):
            return {}
        return {path: record for path, record in index.items() if isinstance(record, dict)}

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
        self._write(self.dir / INDEX, json.dumps(index, separators=(",", ":")))
        for key in stale:
            try:
                path = self._path(key)
                if _inside(self.dir, [path.parent]):
                    os.unlink(path)
            except (OSError, ValueError):
                pass  # already gone, another run's to remove, or not a key


def index_record(sig: list[int], key: str, context: str, diagnostics: list[Diagnostic], deps: dict, dirs: dict,
                 cut_short: str | None = None) -> dict:
    """key: the file's content-hash entry; deps: module path -> signature; dirs: folder ->
    signature (None: it did not exist); cut_short: the limit the analysis reached. The caller
    leaves out files whose signatures are racy."""
    return {"sig": sig, "key": key, "context": context, "deps": deps, "dirs": dirs,
            "diagnostics": [_to_json(d) for d in diagnostics], "cut_short": cut_short}


def recorded_limit(record: dict) -> str | None:
    """The limit an entry's or a record's analysis reached, if it holds a well-formed one."""
    limit = record.get("cut_short")
    return limit if isinstance(limit, str) and len(limit) < 200 else None


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
