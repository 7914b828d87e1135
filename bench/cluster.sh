#!/usr/bin/env bash
# Two gateway nodes: the cost of the Redis resume store against the in-memory one in the same run, and how
# long a dead node's streams take to continue on the other node.
#
#   1. memory: two standalone `./aistream serve` nodes (in-memory resume store); STREAMS resumable streams
#      (default 1000, half on each node) of TOKENS chunks at RATE chunks/s from the fake upstream, a new
#      one as soon as one ends, for DURATION, the first WARMUP left out; per node added latency per
#      chunk and CPU-s per 10k chunks.
#   2. redis: the same with both nodes on one `redis-server` (cluster mode); also Redis's own CPU.
#   3. takeover: TAKEOVER_STREAMS resumable `simulated/lorem` streams (20 tokens/s) started on node 1,
#      node 1 killed with SIGKILL, every stream resumed on node 2 (GET /v1/streams/{id}, Last-Event-ID =
#      the last seq node 1 sent); reports the time from the kill to each stream's first continued chunk
#      and checks that each ends `recovered`.
#
#   STREAMS=1000 RATE=20 TOKENS=100 DURATION=30s WARMUP=10s LEASE_MS=3000 RENEW_MS=1000 ./bench/cluster.sh
# MODES="memory redis" picks the load phases, TAKEOVER=0 skips the takeover; GATEWAY_JAVA_OPTS (default
# -Xmx512m) goes to every node, e.g. a -XX:StartFlightRecording for a profile.
# Needs `redis-server` on PATH (Debian: apt-get install redis-server). Ports: UPSTREAM_PORT (18091),
# NODE1_PORT (18081), NODE2_PORT (18082), REDIS_PORT (16379).
source "$(dirname "$0")/lib.sh"
NODE1_PORT="${NODE1_PORT:-18081}"
NODE2_PORT="${NODE2_PORT:-18082}"
REDIS_PORT="${REDIS_PORT:-16379}"
STREAMS="${STREAMS:-1000}"
LEASE_MS="${LEASE_MS:-3000}"
RENEW_MS="${RENEW_MS:-1000}"
TAKEOVER_STREAMS="${TAKEOVER_STREAMS:-100}"
command -v redis-server >/dev/null || { log "needs redis-server on PATH (apt-get install redis-server)"; exit 2; }

stop_pid() { # PID: stop one process we started and forget it
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}

cpu_ticks() { # PID: user + system CPU of a process in clock ticks (1/100 s)
  awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    >"$RESULTS/redis.out" 2>&1 &
  REDIS_PID=$!
  PIDS+=("$REDIS_PID")
  local i
  for i in $(seq 1 100); do
    if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  log "redis-server 127.0.0.1:$REDIS_PORT (pid $REDIS_PID)"
}

start_node() { # MODE NAME PORT [FILES]: sets NODE_PID; FILES names its config and logs (default MODE)
  local mode="$1" name="$2" port="$3" files="${4:-$1}" redis=""
  if [ "$mode" != memory ]; then
    redis=$(printf ',"redis":{"url":"redis://127.0.0.1:%d/0","leaseMillis":%d,"renewMillis":%d,"keyPrefix":"bench:"},"nodeId":"%s"' \
      "$REDIS_PORT" "$LEASE_MS" "$RENEW_MS" "$name")
  fi
  local config="$RESULTS/$files-$name.json"
  # as in lib.sh: limits raised so that a load test is not refused; resume kept 60 s (not 300) so that the
  # finished streams of a 30 s run do not fill the retained-memory budget
  printf '{"providers":{"bench":{"protocol":"openai-chat","preset":"vllm","baseUrl":"%s/v1"}},"limits":{"maxStreamsPerKey":50000,"maxStreams":50000,"maxConnections":50000,"maxConnectionsPerAddress":0},"resume":{"ttlSeconds":60}%s}\n' \
    "$UPSTREAM_URL" "$redis" >"$config"
  AISTREAM_JAVA_OPTS="${GATEWAY_JAVA_OPTS:--Xmx512m}" "$AISTREAM" serve --port "$port" --config "$config" \
    >"$RESULTS/$files-$name.out" 2>"$RESULTS/$files-$name.err" &
  NODE_PID=$!
  PIDS+=("$NODE_PID")
  wait_http "http://127.0.0.1:$port/health"
  log "$mode node $name http://127.0.0.1:$port (pid $NODE_PID)"
}

