"""Findings of two reuse-lint builds on a corpus of projects, side by side.

    python benchmarks/corpus/compare.py CORPUS_DIR BEFORE AFTER [--save DIR]

BEFORE and AFTER are each a git revision of this repository (exported with `git archive`
to a temporary folder), a folder holding a `reuse_lint` package, or a JSON file that
`--save` wrote earlier. Each project of CORPUS_DIR is linted as its own run from inside it
(`reuse-lint check . --output-format json --no-cache`), with the build on PYTHONPATH; a
folder whose name starts with a dot (`.reuse_lint_cache`, `.git`) is not a project. The
report lists the findings only before, only after, with a changed message, and in both;
each with its rule, file, line and message, and its related sites. A run that fails is
listed as failed on its side: with exit 2 and its JSON (a file cut short or unreadable)
its findings are kept; with no JSON to read (a bad configuration, a traceback) it has none,
and the other side's findings of that project are listed apart, not as only before or
after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def export_revision(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "reuse_lint"],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        sys.exit(f"{rev}: neither a folder, a saved .json nor a revision: {archive.stderr.decode().strip()}")
    tar_path = into / "src.tar"
    tar_path.write_bytes(archive.stdout)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    return into


def describe(side: str) -> str:
    if Path(side).exists():
        return side
    out = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s", side],
                         capture_output=True, text=True)
    return f"{side} = {out.stdout.strip()}"


def slim(project: str, item: dict) -> dict:
    """What a finding is, without its fix: the fix's text is the linter's, but may carry
    names from the project, and the side-by-side view does not need it."""
    return {
        "file": f"{project}/{item['path']}",
        "line": item["line"],
        "column": item["column"],
        "code": item["code"],
        "message": item["message"],
        "related": [
            {"file": f"{project}/{r['path']}" if r.get("path") else None, "line": r.get("line"),
             "message": r.get("message")}
            for r in item.get("related") or []
        ],
    }


def lint_corpus(corpus: Path, source: Path) -> dict:
    """The findings of every project, and per project its exit code and number of findings
    (None: its output could not be read); `failures` says why a run failed."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    findings: list[dict] = []
    failures: dict[str, str] = {}
    projects: dict[str, dict] = {}
    for project in sorted(p for p in corpus.iterdir() if p.is_dir() and not p.name.startswith(".")):
        proc = subprocess.run(
            [sys.executable, "-m", "reuse_lint", "check", ".", "--output-format", "json", "--no-cache", "--exit-zero"],
            cwd=project, env=env, capture_output=True, text=True,
        )
        try:
            items = json.loads(proc.stdout) if proc.returncode in (0, 2) else None
        except json.JSONDecodeError:
            items = None
        if not isinstance(items, list):
            items = None
        errors = proc.stderr.strip().splitlines()
        first = next((line for line in errors if line.startswith("reuse-lint: error:")), errors[-1] if errors else "?")
        if items is None:
            failures[project.name] = f"exit {proc.returncode}, no findings read: {first}"
        elif proc.returncode != 0:
            failures[project.name] = f"exit {proc.returncode}, its findings kept: {first}" + (
                f" (and {len(errors) - 1} more lines)" if len(errors) > 1 else "")
        elif errors:
            failures[project.name] = f"stderr: {errors[-1]}"
        projects[project.name] = {"exit": proc.returncode, "findings": None if items is None else len(items)}
        findings += [slim(project.name, item) for item in items or []]
        print(f"  {project.name}: {'failed' if items is None else len(items)}", file=sys.stderr)
    return {"findings": findings, "failures": failures, "projects": projects}


def run_side(side: str, corpus: Path, tmp: Path) -> dict:
    path = Path(side)
    if path.suffix == ".json" and path.is_file():
        return json.loads(path.read_text())
    if path.is_dir():
        source = path.resolve()
        if not (source / "reuse_lint").is_dir():
            sys.exit(f"{side}: no reuse_lint package in this folder")
    else:
        source = export_revision(side, tmp)
    print(f"linting {corpus} with {describe(side)}", file=sys.stderr)
    result = lint_corpus(corpus, source)
    result["build"] = describe(side)
    return result


