"""How long a pre-commit call on one file takes: `reuse-lint check FILE` as a subprocess.

Prints the median wall time of several runs, cold (--no-cache) and with the cache, and
which heavy modules a check imports (it should import none of them).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "reuse-lint"
TARGET = ROOT / "fixtures" / "seed" / "example3_basic_gan.py"
RUNS = 9
HEAVY = ("tensorflow", "rich", "libcst", "jsonschema")


def median_wall(cmd: list[str], cwd: Path) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def heavy_imports(target: Path) -> list[str]:
    code = (
        "import sys; from reuse_lint.cli import main; main(['check', '-q', '--no-cache', sys.argv[1]]);"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True, text=True)
    last = (proc.stdout.strip().splitlines() or [""])[-1]
    return [m for m in last.split(",") if m]


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        copy = work / target.name
        copy.write_bytes(target.read_bytes())
        (work / "pyproject.toml").write_text("[tool.reuse-lint]\n")
        cold = median_wall([str(BIN), "check", "--no-cache", copy.name], work)
        warm = median_wall([str(BIN), "check", copy.name], work)
        python = median_wall([sys.executable, "-c", "pass"], work)
    print(f"file: {target.name}, median of {RUNS} runs")
    print(f"| call | wall seconds |\n|---|---:|")
    print(f"| python -c pass | {python:.3f} |")
    print(f"| reuse-lint check FILE --no-cache | {cold:.3f} |")
    print(f"| reuse-lint check FILE (cached) | {warm:.3f} |")
    print(f"heavy modules imported by a check: {heavy_imports(target) or 'none'}")


if __name__ == "__main__":
    main()
