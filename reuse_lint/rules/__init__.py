"""The rule registry. Adding a rule is adding one module here: each module holds one
`Rule` subclass, found by walking the package, so no other file needs an edit."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from reuse_lint.rules.base import Rule

_NOT_RULES = {"base"}


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in _NOT_RULES or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and value.__module__ == module.__name__:
                found.append(value)
    return tuple(sorted(found, key=lambda r: r.CODE))


def rule_by_code(code: str) -> type[Rule] | None:
    wanted = code.strip().upper()
    for rule in all_rules():
        if rule.CODE == wanted or rule.NAME == code.strip().lower():
            return rule
    return None


def select_rules(select: list[str] | None, ignore: list[str] | None) -> tuple[type[Rule], ...]:
    """Codes or prefixes (`RL1`, `RL101`) in the ruff manner; `ALL` selects everything."""

    def matches(rule: type[Rule], patterns: list[str]) -> bool:
        return any(p == "ALL" or rule.CODE.startswith(p) for p in patterns)

    rules = all_rules()
    if select:
        rules = tuple(r for r in rules if matches(r, select))
    if ignore:
        rules = tuple(r for r in rules if not matches(r, ignore))
    return rules


def known_code(pattern: str) -> bool:
    return pattern == "ALL" or any(r.CODE.startswith(pattern) for r in all_rules())
