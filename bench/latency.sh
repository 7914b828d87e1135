#!/usr/bin/env bash
# Added latency per chunk at N concurrent paced streams (default sweep 100 500 1000 streams, each stream
# 100 chunks at 20 chunks/s, a new one as soon as one ends, 30 s each, the first 10 s (JIT) left out as warm-up),
# plus the chart of percentiles vs streams.
#   STREAMS="100 500 1000" RATE=20 TOKENS=100 DURATION=30s ./bench/latency.sh   (GATEWAY=1 through the gateway)
source "$(dirname "$0")/lib.sh"
build; machine
start_upstream
start_target
files=()
for c in ${STREAMS:-100 500 1000}; do
  bench_run "latency-c$c" --streams "$c" --rate "${RATE:-20}" --tokens "${TOKENS:-100}" --duration "${DURATION:-30s}" --warmup "${WARMUP:-10s}" \
    --ramp 1s --quiet
  files+=("$RESULTS/latency-c$c.json")
done
"$AISTREAM" bench chart --in "${files[@]}" --out "$RESULTS/latency.png" \
  --title "Added latency per chunk, ${RATE:-20} chunks/s per stream ($( [ "$GATEWAY" = 1 ] && echo "through the gateway" || echo "direct, no relay"))"
log "upstream: $(upstream_stats)"
log "results in $RESULTS"