load_phase() { # MODE: two nodes, half the streams on each, measured at once
  local mode="$1" p1 p2 r1 r2 redis_before=0 redis_after=0
  [ "$mode" = redis ] && { start_redis; }
  start_node "$mode" n1 "$NODE1_PORT"; p1=$NODE_PID
  start_node "$mode" n2 "$NODE2_PORT"; p2=$NODE_PID
  local half=$((STREAMS / 2)) args=(--protocol native --model m --resumable --rate "${RATE:-20}" --tokens "${TOKENS:-100}"
    --duration "${DURATION:-30s}" --warmup "${WARMUP:-10s}" --ramp 1s --quiet)
  log "$mode: $STREAMS resumable streams ($half per node), ${RATE:-20} chunks/s, ${DURATION:-30s} (warm-up ${WARMUP:-10s})"
  AISTREAM_JAVA_OPTS="${BENCH_JAVA_OPTS:-}" "$AISTREAM" bench run --target "http://127.0.0.1:$NODE1_PORT" --pid "$p1" \
    --streams "$half" --label "$mode-n1" --json "$RESULTS/$mode-n1-run.json" "${args[@]}" >"$RESULTS/$mode-n1-run.txt" &
  r1=$!
  AISTREAM_JAVA_OPTS="${BENCH_JAVA_OPTS:-}" "$AISTREAM" bench run --target "http://127.0.0.1:$NODE2_PORT" --pid "$p2" \
    --streams "$half" --label "$mode-n2" --json "$RESULTS/$mode-n2-run.json" "${args[@]}" >"$RESULTS/$mode-n2-run.txt" &
  r2=$!
  if [ "$mode" = redis ]; then
    # Redis's CPU over the measured window (after the warm-up), for the "where the time goes" line
    sleep "$(( ${WARMUP_SECONDS:-10} + 1 ))"; redis_before=$(cpu_ticks "$REDIS_PID")
    redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
  fi
  wait "$r1"; wait "$r2"
  if [ "$mode" = redis ]; then
    redis_after=$(cpu_ticks "$REDIS_PID")
    redis-cli -p "$REDIS_PORT" info commandstats >"$RESULTS/redis-commandstats.txt"
    redis-cli -p "$REDIS_PORT" info memory | grep -E '^used_memory(_human)?:' >"$RESULTS/redis-memory.txt"
    echo "$(( redis_after - redis_before ))" >"$RESULTS/redis-cpu-ticks.txt"
  fi
  stop_pid "$p1"; stop_pid "$p2"
  [ "$mode" = redis ] && stop_pid "$REDIS_PID"
  return 0
}

summary() { # MODE: one table row from the two nodes' JSON reports
  jq -rs --arg mode "$1" '
    def chunks: (.target.cpuSeconds / .target.cpuSecondsPer10kChunks * 10000);
    (map(.target.cpuSeconds) | add) as $cpu | (map(chunks) | add) as $n
    | "| \($mode) | \(map(.chunks.received) | add) of \(map(.chunks.expected) | add), \(map(.streams.errors + .streams.truncated) | add) failed | \(map(.latency.chunk.p50 | tostring) | join(" / ")) | \(map(.latency.chunk.p99 | tostring) | join(" / ")) | \(map(.latency.ttfcAdded.p50 | tostring) | join(" / ")) | \((map(.target.cpuSecondsPer10kChunks | tostring)) | join(" / ")) | **\(($cpu / $n * 10000 * 1000 | round) / 1000)** | \(map(.target.peakRssMb | round | tostring) | join(" / ")) |"' \
    "$RESULTS/$1-n1-run.json" "$RESULTS/$1-n2-run.json"
}

