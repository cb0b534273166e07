# Sourced by bench/serve-load.sh and bench/serve-abuse.sh: start and stop `cxr serve` on
# 127.0.0.1:$PORT with $OUT/model.zip, logging to $OUT/server.log. Needs JAR, OUT and PORT set.
server_pid=""

# start_server [extra serve options]: returns once /health/ready answers 200
start_server() {
  # java itself in the background (not a shell function), so that $! is the server's JVM
  java -jar "$JAR" serve --model "$OUT/model.zip" --port "$PORT" "$@" >"$OUT/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    kill -0 "$server_pid" 2>/dev/null || { cat "$OUT/server.log"; exit 1; }
    curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the server did not get ready"; exit 1
}

# stop_server: SIGTERM, then wait for the JVM to end
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap stop_server EXIT
