#!/usr/bin/env bash
# Regenerates the figures of the README's "Results" section at today's defaults, one section at a
# time, and prints each as the lines the README quotes (full outputs kept in OUT/*.log).
#
# Usage: bench/readme-results.sh [--out DIR] [--shared DIR] [SECTION ...]
#   SECTION (default: headline):
#     headline      cxr demo; cxr train --select-on inner and cxr crossval --folds 5 (plain and
#                   --class-weights 1,5) on nih-effusion-182: the section's first table
#     multilabel    cxr crossval --findings all --folds 5 on nih-bbox-dev + nih-effusion-182, the
#                   binary task on the same two folders, cxr demo --findings all
#     localisation  cxr train --findings all --select-on inner on nih-bbox-dev, at 128 and 256 px,
#                   then cxr localize --split validation
#     studies       bench/small-data-study.sh (about 2 hours) and cxr study imbalance (~9 minutes)
#     all           every section above (about 3 hours on 2 cores)
# Times are wall-clock on this machine: quote them with the machine and whether it was quiet.
# Needs cxr-examples/target/cxr.jar (built here with -o when absent) and ../shared/data; a section
# whose data is missing is skipped with a message.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="readme-results"
SHARED="$ROOT/../shared/data"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="${2:?}"; shift 2 ;;
    --shared) SHARED="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "error: unknown option '$1'" >&2; exit 2 ;;
    *) break ;;
  esac
done
sections=("${@:-headline}")
[[ " ${sections[*]} " == *" all "* ]] && sections=(headline multilabel localisation studies)
for s in "${sections[@]}"; do
  case "$s" in headline|multilabel|localisation|studies) ;; *)
    echo "error: unknown section '$s' (headline, multilabel, localisation, studies, all)" >&2; exit 2 ;;
  esac
done
JAR="${CXR_JAR:-$ROOT/cxr-examples/target/cxr.jar}"
if [[ ! -f "$JAR" ]]; then
  echo "building $JAR (mvn -o package -DskipTests)"
  (cd "$ROOT" && mvn -B -q -o -pl cxr-examples -am package -DskipTests)
fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
CACHE="$OUT/cache"
D182="$SHARED/nih-effusion-182"
DBOX="$SHARED/nih-bbox-dev"
echo "$(java -jar "$JAR" --version | head -1), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u +%Y-%m-%d), $(nproc) cores"

# run NAME CMD...: runs `java -jar cxr.jar CMD...`, keeps its output in OUT/NAME.log, prints its time
run() {
  local name="$1"; shift
  local t0=$SECONDS
  echo "== $name: cxr $*"
  if ! java -jar "$JAR" "$@" >"$OUT/$name.log" 2>&1; then
    echo "error: cxr $* failed; see $OUT/$name.log" >&2
    tail -3 "$OUT/$name.log" >&2
    exit 1
  fi
  echo "   wall time: $((SECONDS - t0)) s"
}

# the lines of a crossval's summary (the fold table, the mean, the out-of-fold AUC)
crossval_summary() { sed -n '/^fold  nested/,/^out-of-fold/p' "$OUT/$1.log" | sed 's/^/   /'; }

need() {
  [[ -d "$1" ]] && return 0
  echo "skipped: $1 is missing (section $2)"
  return 1
}

headline() {
  run demo demo
  grep -E "AUC" "$OUT/demo.log" | tail -3 | sed 's/^/   /'
  need "$D182" headline || return 0
  run train-inner train --data "$D182" --out "$OUT/train-inner.zip" --select-on inner --cache "$CACHE"
  grep -E "^best epoch|^validation AUC|^train images" "$OUT/train-inner.log" | sed 's/^/   /'
  run crossval crossval --data "$D182" --folds 5 --out "$OUT/cv" --cache "$CACHE"
  crossval_summary crossval
  run crossval-weighted crossval --data "$D182" --folds 5 --class-weights 1,5 --cache "$CACHE"
  crossval_summary crossval-weighted
}

multilabel() {
  need "$D182" multilabel && need "$DBOX" multilabel || return 0
  run cv-all crossval --data "$DBOX" --data "$D182" --findings all --folds 5 --out "$OUT/cv-all" --cache "$CACHE"
  sed -n '/^finding/,$p' "$OUT/cv-all.log" | sed 's/^/   /'
  run cv-binary crossval --data "$DBOX" --data "$D182" --folds 5 --cache "$CACHE"
  crossval_summary cv-binary
  run demo-all demo --findings all
  grep -E "AUC" "$OUT/demo-all.log" | tail -8 | sed 's/^/   /'
}

localisation() {
  need "$DBOX" localisation || return 0
  for size in 128 256; do
    run "loc-train-$size" train --data "$DBOX" --findings all --select-on inner --size "$size" \
      --out "$OUT/loc-$size.zip" --cache "$CACHE"
    run "loc-$size" localize --model "$OUT/loc-$size.zip" --data "$DBOX" --split validation \
      --out "$OUT/loc-$size"
    sed -n '/^finding/,$p' "$OUT/loc-$size.log" | sed 's/^/   /'
  done
}

studies() {
  need "$D182" studies || return 0
  echo "== small-data study: bench/small-data-study.sh --out $OUT/small-data"
  bash "$ROOT/bench/small-data-study.sh" --data "$D182" --out "$OUT/small-data" | sed 's/^/   /'
  run imbalance study imbalance --work "$OUT/imbalance"
  tail -8 "$OUT/imbalance.log" | sed 's/^/   /'
}

for s in "${sections[@]}"; do
  "$s"
done
