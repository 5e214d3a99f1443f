"""One PNG, a panel per variant: the real ring behind the generated samples."""

from __future__ import annotations

import math
import textwrap

import numpy as np

from reuse_lint.gan import ring
from reuse_lint.gan.run import Result

LIMIT = 3.2


def write_png(results: list[Result], path: str, seed: int) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display: the file is the only output
    import matplotlib.pyplot as plt

    cols = min(3, len(results))
    rows = math.ceil(len(results) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 4 * rows), squeeze=False)
    real = ring.sample(np.random.default_rng(seed), ring.EVAL_SAMPLES)
    for ax, result in zip(axes.flat, results):
        _panel(ax, result, real)
    for ax in list(axes.flat)[len(results):]:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _panel(ax, result: Result, real: np.ndarray) -> None:
    ax.scatter(real[:, 0], real[:, 1], s=4, c="#bbbbbb", label="real")
    ax.set_xlim(-LIMIT, LIMIT)
    ax.set_ylim(-LIMIT, LIMIT)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if result.samples is None:
        ax.set_title(f"{result.variant}: no graph", fontsize=10)
        ax.text(0, 0, textwrap.fill(result.error or "", 34), ha="center", va="center", fontsize=8, color="#b00020")
        return
    # Samples off the plot are drawn just inside its edge so a diverged generator still shows.
    outside = (np.abs(result.samples) > LIMIT).any(axis=1).mean()
    fake = np.clip(result.samples, -0.97 * LIMIT, 0.97 * LIMIT)
    ax.scatter(fake[:, 0], fake[:, 1], s=4, c="#1f77b4", alpha=0.5, label="generated")
    title = f"{result.variant}: {result.modes}/8 modes, {result.high_quality:.0%} HQ"
    if outside:
        title += f"\n{outside:.0%} of samples off the plot, drawn at its edge"
    ax.set_title(title, fontsize=10)

