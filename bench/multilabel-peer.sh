#!/usr/bin/env bash
# Runs the PyTorch peer of cxr's multi-label cross-validation (bench/pytorch_multilabel.py) on the
# folds cxr wrote, so cxr's per-finding table can be set beside PyTorch's on the same folds.
#
#   cxr crossval --findings all --folds 5 --out cv ...      # writes cv/folds.csv
#   bench/multilabel-peer.sh --folds cv/folds.csv --out cv/peer
#
# Every argument goes to bench/pytorch_multilabel.py (see its --help and the top of that file):
# --size 128, --width 32, --epochs 10, --batch 16, --lr 1e-3, --ema 0.97, --no-augment,
# --seed 42, --threads 2, --workers 2, --min-positives 10, --run-folds 1,... ; or
# --make-folds DIR... --k 5 [--limit N] --out folds.csv to write a folds file from NIH-layout
# directories when cxr has not written one. Output: per fold the kept epoch, the held-out AUC of
# each finding and the time; then one row per finding (positives, nested AUC mean ± sd over
# folds, out-of-fold AUC with its DeLong 95% CI) and the mean AUC; --out DIR gets
# peer-table.csv, peer-folds.csv and peer-oof.csv.
#
# Installs Debian's python3-torch and python3-torchvision with apt-get if /usr/bin/python3 lacks
# them; nothing else is downloaded and no pretrained weights are used. Not part of the unit tests.
# Time: one epoch of a 5-fold run on the 848 NIH images at 128 px, width 32 (546 images trained,
# 131 scored) took 122-152 s on 2 shared cores (load average 6-11), so a full run (5 folds x 10
# epochs) takes about 2 hours there; less on a quiet machine.
#
# Usage: bench/multilabel-peer.sh --folds FILE --out DIR [options of pytorch_multilabel.py]
#        bench/multilabel-peer.sh --make-folds DIR... --out FILE [--k 5] [--limit N]
set -euo pipefail

PYTHON=/usr/bin/python3   # Debian's interpreter: python3-torch is installed for it, not for pyenv's

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "error: $*" >&2; exit 2; }

if [[ $# -eq 0 ]]; then usage; exit 2; fi
for a in "$@"; do
  if [[ "$a" == -h || "$a" == --help ]]; then usage; echo; break; fi
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ -x "$PYTHON" ]] || die "no $PYTHON (Debian's python3 is needed for python3-torch)"

if ! "$PYTHON" -c 'import torch, torchvision' 2>/dev/null; then
  echo "installing python3-torch and python3-torchvision with apt-get ..."
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-torchvision
fi

# the intra-op threads are set by --threads; keep OpenMP from starting more in the loader workers
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec "$PYTHON" "$ROOT/bench/pytorch_multilabel.py" "$@"
