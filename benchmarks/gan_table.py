"""The README's table of the reference GAN, and what `reuse-lint gan --all` costs.

    python benchmarks/gan_table.py [--seeds 0-4] [--steps 2000]
    python benchmarks/gan_table.py --profile     # where one variant's CPU time goes

Runs `reuse-lint gan --all --seed S --output-format json` once per seed, as a user would,
and prints the table as Markdown: each figure as the range over the seeds (float results
differ from one CPU to another, so a single seed's figure is not a promise), then the wall
and CPU seconds of each run (CPU: the child's user + system time, from getrusage).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

ORDER = ("shared", "unshared", "keras-per-call", "generator-trains-discriminator", "prefix-var-list", "duplicate")
RULES = {"shared": "—", "unshared": "RL105 / RT204", "keras-per-call": "RL106 / RT204",
         "generator-trains-discriminator": "RL109 / RT206", "prefix-var-list": "RL108 / RT206",
         "duplicate": "RL101 / RT201"}


def _seeds(text: str) -> list[int]:
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(seed: int, steps: int) -> tuple[list[dict], float, float]:
    cmd = [sys.executable, "-m", "reuse_lint", "gan", "--all", "--seed", str(seed),
           "--steps", str(steps), "--output-format", "json"]
    cpu, start = _cpu(), time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=dict(os.environ))
    return json.loads(done.stdout), time.perf_counter() - start, _cpu() - cpu


def _span(values: list, fmt) -> str:
    low, high = min(values), max(values)
    return fmt(low) if low == high else f"{fmt(low)}–{fmt(high)}"


def profile(steps: int, variant: str = "shared") -> None:
    """CPU seconds (time.process_time) of each part of one variant's run, in this process."""
    import numpy as np

    from reuse_lint.gan import harness, ring
    from reuse_lint.gan.catalog import by_name

    def cpu(fn) -> float:
        start = time.process_time()
        fn()
        return time.process_time() - start

    tf = None

    def load():
        nonlocal tf
        tf = harness.import_tf()

    parts = {"import TensorFlow": cpu(load)}
    built = []
    parts["build the graph"] = cpu(lambda: built.append(harness.build(str(by_name(variant).path), 0)))
    h, rng, n = built[0].handles, np.random.default_rng(0), harness.BATCH
    noise_dim = int(h["z"].shape[1])
    real, noise = ring.sample(rng, n), harness._noise(rng, n, noise_dim)
    parts["sample the ring and the noise"] = cpu(lambda: [(ring.sample(rng, n), harness._noise(rng, n, noise_dim))
                                                          for _ in range(steps)])
    with built[0].graph.as_default(), tf.compat.v1.Session(config=harness._session_config(tf)) as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        parts["discriminator steps"] = cpu(lambda: [sess.run(h["d_train"], {h["z"]: noise, h["real"]: real})
                                                    for _ in range(steps)])
        parts["generator steps"] = cpu(lambda: [sess.run(h["g_train"], {h["z"]: noise}) for _ in range(steps)])
        parts["evaluation"] = cpu(lambda: harness._evaluate(sess, h, np.random.default_rng(1), noise_dim))
    print(f"`{variant}`, {steps} steps, CPU seconds:")
    for name, seconds in parts.items():
        print(f"  {name:32} {seconds:6.2f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", default="0-4")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--profile", action="store_true", help="where one variant's CPU time goes")
    args = p.parse_args()
    if args.profile:
        profile(args.steps)
        return
    seeds = _seeds(args.seeds)
    rows: dict[str, list[dict]] = {}
    timings = []
    for seed in seeds:
        results, wall, cpu = run(seed, args.steps)
        timings.append((seed, wall, cpu, os.getloadavg()[0]))
        for r in results:
            rows.setdefault(r["variant"], []).append(r)
    print(f"`reuse-lint gan --all`, {args.steps} steps, seeds {args.seeds} "
          f"(range over the seeds; modes covered of 8, share of high-quality samples):\n")
    print("| variant | rule | modes | high quality |")
    print("|---|---|---|---|")
    for name in ORDER:
        runs = rows[name]
        if runs[0]["error"]:
            print(f"| `{name}` | {RULES[name]} | TensorFlow's `ValueError`: no graph | |")
            continue
        modes = _span([r["modes"] for r in runs], lambda m: f"{m}/8")
        quality = _span([r["high_quality"] for r in runs], lambda q: f"{q:.0%}")
        print(f"| `{name}` | {RULES[name]} | {modes} | {quality} |")
    print()
    for seed, wall, cpu, load in timings:
        print(f"seed {seed}: {wall:.1f} s wall, {cpu:.1f} s CPU (load average {load:.1f} "
              f"on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
