"""The ring of eight 2-D Gaussians and the mode-coverage metrics (numpy only).

The data set is the standard one of Metz et al., "Unrolled Generative Adversarial
Networks" (2017): eight Gaussians of std 0.02 evenly spaced on a circle of radius 2.
The metrics follow Srivastava et al. (VEEGAN, 2017) and Lin et al. (PacGAN, 2018):
a sample is *high quality* when it lies within three standard deviations of the
nearest mode's centre, and a mode is *covered* when at least 20 of 2,500 generated
samples (0.8 %, about 6 % of the 312 a perfect generator puts there) are high-quality
samples nearest to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MODES = 8
RADIUS = 2.0
STD = 0.02
EVAL_SAMPLES = 2500
MIN_SAMPLES_PER_MODE = 20


def centers() -> np.ndarray:
    angles = 2 * np.pi * np.arange(MODES) / MODES
    return RADIUS * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def sample(rng: np.random.Generator, n: int) -> np.ndarray:
    modes = rng.integers(0, MODES, size=n)
    return (centers()[modes] + STD * rng.standard_normal((n, 2))).astype(np.float32)


@dataclass(frozen=True)
class Coverage:
    modes: int
    high_quality: float
    per_mode: tuple[int, ...]


def coverage(samples: np.ndarray) -> Coverage:
    distances = np.linalg.norm(samples[:, None, :] - centers()[None, :, :], axis=2)
    nearest = distances.argmin(axis=1)
    good = distances.min(axis=1) <= 3 * STD
    per_mode = np.bincount(nearest[good], minlength=MODES)
    return Coverage(
        modes=int((per_mode >= MIN_SAMPLES_PER_MODE).sum()),
        high_quality=float(good.mean()) if len(samples) else 0.0,
        per_mode=tuple(int(c) for c in per_mode),
    )
