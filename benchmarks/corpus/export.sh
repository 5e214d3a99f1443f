#!/usr/bin/env bash
# Export the .py files of every project listed in projects.tsv, at its pinned commit, from the
# git snapshots already on this machine into DEST/OWNER__NAME/. Downloads nothing: a project
# whose snapshot or commit is missing is reported and skipped (exit 1 at the end).
#   MIRROR=SNAPSHOTS benchmarks/corpus/export.sh DEST
#   MIRROR=SNAPSHOTS LIST=benchmarks/corpus/unseen_tf2.tsv EXTS="py ipynb" benchmarks/corpus/export.sh DEST
# LIST is any TSV whose first two columns are repo and commit; EXTS the file suffixes to export.
# The snapshots are the `fetch` tool's: MIRROR/OWNER+NAME/repo, or repo/.git for clones.
set -u -o pipefail
[ $# -eq 1 ] || { echo "usage: $0 DEST" >&2; exit 2; }
DEST=$1
MIRROR=${MIRROR:?set MIRROR to the folder of git snapshots (OWNER+NAME/repo)}
LIST=${LIST:-$(dirname "$0")/projects.tsv}
EXTS=${EXTS:-py}
EXT_RE="\\.($(echo $EXTS | tr ' ' '|'))\$"
mkdir -p "$DEST"
status=0
while IFS=$'\t' read -r repo commit _rest; do
  case "$repo" in ''|'#'*|repo) continue ;; esac
  git_dir=$MIRROR/${repo/\//+}/repo
  [ -d "$git_dir/.git" ] && git_dir=$git_dir/.git
  out=$DEST/${repo/\//__}
  if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "$repo: no snapshot with commit $commit under $MIRROR (fetch it first)" >&2
    status=1; continue
  fi
  rm -rf "$out" && mkdir -p "$out"
  # a pathspec that matches nothing fails the whole archive: ask only for suffixes present
  SPECS=()
  for e in $EXTS; do
    git -c core.quotePath=false --git-dir="$git_dir" ls-tree -r --name-only "$commit" | grep -c "\.$e\$" >/dev/null && SPECS+=("*.$e")
  done
  if [ ${#SPECS[@]} -eq 0 ]; then echo "$repo 0 files ($EXTS)"; continue; fi
  # '*.py' as a pathspec matches at any depth (git's wildcards cross '/'). git archive still
  # walks the whole tree and names every blob the snapshot lacks (files of 4 MiB and more);
  # only a missing .py file matters here, so the others' complaints are dropped.
  if ! git --git-dir="$git_dir" archive "$commit" -- "${SPECS[@]}" 2>"$out.err" | tar -x -C "$out"; then
    echo "$repo: export failed: $(tail -n 1 "$out.err")" >&2
    status=1
  fi
  if grep -E "$EXT_RE'\$" "$out.err" >&2; then
    echo "$repo: the snapshot lacks the files above" >&2
    status=1
  fi
  rm -f "$out.err"
  # The linter reads the requirement files at a project's root (which Keras it runs).
  for f in $(git -c core.quotePath=false --git-dir="$git_dir" ls-tree --name-only "$commit" | grep -E '^(pyproject\.toml|setup\.cfg|requirements[^/]*\.txt)$'); do
    git --git-dir="$git_dir" show "$commit:$f" >"$out/$f" 2>/dev/null || rm -f "$out/$f"
  done
  want=$(git -c core.quotePath=false --git-dir="$git_dir" ls-tree -r "$commit" | awk -v re="$EXT_RE" '$1 != "120000" && $NF ~ re' | wc -l)
  got=$(find "$out" -type f | grep -cE "$EXT_RE")
  [ "$want" -eq "$got" ] || { echo "$repo: $got of $want files ($EXTS) exported" >&2; status=1; }
  echo "$repo $got files ($EXTS)"
done <"$LIST"
exit $status
