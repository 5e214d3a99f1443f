"""Time reuse-lint on a corpus of real TF projects, against the parse floor and ruff, in one run.

CORPUS_DIR holds one folder per project (benchmarks/corpus/export.sh writes it from the
pinned commits in benchmarks/corpus/projects.tsv; this script downloads nothing). Each
project is linted as its own run, from inside it (`cd PROJECT; reuse-lint check .`), as a
user does, and the runs are summed. Every tool is a subprocess, wall clock; the floor is
reading and `ast.parse`-ing every file in this process. The rows of one repetition run one
after another, and the table shows the median of the repetitions, so every row sees the same
machine load.

    python benchmarks/project_corpus.py CORPUS
    python benchmarks/project_corpus.py CORPUS --source OTHER_CHECKOUT --repeat 1

Rows: the floor; ruff with one rule (no cache); reuse-lint cold (cache removed with
`reuse-lint clean`, then written) and warm (the same command again); one file of the project
nearest 200 files, warm (after the project's warm run) and cold (after `clean`); and, to show
the fixed cost of a run, reuse-lint started once per project on an empty folder. Every run
uses compiled bytecode (written once to a temporary folder), as an installed tool does.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lint_corpus import floor  # noqa: E402  (a sibling script, not a package)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CACHE_DIR = ".reuse_lint_cache"
RUFF_RULE = "F401"
ONE_FILE_SIZE = 200  # without the default below, the one-file timing uses the project nearest this many files
# In projects.tsv's corpus: dopamine's TF1 DQN agent (variable scopes, a Keras network, an
# optimizer), imported by 7 of the project's 181 files. The project's most imported TF-using
# module is a JAX agent that touches TensorFlow only for summaries.
DEFAULT_ONE_FILE = Path("google__dopamine/dopamine/tf/agents/dqn/dqn_agent.py")


def project_files(project: Path) -> list[Path]:
    return sorted(p for p in project.rglob("*.py") if p.is_file())


class Runner:
    """Runs the tools as subprocesses and stops the benchmark when one of them fails:
    a time of a crashed run would be a number about nothing."""

    def __init__(self, source: Path, pycache: Path) -> None:
        # Compiled bytecode, as an installed reuse-lint has it: with PYTHONDONTWRITEBYTECODE
        # set (some sandboxes and CI images set it) every run compiled the package again,
        # 0.06 s of each start-up. The .pyc files go to a folder of the benchmark's own.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env = {**env, "PYTHONPATH": str(source), "PYTHONPYCACHEPREFIX": str(pycache)}
        self.lint = [sys.executable, "-m", "reuse_lint"]
        self.ruff = shutil.which("ruff", path=str(BIN)) or shutil.which("ruff")

    def timed(self, cmd: list[str], cwd: Path, ok=(0, 1)) -> float:
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        # Exit 2 with only "analysis cut short" lines is a finished run that said where it
        # stopped (a file over its budget); anything else is a failure.
        stderr = proc.stderr.decode(errors="replace")
        cut_short = proc.returncode == 2 and stderr and all("analysis cut short" in line for line in stderr.splitlines())
        if proc.returncode not in ok and not cut_short:
            sys.exit(f"{' '.join(cmd[2:] if cmd[0] == sys.executable else cmd)} in {cwd.name}: "
                     f"exit {proc.returncode}\n{stderr[-800:]}")
        return elapsed

    def clean(self, project: Path) -> None:
        self.timed([*self.lint, "clean", "."], project, ok=(0,))
        if (project / CACHE_DIR).exists():
            sys.exit(f"{project.name}: `reuse-lint clean` left {CACHE_DIR}/")

    def check(self, project: Path, *args: str) -> float:
        return self.timed([*self.lint, "check", "-q", "--exit-zero", "--output-format", "concise", *args], project)

    def ruff_check(self, project: Path) -> float:
        # --isolated: no configuration file found above the corpus changes what ruff does.
        return self.timed([self.ruff, "check", "--isolated", "--no-cache", "--select", RUFF_RULE,
                           "--exit-zero", "--quiet", "."], project)


def imported_modules(path: Path) -> set[str]:
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def most_imported(project: Path, files: list[Path]) -> Path:
    """The TensorFlow-using project module that the most other project files import: the file
    whose lint, once callers are analysed, has the most to read. Module names are taken from the project root
    and from each file's own folder (scripts importing a sibling)."""
    counts: dict[Path, int] = {}
    by_name: dict[str, Path] = {}
    for path in files:
        rel = path.relative_to(project).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        if parts:
            by_name[".".join(parts)] = path
    for path in files:
        for name in imported_modules(path):
            target = by_name.get(name)
            if target is None:
                sibling = path.parent / f"{name.split('.')[0]}.py"
                target = sibling if sibling in counts or sibling.is_file() else None
            if target is not None and target != path and target.name != "__init__.py":
                counts[target] = counts.get(target, 0) + 1
    if not counts:
        return files[0]
    # A module that uses TensorFlow (the model.py of the issue) before one that does not.
    return max(sorted(counts), key=lambda p: (uses_tensorflow(p), counts[p]))


