#!/usr/bin/env bash
# Small-data defaults study (issue 13, item 4): 5-fold patient-level cross-validation with nested
# selection on ../shared/data/nih-effusion-182 for the choices a user would try, one `cxr crossval`
# per configuration, and one summary line each: nested, last-epoch and optimistic mean AUC (± sd
# over the folds), the out-of-fold AUC and the wall time.
#
# Usage: bench/small-data-study.sh [--data DIR] [--out DIR] [--seeds 42[,7,...]] [NAME ...]
#   NAME: run only these configurations (default: all, in the order below)
# Each configuration's full output is kept in OUT/NAME-seedS.txt (default OUT: study-out); a
# configuration whose output file already holds a summary is not run again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/../shared/data/nih-effusion-182"
OUT="study-out"
SEEDS="42"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) DATA="${2:?}"; shift 2 ;;
    --out) OUT="${2:?}"; shift 2 ;;
    --seeds) SEEDS="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "error: unknown option '$1'" >&2; exit 2 ;;
    *) break ;;
  esac
done
JAR="${CXR_JAR:-$ROOT/cxr-examples/target/cxr.jar}"
[[ -f "$JAR" ]] || { echo "error: $JAR is missing: mvn -B -pl cxr-examples -am package -DskipTests" >&2; exit 2; }
[[ -d "$DATA" ]] || { echo "error: $DATA is not a directory (--data)" >&2; exit 2; }
mkdir -p "$OUT"

# name | crossval options (besides --data, --folds 5, --seed, --cache)
CONFIGS=(
  "w16-128|--size 128 --width 16 --epochs 10"
  "w8-128|--size 128 --width 8 --epochs 10"
  "w32-128|--size 128 --width 32 --epochs 10"
  "w64-128|--size 128 --width 64 --epochs 10"
  "w16-224|--size 224 --width 16 --epochs 10"
  "w32-224|--size 224 --width 32 --epochs 10"
  "w16-256|--size 256 --width 16 --epochs 10"
  "w16-128-aug-none|--size 128 --width 16 --epochs 10 --augment none"
  "w16-128-aug-article|--size 128 --width 16 --epochs 10 --augment seed-article"
  "w16-128-l2-1e-4|--size 128 --width 16 --epochs 10 --l2 1e-4"
  "w16-128-l2-1e-3|--size 128 --width 16 --epochs 10 --l2 1e-3"
  "w16-128-dropout-0.5|--size 128 --width 16 --epochs 10 --dropout 0.5"
  "w16-128-lr-3e-4|--size 128 --width 16 --epochs 10 --lr 3e-4"
  "w16-128-e20|--size 128 --width 16 --epochs 20 --patience 0"
  "w16-128-e20-cosine|--size 128 --width 16 --epochs 20 --patience 0 --schedule cosine"
  "w16-128-ema-0.9|--size 128 --width 16 --epochs 10 --ema 0.9"
  "w16-128-ema-0.97|--size 128 --width 16 --epochs 10 --ema 0.97"
  "w16-128-e20-ema-0.97|--size 128 --width 16 --epochs 20 --patience 0 --ema 0.97"
  "w32-128-ema-0.9|--size 128 --width 32 --epochs 10 --ema 0.9"
  "w32-128-ema-0.97|--size 128 --width 32 --epochs 10 --ema 0.97"
  "article|--size 256 --width 64 --epochs 10 --patience 0 --pre-activation --cost-matrix 1,5,5,1 --augment seed-article --optimizer sgd --lr 0.01 --schedule step"
  "defaults|"
)
[[ -n "${EXTRA_CONFIGS:-}" ]] && while IFS= read -r line; do [[ -n "$line" ]] && CONFIGS+=("$line"); done <<< "$EXTRA_CONFIGS"

wanted=" $* "
printf '%-22s %-5s %-16s %-16s %-16s %-8s %s\n' config seed nested "last epoch" optimistic "OOF AUC" time
IFS=, read -r -a seed_list <<< "$SEEDS"
for entry in "${CONFIGS[@]}"; do
  name="${entry%%|*}"
  opts="${entry#*|}"
  [[ $# -gt 0 && "$wanted" != *" $name "* ]] && continue
  for seed in "${seed_list[@]}"; do
    log="$OUT/$name-seed$seed.txt"
    if ! grep -q '^out-of-fold AUC' "$log" 2>/dev/null; then
      start=$(date +%s)
      # shellcheck disable=SC2086
      java -jar "$JAR" crossval --data "$DATA" --folds 5 --seed "$seed" --cache "$OUT/cache" $opts > "$log" 2>&1 \
        || { echo "$name seed $seed failed, see $log" >&2; continue; }
      echo "wall seconds: $(( $(date +%s) - start ))" >> "$log"
    fi
    awk -v name="$name" -v seed="$seed" '
      /^mean AUC:/ { nested = $3 " " $4 " " $5; last = $(NF-6) " " $(NF-5) " " $(NF-4); opt = $(NF-2) " " $(NF-1) " " $NF }
      /^out-of-fold AUC:/ { oof = $3 }
      /^wall seconds:/ { t = $3 "s" }
      END { printf "%-22s %-5s %-16s %-16s %-16s %-8s %s\n", name, seed, nested, last, opt, oof, t }' "$log"
  done
done
