#!/usr/bin/env bash
# Compares ResNet-18 throughput of this library (cxr bench-model) with PyTorch on the CPU.
#
# Both sides run the same network (ResNet-18, 1-channel 7x7 stem, 2 classes, float32), the same
# batch of random grey images, Adam (lr 1e-3) and cross-entropy, pinned to the same number of
# threads. For each image size the two are run alternately, ROUNDS pairs of [cxr, pytorch], and
# the median img/s of each side is compared. Output format (the numbers here are only illustrative):
#
#   size 224, batch 16: cxr train 8.60 img/s, infer 48.20 img/s; pytorch train 15.60 img/s, infer 47.30 img/s
#   train ratio (cxr/pytorch): 0.55
#   infer ratio (cxr/pytorch): 1.02
#
# Then an end-to-end line: the second epoch (pixel cache warm) of `cxr train` on real PNGs
# (--epoch-data, default ../shared/data/nih-effusion-182) at 224 px, batch 16, 2 loader workers,
# against the second epoch of the same network in PyTorch with its own DataLoader (2 worker
# processes decoding the same PNGs every epoch, bench/pytorch_epoch.py). Both sides train the same
# network: ResNet-18 at torchvision's width 64 (`cxr train --width 64`; cxr's default width is 32),
# 2-class head, unweighted cross-entropy, Adam 1e-3; augmentation off on both (PyTorch has no
# equivalent of cxr's medical-safe set); the weight average off on both (cxr's default is
# --ema 0.97), or on both with --epoch-ema DECAY. The line says which:
#
#   end-to-end epoch, 224 px (ResNet-18 width 64 on both, augmentation off, EMA off on both): cxr train 7.10 img/s; pytorch (DataLoader, 2 workers) 9.80 img/s
#   end-to-end ratio (cxr/pytorch): 0.72
#
# Installs Debian's python3-torch and python3-torchvision with apt-get if /usr/bin/python3 lacks
# them, and builds cxr-examples/target/cxr.jar with Maven if it is missing. Not part of the unit
# tests; run it on a quiet machine.
#
# --arch densenet121 (or any name of `cxr bench-model --arch`) compares that network instead of
# ResNet-18; --depth 50 is --arch resnet50 (the end-to-end line stays ResNet-18's; add --no-epoch
# to skip it).
#
# CXR_JAVA_OPTS (environment) is passed to cxr's JVM: e.g. CXR_JAVA_OPTS="-Dcxr.fusedUpdater=false
# -Dcxr.fusedAddRelu=false -Dcxr.directConvForward=false -Dcxr.batchNormKernel=false" times the
# paths issue 26 replaced (DL4J's updater, add + ReLU layer, libnd4j's conv2d and batch-norm ops).
#
# Usage: bench/compare-pytorch.sh [--arch resnet18 | --depth 18] [--sizes 224,128] [--batches 16,32]
#                                 [--rounds 2] [--steps 10] [--warmup 3] [--threads 2]
#                                 [--stat median|best] [--epoch-data DIR] [--epoch-ema DECAY]
#                                 [--no-epoch]
# Each option may also be given by environment variable: SIZES, BATCHES, ROUNDS, STEPS, WARMUP,
# THREADS, STAT, ARCH, EPOCH_DATA, EPOCH_EMA, EPOCH (0 = no end-to-end line). A single batch
# applies to every size.
set -euo pipefail

