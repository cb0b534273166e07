#!/usr/bin/env bash
# Checks `cxr import` against PyTorch: the same networks, the same weights, the same images.
#
# bench/pytorch_pretrained.py makes random-initialised torchvision ResNet-18, ResNet-50 and
# DenseNet-121 state dicts (14 outputs; random gamma, beta and biases, batch-norm statistics measured
# on the images and perturbed, as in a trained network) in PyTorch's zip format, its
# legacy format and as safetensors, and a torchxrayvision-style whole pickled DenseNet-121 (zip and
# legacy), plus grey PNGs and the logits PyTorch computes on them. Each file is imported with
# `cxr import`, and bench/ImportCheck.java prints, per architecture and format, the largest
# |logit difference| (goal <= 1e-4, float32) and the largest |probability difference| of
# `cxr predict`'s path on the PNGs. Exits 1 when a logit differs by more than 1e-4.
#
# Installs Debian's python3-torch and python3-torchvision with apt-get if /usr/bin/python3 lacks
# them, and builds cxr-examples/target/cxr.jar with Maven if it is missing.
#
# Usage: bench/pretrained-check.sh [--images 4] [--size 224] [--out DIR]
set -euo pipefail

IMAGES=4
SIZE=224
OUT=""
PYTHON=/usr/bin/python3   # Debian's interpreter: python3-torch is installed for it, not for pyenv's
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "error: $*" >&2; exit 2; }
while (( $# )); do
  case "$1" in
    --images) IMAGES="${2:?--images needs a value}"; shift 2 ;;
    --size) SIZE="${2:?--size needs a value}"; shift 2 ;;
    --out) OUT="${2:?--out needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$IMAGES" =~ ^[0-9]+$ ]] && (( IMAGES >= 1 )) || die "--images must be an integer >= 1"
[[ "$SIZE" =~ ^[0-9]+$ ]] && (( SIZE >= 32 )) || die "--size must be an integer >= 32"

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
WORK="${OUT:-$(mktemp -d)}"
mkdir -p "$WORK/models"
echo "making the PyTorch files in $WORK ..."
"$PYTHON" bench/pytorch_pretrained.py "$WORK" --images "$IMAGES" --size "$SIZE"

nih="Atelectasis,Cardiomegaly,Effusion,Infiltration,Mass,Nodule,Pneumonia,Pneumothorax,Consolidation,Edema,Emphysema,Fibrosis,Pleural_Thickening,Hernia"
for f in "$WORK"/*.pt "$WORK"/*.pth "$WORK"/*.safetensors; do
  name="$(basename "$f")"
  args=(import --from "$f" --size "$SIZE" --out "$WORK/models/$name.zip")
  if [[ "$name" == txrv-* ]]; then args+=(--arch txrv); else args+=(--findings "$nih"); fi
  start=$(date +%s.%N)
  java -jar "$JAR" "${args[@]}" > "$WORK/models/$name.log" 2>&1 \
    || { cat "$WORK/models/$name.log" >&2; die "cxr import $name failed"; }
  printf '%-28s imported in %.1f s (%s)\n' "$name" "$(echo "$(date +%s.%N) - $start" | bc)" \
    "$(head -1 "$WORK/models/$name.log" | sed 's/^imported [^:]*: //')"
done
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$JAR" bench/ImportCheck.java "$WORK" "$WORK/models"
