"""Findings of run_unseen.sh, per project and per rule, and every rule finding in full.

    python benchmarks/corpus/summarize_unseen.py OUT

OUT holds one `OWNER__NAME.json` per project (reuse-lint's JSON format). RL001 ("could not
read the file") is counted apart: it is not a rule finding and stays out of precision.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def where(d: dict) -> str:
    cell = f":cell {d['cell']}" if "cell" in d else ""
    return f"{d['path']}{cell}:{d['line']}"


def main(out: Path) -> int:
    rules: Counter[str] = Counter()
    unread = 0
    failed = []
    for path in sorted(out.glob("*.json")):
        try:
            found = json.loads(path.read_text() or "null")
        except json.JSONDecodeError:
            found = None
        if not isinstance(found, list):
            failed.append(path.stem)
            continue
        mine = [d for d in found if d["code"] != "RL001"]
        unread += len(found) - len(mine)
        if found:
            print(f"{path.stem}: {len(mine)} rule findings, {len(found) - len(mine)} RL001")
        for d in mine:
            rules[d["code"]] += 1
            print(f"  {d['code']} {where(d)}  {d['message']}")
            for r in d["related"]:
                print(f"      related {where(r)}  {r['message']}")
    print("rule findings:", sum(rules.values()), dict(sorted(rules.items())), "RL001:", unread)
    if failed:
        print("runs without a JSON list (failed):", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
