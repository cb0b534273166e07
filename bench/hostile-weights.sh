#!/usr/bin/env bash
# Hostile weight files, each refused in under a second with one line.
#
# bench/hostile_weights.py writes pickles that call os.system, builtins.eval and
# subprocess.Popen (plain and inside torch.save zips), a GLOBAL off the allow-list, a storage
# declaring more elements than the file holds, safetensors headers with overlapping and
# out-of-range offsets, a 2 GiB header length, and 10,000 nested lists. bench/HostileCheck.java
# reads each with cxr's weight reader (what `cxr import` and `--pretrained` use) and prints the time
# to refusal and the message; then `cxr import` shows the command line's one-line error and exit
# code for one of them. Exits 1 when a file is accepted, slow (>= 1 s) or refused in more than one
# line.
#
# Installs Debian's python3-torch with apt-get if /usr/bin/python3 lacks it, and builds
# cxr-examples/target/cxr.jar with Maven if it is missing.
#
# Usage: bench/hostile-weights.sh [--out DIR]
set -euo pipefail
OUT=""
PYTHON=/usr/bin/python3
die() { echo "error: $*" >&2; exit 2; }
while (( $# )); do
  case "$1" in
    --out) OUT="${2:?--out needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAR="$ROOT/cxr-examples/target/cxr.jar"
if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  SUDO=""; if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch
fi
[[ -f "$JAR" ]] || mvn -B -q package -DskipTests
WORK="${OUT:-$(mktemp -d)}"
"$PYTHON" bench/hostile_weights.py "$WORK" > /dev/null
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$JAR" bench/HostileCheck.java "$WORK"
echo "cxr import --from $WORK/os-system.pt:"
set +e
java -jar "$JAR" import --from "$WORK/os-system.pt" --findings Effusion --out "$WORK/x.zip"
echo "exit code $?; model written: $([[ -e "$WORK/x.zip" ]] && echo yes || echo no)"
