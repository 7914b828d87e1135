#!/usr/bin/env bash
# Many mostly idle open streams: STREAMS (default 10000) streams, one chunk every 2 s (RATE 0.5), all
# open for DURATION; reports the target's memory per open stream (RSS growth / streams) and peak RSS.
# Through the gateway (GATEWAY=1) its heap is capped at 512 MB (GATEWAY_JAVA_OPTS), and the streams
# go over the WebSocket protocol, WS_STREAMS_PER_SOCKET (K, default 100; also with PROTOCOL=ws
# directly) to a socket, so the gateway holds STREAMS upstream connections but only STREAMS / K
# downstream ones (a connection per stream on both sides does not fit a 20,000 open-files limit at
# 10k streams); PROTOCOL=native for one connection per stream.
#   STREAMS=10000 DURATION=40s ./bench/idle-streams.sh                      (GATEWAY=1 to go through the gateway)
source "$(dirname "$0")/lib.sh"
n="${STREAMS:-10000}"
if [ "$GATEWAY" = "1" ]; then PROTOCOL="${PROTOCOL:-ws}"; fi
k=1
if [ "${PROTOCOL:-}" = "ws" ]; then
  k="${WS_STREAMS_PER_SOCKET:-100}"
  GATEWAY_WS_STREAMS_PER_SOCKET="$k" # the gateway's per-socket limit (default 32) must admit them
fi
# open files: the target's upstream side (through the gateway) and its downstream side
need=$(( (GATEWAY == 1 ? n : 0) + (n + k - 1) / k + 1000 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$need" 2>/dev/null || log "warning: open files limit $(ulimit -n) < $need; raise it (ulimit -n)"
fi
build; machine
start_upstream
start_target
extra=()
if [ "$PROTOCOL" = "ws" ]; then extra+=(--ws-streams-per-socket "$k"); fi
bench_run "idle-c$n" --streams "$n" --rate "${RATE:-0.5}" --duration "${DURATION:-40s}" --ramp "${RAMP:-10s}" \
  --timeout 60s --quiet "${extra[@]}"
log "upstream: $(upstream_stats)"
log "results in $RESULTS"
