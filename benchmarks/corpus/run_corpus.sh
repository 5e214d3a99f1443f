#!/usr/bin/env bash
# Re-run reuse-lint over every project exported under CORPUS/* (see TRIAGE.md for how
# the snapshots were fetched and exported; this script fetches nothing).
# Prints, per project: .py files, findings per rule, files on which the linter crashed, time.
# If a whole-project run crashes (one crash aborts the run), every file is re-run alone so the
# other files still get counted.
#   LINT="path/to/reuse-lint" CORPUS=EXPORTED OUT=RESULTS benchmarks/corpus/run_corpus.sh
set -u
LINT=${LINT:-reuse-lint}
CORPUS=${CORPUS:?set CORPUS}
OUT=${OUT:?set OUT}
mkdir -p "$OUT"
NC=--no-cache
"$LINT" check --help 2>/dev/null | grep -q -- --no-cache || NC=

printf '%-42s %5s %6s %-40s %7s %6s\n' project files total by_rule crashes secs
for dir in "$CORPUS"/*/; do
  name=$(basename "$dir")
  files=$(find "$dir" -name '*.py' | wc -l)
  out="$OUT/$name.txt"; err="$OUT/$name.err"; : >"$OUT/$name.crashes"
  start=$(date +%s.%N)
  (cd "$CORPUS" && "$LINT" check "$name" --output-format concise $NC --exit-zero >"$out" 2>"$err")
  rc=$?
  if [ $rc -ne 0 ]; then            # crash: isolate per file
    : >"$out"
    while IFS= read -r f; do
      (cd "$CORPUS" && "$LINT" check "$f" --output-format concise $NC --exit-zero >>"$out" 2>"$OUT/one.err") \
        || echo "$f: $(tail -n 1 "$OUT/one.err")" >>"$OUT/$name.crashes"
    done < <(cd "$CORPUS" && find "$name" -name '*.py' | sort)
  fi
  end=$(date +%s.%N)
  total=$(grep -cE ': RL[0-9]+ ' "$out")
  rules=$(grep -oE ': RL[0-9]+ ' "$out" | tr -d ': ' | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')
  crashes=$(wc -l <"$OUT/$name.crashes")
  printf '%-42s %5s %6s %-40s %7s %6.2f\n' "$name" "$files" "$total" "${rules:--}" "$crashes" "$(echo "$end - $start" | bc)"
done
echo "findings: $OUT/<project>.txt   crashes: $OUT/<project>.crashes"
