#!/usr/bin/env bash
# Does pretraining on other NIH radiographs help the one-finding task? (issue 24's transfer check)
#
# 1. Pretrain: `cxr train --findings all` on SOURCE (default ../shared/data/nih-bbox-dev, 14
#    findings), leaving out every patient who also has images in TARGET (their rows are dropped
#    from a copy of SOURCE's labels, so no patient of the target data is seen in pretraining).
# 2. Fine-tune: `cxr crossval --folds 5` on TARGET (default ../shared/data/nih-effusion-182,
#    Effusion vs No Finding) from the pretrained model (`--pretrained`, the head rebuilt for the
#    task), and the same crossval from random weights, same seed and settings otherwise.
# Prints each crossval's table (nested AUC per fold and mean ± sd, out-of-fold AUC) and the times.
# Extra crossval options go after `--` (e.g. `-- --freeze-epochs 2`), applied to the fine-tuning
# run only; pretraining options with --pretrain-args "...".
#
# Usage: bench/transfer-study.sh [--source DIR] [--target DIR] [--out DIR]
#                                [--pretrain-args "..."] [-- crossval options]
set -euo pipefail
SOURCE="../shared/data/nih-bbox-dev"
TARGET="../shared/data/nih-effusion-182"
OUT=""
PRETRAIN_ARGS=""
die() { echo "error: $*" >&2; exit 2; }
while (( $# )); do
  case "$1" in
    --source) SOURCE="${2:?}"; shift 2 ;;
    --target) TARGET="${2:?}"; shift 2 ;;
    --out) OUT="${2:?}"; shift 2 ;;
    --pretrain-args) PRETRAIN_ARGS="${2?}"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[[ -f "$SOURCE/Data_Entry_2017.csv" ]] || die "$SOURCE/Data_Entry_2017.csv is missing"
[[ -f "$TARGET/Data_Entry_2017.csv" ]] || die "$TARGET/Data_Entry_2017.csv is missing"
JAR="$ROOT/cxr-examples/target/cxr.jar"
[[ -f "$JAR" ]] || mvn -B -q package -DskipTests
WORK="${OUT:-$(mktemp -d)}"
mkdir -p "$WORK"
cxr() { java -jar "$JAR" "$@"; }

# patient ids of the target (column 4 of the NIH labels), then the source's rows without them
awk -F, 'NR > 1 { print $4 }' "$TARGET/Data_Entry_2017.csv" | sort -u > "$WORK/target-patients.txt"
awk -F, 'NR == FNR { skip[$1] = 1; next } FNR == 1 || !($4 in skip)' \
  "$WORK/target-patients.txt" "$SOURCE/Data_Entry_2017.csv" > "$WORK/source-labels.csv"
dropped=$(( $(wc -l < "$SOURCE/Data_Entry_2017.csv") - $(wc -l < "$WORK/source-labels.csv") ))
echo "pretraining data: $SOURCE without the $dropped image(s) of patients who are in $TARGET"

t0=$(date +%s)
# shellcheck disable=SC2086
cxr train --data "$SOURCE" --labels "$WORK/source-labels.csv" --findings all \
  --out "$WORK/pretrained/model.zip" $PRETRAIN_ARGS > "$WORK/pretrain.log"
t1=$(date +%s)
grep -E "^  (network|image size|epochs|findings) " "$WORK/pretrain.log" || true
grep -E "^best (epoch|validation AUC)" "$WORK/pretrain.log" | sed 's/^/  /' || true
echo "pretraining: $((t1 - t0)) s"

run_cv() { # name, extra args...
  local name="$1"; shift
  local s; s=$(date +%s)
  cxr crossval --data "$TARGET" --folds 5 --out "$WORK/$name" "$@" > "$WORK/$name.log"
  echo
  echo "== $name: crossval --data $TARGET --folds 5 $* ($(( $(date +%s) - s )) s)"
  sed -n '/^fold  nested/,$p' "$WORK/$name.log" | grep -v "^ensemble" || tail -20 "$WORK/$name.log"
}
run_cv random
run_cv pretrained --pretrained "$WORK/pretrained/model.zip" "$@"
echo
echo "logs and models: $WORK"
