#!/usr/bin/env bash
# Abort storm: STREAMS (default 10000) streams, each aborted by the client after ABORT_AFTER (3) chunks;
# afterwards nothing may be left behind: the fake upstream must see every stream end (streamsActive 0,
# its connections closed) and the target's memory must fall back. Through the gateway, /metrics is
# saved for the active-stream gauges. It also prints the abort latency: from the client's close to the
# fake upstream seeing the stream aborted (target: 100 ms). The upstream notices at its next write, so
# the figure includes up to one or two chunk intervals (1/RATE; default RATE 100: 10 ms) — the line says
# which.
#   STREAMS=10000 ./bench/abort-storm.sh                                     (GATEWAY=1 to go through the gateway)
source "$(dirname "$0")/lib.sh"
n="${STREAMS:-10000}"
need=$(( n * (GATEWAY == 1 ? 2 : 1) + 1000 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$need" 2>/dev/null || log "warning: open files limit $(ulimit -n) < $need"
fi
build; machine
start_upstream
start_target
bench_run "abort-c$n" --streams "$n" --rate "${RATE:-100}" --tokens 1000 --abort-after "${ABORT_AFTER:-3}" \
  --ramp "${RAMP:-5s}" --timeout 60s --quiet
sleep 3 # let the upstream notice the last aborts (at its next paced write)
line="$(grep '^abort latency' "$RESULTS/abort-c$n.txt" || true)"
log "${line:-abort latency: not reported}"
stats="$(upstream_stats)"
log "upstream after the storm: $stats"
echo "$stats" >"$RESULTS/upstream-after.json"
if [ "$GATEWAY" = "1" ]; then
  curl -sf "$TARGET/metrics" >"$RESULTS/gateway-metrics.txt" || true
  log "gateway metrics saved (grep active / streams in $RESULTS/gateway-metrics.txt)"
fi
log "target RSS now: $(awk '/VmRSS/ {print $2/1024 " MB"}' "/proc/$TARGET_PID/status")"
active=$(printf '%s' "$stats" | sed -n 's/.*"streamsActive":\([0-9]*\).*/\1/p')
if [ "${active:-1}" != "0" ]; then
  log "LEAK: the upstream still has $active active streams"; exit 1
fi
log "no leaks: every upstream stream ended"
log "results in $RESULTS"
