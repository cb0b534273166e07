#!/usr/bin/env bash
# Load run of cxr serve on this machine (127.0.0.1 only): 1, 4 and 16 concurrent clients posting a
# 64 px and a 1024 px PNG, SECONDS each (default 60), with requests/s, p50/p95/p99 latency, the
# answers by status and the server's peak RSS; then batching on and off at 16 clients; then
# `cxr predict` on the same images for comparison. CPU heavy: run it on a quiet machine.
#
#   bench/serve-load.sh [OUT_DIR]        (default target/serve-load; LOAD_SECONDS=10 for a quick look)
#
# The model is the library's default network (ResNet-18, width 32, 128 px) trained for one epoch on
# phantoms: its weights do not change the speed. Needs cxr-examples/target/cxr.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-target/serve-load}")
SECONDS_EACH=${LOAD_SECONDS:-60}
JAR=cxr-examples/target/cxr.jar
PORT=${PORT:-18089}
mkdir -p "$OUT"
[ -f "$JAR" ] || mvn -B -o -q -pl cxr-examples -am package -DskipTests -Dmaven.javadoc.skip \
  -Dmaven.source.skip
cxr() { java -jar "$JAR" "$@"; }

if [ ! -f "$OUT/model.zip" ]; then
  cxr make-demo-data --out "$OUT/train" --n 200 --size 128 --seed 3 >/dev/null
  cxr train --data "$OUT/train" --size 128 --epochs 1 --out "$OUT/model.zip" >/dev/null
fi
for s in 64 1024; do
  [ -f "$OUT/img$s.png" ] && continue
  cxr make-demo-data --out "$OUT/img$s" --n 4 --size "$s" --seed 9 >/dev/null
  cp "$(ls "$OUT/img$s/images/"*.png | head -1)" "$OUT/img$s.png"
done
javac -d "$OUT/classes" bench/ServeLoad.java

source bench/serve-common.sh
peak_rss() { awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$server_pid/status"; }
load() { # clients image
  java -cp "$OUT/classes" ServeLoad --url "http://127.0.0.1:$PORT/v1/predict" --image "$2" \
    --clients "$1" --seconds "$SECONDS_EACH"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $SECONDS_EACH s per run"
for s in 64 1024; do
  start_server
  for c in 1 4 16; do
    echo "$(load "$c" "$OUT/img$s.png")  server peak RSS $(peak_rss)"
  done
  stop_server
done

echo "batching at 16 clients (--max-batch 1 turns it off; images per forward pass from /metrics):"
for s in 64 1024; do
  for mb in 1 32; do
    start_server --max-batch "$mb"
    line=$(load 16 "$OUT/img$s.png")
    batches=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^cxr_batch_size_sum/ {s = $2} /^cxr_batch_size_count/ {c = $2} END {printf "%.2f images per pass over %d passes", s / c, c}')
    echo "--max-batch $mb: $line  ($batches)"
    stop_server
  done
done

echo "cxr predict on the same images (one JVM per command; 20 and 200 copies, the difference is"
echo "the rate without the JVM's start and the model's load):"
for s in 64 1024; do
  d="$OUT/copies$s"
  rm -rf "$d" && mkdir -p "$d"
  for i in $(seq -w 1 200); do cp "$OUT/img$s.png" "$d/$i.png"; done
  t0=$(date +%s.%N); cxr predict --model "$OUT/model.zip" $(ls "$d"/*.png | head -20) >/dev/null
  t1=$(date +%s.%N); cxr predict --model "$OUT/model.zip" "$d"/*.png >/dev/null
  t2=$(date +%s.%N)
  awk -v s="$s" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
    printf "cxr predict %s px: 20 images %.1f s, 200 images %.1f s: %.1f img/s whole command, %.1f img/s marginal\n",
      s, b - a, c - b, 200 / (c - b), 180 / ((c - b) - (b - a)) }'
done
