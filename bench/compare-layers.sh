#!/usr/bin/env bash
# Per-layer comparison of a ResNet-18 training step: cxr (DL4J, `cxr bench-layers`) against
# PyTorch (bench/pytorch_layers.py), on the same shapes, one table per image size.
#
# For each layer type: instances in the network, and forward / backward milliseconds per training
# step on each side with the ratio cxr/pytorch (above 1: cxr is slower). Rows starting with "op"
# are libnd4j's conv2d / conv2d_bp ops called directly on the same shapes (kernel time without
# DL4J's layer code), set against the PyTorch layer of that type; "sum of layers" against "whole step" shows what the isolated runs miss.
# The two sides run one after the other, so compare ratios within one run only.
#
# CXR_JAVA_OPTS (environment) is passed to cxr's JVM: e.g. CXR_JAVA_OPTS="-Dcxr.fusedUpdater=false
# -Dcxr.fusedAddRelu=false -Dcxr.directConvForward=false -Dcxr.batchNormKernel=false" times the
# paths issue 26 replaced (DL4J's updater, add + ReLU layer, libnd4j's conv2d and batch-norm ops).
#
# Usage: bench/compare-layers.sh [--sizes 224,128] [--batches 16,32] [--steps 5] [--warmup 2]
#                                [--threads 2]
set -euo pipefail

SIZES="${SIZES:-224,128}"
BATCHES="${BATCHES:-16,32}"
STEPS="${STEPS:-5}"
WARMUP="${WARMUP:-2}"
THREADS="${THREADS:-2}"
PYTHON=/usr/bin/python3

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "error: $*" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes)   SIZES="${2:?--sizes needs a value}"; shift 2 ;;
    --batches) BATCHES="${2:?--batches needs a value}"; shift 2 ;;
    --steps)   STEPS="${2:?--steps needs a value}"; shift 2 ;;
    --warmup)  WARMUP="${2:?--warmup needs a value}"; shift 2 ;;
    --threads) THREADS="${2:?--threads needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
IFS=, read -r -a size_list <<< "$SIZES"
IFS=, read -r -a batch_list <<< "$BATCHES"
(( ${#batch_list[@]} == 1 || ${#batch_list[@]} == ${#size_list[@]} )) \
  || die "give one batch or one per size: $SIZES / $BATCHES"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/cxr-examples/target/cxr.jar"
[[ -f "$JAR" ]] || die "$JAR is missing: mvn -B -pl cxr-examples -am package -DskipTests"
"$PYTHON" -c 'import torch, torchvision' 2>/dev/null \
  || die "$PYTHON lacks torch/torchvision (apt-get install python3-torch python3-torchvision)"
export OMP_NUM_THREADS="$THREADS"

for i in "${!size_list[@]}"; do
  size="${size_list[$i]}"
  batch="${batch_list[0]}"
  (( ${#batch_list[@]} > 1 )) && batch="${batch_list[$i]}"
  args=(--size "$size" --batch "$batch" --steps "$STEPS" --warmup "$WARMUP")
  cxr_out="$(java ${CXR_JAVA_OPTS:-} -jar "$JAR" bench-layers "${args[@]}" 2>&1)" \
    || { echo "$cxr_out" >&2; die "cxr bench-layers failed"; }
  pt_out="$("$PYTHON" "$ROOT/bench/pytorch_layers.py" "${args[@]}" --threads "$THREADS" 2>&1)" \
    || { echo "$pt_out" >&2; die "pytorch_layers.py failed"; }
  echo
  echo "ResNet-18, $size px, batch $batch, $THREADS threads, ms per training step ($STEPS timed runs per layer)"
  awk -F'\t' '
    FNR == 1 { side++ }
    $1 != "layer" { next }
    side == 1 { if (!($2 in seen)) { order[++n] = $2; seen[$2] = 1 } cnt[$2] = $3; cf[$2] = $4; cb[$2] = $5 }
    side == 2 { if (!($2 in seen)) { order[++n] = $2; seen[$2] = 1 } if (cnt[$2] == "") cnt[$2] = $3; pf[$2] = $4; pb[$2] = $5 }
    function r(a, b) { return (a != "" && b != "" && a != "-" && b != "-" && b + 0 > 0) ? sprintf("%.2f", a / b) : "-" }
    function v(a) { return a == "" ? "-" : a }
    END {
      printf "| %-24s | %5s | %10s | %10s | %5s | %10s | %10s | %5s |\n", "layer type", "count", "cxr fwd", "torch fwd", "ratio", "cxr bwd", "torch bwd", "ratio"
      printf "|%s|%s|%s|%s|%s|%s|%s|%s|\n", "---", "---", "---", "---", "---", "---", "---", "---"
      for (i = 1; i <= n; i++) {
        k = order[i]
        if (k ~ /^op /) { t = substr(k, 4); pf[k] = pf[t]; pb[k] = pb[t] }  # kernel vs torch layer
        printf "| %-24s | %5s | %10s | %10s | %5s | %10s | %10s | %5s |\n", k, v(cnt[k]), v(cf[k]), v(pf[k]), r(cf[k], pf[k]), v(cb[k]), v(pb[k]), r(cb[k], pb[k])
      }
    }' <(printf '%s\n' "$cxr_out") <(printf '%s\n' "$pt_out")
done
