"""Lint a large real corpus and time the peers on the same files, in one run.

The corpus is the Python sources of the `tensorflow`, `tf_keras` and `keras` packages
installed next to this interpreter. Every tool is timed as a subprocess, wall clock, as a
user would run it; the floor is reading every file and `ast.parse`-ing it in this process.

    python benchmarks/lint_corpus.py                  # reuse-lint and the floor, all files
    python benchmarks/lint_corpus.py --limit 400 --peers   # and Fixit and pylint, 400 files
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKAGES = ("tensorflow", "tf_keras", "keras")
BIN = Path(sys.executable).parent


def corpus(limit: int | None) -> list[Path]:
    files: list[Path] = []
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        files += sorted(Path(list(spec.submodule_search_locations)[0]).rglob("*.py"))
    if limit and limit < len(files):
        step = len(files) / limit  # an even sample across the three packages, not the first N
        files = [files[int(i * step)] for i in range(limit)]
    return files


def floor(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        try:
            ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            pass
    return time.perf_counter() - start


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1) and not cmd[0].endswith("pylint"):
        sys.stderr.write(f"{cmd[0]} exited {proc.returncode}: {proc.stderr.decode()[-500:]}\n")
    return elapsed, proc.returncode


def reuse_lint_runs(files: list[Path], work: Path) -> dict[str, float]:
    # A config of our own puts the cache in `work`, not inside site-packages.
    (work / "pyproject.toml").write_text("[tool.reuse-lint]\n")
    base = [str(BIN / "reuse-lint"), "check", "-q", "--exit-zero", "--output-format", "concise",
            "--config", str(work / "pyproject.toml"), *map(str, files)]
    rows = {}
    rows["reuse-lint, no cache, 1 process"] = timed(base + ["--no-cache", "--jobs", "1"], work)[0]
    rows["reuse-lint, no cache, 2 processes"] = timed(base + ["--no-cache", "--jobs", "2"], work)[0]
    shutil.rmtree(work / ".reuse_lint_cache", ignore_errors=True)
    rows["reuse-lint cold (default: cache written)"] = timed(base, work)[0]
    rows["reuse-lint warm (cache hit)"] = timed(base, work)[0]
    return rows


def peer_runs(files: list[Path], work: Path) -> dict[str, float]:
    list_file = work / "files.txt"
    list_file.write_text("\n".join(map(str, files)))
    rows = {}
    rows["Fixit 2 (built-in rules)"] = timed([str(BIN / "fixit"), "--quiet", "lint", *map(str, files)], work)[0]
    rows["pylint, one check (missing-final-newline), -j 2"] = timed(
        [str(BIN / "pylint"), "--disable=all", "--enable=missing-final-newline", "-j", "2",
         "--persistent=n", "--score=n", *map(str, files)], work,
    )[0]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="an even sample of N files instead of all")
    parser.add_argument("--peers", action="store_true", help="also time Fixit and pylint (minutes on all files)")
    args = parser.parse_args()
    files = corpus(args.limit)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(f"corpus: {len(files)} files, {lines:,} lines from {', '.join(PACKAGES)} "
          f"(Python {sys.version.split()[0]}, {os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = {"floor: read + ast.parse, 1 process": floor(files)}
        rows.update(reuse_lint_runs(files, work))
        if args.peers:
            rows.update(peer_runs(files, work))
    base = rows["floor: read + ast.parse, 1 process"]
    print("\n| tool | seconds | files/s | × floor |\n|---|---:|---:|---:|")
    for name, seconds in rows.items():
        print(f"| {name} | {seconds:.2f} | {len(files) / seconds:,.0f} | {seconds / base:.2f} |")


if __name__ == "__main__":
    main()
