#!/usr/bin/env bash
# Lint every project of a pinned list (unseen_tf1.tsv by default), each as its own run from
# inside its exported folder, as the precision rounds of TRIAGE.md do, with this checkout's
# reuse_lint. One JSON file per project in OUT, then a table of findings per rule.
#   benchmarks/corpus/run_unseen.sh CORPUS OUT      (CORPUS as export.sh wrote it)
#   LIST=benchmarks/corpus/unseen_tf1.tsv PYTHON=.venv/bin/python   (python3 on PATH by default)
# Export first: LIST=... EXTS="py ipynb" benchmarks/corpus/export.sh CORPUS
set -u -o pipefail
[ $# -eq 2 ] || { echo "usage: $0 CORPUS OUT" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
CORPUS=$1; OUT=$2
LIST=${LIST:-$here/unseen_tf1.tsv}
PYTHON=${PYTHON:-python3}
mkdir -p "$OUT"
status=0
while IFS=$'\t' read -r repo _rest; do
  case "$repo" in ''|'#'*|repo) continue ;; esac
  name=${repo/\//__}
  [ -d "$CORPUS/$name" ] || { echo "$repo: not exported under $CORPUS" >&2; status=1; continue; }
  (cd "$CORPUS/$name" && PYTHONPATH=$root "$PYTHON" -m reuse_lint check --no-cache \
      --output-format json . >"$OUT/$name.json" 2>"$OUT/$name.err")
  rc=$?
  # exit 1 means findings; 2 means something was not analysed: whole files the linter refused
  # (too large, unreadable) or modules whose analysis stopped early ("analysis cut short"),
  # whose later findings alone are missing, or an internal error
  if [ $rc -ge 2 ]; then
    partial=': not analysed \(|: analysis cut short \('
    refused=$(grep -cE "$partial" "$OUT/$name.err")
    others=$(grep -vcE "$partial" "$OUT/$name.err")
    if [ "$refused" -gt 0 ] && [ "$others" -eq 0 ]; then
      echo "$repo: $refused file(s) not analysed or cut short, the rest analysed (exit $rc)" >&2
    else
      echo "$repo: run failed (exit $rc): $(tail -n 1 "$OUT/$name.err")" >&2
    fi
    status=1
  fi
done <"$LIST"
"$PYTHON" "$here/summarize_unseen.py" "$OUT"
exit $status