def uses_tensorflow(path: Path) -> bool:
    data = path.read_bytes()
    return any(name in data for name in (b"tensorflow", b"keras", b"tf_slim"))


def pick_one_file(projects: list[Path], files: dict[Path, list[Path]], given: str | None) -> tuple[Path, Path]:
    names = [p.name for p in projects]
    if given is None and DEFAULT_ONE_FILE.parts[0] in names:
        given = str(DEFAULT_ONE_FILE)
    if given:
        rel = Path(given)
        if rel.parts[0] not in names or not (projects[0].parent / rel).is_file():
            sys.exit(f"--one-file {given}: no such file in the corpus")
        project = projects[names.index(rel.parts[0])]
        return project, project / Path(*rel.parts[1:])
    project = min(projects, key=lambda p: (abs(len(files[p]) - ONE_FILE_SIZE), p.name))
    return project, most_imported(project, files[project])


def one_repetition(run: Runner, projects: list[Path], files: dict[Path, list[Path]],
                   one: tuple[Path, Path], empty: Path, whole: bool) -> dict[str, dict[str, float]]:
    """One time per row and project (the one-file and whole-corpus rows have one entry)."""
    rows: dict[str, dict[str, float]] = {name: {} for name in ROWS}
    for project in projects:
        rows["floor"][project.name] = floor(files[project])
        rows["ruff"][project.name] = run.ruff_check(project)
        run.clean(project)
        rows["cold"][project.name] = run.check(project, ".")
        if not (project / CACHE_DIR).is_dir():
            sys.exit(f"{project.name}: the cold run wrote no {CACHE_DIR}/, so 'warm' would not be warm")
        rows["warm"][project.name] = run.check(project, ".")
        rows["startup"][project.name] = run.check(empty, "--no-cache", ".")
        rows["python"][project.name] = run.timed([sys.executable, "-c", "pass"], empty, ok=(0,))
    project, path = one
    rel = str(path.relative_to(project))
    run.clean(project)
    run.check(project, ".")
    rows["one warm"][project.name] = run.check(project, rel)
    run.clean(project)
    rows["one cold"][project.name] = run.check(project, rel)
    if not (project / CACHE_DIR).is_dir():
        sys.exit(f"{rel}: its cache is not at {project.name}/{CACHE_DIR}/ (a project marker below "
                 "the project's root?), so the one-file run cannot use the project's warm cache")
    if whole:
        corpus = projects[0].parent
        run.clean(corpus)
        rows["whole cold"]["*"] = run.check(corpus, ".")
        rows["whole warm"]["*"] = run.check(corpus, ".")
        run.clean(corpus)
    return rows


ROWS = {
    "floor": "floor: read + ast.parse, 1 process, in-process",
    "ruff": f"ruff check --select {RUFF_RULE} --no-cache",
    "cold": "reuse-lint cold (after clean; cache written)",
    "warm": "reuse-lint warm (same command again)",
    "one warm": "one file of the ~200-file project, warm cache",
    "one cold": "one file of the ~200-file project, no cache (after clean)",
    "startup": "(reuse-lint started on an empty folder, once per project)",
    "python": "(`python -c pass`, once per project)",
    "whole cold": "(--whole) reuse-lint cold, the corpus folder as one run",
    "whole warm": "(--whole) reuse-lint warm, the corpus folder as one run",
}


def median_rows(reps: list[dict[str, dict[str, float]]]) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Per row: the median over repetitions of the summed run, and each project's median."""
    totals = {row: statistics.median(sum(rep[row].values()) for rep in reps) for row in ROWS if reps[0][row]}
    per_project = {
        row: {name: statistics.median(rep[row][name] for rep in reps) for name in reps[0][row]}
        for row in ROWS
    }
    return totals, per_project