SIZES="${SIZES:-224,128}"
BATCHES="${BATCHES:-16,32}"
ROUNDS="${ROUNDS:-2}"
STEPS="${STEPS:-10}"
WARMUP="${WARMUP:-3}"
THREADS="${THREADS:-2}"
STAT="${STAT:-median}"
ARCH="${ARCH:-resnet18}"
EPOCH="${EPOCH:-1}"
EPOCH_DATA="${EPOCH_DATA:-}"
EPOCH_EMA="${EPOCH_EMA:-0}"
PYTHON=/usr/bin/python3   # Debian's interpreter: python3-torch is installed for it, not for pyenv's

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "error: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes)   SIZES="${2:?--sizes needs a value}"; shift 2 ;;
    --batches|--batch) BATCHES="${2:?$1 needs a value}"; shift 2 ;;
    --rounds)  ROUNDS="${2:?--rounds needs a value}"; shift 2 ;;
    --steps)   STEPS="${2:?--steps needs a value}"; shift 2 ;;
    --warmup)  WARMUP="${2:?--warmup needs a value}"; shift 2 ;;
    --threads) THREADS="${2:?--threads needs a value}"; shift 2 ;;
    --stat)    STAT="${2:?--stat needs a value}"; shift 2 ;;
    --arch)    ARCH="${2:?--arch needs a value}"; shift 2 ;;
    --depth)   [[ "${2:?--depth needs a value}" =~ ^(18|34|50|101|152)$ ]] \
                 || die "--depth must be 18, 34, 50, 101 or 152 but was '$2'"
               ARCH="resnet$2"; shift 2 ;;
    --epoch-ema) EPOCH_EMA="${2:?--epoch-ema needs a value}"; shift 2 ;;
    --epoch-data) EPOCH_DATA="${2:?--epoch-data needs a value}"; shift 2 ;;
    --no-epoch) EPOCH=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

