"""How the cost of one file grows with its size, for the inputs that once grew too fast (issue 15).

Each input is built at sizes n, 2n, 4n and linted in this process; the table prints the CPU
time of each size and the ratio to the size before it: about 2 is linear, about 4 quadratic.
A row marked `cut` reached a limit of the analysis (steps, time, or `if` paths), which it
reports for that file. Ratios only: the absolute times depend on the machine.

    python benchmarks/growth.py [--scale 0.5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reuse_lint.config import Settings  # noqa: E402
from reuse_lint.checker import lint_source  # noqa: E402


def both_arms(n: int) -> str:
    """f_i calls f_{i-1} in both arms of an `if`: paths double with every level."""
    s = "import tensorflow as tf\ndef f0(x):\n    return tf.get_variable('v', [1])\n"
    for i in range(1, n + 1):
        s += f"def f{i}(x):\n    if x:\n        return f{i - 1}(x)\n    else:\n        return f{i - 1}(x)\n"
    return s + f"f{n}(unknown)\n"


def diamond(n: int) -> str:
    """A diamond class hierarchy n levels deep, and an attribute none of them has."""
    s = "import tensorflow as tf\nclass A0:\n    def build(self):\n        return tf.get_variable('v', [1])\n"
    for i in range(1, n + 1):
        s += f"class B{i}(A{i - 1}):\n    pass\nclass C{i}(A{i - 1}):\n    pass\nclass A{i}(B{i}, C{i}):\n    pass\n"
    return s + f"A{n}().missing\nA{n}().build()\n"


def dense_chain(n: int) -> str:
    return "import tensorflow as tf\nx = tf.zeros([1, 2])\n" + "x = tf.layers.dense(x, 10)\n" * n


def scopes(n: int) -> str:
    return "import tensorflow as tf\n" + "".join(
        f"with tf.variable_scope('s{i}'):\n    w{i} = tf.get_variable('w', [1])\n" for i in range(n)
    )


def globals_and_ifs(n: int) -> str:
    return "import tensorflow as tf\n" + "".join(f"g{i} = {i}\n" for i in range(n)) + "".join(
        f"if c{i}:\n    h = {i}\n" for i in range(n)
    )


def deep_classes(n: int) -> str:
    return "class C0:\n    pass\n" + "".join(f"class C{i}(C{i - 1}):\n    pass\n" for i in range(1, n)) + (
        f"C{n - 1}().missing\n"
    )


INPUTS = {
    # name: (source of size n, n at scale 1)
    "if-arms (levels)": (both_arms, 8),
    "diamond classes (levels)": (diamond, 12),
    "dense chain": (dense_chain, 2_500),
    "variable_scopes": (scopes, 5_000),
    "globals and ifs": (globals_and_ifs, 1_250),
    "class chain": (deep_classes, 300),
}


def time_source(source: str) -> tuple[float, str]:
    limits: list[str] = []
    start = time.process_time()
    lint_source(source, "growth.py", cut_short=limits)
    return time.process_time() - start, ("cut" if limits else "")


def time_ignores(n: int) -> tuple[float, str]:
    """n plain and n glob per-file-ignores, matched against 500 files."""
    table = {f"pkg{i}/mod{i}.py": ["RL101"] for i in range(n)}
    table.update({f"gen{i}_*.py": ["RL102"] for i in range(n)})
    settings = Settings(root=Path("/project"), per_file_ignores=table)
    start = time.process_time()
    for i in range(500):
        settings.rules_for(Path(f"/project/pkg{i}/mod{i}.py"), ())
        settings.cache_key()
    return time.process_time() - start, ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every base size")
    args = parser.parse_args()
    print(f"{'input':28} {'n':>8} {'KB':>8} {'CPU s':>8} {'ratio':>6}")
    rows = [(name, gen, base) for name, (gen, base) in INPUTS.items()]
    rows.append(("per-file-ignores (x2)", None, 5_000))
    for name, gen, base in rows:
        previous = None
        n0 = max(1, int(base * args.scale))
        # The if-arms input doubles its paths with every level: 24 levels is the 3 KB.
        sizes = [n0, 2 * n0, 3 * n0] if gen is both_arms else [n0, 2 * n0, 4 * n0]
        for n in sizes:
            if gen is None:
                seconds, note = time_ignores(n)
                kb = 0.0
            else:
                source = gen(n)
                seconds, note = time_source(source)
                kb = len(source) / 1024
            ratio = f"{seconds / previous:6.2f}" if previous else ""
            print(f"{name:28} {n:>8} {kb:>8.1f} {seconds:>8.3f} {ratio:>6} {note}", flush=True)
            previous = max(seconds, 1e-6)


if __name__ == "__main__":
    main()
