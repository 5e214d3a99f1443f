"""How much of the interpreter's time re-runs calls it has already run: the ceiling of what
function summaries (memoised calls) could save, measured before building them.

Runs `reuse-lint check --no-cache --jobs 1 PATHS` in this process with the interpreter's
`call_function` wrapped. A call *repeats* when one analysis already ran the same callee (its
syntax node) on the same bound object with the same arguments (constants by type and value,
every other abstract value by identity). Only the outermost repeat of a nest is counted.
"quiet" repeats are those after which the analysis's and the graph's footprints
(`Interpreter._footprint`) are unchanged: they recorded no fact and touched no graph, so
they are the candidates for a summary. This is an upper bound: a repeat may still read
state (a global, an attribute, the scope stack) that changed since the earlier call, and a
summary must check that before it replaces a run.

    python benchmarks/call_repeats.py CORPUS/google__dopamine CORPUS/openai__baselines

Prints one line: CPU seconds in all outermost calls, in repeated calls and in quiet repeats,
with the counts, and the two shares.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reuse_lint import cli  # noqa: E402
from reuse_lint.engine import interp  # noqa: E402
from reuse_lint.engine.values import Const  # noqa: E402


class Counter:
    def __init__(self) -> None:
        self.calls = self.repeats = self.quiet = 0
        self.t_outer = self.t_repeats = self.t_quiet = 0.0
        self.depth = 0


def _key(value) -> tuple | int:
    if isinstance(value, Const):
        return ("const", type(value.value).__name__, repr(value.value))
    return id(value)


def instrument(counter: Counter) -> None:
    original = interp.Interpreter.call_function
    # per interpreter (one analysis): the calls it has run, and whether a repeat is open
    seen: dict[int, set] = {}
    open_repeat: dict[int, bool] = {}

    def call_function(self, func, args, kwargs, site, unknown_args=False):
        key = (id(func.node), id(func.bound_self), tuple(_key(a) for a in args),
               tuple(sorted((k, _key(v)) for k, v in kwargs.items())), unknown_args)
        calls = seen.setdefault(id(self), set())
        outer_repeat = key in calls and not open_repeat.get(id(self))
        calls.add(key)
        if outer_repeat:
            open_repeat[id(self)] = True
        before = self._footprint()
        counter.depth += 1
        start = time.process_time()
        try:
            return original(self, func, args, kwargs, site, unknown_args)
        finally:
            spent = time.process_time() - start
            counter.depth -= 1
            counter.calls += 1
            if counter.depth == 0:
                counter.t_outer += spent
            if outer_repeat:
                open_repeat[id(self)] = False
                counter.repeats += 1
                counter.t_repeats += spent
                if self._footprint() == before:
                    counter.quiet += 1
                    counter.t_quiet += spent

    interp.Interpreter.call_function = call_function


def main() -> None:
    paths = sys.argv[1:]
    if not paths:
        sys.exit(__doc__)
    counter = Counter()
    instrument(counter)
    cli.main(["check", "--no-cache", "--jobs", "1", "-q", "--exit-zero", "--output-format", "concise", *paths])
    share = counter.t_repeats / counter.t_outer if counter.t_outer else 0.0
    quiet = counter.t_quiet / counter.t_outer if counter.t_outer else 0.0
    print(f"calls {counter.calls}; outermost calls {counter.t_outer:.2f} s CPU; repeats {counter.repeats} "
          f"({counter.t_repeats:.2f} s, {share:.0%}); quiet repeats {counter.quiet} "
          f"({counter.t_quiet:.2f} s, {quiet:.0%})")


if __name__ == "__main__":
    main()
