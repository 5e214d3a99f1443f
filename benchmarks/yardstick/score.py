"""Score reuse-lint against the labelled bugs of tf1.tsv / tf2.tsv, on local snapshots.

Usage (from the repository root, with the linter you want to score importable):

    PYTHONPATH=$PWD python benchmarks/yardstick/score.py MIRROR_ROOT --split dev
    PYTHONPATH=$PWD python benchmarks/yardstick/score.py MIRROR_ROOT --split heldout --tsv benchmarks/yardstick/tf2.tsv
    python benchmarks/yardstick/score.py --assign-splits benchmarks/yardstick/tf1.tsv   # fill empty split cells

MIRROR_ROOT holds one snapshot per repository, as the `fetch` tool leaves them:
MIRROR_ROOT/owner+name/repo/.git, MIRROR_ROOT/owner+name/repo (bare) or MIRROR_ROOT/owner+name
(bare). Nothing is downloaded: a repository or commit missing from the snapshots is reported as
`no-snapshot` and counts as a miss (it is not dropped from the denominator).

For each row the buggy commit (column bug_commit, else the fix commit's first parent) and the fix
commit are exported (their .py files and requirement files, read with `git cat-file`) to a temporary
directory, and the whole project is linted with
`python -m reuse_lint check . --output-format json`. A bug is found when a finding
* has the labelled rule (a label `any` or `new:...` accepts any RL1xx code; RL001 never counts), and
* is in the labelled file at the labelled line +-2, or names the labelled file and line +-2 among
  its related locations.
On the fix commit the script lists the findings left at the labelled file that would have matched
(`still`), which should be none.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ["id", "repo", "fix_commit", "bug_commit", "file", "line", "rule", "py", "split", "confirmed", "notes"]
SLACK = 2


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f, delimiter="\t")
        if reader.fieldnames != COLUMNS:
            raise SystemExit(f"{path.name}: header must be {' '.join(COLUMNS)}, got {reader.fieldnames}")
        return list(reader)


def write_rows(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def assign_splits(rows: list[dict]) -> None:
    """Give each row without a split one, by a rule fixed before any linter output is seen.

    Within each rule label, rows already split are counted; each new row (in order of the sha256
    of its id) goes to the split with fewer rows of that rule; on a tie, to the split with fewer
    rows in all, and `dev` if those tie too. So the halves stay balanced across rules and in size,
    and adding rows never moves an old one.
    """
    count = defaultdict(lambda: {"dev": 0, "heldout": 0})
    total = {"dev": 0, "heldout": 0}
    for r in rows:
        if r["split"] in ("dev", "heldout"):
            count[r["rule"]][r["split"]] += 1
            total[r["split"]] += 1
    for r in sorted((r for r in rows if r["split"] not in ("dev", "heldout")), key=lambda r: _hash(r["id"])):
        c = count[r["rule"]]
        if c["dev"] != c["heldout"]:
            r["split"] = "dev" if c["dev"] < c["heldout"] else "heldout"
        else:
            r["split"] = "dev" if total["dev"] <= total["heldout"] else "heldout"
        c[r["split"]] += 1
        total[r["split"]] += 1


def git_dir(root: Path, repo: str) -> Path | None:
    base = root / repo.replace("/", "+")
    for cand in (base / "repo" / ".git", base / "repo", base):
        if (cand / "objects").is_dir() and (cand / "HEAD").is_file():
            return cand
    return None


def _git(gd: Path, *args: str) -> str:
    return subprocess.run(["git", f"--git-dir={gd}", *args], check=True, capture_output=True, text=True).stdout


def resolve(gd: Path, rev: str) -> str | None:
    try:
        return _git(gd, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip() or None
    except subprocess.CalledProcessError:
        return None


def _requirement_file(path: str) -> bool:
    """pyproject.toml anywhere; setup.cfg and requirements*.txt at the root (the linter reads
    them to tell which Keras the project runs)."""
    name = Path(path).name
    return name == "pyproject.toml" or ("/" not in path and (name == "setup.cfg" or
                                                             (name.startswith("requirements") and name.endswith(".txt"))))


def export(gd: Path, commit: str, dest: Path) -> None:
    """Write the commit's Python sources (and its requirement files) under dest.

    Snapshots may lack large blobs (data sets, weights), so `git archive` of a whole commit can
    fail; the linter only reads these files, and a blob missing from the snapshot is skipped."""
    dest.mkdir(parents=True)
    listing = _git(gd, "ls-tree", "-r", "-z", "--full-tree", commit).split("\0")
    wanted = []
    for entry in filter(None, listing):
        meta, path = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob" and mode != "120000" and (path.endswith((".py", ".pyi")) or _requirement_file(path)):
            wanted.append((sha, path))
    if not wanted:
        return
    batch = subprocess.run(["git", f"--git-dir={gd}", "cat-file", "--batch"], check=True, capture_output=True,
                           input="".join(f"{sha}\n" for sha, _ in wanted).encode())
    out, pos = batch.stdout, 0
    for sha, path in wanted:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split()
        pos = nl + 1
        if header[-1] == b"missing":
            continue
        size = int(header[2])
        target = dest / path
        if ".." in Path(path).parts:
            raise SystemExit(f"refusing to export {path!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(out[pos:pos + size])
        pos += size + 1


def lint(project: Path, python: str, timeout: float) -> tuple[list[dict] | None, str]:
    """Findings of `reuse_lint check` on the whole project, or None and why."""
    cmd = [python, "-m", "reuse_lint", "check", ".", "--output-format", "json", "--no-cache",
           "--exit-zero", "--quiet", "--jobs", "1"]
    try:
        p = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout:.0f}s"
    try:
        return json.loads(p.stdout or "[]"), ""
    except json.JSONDecodeError:
        tail = (p.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"linter exit {p.returncode}: {tail[:200]}"


def _rule_ok(label: str, code: str) -> bool:
    if not code.startswith("RL1"):
        return False
    return label == "any" or label.startswith("new:") or code == label


def _near(path: str, line: int, file: str, want: int) -> bool:
    return Path(path).as_posix().removeprefix("./") == file and abs(line - want) <= SLACK


def matches(finding: dict, row: dict) -> bool:
    if not _rule_ok(row["rule"], finding.get("code", "")):
        return False
    want = int(row["line"])
    if _near(finding["path"], finding["line"], row["file"], want):
        return True
    return any(_near(r["path"], r["line"], row["file"], want) for r in finding.get("related", []))


def at_file(findings: list[dict], file: str) -> list[dict]:
    return [f for f in findings if Path(f["path"]).as_posix().removeprefix("./") == file]


def score_row(row: dict, root: Path, work: Path, python: str, timeout: float, cache: dict) -> dict:
    out = {"id": row["id"], "split": row["split"], "rule": row["rule"], "py": row["py"],
           "confirmed": row["confirmed"], "status": "", "found_by": [], "at_file": [], "still": []}
    gd = git_dir(root, row["repo"])
    fix = resolve(gd, row["fix_commit"]) if gd else None
    bug = resolve(gd, row["bug_commit"] or f"{row['fix_commit']}^") if fix else None
    if not (gd and fix and bug):
        out["status"] = "no-snapshot"
        return out
    results = {}
    for kind, commit in (("bug", bug), ("fix", fix)):
        key = (row["repo"], commit)
        if key not in cache:
            dest = work / f"{len(cache):03d}"
            export(gd, commit, dest)
            cache[key] = lint(dest, python, timeout)
        results[kind] = cache[key]
    findings, why = results["bug"]
    if findings is None:
        out["status"] = f"lint-failed: {why}"
        return out
    hits = [f for f in findings if matches(f, row)]
    out["found_by"] = sorted({f"{f['code']}:{f['line']}" for f in hits})
    out["at_file"] = sorted({f"{f['code']}:{f['line']}" for f in at_file(findings, row["file"])})
    fixed, why = results["fix"]
    if fixed is not None:
        out["still"] = sorted({f"{f['code']}:{f['line']}" for f in fixed if matches(f, row)})
    out["status"] = "found" if hits else "missed"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mirror_root", nargs="?", type=Path, help="directory of the local snapshots")
    ap.add_argument("--tsv", type=Path, action="append",
                    help="labelled rows (repeatable; default: tf1.tsv and tf2.tsv next to this script)")
    ap.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    ap.add_argument("--confirmed-only", action="store_true", help="skip rows marked unconfirmed")
    ap.add_argument("--id", action="append", help="score only these ids")
    ap.add_argument("--python", default=sys.executable, help="interpreter that imports reuse_lint")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per lint run")
    ap.add_argument("--json", type=Path, help="also write the per-row results here")
    ap.add_argument("--assign-splits", type=Path, metavar="TSV", help="fill empty split cells of TSV and exit")
    args = ap.parse_args(argv)

    if args.assign_splits:
        rows = read_rows(args.assign_splits)
        assign_splits(rows)
        write_rows(args.assign_splits, rows)
        return 0
    if args.mirror_root is None or not args.mirror_root.is_dir():
        ap.error("MIRROR_ROOT must be a directory of snapshots")
    tsvs = args.tsv or [p for p in (HERE / "tf1.tsv", HERE / "tf2.tsv") if p.exists()]
    rows = [dict(r, _tsv=t.name) for t in tsvs for r in read_rows(t)]
    rows = [r for r in rows if args.split == "all" or r["split"] == args.split]
    if args.confirmed_only:
        rows = [r for r in rows if not r["confirmed"].startswith("unconfirmed")]
    if args.id:
        rows = [r for r in rows if r["id"] in set(args.id)]

    results = []
    with tempfile.TemporaryDirectory(prefix="yardstick-") as tmp:
        cache: dict = {}
        for r in rows:
            res = score_row(r, args.mirror_root, Path(tmp), args.python, args.timeout, cache)
            res["tsv"] = r["_tsv"]
            results.append(res)
            print(f"{res['status']:<12} {res['id']:<36} {res['rule']:<28} py{res['py']} "
                  f"found_by={','.join(res['found_by']) or '-'} at_file={','.join(res['at_file']) or '-'} "
                  f"still_on_fix={','.join(res['still']) or '-'}", flush=True)

    print()
    for tsv in sorted({r["tsv"] for r in results}):
        for split in sorted({r["split"] for r in results}):
            part = [r for r in results if r["tsv"] == tsv and r["split"] == split]
            found = sum(r["status"] == "found" for r in part)
            conf = [r for r in part if not r["confirmed"].startswith("unconfirmed")]
            cfound = sum(r["status"] == "found" for r in conf)
            print(f"{tsv} {split}: recall {found}/{len(part)} = {found / max(len(part), 1):.0%}"
                  f" (confirmed rows: {cfound}/{len(conf)}); still on the fix commit: "
                  f"{sum(bool(r['still']) for r in part)}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