is_int() { [[ "$2" =~ ^[0-9]+$ ]] && (( $2 >= $3 )) || die "$1 must be an integer >= $3 but was '$2'"; }
IFS=, read -r -a size_list <<< "$SIZES"
IFS=, read -r -a batch_list <<< "$BATCHES"
for s in "${size_list[@]}"; do is_int "size" "$s" 32; done
for b in "${batch_list[@]}"; do is_int "batch" "$b" 1; done
if (( ${#batch_list[@]} != 1 && ${#batch_list[@]} != ${#size_list[@]} )); then
  die "give one batch or one per size: ${#size_list[@]} sizes ($SIZES) but ${#batch_list[@]} batches ($BATCHES)"
fi
is_int "--rounds" "$ROUNDS" 1
is_int "--steps" "$STEPS" 1
is_int "--warmup" "$WARMUP" 0
is_int "--threads" "$THREADS" 1
[[ "$STAT" == median || "$STAT" == best ]] || die "--stat must be median or best but was '$STAT'"
awk -v e="$EPOCH_EMA" 'BEGIN { exit !(e ~ /^[0-9]*\.?[0-9]+$/ && e + 0 < 1) }' \
  || die "--epoch-ema must be a decay in [0, 1) (0 = off) but was '$EPOCH_EMA'"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAR="$ROOT/cxr-examples/target/cxr.jar"

if ! "$PYTHON" -c 'import torch, torchvision' 2>/dev/null; then
  echo "installing python3-torch and python3-torchvision with apt-get ..."
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-torchvision
fi
if [[ ! -f "$JAR" ]]; then
  echo "building $JAR ..."
  mvn -B -q package -DskipTests
fi

export OMP_NUM_THREADS="$THREADS"

# run_side NAME SIZE BATCH: runs one benchmark, echoes "TRAIN INFER" (img/s); full output on failure.
run_side() {
  local name="$1" size="$2" batch="$3" out
  local args=(--size "$size" --batch "$batch" --steps "$STEPS" --warmup "$WARMUP")
  if [[ "$name" == cxr ]]; then
    out="$(java ${CXR_JAVA_OPTS:-} -jar "$JAR" bench-model --arch "$ARCH" "${args[@]}" 2>&1)" \
      || { echo "$out" >&2; die "cxr bench-model failed (size $size, batch $batch)"; }
  else
    out="$("$PYTHON" "$ROOT/bench/pytorch_resnet.py" "${args[@]}" --arch "$ARCH" --threads "$THREADS" 2>&1)" \
      || { echo "$out" >&2; die "pytorch_resnet.py failed (size $size, batch $batch)"; }
  fi
  local train infer
  train="$(sed -n 's/^train: \([0-9.]*\) img\/s$/\1/p' <<< "$out")"
  infer="$(sed -n 's/^infer: \([0-9.]*\) img\/s$/\1/p' <<< "$out")"
  if [[ -z "$train" || -z "$infer" ]]; then
    echo "$out" >&2
    die "no 'train: X img/s' / 'infer: Y img/s' lines from $name"
  fi
  echo "$train $infer"
}

# summarize VALUES...: median (mean of the middle two for an even count) or maximum.
summarize() {
  printf '%s\n' "$@" | sort -g | awk -v stat="$STAT" '
    { v[NR] = $1 }
    END {
      if (stat == "best") { printf "%.2f", v[NR]; exit }
      if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "nan" }'; }

echo "$ARCH, $THREADS threads, $ROUNDS round(s) of [cxr, pytorch], $WARMUP warm-up + $STEPS timed steps, $STAT of rounds"
for i in "${!size_list[@]}"; do
  size="${size_list[$i]}"
  batch="${batch_list[0]}"
  (( ${#batch_list[@]} > 1 )) && batch="${batch_list[$i]}"
  cxr_train=(); cxr_infer=(); pt_train=(); pt_infer=()
  for ((round = 1; round <= ROUNDS; round++)); do
    res="$(run_side cxr "$size" "$batch")"   # a plain assignment, so set -e stops on failure
    read -r t f <<< "$res"
    cxr_train+=("$t"); cxr_infer+=("$f")
    res="$(run_side pytorch "$size" "$batch")"
    read -r pt pf <<< "$res"
    pt_train+=("$pt"); pt_infer+=("$pf")
    echo "  round $round, size $size: cxr train $t, infer $f img/s; pytorch train $pt, infer $pf img/s"
  done
  ct="$(summarize "${cxr_train[@]}")"; ci="$(summarize "${cxr_infer[@]}")"
  pt="$(summarize "${pt_train[@]}")"; pi="$(summarize "${pt_infer[@]}")"
  echo "size $size, batch $batch: cxr train $ct img/s, infer $ci img/s; pytorch train $pt img/s, infer $pi img/s"
  echo "train ratio (cxr/pytorch): $(ratio "$ct" "$pt")"
  echo "infer ratio (cxr/pytorch): $(ratio "$ci" "$pi")"
done

if [[ "$EPOCH" != 0 ]]; then
  EPOCH_DATA="${EPOCH_DATA:-$ROOT/../shared/data/nih-effusion-182}"
  if [[ ! -f "$EPOCH_DATA/Data_Entry_2017.csv" ]]; then
    echo "end-to-end epoch: skipped, no NIH-layout data at $EPOCH_DATA (give --epoch-data DIR)"
    exit 0
  fi
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  out="$(java ${CXR_JAVA_OPTS:-} -jar "$JAR" train --data "$EPOCH_DATA" --size 224 --batch 16 --epochs 2 \
    --width 64 --ema "$EPOCH_EMA" --augment none --patience 0 --workers 2 \
    --out "$tmp/model.zip" 2>&1)" \
    || { echo "$out" >&2; die "cxr train failed on $EPOCH_DATA"; }
  cxr_net="$(sed -n 's/^  network  *//p' <<< "$out")"
  cxr_epoch="$(sed -n 's/^epoch 2\/2 .*val AUC.*  \([0-9.]*\) img\/s .*/\1/p' <<< "$out")"
  [[ -n "$cxr_epoch" ]] || { echo "$out" >&2; die "no 'epoch 2/2 ... img/s' line from cxr train"; }
  out="$("$PYTHON" "$ROOT/bench/pytorch_epoch.py" --data "$EPOCH_DATA" --size 224 --batch 16 \
    --epochs 2 --workers 2 --threads "$THREADS" --ema "$EPOCH_EMA" 2>&1)" \
    || { echo "$out" >&2; die "pytorch_epoch.py failed on $EPOCH_DATA"; }
  pt_epoch="$(sed -n 's/^epoch: \([0-9.]*\) img\/s$/\1/p' <<< "$out")"
  [[ -n "$pt_epoch" ]] || { echo "$out" >&2; die "no 'epoch: X img/s' line from pytorch_epoch.py"; }
  pt_net="$(sed -n 's/^network: //p' <<< "$out")"
  ema="EMA off on both"
  awk -v e="$EPOCH_EMA" 'BEGIN { exit !(e + 0 > 0) }' && ema="EMA $EPOCH_EMA on both"
  echo "end-to-end networks: cxr $cxr_net; pytorch $pt_net"
  echo "end-to-end epoch, 224 px (ResNet-18 width 64 on both, augmentation off, $ema): cxr train $cxr_epoch img/s; pytorch (DataLoader, 2 workers) $pt_epoch img/s"
  echo "end-to-end ratio (cxr/pytorch): $(ratio "$cxr_epoch" "$pt_epoch")"
fi
