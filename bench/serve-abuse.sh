#!/usr/bin/env bash
# Hostile requests against `cxr serve` on 127.0.0.1, each with the status and the one line the
# client gets: a 200 MiB body, a PNG header declaring 46000 x 46000 pixels, a text file, an empty
# body, 100 connections sending one byte a second (body, then headers), a model file's path in a
# query string, and SIGTERM while a request is being received.
#
#   bench/serve-abuse.sh [OUT_DIR]      (default target/serve-abuse; about 2 minutes)
#
# Needs cxr-examples/target/cxr.jar, curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-target/serve-abuse}")
JAR=cxr-examples/target/cxr.jar
PORT=${PORT:-18090}
SLOW_SECONDS=${SLOW_SECONDS:-40}
mkdir -p "$OUT"
[ -f "$JAR" ] || mvn -B -o -q -pl cxr-examples -am package -DskipTests -Dmaven.javadoc.skip \
  -Dmaven.source.skip
cxr() { java -jar "$JAR" "$@"; }
if [ ! -f "$OUT/model.zip" ]; then
  cxr make-demo-data --out "$OUT/data" --n 40 --size 64 --seed 5 >/dev/null
  cxr train --data "$OUT/data" --size 64 --width 8 --epochs 1 --out "$OUT/model.zip" >/dev/null
fi
IMG=$(ls "$OUT/data/images/"*.png | head -1)

source bench/serve-common.sh
post() { # label, then curl arguments
  local label=$1; shift
  echo "$label: $(curl -s -w ' HTTP %{http_code}, answered after %{time_starttransfer} s, %{size_upload} bytes of the body sent' "$@" || true)"
}

start_server
URL="http://127.0.0.1:$PORT/v1/predict"
head -c $((200 << 20)) /dev/zero >"$OUT/200MiB.bin"
post "200 MiB body" -H 'Content-Type: image/png' --data-binary @"$OUT/200MiB.bin" "$URL"
python3 - "$OUT/huge.png" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
ihdr = struct.pack(">IIBBBBB", 46000, 46000, 8, 0, 0, 0, 0)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                              + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
PY
post "PNG header declaring 46000 x 46000 ($(stat -c %s "$OUT/huge.png") bytes)" \
  -H 'Content-Type: image/png' --data-binary @"$OUT/huge.png" "$URL"
printf 'Patient: Doe^John\nFindings: none\n' >"$OUT/notes.txt"
post "a text file sent as image/png" -H 'Content-Type: image/png' --data-binary @"$OUT/notes.txt" "$URL"
post "a text file sent as text/plain" -H 'Content-Type: text/plain' --data-binary @"$OUT/notes.txt" "$URL"
post "an empty body" -H 'Content-Type: image/png' --data-binary '' "$URL"
post "a model file's path in the query string" -H 'Content-Type: image/png' \
  --data-binary @"$IMG" "$URL?model=$OUT/model.zip"
post "the model file by its name" "http://127.0.0.1:$PORT/model.zip"
post "a path out of the page's folder" --path-as-is "http://127.0.0.1:$PORT/../../etc/passwd"
echo "100 connections sending a predict body (Content-Length: 1000) one byte a second:"
python3 bench/serve_abuse.py slow-body "$PORT" 100 "$SLOW_SECONDS" "$IMG"
echo "100 connections sending the request headers one byte a second:"
python3 bench/serve_abuse.py slow-headers "$PORT" 100 "$SLOW_SECONDS" "$IMG"
stop_server

start_server
python3 bench/serve_abuse.py sigterm "$PORT" "$server_pid" "$IMG"
code=0; wait "$server_pid" || code=$?
server_pid=""
echo "server exit code: $code; its last lines:"; tail -2 "$OUT/server.log"
