#!/usr/bin/env bash
# Maximum relay throughput: unpaced streams (rate 0) of TOKENS chunks, STREAMS slots restarting
# streams for DURATION; reports chunks/s delivered and CPU per chunk of the target.
#   STREAMS="10 100" TOKENS=2000 DURATION=15s ./bench/throughput.sh         (GATEWAY=1 to go through the gateway)
source "$(dirname "$0")/lib.sh"
build; machine
start_upstream
start_target
for c in ${STREAMS:-10 100}; do
  bench_run "throughput-c$c" --streams "$c" --rate 0 --tokens "${TOKENS:-2000}" --duration "${DURATION:-15s}" \
    --warmup "${WARMUP:-5s}" --quiet
done
log "upstream: $(upstream_stats)"
log "results in $RESULTS"