def key(f: dict) -> tuple:
    return (f["file"], f["line"], f["column"], f["code"])


def show(f: dict) -> str:
    text = f"{f['file']}:{f['line']}:{f['column']}: {f['code']} {f['message']}"
    for r in f["related"]:
        where = f"{r['file']}:{r['line']}" if r["file"] else "-"
        text += f"\n      related {where}: {r['message']}"
    return text


def unread(side: dict) -> set[str]:
    """The projects whose run gave no findings to read (older saved sides: their failures
    that were not a mere line on stderr)."""
    if "projects" in side:
        return {name for name, p in side["projects"].items() if p["findings"] is None}
    return {name for name, why in side["failures"].items() if not why.startswith("stderr:")}


def report(before: dict, after: dict) -> None:
    old = {key(f): f for f in before["findings"]}
    new = {key(f): f for f in after["findings"]}
    # A project read on one side only: its findings there are not a change of the build.
    failed = unread(before) | unread(after)
    apart = sorted(k for k in old.keys() ^ new.keys() if k[0].split("/", 1)[0] in failed)
    only_before = [old[k] for k in sorted(old.keys() - new.keys()) if k not in apart]
    only_after = [new[k] for k in sorted(new.keys() - old.keys()) if k not in apart]
    shared = sorted(old.keys() & new.keys())
    changed = [(old[k], new[k]) for k in shared if old[k] != new[k]]
    same = [old[k] for k in shared if old[k] == new[k]]

    print(f"before: {before.get('build', '?')}\nafter:  {after.get('build', '?')}\n")
    codes = sorted({f["code"] for f in before["findings"] + after["findings"]})
    count_old, count_new = Counter(f["code"] for f in old.values()), Counter(f["code"] for f in new.values())
    print("| rule | before | after |\n|---|---:|---:|")
    for code in codes:
        print(f"| {code} | {count_old[code]} | {count_new[code]} |")
    print(f"| all | {len(old)} | {len(new)} |")
    print(f"| projects failed | {len(before['failures'])} | {len(after['failures'])} |\n")
    for name, side in (("before", before), ("after", after)):
        for project, why in sorted(side["failures"].items()):
            print(f"RUN FAILED ({name}) {project}: {why}")
    sections = (
        (f"only before ({len(only_before)})", [show(f) for f in only_before]),
        (f"only after ({len(only_after)})", [show(f) for f in only_after]),
        (f"not compared: the project's run read no findings on the other side ({len(apart)})",
         [show(old.get(k) or new[k]) for k in apart]),
        (f"both, message or related sites changed ({len(changed)})",
         [f"{show(a)}\n   now: {show(b)}" for a, b in changed]),
        (f"both, identical ({len(same)})", [show(f) for f in same]),
    )
    for title, lines in sections:
        print(f"\n## {title}")
        for line in lines:
            print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="one folder per project (see export.sh)")
    parser.add_argument("before", help="git revision, source folder, or saved .json")
    parser.add_argument("after", help="git revision, source folder, or saved .json")
    parser.add_argument("--save", type=Path, help="write each side's findings to DIR/before.json and DIR/after.json")
    args = parser.parse_args()
    sides = {}
    for name in ("before", "after"):
        if name == "after" and args.after == args.before:
            sides[name] = sides["before"]  # one build against itself: lint once
        else:
            with tempfile.TemporaryDirectory() as tmp:
                sides[name] = run_side(getattr(args, name), args.corpus, Path(tmp))
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{name}.json").write_text(json.dumps(sides[name], indent=1) + "\n")
    report(sides["before"], sides["after"])


if __name__ == "__main__":
    main()
