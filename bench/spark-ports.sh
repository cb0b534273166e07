#!/usr/bin/env bash
# Runs `cxr-spark/bin/cxr-spark score` on demo data and lists the TCP sockets its JVM listens on
# while it runs (ss -ltnp, polled every 0.2 s); fails when one is bound beyond loopback (issue 31).
#
#   bench/spark-ports.sh [OUT_DIR] [-- extra cxr-spark score options, e.g. --ui]
#                                          (default OUT_DIR: target/spark-ports)
#
# Makes its own data: cxr make-demo-data (120 phantoms, 64 px) and a 1-epoch 32 px model (~10 s).
# Needs cxr-examples/target/cxr.jar (built here with -o when absent) and ss (Debian's iproute2,
# installed with apt-get when missing). Linux only.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-target/spark-ports}")
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
mkdir -p "$OUT"
JAR=cxr-examples/target/cxr.jar

if ! command -v ss >/dev/null; then
  echo "ss is missing: installing Debian's iproute2 with apt-get"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq iproute2 >/dev/null
fi
[ -f "$JAR" ] || mvn -B -o -q -pl cxr-examples -am package -DskipTests -Dmaven.javadoc.skip \
  -Dmaven.source.skip
if [ ! -f "$OUT/m.zip" ]; then
  java -jar "$JAR" make-demo-data --n 120 --size 64 --seed 3 --out "$OUT/demo" --overwrite >/dev/null
  java -jar "$JAR" train --data "$OUT/demo" --epochs 1 --size 32 --width 4 --workers 2 \
    --out "$OUT/m.zip" >/dev/null
fi

rm -rf "$OUT/scores.parquet"
cxr-spark/bin/cxr-spark score --model "$OUT/m.zip" --images "$OUT/demo/images" \
  --out "$OUT/scores.parquet" --master 'local[2]' "$@" >"$OUT/run.log" 2>&1 &
pid=$! # the script execs java: this is the JVM
: >"$OUT/ss.log"
while kill -0 "$pid" 2>/dev/null; do
  ss -ltnpH 2>/dev/null | grep "pid=$pid," >>"$OUT/ss.log" || true
  sleep 0.2
done
code=0; wait "$pid" || code=$?
cat "$OUT/run.log"
[ "$code" -eq 0 ] || { echo "cxr-spark failed with exit code $code"; exit 1; }
echo "listening sockets of the cxr-spark JVM (pid $pid) during the run, ss -ltnp:"
sort -u "$OUT/ss.log" | sed -E 's/ +/ /g' | tee "$OUT/listening.txt"
[ -s "$OUT/listening.txt" ] || { echo "FAIL: no listening socket seen (too quick a run?)"; exit 1; }
# column 4: local address:port; loopback is 127.x.x.x, [::ffff:127.x.x.x] or [::1]
beyond=$(awk '{print $4}' "$OUT/listening.txt" \
  | grep -Ev '^(127\.[0-9.]+|\[::ffff:127\.[0-9.]+\]|\[::1\]):[0-9]+$' || true)
if [ -n "$beyond" ]; then
  echo "FAIL: listening beyond loopback: $(echo $beyond)"
  exit 1
fi
echo "OK: every listening socket is on loopback"
