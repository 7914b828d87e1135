#!/usr/bin/env bash
# Slow readers under each backpressure strategy: STREAMS (default 200) streams of 10 s at RATE 50 chunks/s
# whose client reads 256 bytes every 200 ms (far slower than the stream: a run takes about 100 s). Through the gateway each strategy
# (block, buffer, drop, coalesce) gets a fresh gateway, and its peak RSS must stay bounded; directly
# against the fake upstream there is no strategy to choose (one run: TCP backpressure on the upstream).
#   GATEWAY=1 ./bench/slow-readers.sh
source "$(dirname "$0")/lib.sh"
build; machine
start_upstream
if [ "$GATEWAY" = "1" ]; then
  strategies="${STRATEGIES:-block buffer drop coalesce}"
else
  strategies="none"
fi
for s in $strategies; do
  start_target
  extra=()
  [ "$s" != none ] && extra=(--backpressure "$s")
  bench_run "slow-$s" --streams "${STREAMS:-200}" --rate "${RATE:-50}" --duration "${DURATION:-10s}" \
    --slow-reader --read-pause "${READ_PAUSE:-200ms}" --read-bytes 256 --timeout 60s --quiet "${extra[@]}" || true
  if [ "$GATEWAY" = "1" ]; then
    kill "$TARGET_PID"; wait "$TARGET_PID" 2>/dev/null || true
  fi
done
log "upstream: $(upstream_stats)"
log "results in $RESULTS"
