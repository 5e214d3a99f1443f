"""Run one variant end to end: build its graph, train, measure, time it."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np

from reuse_lint.gan import harness
from reuse_lint.gan.catalog import Variant


@dataclass
class Result:
    variant: str
    seed: int
    steps: int
    modes: int | None
    high_quality: float | None
    d_accuracy_real: float | None
    d_accuracy_fake: float | None
    d_loss: float | None
    g_loss: float | None
    seconds: float
    error: str | None = None
    samples: np.ndarray | None = field(default=None, repr=False)

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("samples")
        return data


def run_variant(variant: Variant, *, steps: int, seed: int, on_step: Callable[[], None]) -> Result:
    start = time.perf_counter()
    try:
        built = harness.build(str(variant.path), seed)
    except ValueError as exc:
        # The duplicate variant: TensorFlow refuses to build the graph. Keep TF's own
        # first line; the rest is a traceback of where the variable was first made.
        message = str(exc).split(" Originally defined at:")[0]
        return Result(variant.name, seed, 0, *([None] * 6), time.perf_counter() - start, message)
    metrics = harness.train(built, steps=steps, seed=seed, on_step=on_step)
    return Result(
        variant=variant.name,
        seed=seed,
        steps=steps,
        modes=metrics.modes,
        high_quality=metrics.high_quality,
        d_accuracy_real=metrics.d_accuracy_real,
        d_accuracy_fake=metrics.d_accuracy_fake,
        d_loss=metrics.d_loss,
        g_loss=metrics.g_loss,
        seconds=time.perf_counter() - start,
        samples=metrics.samples,
    )
