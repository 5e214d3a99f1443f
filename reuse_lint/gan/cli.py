"""`reuse-lint gan`: train the reference GAN and its broken variants on the ring.

Importing this module does not import TensorFlow; `main` does, when it trains.
Exit codes: 0 done, 1 `--check` found a variant whose findings differ from the
expected ones, 2 usage error or the check's APIs are missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor

from reuse_lint.cli import Parser
from reuse_lint.gan.catalog import NAMES, VARIANTS, Variant, by_name

DEFAULT_STEPS = 2000
WORKERS = 2  # variants trained at once: the cores of the machine the budget is set on
EXIT_OK, EXIT_MISMATCH, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="reuse-lint gan",
        description="Train the reference GAN, correct and broken, on a ring of 8 Gaussians.",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--variant", action="append", choices=NAMES, help="a variant (repeatable)")
    which.add_argument("--all", action="store_true", help="every variant (the default)")
    p.add_argument("--steps", type=int, default=DEFAULT_STEPS, help=f"training steps (default {DEFAULT_STEPS})")
    p.add_argument("--seed", type=int, default=0, help="seed for TF and numpy (default 0)")
    p.add_argument("--plot", metavar="FILE.png", help="write the samples of every variant to a PNG")
    p.add_argument("--output-format", choices=("table", "json"), default="table")
    p.add_argument("--check", action="store_true", help="lint and trace each variant's source first")
    return p


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.steps < 0:
        sys.stderr.write("reuse-lint: error: --steps must be >= 0\n")
        return EXIT_ERROR
    variants = [by_name(n) for n in args.variant] if args.variant else list(VARIANTS)
    findings = None
    if args.check:
        from reuse_lint.gan import check

        try:
            findings = check.findings(variants)
        except check.CheckUnavailable as exc:
            sys.stderr.write(f"reuse-lint: error: {exc}\n")
            return EXIT_ERROR
    results = _train_all(variants, args.steps, args.seed)
    if args.plot:
        from reuse_lint.gan.plot import write_png

        write_png(results, args.plot, args.seed)
    if args.output_format == "json":
        _write_json(results, findings)
    else:
        _write_table(variants, results, findings)
    if findings and not all(findings[v.name].matches(v) for v in variants):
        return EXIT_MISMATCH
    return EXIT_OK


def _train_all(variants: list[Variant], steps: int, seed: int) -> list:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from reuse_lint.gan.run import run_variant

    # Progress goes to stderr so that `--output-format json` keeps stdout clean.
    columns = (TextColumn("{task.description:32}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        tasks = [progress.add_task(variant.name, total=steps) for variant in variants]

        def run(variant: Variant, task) -> object:
            result = run_variant(variant, steps=steps, seed=seed, on_step=lambda: progress.advance(task))
            if result.error:
                progress.update(task, description=f"{variant.name} (no graph)", total=0)
            return result

        # Each variant trains in its own graph and session; a session runs its ops
        # without the GIL, so two variants train at once on two cores. Every session has
        # its own single-thread pools (harness._session_config): results do not depend on
        # which variants run side by side.
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            return list(pool.map(run, variants, tasks))


def _write_json(results: list, findings) -> None:
    rows = []
    for r in results:
        row = r.to_json()
        if findings is not None:
            f = findings[r.variant]
            row.update(
                expected=by_name(r.variant).expected,
                static=list(f.static),
                trace=list(f.trace),
                trace_error=f.trace_error,
            )
        rows.append(row)
    json.dump(rows, sys.stdout, indent=2)
    sys.stdout.write("\n")


def _write_table(variants: list[Variant], results: list, findings) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"reference GAN on the 8-Gaussian ring (seed {results[0].seed}, {results[0].steps} steps)")
    table.add_column("variant", no_wrap=True)
    if findings is not None:
        for name in ("expected", "static", "trace"):
            table.add_column(name)
    for name in ("modes", "high quality", "D acc real", "D acc fake", "D loss", "G loss", "seconds"):
        table.add_column(name, justify="right")
    for variant, r in zip(variants, results):
        cells = [variant.name]
        if findings is not None:
            f = findings[variant.name]
            mark = "" if f.matches(variant) else " [red]✗[/]"
            trace = "[red]trace failed[/]" if f.trace_error else " ".join(f.trace) or "-"
            cells += [variant.expected or "-", (" ".join(f.static) or "-") + mark, trace]
        table.add_row(*cells, *_metric_cells(r))
    # A pipe or a CI log has no width to ask; rich would then squeeze the table to 80 columns.
    console = Console(width=None if sys.stdout.isatty() else 180)
    console.print(table)
    for name, f in (findings or {}).items():
        if f.trace_error:
            console.print(f"[bold]{name}[/]: the trace failed: {f.trace_error}", highlight=False)
    for r in results:
        if r.error:
            console.print(f"[bold]{r.variant}[/]: TensorFlow raised [red]ValueError[/]: {r.error}", highlight=False)


def _metric_cells(r) -> list[str]:
    if r.error:
        return ["ValueError", "-", "-", "-", "-", "-", f"{r.seconds:.1f}"]
    return [
        f"{r.modes}/8",
        f"{r.high_quality:.0%}",
        f"{r.d_accuracy_real:.0%}",
        f"{r.d_accuracy_fake:.0%}",
        f"{r.d_loss:.3f}",
        f"{r.g_loss:.3f}",
        f"{r.seconds:.1f}",
    ]
