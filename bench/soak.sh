#!/usr/bin/env bash
# Soak: DURATION (default 600 s) of mixed traffic through the gateway — paced OpenAI and native streams,
# client aborts, slow readers under each backpressure strategy, WebSocket streams, resumable streams
# resumed and abandoned, and a flood every FLOOD_EVERY of FLOOD_SIZE unpaced resumable streams hung up
# after the headers — while the gateway's heap, RSS, platform and OS threads, open fds, active streams,
# retained bytes per pool and refused streams are sampled every SAMPLE (default 10 s). After a warm-up
# and a full GC it takes a baseline; after the traffic it waits (at most DRAIN, 60 s) for streams to
# end and retained bytes to drain, runs a full GC (jcmd GC.run) and checks every figure against the
# baseline: PASS/FAIL per figure, exit 1 on FAIL. Writes samples.csv, soak.svg (the chart) and
# summary.txt into bench/results/soak-<time>/.
#   DURATION=600 SAMPLE=10 ./bench/soak.sh          (short check: DURATION=60 SAMPLE=5 ./bench/soak.sh)
# Knobs: DURATION, SAMPLE, WARMUP (20), DRAIN (60), FLOOD_EVERY (60), FLOOD_SIZE (200), SCALE (1: stream
# counts of the mix), HEAP (512m: the gateway's fixed heap), BUDGET_MIB (160: its memory budget),
# RESUME_TTL (30 s: how long finished resume buffers stay; must be well under DRAIN).
GATEWAY=1
source "$(dirname "$0")/lib.sh"
secs() { case "$1" in *s) echo "${1%s}" ;; *) echo "$1" ;; esac; }
DURATION="$(secs "${DURATION:-600}")"
SAMPLE="$(secs "${SAMPLE:-10}")"
need=20000
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$need" 2>/dev/null || log "warning: open files limit $(ulimit -n) < $need"
fi
build; machine
start_upstream

# The soak's own gateway: the fake upstream as the OpenAI-compatible provider `bench` plus the built-in
# simulated provider (uncapped without API keys). Limits raised so the mix is not refused by count
# (the memory budget is what the floods meet); no per-address cap (every client is 127.0.0.1);
# finished resume buffers kept RESUME_TTL so abandoned ones drain within the DRAIN wait.
config="$RESULTS/gateway.json"
printf '{"providers":{"bench":{"protocol":"openai-chat","preset":"vllm","baseUrl":"%s/v1"}},"limits":{"maxStreamsPerKey":50000,"maxStreams":50000,"maxConnections":50000,"maxConnectionsPerAddress":0},"resume":{"ttlSeconds":%d},"memory":{"budgetMiB":%d}}\n' \
  "$UPSTREAM_URL" "${RESUME_TTL:-30}" "${BUDGET_MIB:-160}" >"$config"
AISTREAM_JAVA_OPTS="-Xms${HEAP:-512m} -Xmx${HEAP:-512m} ${GATEWAY_JAVA_OPTS:-}" "$AISTREAM" serve --port "$GATEWAY_PORT" --config "$config" \
  >"$RESULTS/gateway.out" 2>"$RESULTS/gateway.err" &
TARGET_PID=$!
PIDS+=("$TARGET_PID")
TARGET="http://127.0.0.1:$GATEWAY_PORT"
wait_http "$TARGET/health"
log "gateway $TARGET (pid $TARGET_PID, heap ${HEAP:-512m}, budget ${BUDGET_MIB:-160} MiB)"

status=0
AISTREAM_JAVA_OPTS="${BENCH_JAVA_OPTS:-}" "$AISTREAM" bench soak --target "$TARGET" --upstream "$UPSTREAM_URL" \
  --pid "$TARGET_PID" --duration "${DURATION}s" --sample "${SAMPLE}s" --warmup "$(secs "${WARMUP:-20}")s" \
  --drain "$(secs "${DRAIN:-60}")s" --flood-every "$(secs "${FLOOD_EVERY:-60}")s" --flood-size "${FLOOD_SIZE:-200}" \
  --scale "${SCALE:-1}" --out "$RESULTS" | tee "$RESULTS/soak.txt" || status=$?
curl -sf "$TARGET/metrics" >"$RESULTS/gateway-metrics.txt" || true
log "upstream: $(upstream_stats)"
log "results in $RESULTS (chart: soak.svg)"
exit "$status"