def print_tables(totals, per_project, projects, files, lines, one) -> None:
    base = totals["floor"]
    project, path = one
    one_floor = per_project["floor"][project.name]
    print("\n| run | seconds | x floor |\n|---|---:|---:|")
    for row, label in ROWS.items():
        if row.startswith("one") or row not in totals:
            continue
        print(f"| {label} | {totals[row]:.2f} | {totals[row] / base:.2f} |")
    print(f"\nOne file: `{path.relative_to(project)}` of {project.name} ({len(files[project])} files; "
          f"x floor = against reading and parsing that whole project, {one_floor:.3f} s)\n")
    print("| run | seconds | x project floor |\n|---|---:|---:|")
    for row in ("one warm", "one cold"):
        seconds = per_project[row][project.name]
        print(f"| {ROWS[row]} | {seconds:.2f} | {seconds / one_floor:.2f} |")
    print("\nPer project (median seconds; x = against that project's floor), slowest cold first:\n")
    print("| project | files | lines | floor | ruff | cold | x | warm | x |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for p in sorted(projects, key=lambda p: -per_project["cold"][p.name]):
        f, r, c, w = (per_project[row][p.name] for row in ("floor", "ruff", "cold", "warm"))
        print(f"| {p.name} | {len(files[p])} | {lines[p]:,} | {f:.3f} | {r:.3f} | {c:.2f} | {c / f:.1f} "
              f"| {w:.2f} | {w / f:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="one folder per project (see benchmarks/corpus/export.sh)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions; the table shows medians (default 3)")
    parser.add_argument("--source", type=Path, default=ROOT,
                        help="the reuse-lint to time: a folder holding reuse_lint, or a git revision of this "
                        "repository, put on PYTHONPATH (default: this checkout)")
    parser.add_argument("--whole", action="store_true", help="also time the corpus folder linted as one "
                        "run, cold and warm (not how users run it: shows the per-run cost apart)")
    parser.add_argument("--one-file", help="PROJECT/path/to/file.py for the one-file rows "
                        "(default: DEFAULT_ONE_FILE if the corpus has it, else the most imported "
                        "TF-using module of the project nearest 200 files)")
    args = parser.parse_args()
    if not project_dirs(args.corpus):
        sys.exit(f"{args.corpus}: no project folders")
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source if args.source.is_dir() else export_revision(str(args.source), Path(tmp))
        measure(args, source.resolve(), Path(tmp) / "pycache")


def export_revision(rev: str, into: Path) -> Path:
    """A git revision of this repository's `reuse_lint`, exported to `into`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "reuse_lint"], capture_output=True)
    if archive.returncode != 0:
        sys.exit(f"--source {rev}: neither a folder nor a revision: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def project_dirs(corpus: Path) -> list[Path]:
    """The corpus's projects: its folders, but not `.reuse_lint_cache` (which `--whole` leaves
    there) or any other whose name starts with a dot."""
    return sorted(p for p in corpus.iterdir() if p.is_dir() and not p.name.startswith("."))


def measure(args, source: Path, pycache: Path) -> None:
    projects = project_dirs(args.corpus)
    run = Runner(source, pycache)
    if run.ruff is None:
        sys.exit("ruff not found: pip install 'reuse-lint[bench]'")
    files = {p: project_files(p) for p in projects}
    lines = {p: sum(f.read_bytes().count(b"\n") for f in files[p]) for p in projects}
    one = pick_one_file(projects, files, args.one_file)
    version = subprocess.run([run.ruff, "--version"], capture_output=True, text=True).stdout.strip()
    where = args.source if args.source.is_dir() else ROOT
    rev = [] if args.source.is_dir() else [str(args.source)]
    commit = subprocess.run(["git", "-C", str(where), "log", "-1", "--format=%h %s", *rev],
                            capture_output=True, text=True).stdout.strip() or "(not a git checkout)"
    print(f"corpus: {len(projects)} projects, {sum(map(len, files.values())):,} files, "
          f"{sum(lines.values()):,} lines; {os.cpu_count()} cores; Python {sys.version.split()[0]}; "
          f"{version}; medians of {args.repeat}; load average {os.getloadavg()[0]:.2f} at the start")
    print(f"reuse-lint: {args.source} at {commit}")
    reps = []
    with tempfile.TemporaryDirectory() as empty:
        run.timed([*run.lint, "check", "-q", "--no-cache", "--exit-zero", "."], Path(empty))  # writes the bytecode
        for i in range(args.repeat):
            start = time.perf_counter()
            reps.append(one_repetition(run, projects, files, one, Path(empty), args.whole))
            print(f"repetition {i + 1}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    for project in projects:  # leave the corpus as exported
        shutil.rmtree(project / CACHE_DIR, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.2f} at the end (the machine is shared: compare ratios)")
    totals, per_project = median_rows(reps)
    print_tables(totals, per_project, projects, files, lines, one)


if __name__ == "__main__":
    main()
