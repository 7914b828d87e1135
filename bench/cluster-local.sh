#!/usr/bin/env bash
# A local cluster in one command: redis-server, two `./aistream serve` nodes on it and nginx round-robin in
# front; prints the URLs and a curl to try resume across nodes; Ctrl-C stops everything it started.
#
#   ./bench/cluster-local.sh            PROXY_PORT=8080 NODE1_PORT=8081 NODE2_PORT=8082 REDIS_PORT=6390
# Needs redis-server and nginx on PATH (Debian: apt-get install redis-server nginx); NO_PROXY=1 runs
# without nginx. Logs and configs go to bench/results/cluster-local/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROXY_PORT="${PROXY_PORT:-8080}"
NODE1_PORT="${NODE1_PORT:-8081}"
NODE2_PORT="${NODE2_PORT:-8082}"
REDIS_PORT="${REDIS_PORT:-6390}"
DIR="${DIR:-$ROOT/bench/results/cluster-local}"
mkdir -p "$DIR"
PIDS=()
say() { printf '[cluster-local] %s\n' "$*" >&2; }
stop() {
  trap - EXIT INT TERM
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  say "stopped"
}
trap stop EXIT
trap 'exit 0' INT TERM

need() { command -v "$1" >/dev/null || { say "needs $1 on PATH (Debian: apt-get install $2)"; exit 2; }; }
need redis-server redis-server
[ "${NO_PROXY:-0}" = 1 ] || need nginx nginx
wait_http() {
  local i
  for i in $(seq 1 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  say "no answer from $1 (see $DIR)"; exit 1
}

"$ROOT/aistream" --version >/dev/null # builds the CLI on first use, before anything starts

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$DIR/redis.log" 2>&1 &
PIDS+=($!)
for i in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

for n in 1 2; do
  port_var="NODE${n}_PORT"
  printf '{"redis":{"url":"redis://127.0.0.1:%d/0"},"nodeId":"node-%d"}\n' "$REDIS_PORT" "$n" >"$DIR/node-$n.json"
  "$ROOT/aistream" serve --port "${!port_var}" --config "$DIR/node-$n.json" >"$DIR/node-$n.log" 2>&1 &
  PIDS+=($!)
done
wait_http "http://127.0.0.1:$NODE1_PORT/health"
wait_http "http://127.0.0.1:$NODE2_PORT/health"

if [ "${NO_PROXY:-0}" != 1 ]; then
  mkdir -p "$DIR/nginx"
  # streaming through nginx: no response buffering, long reads, HTTP/1.1 upstream with keep-alive
  cat >"$DIR/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log $DIR/nginx/access.log;
  client_body_temp_path $DIR/nginx/body;
  proxy_temp_path $DIR/nginx/proxy;
  fastcgi_temp_path $DIR/nginx/fastcgi;
  uwsgi_temp_path $DIR/nginx/uwsgi;
  scgi_temp_path $DIR/nginx/scgi;
  upstream aistream { server 127.0.0.1:$NODE1_PORT; server 127.0.0.1:$NODE2_PORT; keepalive 32; }
  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / {
      proxy_pass http://aistream;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header Host \$host;
      proxy_buffering off;
      proxy_read_timeout 1h;
    }
  }
}
EOF
  nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$PROXY_PORT/health"
fi

cat <<EOF

  redis   redis://127.0.0.1:$REDIS_PORT/0
  node-1  http://127.0.0.1:$NODE1_PORT      (logs: $DIR/node-1.log)
  node-2  http://127.0.0.1:$NODE2_PORT      (logs: $DIR/node-2.log)
$( [ "${NO_PROXY:-0}" = 1 ] || echo "  proxy   http://127.0.0.1:$PROXY_PORT      (nginx, round-robin over both nodes)" )

Start a resumable stream on node-1 and drop it after 2 seconds (its X-Stream-Id header comes first):

  curl -sN -m 2 -D - http://127.0.0.1:$NODE1_PORT/v1/stream -H 'Content-Type: application/json' \\
    -d '{"provider":"simulated","model":"lorem","resumable":true,"messages":[{"role":"user","content":"hi"}],"providerOptions":{"tokensPerSecond":5,"length":60}}'

Resume it through the proxy (whichever node answers) after the last id you saw, e.g. 7:

  curl -sN -H 'Last-Event-ID: 7' http://127.0.0.1:${PROXY_PORT}/v1/streams/<X-Stream-Id>

Which node answered: curl -s http://127.0.0.1:$PROXY_PORT/health (its "nodeId"). Stop a node (kill -9 <pid>)
mid-stream to watch the other take its streams over. Ctrl-C stops everything.
EOF
wait -n "${PIDS[@]}" || true
say "a process ended (see $DIR); stopping the rest"
