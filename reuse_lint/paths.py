"""Paths as every output shows them: relative to the working directory, never absolute (a CI
log must not expose the runner's layout, and GitHub links only relative locations).

One helper for `check`, its configuration errors, `clean` and `trace` alike, so that a path
reads the same wherever it is printed. It imports nothing of the package: every layer may
use it.
"""

from __future__ import annotations

import os
from functools import lru_cache


def shown(path: str | os.PathLike) -> str:
    """`path` relative to the working directory. A relative path that stays inside it (what
    a walk of `.` or of a folder named on the command line gives) is only normalised, with
    no system call; one on another drive (Windows) stays as it is."""
    path = os.fspath(path)
    if not os.path.isabs(path):
        norm = os.path.normpath(path)
        if norm != os.pardir and not norm.startswith(os.pardir + os.sep):
            return norm
    # Keyed on the working directory too: a traced script may change it.
    return _relative(path, os.getcwd())


@lru_cache(maxsize=65536)
def _relative(path: str, cwd: str) -> str:
    # Asked several times a file per run (index, report, sources); relpath is a walk of both
    # paths' components.
    try:
        return os.path.relpath(path, cwd)
    except ValueError:
        return path
