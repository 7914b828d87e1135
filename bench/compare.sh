#!/usr/bin/env bash
# The relay against its floor, every figure from one run on one machine (issue 15's ratio table):
# the direct baseline (load generator <-> fake upstream) and the gateway in between on native SSE, the OpenAI
# endpoint, the AI SDK UI stream and WebSocket, each at STREAMS paced streams; the gateway runs with the
# launcher's default JVM settings (GATEWAY_JAVA_OPTS adds to them), as a new user runs it.
#   STREAMS=1000 RATE=20 TOKENS=100 DURATION=30s WARMUP=10s PROTOCOLS="native openai ui ws" ./bench/compare.sh
# STORE=redis runs the gateways as a node of a cluster on a `redis-server` of their own (the Redis resume store,
# stream slots and abort bus; REDIS_PORT, default 16399) instead of the in-memory store.
# PROFILE=html also writes a CPU flame graph of each gateway (async-profiler) to the results as flame-<protocol>.html;
# PROFILE=collapsed writes the same samples as collapsed stacks (flame-<protocol>.collapsed, one line per stack).
# Floor = the fake upstream's CPU per 10k chunks + the load generator's, in the same run: a relay does one read
# and one write per chunk, so it should cost about what those two cost together.
source "$(dirname "$0")/lib.sh"
export GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:- }" # lib.sh's default is -Xmx512m; here the launcher's defaults
STREAMS="${STREAMS:-1000}"
PROTOCOLS="${PROTOCOLS:-native openai ui ws}"
build; machine
start_upstream
if [ "${STORE:-memory}" = redis ]; then
  command -v redis-server >/dev/null || { log "STORE=redis needs redis-server on PATH (apt-get install redis-server)"; exit 2; }
  REDIS_PORT="${REDIS_PORT:-16399}"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$RESULTS/redis.out" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  GATEWAY_CONFIG_EXTRA=$(printf ',"redis":{"url":"redis://127.0.0.1:%d/0","keyPrefix":"bench:"},"nodeId":"bench"' "$REDIS_PORT")
  log "gateways on redis-server 127.0.0.1:$REDIS_PORT"
fi

run() { # NAME: one bench run of STREAMS streams against $TARGET with $PROTOCOL
  bench_run "$1" --streams "$STREAMS" --rate "${RATE:-20}" --tokens "${TOKENS:-100}" --duration "${DURATION:-30s}" \
    --warmup "${WARMUP:-10s}" --ramp 1s --upstream-pid "$UPSTREAM_PID" --quiet
}

# the direct baseline: the load generator reads the fake upstream itself (its OpenAI SSE)
TARGET="$UPSTREAM_URL"; TARGET_PID="$UPSTREAM_PID"; PROTOCOL=openai; MODEL=m
run direct

# a fresh gateway per protocol, so each peak RSS is that protocol's own
for p in $PROTOCOLS; do
  GATEWAY=1; PROTOCOL="$p"; MODEL=""; RUN_FLAGS=()
  if [ -n "${PROFILE:-}" ]; then GATEWAY_PROFILE="$RESULTS/flame-$p.$PROFILE"; fi
  start_target # sets TARGET, TARGET_PID, MODEL (and --model-params for openai: the OpenAI endpoint refuses unknown fields)
  run "gateway-$p"
  kill "$TARGET_PID"; wait "$TARGET_PID" 2>/dev/null || true
done

table() {
  echo "| run | chunks (of expected) | relay CPU-s / 10k chunks | floor: upstream + load generator | relay / floor | added per chunk p50 / p99 (ms) | first chunk added p50 / p99 (ms) | relay peak RSS (MB) |"
  echo "|---|---|---:|---:|---:|---|---|---:|"
  local f
  for f in "$RESULTS"/direct.json "$RESULTS"/gateway-*.json; do
    jq -r '
      def r3: (. * 1000 | round) / 1000;
      (.self.cpuSecondsPer10kChunks // 0) as $gen
      | (if .label == "direct" then (.target.cpuSecondsPer10kChunks // 0) else (.upstream.cpuSecondsPer10kChunks // 0) end) as $up
      | ($up + $gen) as $floor
      | (if .label == "direct" then null else (.target.cpuSecondsPer10kChunks // null) end) as $relay
      | "| \(.label) | \(.chunks.received) (\(.chunks.expected)), \(.streams.errors + .streams.truncated) failed | \(if $relay == null then "—" else ($relay | r3 | tostring) end) | \($floor | r3) (\($up | r3) + \($gen | r3)) | \(if $relay == null or $floor == 0 then "—" else (($relay / $floor * 100 | round) / 100 | tostring) + "×" end) | \(.latency.chunk.p50) / \(.latency.chunk.p99) | \(.latency.ttfcAdded.p50) / \(.latency.ttfcAdded.p99) | \(if .label == "direct" then "—" else (.target.peakRssMb // "?" | tostring) end) |"
    ' "$f"
  done
}
table | tee "$RESULTS/compare.md"
log "upstream: $(upstream_stats)"
log "results in $RESULTS (the table: compare.md)"
