#!/usr/bin/env bash
# Many mostly idle open streams: STREAMS (default 10000) streams, one chunk every 2 s (RATE 0.5), all
# open for DURATION; reports the target's memory per open stream (RSS growth / streams) and peak RSS.
# Through the gateway, its heap is capped at 512 MB (GATEWAY_JAVA_OPTS).
#   STREAMS=10000 DURATION=40s ./bench/idle-streams.sh                      (GATEWAY=1 to go through the gateway)
source "$(dirname "$0")/lib.sh"
n="${STREAMS:-10000}"
need=$(( n * (GATEWAY == 1 ? 2 : 1) + 1000 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$need" 2>/dev/null || log "warning: open files limit $(ulimit -n) < $need; raise it (ulimit -n)"
fi
build; machine
start_upstream
start_target
bench_run "idle-c$n" --streams "$n" --rate "${RATE:-0.5}" --duration "${DURATION:-40s}" --ramp "${RAMP:-10s}" \
  --timeout 60s --quiet
log "upstream: $(upstream_stats)"
log "results in $RESULTS"
