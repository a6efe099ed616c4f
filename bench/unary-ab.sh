#!/usr/bin/env bash
# A/B of unary throughput for one gateway jar and JVM flags, quicker than a full run (about 80 s):
#   bench/unary-ab.sh JAR [JVM flags...]        e.g. bench/unary-ab.sh target/gemini-gateway.jar -XX:MaxRAM=1g
# Starts the nginx stand-in (bench/nginx/upstream.conf) and the gateway in front of it, warms the JIT up with wrk for
# WARM seconds (45), measures DUR seconds (20) with wrk -t2 -c64, and prints req/s, latency and the gateway's CPU per
# request. JAVA picks the gateway's JVM (default: Temurin 25 when present). Run pairs alternately on a quiet machine:
# one JIT outcome differs from the next by up to 20%.
set -euo pipefail
JAR=$(readlink -f "$1"); shift
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
if [[ -z ${JAVA:-} && -x $JDK25 ]]; then JAVA=$JDK25; fi
JAVA=${JAVA:-java}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
UP_PORT=65301; GW_PORT=65302; MGMT_PORT=65303
WORK=$(mktemp -d /tmp/gemini-ab.XXXXXX); chmod 755 "$WORK"; mkdir -p "$WORK/logs" "$WORK/tmp"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
sed "s/@PORT@/$UP_PORT/" "$BENCH/nginx/upstream.conf" >"$WORK/upstream.conf"
"$NGINX" -p "$WORK/" -c upstream.conf -e "$WORK/logs/error.log" -g 'daemon off;' >/dev/null 2>&1 &
PIDS+=("$!")
KEY_SHA=$(printf %s bench-key | sha256sum | cut -d' ' -f1)
"$JAVA" "$@" -jar "$JAR" --gateway.upstream.base-url="http://127.0.0.1:$UP_PORT" \
    --gateway.upstream.api-keys=bench-upstream-key --gateway.clients.bench.key-sha256="$KEY_SHA" \
    --server.port=$GW_PORT --management.server.port=$MGMT_PORT --logging.level.gateway.access=WARN \
    >"$WORK/gateway.log" 2>&1 &
GW=$!; PIDS+=("$GW")
for _ in $(seq 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$MGMT_PORT/actuator/health/readiness" && break
    kill -0 "$GW" 2>/dev/null || { cat "$WORK/gateway.log" >&2; exit 1; }
    sleep 0.1
done
URL="http://127.0.0.1:$GW_PORT/v1beta/models/gemini-2.5-flash:generateContent"
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$GW/stat"; }
BENCH_KEY=bench-key wrk -t2 -c64 -d"${WARM:-45}"s -s "$BENCH/wrk/post.lua" "$URL" >/dev/null
t0=$(ticks)
BENCH_KEY=bench-key wrk -t2 -c64 -d"${DUR:-20}"s --latency -s "$BENCH/wrk/post.lua" "$URL" >"$WORK/wrk.txt"
t1=$(ticks)
line=$(grep '^WRK_RESULT' "$WORK/wrk.txt")
get() { sed -E "s/.* $1=([0-9]+).*/\1/" <<<"$line"; }
awk -v r="$(get requests)" -v d="$(get duration_us)" -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" \
    -v p50="$(get p50_us)" -v p99="$(get p99_us)" -v bad="$(get non2xx)" 'BEGIN {
    printf "req/s %.0f  p50 %.2f ms  p99 %.2f ms  non-2xx %d  gateway CPU %.0f%%  %.3f ms CPU/request\n",
        r / (d / 1e6), p50 / 1000, p99 / 1000, bad, 100 * t / hz / (d / 1e6), 1000 * t / hz / r }'
