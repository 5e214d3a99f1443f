#!/usr/bin/env bash
# Lint every project directory under CORPUS as its own run (whole project, no cache) and keep
# each run's JSON in OUT/<project>.json, its stderr in OUT/<project>.err; print a summary line
# per project (findings by rule, exit code, seconds).
#   PY=.venv/bin/python CORPUS=EXPORTED OUT=RESULTS \
#     PYTHONPATH=$PWD benchmarks/corpus/lint_each.sh
set -u
PY=${PY:-python}
CORPUS=${CORPUS:?set CORPUS}
OUT=${OUT:?set OUT}
mkdir -p "$OUT"
for dir in "$CORPUS"/*/; do
  name=$(basename "$dir")
  start=$(date +%s)
  (cd "$dir" && "$PY" -m reuse_lint check --no-cache --output-format json . >"$OUT/$name.json" 2>"$OUT/$name.err")
  rc=$?
  secs=$(( $(date +%s) - start ))
  rules=$("$PY" -c 'import json,sys,collections
try: d=json.load(open(sys.argv[1]))
except ValueError: print("unreadable"); raise SystemExit
items=d if isinstance(d,list) else d.get("findings", d.get("diagnostics", []))
c=collections.Counter(f.get("code") or f.get("rule") for f in items)
print(" ".join(f"{k}={v}" for k,v in sorted(c.items())) or "-")' "$OUT/$name.json")
  printf '%-72s rc=%s %5ss %s\n' "$name" "$rc" "$secs" "$rules"
done
