#!/usr/bin/env bash
# Live API benchmark: N concurrent WebSocket sessions, each sending a text turn a second, direct to the simulator and
# through the gateway; the turn round trip (send to turnComplete) p50/p99/p999/max, and the gateway's peak RSS.
#   bench/live.sh [--no-build] [--sessions=1000] [--seconds=60]
# Everything runs on 127.0.0.1; every process this script starts is stopped on exit. Results: printed, and written
# to bench/results/<date>-<commit>-live.md.
set -euo pipefail

BUILD=1; SESSIONS=1000; SECONDS_RUN=60
for arg in "$@"; do
    case "$arg" in
        --no-build) BUILD=0 ;;
        --sessions=*) SESSIONS=${arg#*=} ;;
        --seconds=*) SECONDS_RUN=${arg#*=} ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/target/gemini-gateway.jar"
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAVA=${JAVA:-$([[ -x $JDK25 ]] && echo "$JDK25" || command -v java)}
JAVA_LOAD=${JAVA_LOAD:-$JAVA}
PORT_BASE=${BENCH_PORT_BASE:-65100}
GW_PORT=$((PORT_BASE + 80)); GW_MGMT_PORT=$((PORT_BASE + 81)); SIM_PORT=$((PORT_BASE + 92))
CLIENT_KEY=bench-key; UPSTREAM_KEY=bench-upstream-key
KEY_SHA=$(printf %s "$CLIENT_KEY" | sha256sum | cut -d' ' -f1)
# The image's JVM flags in a container with a 1 GiB memory limit, as bench/run.sh runs the gateway.
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS--XX:MaxRAM=1g -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError}
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

wait_port() { for _ in $(seq 1 "$2"); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 1; done; echo "port $1 not up" >&2; exit 1; }
kv() { grep -m1 "^$2=" "$1" | cut -d= -f2- || echo -; }
rss_mib() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }

if [[ $BUILD == 1 ]]; then (cd "$ROOT" && ./mvnw -q -B -DskipTests package); fi

"$JAVA" -jar "$JAR" simulator --port="$SIM_PORT" --api-key="$UPSTREAM_KEY" >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!; PIDS+=("$SIM_PID"); wait_port "$SIM_PORT" 60
# shellcheck disable=SC2086
"$JAVA" $GATEWAY_JVM_OPTS -jar "$JAR" --gateway.upstream.base-url="http://127.0.0.1:$SIM_PORT" \
    --gateway.upstream.api-keys="$UPSTREAM_KEY" --gateway.clients.bench.key-sha256="$KEY_SHA" \
    --server.port="$GW_PORT" --management.server.port="$GW_MGMT_PORT" --logging.level.gateway.access=WARN \
    >"$WORK/gateway.log" 2>&1 &
GW_PID=$!; PIDS+=("$GW_PID"); wait_port "$GW_PORT" 90

load() {  # label url key
    timeout $((SECONDS_RUN + 120)) "$JAVA_LOAD" "$ROOT/bench/loadclient/LiveLoad.java" --url="$2" --key="$3" \
        --sessions="$SESSIONS" --seconds="$SECONDS_RUN" >"$WORK/$1.properties" 2>"$WORK/$1.err"
}

# A short warm-up through the gateway (JIT), not counted.
timeout 120 "$JAVA_LOAD" "$ROOT/bench/loadclient/LiveLoad.java" --url="ws://127.0.0.1:$GW_PORT" --key="$CLIENT_KEY" \
    --sessions=200 --seconds=15 >"$WORK/warmup.properties" 2>&1 || true

load direct "ws://127.0.0.1:$SIM_PORT" "$UPSTREAM_KEY"
IDLE_RSS=$(rss_mib "$GW_PID")
PEAK=0
( while kill -0 "$GW_PID" 2>/dev/null; do r=$(rss_mib "$GW_PID"); echo "$r"; sleep 1; done ) >"$WORK/rss.log" &
SAMPLER=$!; PIDS+=("$SAMPLER")
load gateway "ws://127.0.0.1:$GW_PORT" "$CLIENT_KEY"
kill "$SAMPLER" 2>/dev/null || true
PEAK=$(sort -n "$WORK/rss.log" | tail -1)

OUT="$ROOT/bench/results/$(date +%F)-$(git -C "$ROOT" rev-parse --short HEAD)-live.md"
{
    echo "# Live API benchmark, $(date -u +%FT%TZ), commit $(git -C "$ROOT" rev-parse --short HEAD)"
    echo
    echo "\`bench/live.sh --sessions=$SESSIONS --seconds=$SECONDS_RUN\` on $(nproc) CPUs; gateway on $("$JAVA" -version 2>&1 | head -1) with \`$GATEWAY_JVM_OPTS\`."
    echo "$SESSIONS sessions, each: setup, then a text turn a second for ${SECONDS_RUN} s; the round trip is send to turnComplete (the simulator answers at once)."
    echo
    echo "| path | opened | setup complete | turns | turns/s | errors | skipped | p50 ms | p99 ms | p99.9 ms | max ms |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    for t in direct gateway; do
        f="$WORK/$t.properties"
        echo "| $t | $(kv "$f" opened) | $(kv "$f" setup_complete) | $(kv "$f" turns) | $(kv "$f" turns_per_second) | $(kv "$f" errors) | $(kv "$f" skipped_turns) | $(kv "$f" rtt_p50_ms) | $(kv "$f" rtt_p99_ms) | $(kv "$f" rtt_p999_ms) | $(kv "$f" rtt_max_ms) |"
    done
    echo
    echo "Gateway RSS: $IDLE_RSS MiB before the gateway run (after the warm-up), $PEAK MiB at peak with $SESSIONS sessions open."
    echo "Load client, simulator and gateway share the machine's CPUs: the figures are relative, gateway - direct is what the gateway adds."
} | tee "$OUT"
