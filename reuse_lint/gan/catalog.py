"""The variants of the reference GAN and the finding the linter should report for each.

Each variant is one module in `variants/`, the minimal edit of `shared.py` that one
rule is about. This table is the single place that pairs a variant with its rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

VARIANT_DIR = Path(__file__).parent / "variants"


@dataclass(frozen=True)
class Variant:
    name: str
    module: str
    expected: str | None  # the static rule code; None for the correct GAN
    bug: str

    @property
    def path(self) -> Path:
        return VARIANT_DIR / f"{self.module}.py"


VARIANTS = (
    Variant("shared", "shared", None, "correct: one discriminator, reused"),
    Variant("unshared", "unshared", "RL105", "default_name scope: a second, silent discriminator"),
    Variant("keras-per-call", "keras_per_call", "RL106", "Keras layers built per call: a silent copy"),
    Variant(
        "generator-trains-discriminator",
        "generator_trains_discriminator",
        "RL109",
        "generator's minimize without var_list",
    ),
    Variant(
        "prefix-var-list", "prefix_var_list", "RL108", 'scope "g" also selects "global_discriminator"'
    ),
    Variant("duplicate", "duplicate", "RL101", "discriminator called twice without reuse"),
)

NAMES = tuple(v.name for v in VARIANTS)


def by_name(name: str) -> Variant:
    for variant in VARIANTS:
        if variant.name == name:
            return variant
    raise KeyError(name)
