#!/usr/bin/env bash
# Issue 18, item 3: 26 concurrent 20 MB generate requests against a gateway with the chart's heap (-Xmx576m), in
# front of a simulator that answers after LATENCY_MS (5 s), so that every body is held at once. Prints the status
# counts, whether the gateway survived, and whether it still serves afterwards.
#   bench/hostile/concurrent-large-bodies.sh [JAR]      (default target/gemini-gateway.jar)
set -u
JAR=$(readlink -f "${1:-target/gemini-gateway.jar}")
WORK=$(mktemp -d /tmp/gemini-large-bodies.XXXXXX)
SIM=65311; PORT=65312; MGMT=65313
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
python3 -c "import json; print(json.dumps({'contents':[{'parts':[{'text':'x'*(20*1000*1000-200)}]}]}))" >"$WORK/body.json"
java -jar "$JAR" simulator --port=$SIM --latency-ms="${LATENCY_MS:-5000}" --api-key=sim-key >"$WORK/sim.log" 2>&1 &
PIDS+=("$!")
KEY_SHA=$(printf %s bench-key | sha256sum | cut -d' ' -f1)
java -Xmx576m -XX:+ExitOnOutOfMemoryError -jar "$JAR" --gateway.upstream.base-url=http://127.0.0.1:$SIM \
    --gateway.upstream.api-keys=sim-key --gateway.clients.bench.key-sha256="$KEY_SHA" --server.port=$PORT \
    --management.server.port=$MGMT --logging.level.gateway.access=WARN >"$WORK/gateway.log" 2>&1 &
GW=$!; PIDS+=("$GW")
for _ in $(seq 300); do curl -sf -o /dev/null http://127.0.0.1:$MGMT/actuator/health/readiness && break; sleep 0.2; done
URL="http://127.0.0.1:$PORT/v1beta/models/gemini-2.5-flash:generateContent"
CURLS=()
for _ in $(seq 26); do
    curl -s -o /dev/null -w '%{http_code}\n' -X POST "$URL" -H 'x-goog-api-key: bench-key' \
        -H 'Content-Type: application/json' --data-binary @"$WORK/body.json" >>"$WORK/codes.txt" &
    CURLS+=("$!")
done
wait "${CURLS[@]}"
echo "status counts (26 requests of 20 MB):"; sort "$WORK/codes.txt" | uniq -c
if kill -0 "$GW" 2>/dev/null; then echo "gateway alive"; else echo "gateway DIED"; fi
echo "OutOfMemoryError lines: $(grep -c OutOfMemoryError "$WORK/gateway.log")"
curl -s -o /dev/null -w 'a small call afterwards: %{http_code}\n' -X POST "$URL" -H 'x-goog-api-key: bench-key' \
    -H 'Content-Type: application/json' -d '{"contents":[{"parts":[{"text":"hi"}]}]}'