takeover_phase() {
  start_redis
  local p1 p2 i
  start_node redis n1 "$NODE1_PORT" takeover; p1=$NODE_PID
  start_node redis n2 "$NODE2_PORT" takeover; p2=$NODE_PID
  local dir="$RESULTS/takeover"; mkdir -p "$dir"
  log "takeover: $TAKEOVER_STREAMS resumable simulated/lorem streams on n1, lease ${LEASE_MS} ms, renewal ${RENEW_MS} ms"
  local readers=()
  for i in $(seq 1 "$TAKEOVER_STREAMS"); do
    curl -sN -D "$dir/$i.head" -o "$dir/$i.before" -H 'Content-Type: application/json' \
      -d "{\"provider\":\"simulated\",\"model\":\"lorem\",\"resumable\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"providerOptions\":{\"tokensPerSecond\":20,\"length\":400,\"seed\":$i}}" \
      "http://127.0.0.1:$NODE1_PORT/v1/stream" &
    readers+=($!)
  done
  # every stream has sent a few chunks (and renewed its lease at least once) before the kill
  for i in $(seq 1 "$TAKEOVER_STREAMS"); do
    until [ "$(grep -c '^id:' "$dir/$i.before" 2>/dev/null || true)" -ge 10 ] 2>/dev/null; do sleep 0.1; done
  done
  sleep "$(awk -v r="$RENEW_MS" 'BEGIN { print r / 1000 }')"
  kill -9 "$p1"
  local killed=$EPOCHREALTIME
  log "killed n1 (pid $p1) with SIGKILL"
  for i in "${readers[@]}"; do wait "$i" 2>/dev/null || true; done
  # The first continued chunk is the first one after the last that n1 stored: read that from Redis now
  # (the lease has not expired yet, so nobody has appended since the kill)
  local resumes=()
  for i in $(seq 1 "$TAKEOVER_STREAMS"); do
    local id last stored
    id=$(tr -d '\r' <"$dir/$i.head" | awk -F': ' 'tolower($1) == "x-stream-id" { print $2 }')
    last=$(grep '^id:' "$dir/$i.before" | tail -n 1 | cut -d' ' -f2 | tr -d '\r')
    stored=$(redis-cli -p "$REDIS_PORT" hget "bench:{$id}:m" last)
    echo "$id $last $stored" >"$dir/$i.ids"
    (
      first=""
      curl -sN --max-time 120 -H "Last-Event-ID: $last" "http://127.0.0.1:$NODE2_PORT/v1/streams/$id" |
        while IFS= read -r line; do
          if [ -z "$first" ] && [ "${line#id: }" != "$line" ] && [ "${line#id: }" -gt "$stored" ]; then
            first=$EPOCHREALTIME
            echo "$first" >"$dir/$i.first"
          fi
          printf '%s\n' "$line"
        done >"$dir/$i.after"
    ) &
    resumes+=($!)
  done
  for i in "${resumes[@]}"; do wait "$i" 2>/dev/null || true; done
  local ms=() recovered=0 lost=0
  for i in $(seq 1 "$TAKEOVER_STREAMS"); do
    if [ -f "$dir/$i.first" ]; then
      ms+=("$(awk -v a="$killed" -v b="$(cat "$dir/$i.first")" 'BEGIN { printf "%.0f", (b - a) * 1000 }')")
    fi
    grep -q '"recovered":true' "$dir/$i.after" && recovered=$((recovered + 1))
    grep -q 'node_lost' "$dir/$i.after" && lost=$((lost + 1))
  done
  printf '%s\n' "${ms[@]}" | sort -n >"$dir/ms.txt"
  TAKEOVER_LINE=$(awk -v n="$TAKEOVER_STREAMS" -v rec="$recovered" -v lost="$lost" '{ v[NR] = $1 } END {
    printf "%d of %d streams continued on n2, %d ended recovered, %d node_lost; kill → first continued chunk: min %d ms, p50 %d ms, max %d ms",
      NR, n, rec, lost, v[1], v[int((NR + 1) / 2)], v[NR] }' "$dir/ms.txt")
  log "takeover: $TAKEOVER_LINE"
  stop_pid "$p2"; stop_pid "$REDIS_PID"
}

build; machine
WARMUP_SECONDS=$(echo "${WARMUP:-10s}" | tr -dc '0-9')
MODES="${MODES-memory redis}" # MODES="" runs the takeover only
start_upstream
for mode in $MODES; do load_phase "$mode"; done
TAKEOVER_LINE="not run (TAKEOVER=0)"
[ "${TAKEOVER:-1}" = 0 ] || takeover_phase
{
  [ -z "$MODES" ] || echo "| store | chunks | added p50 ms (n1 / n2) | added p99 ms | first chunk added p50 ms | CPU-s per 10k chunks (n1 / n2) | both nodes | peak RSS MB |"
  [ -z "$MODES" ] || echo "|---|---|---|---|---|---|---|---|"
  for mode in $MODES; do summary "$mode"; done
  if [ -f "$RESULTS/redis-cpu-ticks.txt" ]; then
    ticks=$(cat "$RESULTS/redis-cpu-ticks.txt")
    chunks=$(jq -s 'map(.target.cpuSeconds / .target.cpuSecondsPer10kChunks * 10000) | add' "$RESULTS"/redis-n?-run.json)
    calls=$(awk -F'[=,:]' '/^cmdstat_/ { n += $3 } END { print n }' "$RESULTS/redis-commandstats.txt")
    echo "redis-server: $(awk -v t="$ticks" -v c="$chunks" 'BEGIN { printf "%.3f", t / 100 / c * 10000 }') CPU-s per 10k chunks, $(awk -v n="$calls" -v c="$chunks" 'BEGIN { printf "%.2f", n / c }') commands per chunk (INFO commandstats over the measured window, commands inside scripts included), $(cut -d: -f2 "$RESULTS/redis-memory.txt" | tail -n 1 | tr -d '\r') used at the end"
  fi
  echo "takeover (lease ${LEASE_MS} ms, renewal ${RENEW_MS} ms): $TAKEOVER_LINE"
} >"$RESULTS/summary.md"
cat "$RESULTS/summary.md"
log "upstream: $(upstream_stats)"
log "results in $RESULTS"
