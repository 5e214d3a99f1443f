"""Questions several rules ask of the analysis, answered once."""

from __future__ import annotations

from dataclasses import dataclass

from reuse_lint.engine.events import Analysis, Creation, Site
from reuse_lint.engine.values import Const

FALSE = Const(False)
TRUE = Const(True)


def compatible(a: Creation, b: Creation) -> bool:
    """Can both events happen in one run? Not when they sit on different arms of one `if`.

    Arms taken in different iterations of a loop are not comparable at all (the test may
    depend on the iteration), so such pairs count as incompatible: no finding.
    """
    by_if: dict[int, list] = {}
    for cond in a.conds:
        by_if.setdefault(cond.if_id, []).append(cond)
    for cb in b.conds:
        for ca in by_if.get(cb.if_id, ()):
            if ca.loops != cb.loops or ca.arm != cb.arm:
                return False
    return True


@dataclass(frozen=True)
class Clash:
    first: Creation
    second: Creation
    site: Site  # where to report: the repeated call
    related: Site  # the matching first call (or the loop that repeats it)
    in_loop: bool


def divergence(first: Creation, second: Creation, loops: dict[int, Site]) -> tuple[Site, Site, bool]:
    """The outermost call where the two creations' call stacks part."""
    for a, b in zip(first.stack, second.stack):
        if a.node is not b.node:
            return b, a, False
    # Same stack: the same code ran twice, so a loop repeated it.
    first_loops = dict(first.loops)
    for loop_id, iteration in second.loops:
        if first_loops.get(loop_id, iteration) != iteration:
            loop_site = loops[loop_id]
            for site in second.stack:
                if site.path == loop_site.path and _inside(site, loop_site):
                    return site, loop_site, True
            return second.stack[-1], loop_site, True
    return second.stack[-1], first.stack[-1], False


def _inside(site: Site, outer: Site) -> bool:
    start = outer.node.lineno
    end = getattr(outer.node, "end_lineno", start)
    line = site.node.lineno
    return start <= line <= end and site.node is not outer.node


def clashes(analysis: Analysis) -> list[Clash]:
    if "clashes" not in analysis.memo:
        analysis.memo["clashes"] = _compute_clashes(analysis)
    return analysis.memo["clashes"]


def _compute_clashes(analysis: Analysis) -> list[Clash]:
    """Creations without reuse of a variable that an earlier, compatible request made."""
    seen: dict[tuple, list[Creation]] = {}
    found: list[Clash] = []
    reported: set[int] = set()
    for c in analysis.creations:
        if c.name is None:
            continue
        key = (c.trace, c.graph, c.name)
        earlier = seen.setdefault(key, [])
        if c.reuse == FALSE:
            for p in earlier:
                if not compatible(p, c):
                    continue
                site, related, in_loop = divergence(p, c, analysis.loops)
                if id(site.node) not in reported:
                    reported.add(id(site.node))
                    found.append(Clash(p, c, site, related, in_loop))
                break
        if c.reuse != TRUE:  # a pure lookup creates nothing (and fails if nothing is there)
            earlier.append(c)
    return found
