# Shared by the bench/ scenarios: builds the CLI, starts the fake upstream and (with GATEWAY=1) the
# gateway in front of it, runs the load generator, cleans up. Source it; do not run it.
#
# Environment:
#   GATEWAY=1          put `./aistream serve` between the load generator and the fake upstream
#                      (default 0: the load generator talks to the fake upstream directly — a
#                      self-test of the tool and its baseline cost)
#   PROTOCOL           openai | native | ws (default: native through the gateway, openai direct)
#   UPSTREAM_PORT      fake upstream port (default 18091); GATEWAY_PORT (default 18080)
#   GATEWAY_JAVA_OPTS  JVM options of the gateway (default -Xmx512m)
#   GATEWAY_WS_STREAMS_PER_SOCKET  if set, the gateway's webSocket.maxStreamsPerSocket (its default: 32)
#   GATEWAY_CONFIG_EXTRA  more members of the gateway's config file, as JSON text after a comma (e.g. its redis)
#   GATEWAY_PROFILE    if set, a file name: async-profiler (from Maven Central) samples the gateway's CPU for its
#                      whole life and writes there when it stops: a flame graph (name.html) or collapsed stacks
#                      (name.collapsed)
#   BENCH_JAVA_OPTS    JVM options of the load generator and the upstream (default none)
#   RESULTS            where reports go (default bench/results/<scenario>-<time>)
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
AISTREAM="$ROOT/aistream"
GATEWAY="${GATEWAY:-0}"
UPSTREAM_PORT="${UPSTREAM_PORT:-18091}"
GATEWAY_PORT="${GATEWAY_PORT:-18080}"
SCENARIO="$(basename "$0" .sh)"
RESULTS="${RESULTS:-$BENCH_DIR/results/$SCENARIO-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$RESULTS"
PIDS=()
RUN_FLAGS=() # extra flags start_target adds to every bench_run

cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    wait "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

log() { printf '[%s] %s\n' "$SCENARIO" "$*" >&2; }

wait_http() { # URL: wait up to 60 s for a 200
  local i
  for i in $(seq 1 300); do
    if curl -sf -o /dev/null "$1"; then return 0; fi
    sleep 0.2
  done
  log "no answer from $1"; return 1
}

build() {
  "$AISTREAM" bench --help >/dev/null # builds the CLI and the bench module on first use
}

machine() {
  log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB RAM", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg), open files limit $(ulimit -n)"
}

profiler_agent() { # prints the -agentpath option that writes a CPU flame graph to $1
  local version=4.2 dir="$BENCH_DIR/results/.async-profiler"
  local so="$dir/linux-x64/libasyncProfiler.so"
  if [ ! -f "$so" ]; then
    local jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
    [ -f "$jar" ] || mvn -B -q -ntp dependency:get -Dartifact="tools.profiler:async-profiler:$version" >&2
    mkdir -p "$dir" && (cd "$dir" && unzip -q -o "$jar" 'linux-x64/*')
  fi
  local format=""
  case "$1" in *.collapsed) format=",collapsed" ;; esac
  printf -- '-agentpath:%s=start,event=cpu,interval=1ms%s,file=%s' "$so" "$format" "$1"
}

start_upstream() { # extra flags for `bench upstream`
  AISTREAM_JAVA_OPTS="${BENCH_JAVA_OPTS:-}" "$AISTREAM" bench upstream --port "$UPSTREAM_PORT" "$@" \
    >"$RESULTS/upstream.out" 2>"$RESULTS/upstream.err" &
  UPSTREAM_PID=$!
  PIDS+=("$UPSTREAM_PID")
  UPSTREAM_URL="http://127.0.0.1:$UPSTREAM_PORT"
  wait_http "$UPSTREAM_URL/health"
  log "fake upstream $UPSTREAM_URL (pid $UPSTREAM_PID)"
}

start_target() { # sets TARGET, TARGET_PID, PROTOCOL, MODEL
  if [ "$GATEWAY" = "1" ]; then
    local config="$RESULTS/gateway.json"
    # The gateway's default limits (100 streams per key) would answer 429 to a load test: raise them; and its
    # per-address connection cap (256) would refuse a load generator on 127.0.0.1: turn it off.
    local ws=""
    if [ -n "${GATEWAY_WS_STREAMS_PER_SOCKET:-}" ]; then
      ws=$(printf ',"webSocket":{"maxStreamsPerSocket":%d}' "$GATEWAY_WS_STREAMS_PER_SOCKET")
    fi
    printf '{"providers":{"bench":{"protocol":"openai-chat","preset":"vllm","baseUrl":"%s/v1"}},"limits":{"maxStreamsPerKey":50000,"maxStreams":50000,"maxConnections":50000,"maxConnectionsPerAddress":0}%s}\n' \
      "$UPSTREAM_URL" "$ws${GATEWAY_CONFIG_EXTRA:-}" >"$config"
    local opts="${GATEWAY_JAVA_OPTS:--Xmx512m}"
    if [ -n "${GATEWAY_PROFILE:-}" ]; then opts="$opts $(profiler_agent "$GATEWAY_PROFILE")"; fi
    AISTREAM_JAVA_OPTS="$opts" "$AISTREAM" serve --port "$GATEWAY_PORT" --config "$config" \
      >"$RESULTS/gateway.out" 2>"$RESULTS/gateway.err" &
    TARGET_PID=$!
    PIDS+=("$TARGET_PID")
    TARGET="http://127.0.0.1:$GATEWAY_PORT"
    wait_http "$TARGET/health"
    PROTOCOL="${PROTOCOL:-native}"
    # the OpenAI endpoint refuses unknown fields (as OpenAI does): the stream parameters go in the model name
    if [ "$PROTOCOL" = "openai" ]; then MODEL="${MODEL:-bench/m}"; RUN_FLAGS+=(--model-params); else MODEL="${MODEL:-m}"; fi
    log "gateway $TARGET (pid $TARGET_PID), protocol $PROTOCOL"
  else
    TARGET="$UPSTREAM_URL"
    TARGET_PID="$UPSTREAM_PID"
    PROTOCOL="${PROTOCOL:-openai}"
    MODEL="${MODEL:-m}"
    log "no gateway (GATEWAY=0): measuring the fake upstream directly, protocol $PROTOCOL"
  fi
}

bench_run() { # NAME, then flags for `bench run`; writes $RESULTS/NAME.json and NAME.txt
  local name="$1"; shift
  log "run $name: $*"
  # --upstream: where an --abort-after run asks when the fake upstream saw each abort (behind a gateway too)
  AISTREAM_JAVA_OPTS="${BENCH_JAVA_OPTS:-}" "$AISTREAM" bench run --target "$TARGET" --protocol "$PROTOCOL" \
    --model "$MODEL" --pid "$TARGET_PID" --label "$name" --json "$RESULTS/$name.json" --upstream "$UPSTREAM_URL" \
    "${RUN_FLAGS[@]}" "$@" | tee "$RESULTS/$name.txt"
}

upstream_stats() {
  curl -sf "$UPSTREAM_URL/stats" || true
}
