#!/usr/bin/env bash
# Gemini gateway benchmark. See bench/README.md.
#   bench/run.sh [--quick] [--no-build] [--profile] [--upstream-http2]
# Everything runs on 127.0.0.1, every load step is bounded in time, and every process this script starts is
# stopped on exit (trap EXIT). Results: printed, and written to bench/results/<date>-<commit>[-quick][-profile][-upstream-http2].md.
set -euo pipefail

QUICK=0
BUILD=1
PROFILE=0
UPSTREAM_HTTP2=0
for arg in "$@"; do
    case "$arg" in
        --quick) QUICK=1 ;;
        --no-build) BUILD=0 ;;
        --profile) PROFILE=1 ;;   # JFR-record the unary and stream gateways and summarize where CPU went
        # the stream phase's gateway talks HTTP/2 (h2c) to the simulator: one socket per stream instead of two
        --upstream-http2) UPSTREAM_HTTP2=1 ;;
        -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg (use --quick, --no-build, --profile, --upstream-http2)" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
JAR="$ROOT/target/gemini-gateway.jar"
# The gateway runs as the container image runs it (Dockerfile): on JRE 25, from the extracted jar, with an AOT cache
# made by a training run, with the image's JVM flags, in the 1 GiB of memory the stream goal allows. BENCH_LAUNCH=jar
# runs the plain fat jar instead (set JAVA and GATEWAY_JVM_OPTS to taste).
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
if [[ -z ${JAVA:-} && -x $JDK25 ]]; then JAVA=$JDK25; fi
JAVA=${JAVA:-java}                                   # the gateway's (and simulator's) JVM
JAVA_DEFAULT=$(command -v java)                      # the machine's default JDK, for the plain-jar startup reference
BENCH_LAUNCH=${BENCH_LAUNCH:-image}
JAVA_LOAD=${JAVA_LOAD:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}   # the load client's JVM (needs 21+)
# Above the ephemeral range (widened to 1024-65000 below), so that no client socket of the load holds a port a
# server of the benchmark is about to bind.
PORT_BASE=${BENCH_PORT_BASE:-65100}
GW_PORT=$((PORT_BASE + 80))
GW_MGMT_PORT=$((PORT_BASE + 81))
SIM_STREAM_PORT=$((PORT_BASE + 90))
SIM_FAST_PORT=$((PORT_BASE + 91))
UP_PORT=$((PORT_BASE + 101))
PROXY_PORT=$((PORT_BASE + 102))
REF_PORT=$((PORT_BASE + 103))
CLIENT_KEY=bench-key
UPSTREAM_KEY=bench-upstream-key
BODY='{"contents":[{"parts":[{"text":"Hi"}]}]}'
UNARY_PATH=/v1beta/models/gemini-2.5-flash:generateContent
STREAM_PATH='/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse'
# The image's JAVA_TOOL_OPTIONS, in a container with a 1 GiB memory limit (MaxRAM stands in for the cgroup limit).
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS--XX:MaxRAM=1g -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError}

if [[ $QUICK == 1 ]]; then
    WRK_CONNS=(64); WRK_SECONDS=10; WRK_WARMUP_SECONDS=45; HALF_SECONDS=10
    STREAM_NS=(1000); STREAM_CHUNKS=10; STARTUP_RUNS=2; TTFB_N=200; MODE=quick
else
    WRK_CONNS=(16 64 256); WRK_SECONDS=30; WRK_WARMUP_SECONDS=45; HALF_SECONDS=30
    STREAM_NS=(1000 5000 10000); STREAM_CHUNKS=30; STARTUP_RUNS=5; TTFB_N=200; MODE=full
fi
STREAM_DELAY_MS=1000
STREAM_OPEN_RATE=${STREAM_OPEN_RATE:-1000}           # new streams per second while ramping up
STREAM_WARMUP=${STREAM_WARMUP:-3000}                 # streams through the gateway before any is recorded
HALF_WORKERS=32                                      # hey workers for the fixed-rate latency run

WORK=$(mktemp -d /tmp/gemini-bench.XXXXXX)
chmod 755 "$WORK"   # nginx workers may run as another user
PIDS=()
LOG="$WORK/run.log"

log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$LOG" >&2; }
die() { log "ERROR: $*"; exit 1; }

stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    if [[ ${BENCH_KEEP:-0} == 1 || $rc != 0 ]]; then
        echo "work dir kept: $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

forget_pid() {
    local keep=() p
    for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {  # port timeout_s
    local deadline=$(( $(date +%s) + $2 ))
    until port_in_use "$1"; do
        (( $(date +%s) < deadline )) || die "nothing listening on 127.0.0.1:$1 after $2 s"
        sleep 0.05
    done
}

proc_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# Percentile (nearest rank) of numbers on stdin, one per line.
pct() { sort -g | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "NA"; exit } i = int(p / 100 * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; print v[i] }'; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
kv() { grep -m1 "^$2=" "$1" | cut -d= -f2- || true; }

# Every second, the CPU ticks of every process on the machine, marked 1 when it descends from this script. The
# machine may be shared (other builds and tests): the report states how much CPU others took during each phase.
CPU_SAMPLES="$WORK/cpu-samples.txt"
cpu_sampler() {
    local me=$1
    set +e +o pipefail   # processes come and go while cat reads them
    while true; do
        cat /proc/[0-9]*/stat 2>/dev/null | awk -v t="$(now_ms)" -v me="$me" '
            { line = $0; sub(/.*\) /, "", line); split(line, f, " ")
              c = $0; sub(/^[0-9]+ \(/, "", c); sub(/\) [^)]*$/, "", c); gsub(/[^A-Za-z0-9._-]/, "_", c)
              pp[$1] = f[2]; tk[$1] = f[12] + f[13]; cm[$1] = c }
            END { for (p in tk) { q = p; ours = 0
                      for (i = 0; i < 64 && q > 1; i++) { if (q == me) { ours = 1; break }; q = pp[q] }
                      print t, p, ours, tk[p], cm[p] } }'
        sleep 1 || break
    done >>"$CPU_SAMPLES" 2>/dev/null
}
# BENCH_QUIET_WAIT=S: before each phase and stream run, wait up to S seconds for the machine to be quiet (under 25%
# of its CPUs busy over 3 s while this benchmark is idle), so that other builds on a shared machine disturb less.
QUIET_WAIT=${BENCH_QUIET_WAIT:-0}
QUIET_WAITED=0
machine_busy_pct() {  # over 3 s, from /proc/stat
    local a b
    a=$(head -1 /proc/stat); sleep 3; b=$(head -1 /proc/stat)
    echo "$a $b" | awk '{ b1 = $2+$3+$4+$7+$8+$9; i1 = $5+$6; b2 = $13+$14+$15+$18+$19+$20; i2 = $16+$17
                          printf "%.0f", 100 * (b2 - b1) / ((b2 - b1) + (i2 - i1)) }'
}
quiet_wait() {
    (( QUIET_WAIT > 0 )) || return 0
    local start busy
    start=$(date +%s)
    while true; do
        busy=$(machine_busy_pct)
        (( busy < 25 )) && break
        if (( $(date +%s) - start >= QUIET_WAIT )); then log "  machine still ${busy}% busy after ${QUIET_WAIT}s; going on"; break; fi
    done
    QUIET_WAITED=$(( QUIET_WAITED + $(date +%s) - start ))
}
PHASES=(); PHASE_FROM=(); PHASE_TO=()
phase_begin() { quiet_wait; PHASES+=("$1"); PHASE_FROM+=("$(now_ms)"); PHASE_TO+=(""); }
phase_end() { PHASE_TO[-1]=$(now_ms); }
cpu_share() {  # from_ms to_ms -> "ours% others% top-others"
    awk -v a="$1" -v b="$2" -v hz="$CLK_TCK" '
        $1 >= a && $1 <= b { if (!($2 in f)) f[$2] = $4; l[$2] = $4; o[$2] = $3; c[$2] = $5 }
        END { for (p in f) { d = l[p] - f[p]; if (o[p]) us += d; else { them += d; bycomm[c[p]] += d } }
              s = (b - a) / 1000; if (s <= 0) s = 1
              top = ""; for (k = 0; k < 3; k++) { best = ""; bv = 0
                  for (n in bycomm) if (bycomm[n] > bv) { bv = bycomm[n]; best = n }
                  if (best == "" || 100 * bv / hz / s < 5) break
                  top = top (top == "" ? "" : ", ") sprintf("%s %.0f%%", best, 100 * bv / hz / s); delete bycomm[best] }
              printf "%.0f|%.0f|%s\n", 100 * us / hz / s, 100 * them / hz / s, (top == "" ? "-" : top) }' "$CPU_SAMPLES"
}

# ---------------------------------------------------------------------------------------------------------------
# Tools, build, environment

install_tools() {
    local missing=()
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
    command -v wrk >/dev/null || missing+=(wrk)
    command -v hey >/dev/null || missing+=(hey)
    command -v curl >/dev/null || missing+=(curl)
    if (( ${#missing[@]} )); then
        log "installing from Debian: ${missing[*]}"
        local sudo=""
        [[ $(id -u) == 0 ]] || sudo="sudo"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$LOG" 2>&1
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$LOG" 2>&1 \
            || die "apt-get install ${missing[*]} failed (see $LOG)"
    fi
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
    [[ -x $JAVA_LOAD ]] || JAVA_LOAD=$(command -v java)
    "$JAVA_LOAD" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])' \
        || die "the load client needs JDK 21+; set JAVA_LOAD (tried $JAVA_LOAD)"
}

install_tools
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu_sampler "$$" &
PIDS+=("$!")
cd "$ROOT"
if [[ $BUILD == 1 ]]; then
    log "building the jar"
    PHASES+=(build); PHASE_FROM+=("$(now_ms)"); PHASE_TO+=("")
    if ! ./mvnw -B -q -DskipTests package >>"$LOG" 2>&1; then
        # The jar needs no test classes: a half-edited test elsewhere in the tree should not stop the benchmark.
        log "build with -DskipTests failed; retrying without compiling tests (-Dmaven.test.skip=true)"
        ./mvnw -B -q -Dmaven.test.skip=true package >>"$LOG" 2>&1 || die "build failed (see $LOG)"
    fi
    phase_end
fi
[[ -f $JAR ]] || die "$JAR not found (build it or drop --no-build)"
# Run a private copy: others working in the same tree may rebuild target/ while the benchmark runs.
JAR_INFO="$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$JAR" | cut -c1-12)"
cp "$JAR" "$WORK/gemini-gateway.jar"
JAR="$WORK/gemini-gateway.jar"
# The image's layout: the extracted jar (application jar + lib/), which the AOT cache and the reference proxy use.
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" >>"$LOG" 2>&1 || die "could not extract $JAR"
APP_JAR="$WORK/app/gemini-gateway.jar"
GW_LAUNCH=(-jar "$JAR")
AOT_NOTE="none (plain jar)"
if [[ $BENCH_LAUNCH == image ]]; then
    GW_LAUNCH=(-jar "$APP_JAR")
    AOT_NOTE="none ($JAVA has no AOT cache)"
    # Probe for the flag by name: a real -XX:AOTCacheOutput run writes its file (as root, it would replace /dev/null).
    if [[ ${BENCH_AOT:-1} == 0 ]]; then
        AOT_NOTE="AOT cache off (BENCH_AOT=0)"
    elif "$JAVA" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q '[[:space:]]AOTCacheOutput[[:space:]]'; then
        log "AOT cache: training run, as in the Dockerfile"
        # shellcheck disable=SC2086
        "$JAVA" $GATEWAY_JVM_OPTS -XX:AOTCacheOutput="$WORK/app/gateway.aot" -Dspring.context.exit=onRefresh \
            -jar "$APP_JAR" --gateway.upstream.api-keys=aot-training --server.port=0 --management.server.port=0 \
            >>"$LOG" 2>&1 || die "the AOT training run failed (see $LOG)"
        GW_LAUNCH=(-XX:AOTCache="$WORK/app/gateway.aot" -jar "$APP_JAR")
        AOT_NOTE="AOT cache from a training run (-XX:AOTCacheOutput, -Dspring.context.exit=onRefresh), as in the Dockerfile"
    fi
fi

for p in $GW_PORT $GW_MGMT_PORT $SIM_STREAM_PORT $SIM_FAST_PORT $UP_PORT $PROXY_PORT $REF_PORT; do
    port_in_use "$p" && die "127.0.0.1:$p is already in use (set BENCH_PORT_BASE)"
done

# File descriptors: the gateway holds two sockets per stream (caller and upstream) over HTTP/1.1 upstream; over
# HTTP/2 one per stream plus one per 100 streams (the simulator allows 100 streams a connection, as Google does).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n)
if [[ $UPSTREAM_HTTP2 == 1 ]]; then
    MAX_STREAMS=$(( (NOFILE - 1000) * 100 / 101 )); SOCKETS_PER_STREAM="one socket per stream (upstream HTTP/2)"
    STREAM_GW_ARGS=(--gateway.upstream.http2=true)
else
    MAX_STREAMS=$(( (NOFILE - 1000) / 2 )); SOCKETS_PER_STREAM="two sockets per stream"
    STREAM_GW_ARGS=()
fi
sysctl -q -w net.ipv4.ip_local_port_range="1024 65000" >/dev/null 2>&1 || true
PORT_RANGE=$(tr '\t' ' ' </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo "?")

KEY_SHA=$(printf %s "$CLIENT_KEY" | sha256sum | cut -d' ' -f1)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY_MAIN=$(git -C "$ROOT" status --porcelain -- src/main pom.xml 2>/dev/null | wc -l)
DIRTY_TEST=$(git -C "$ROOT" status --porcelain -- src/test 2>/dev/null | wc -l)
DATE=$(date -u +%Y-%m-%d)
STAMP=$(date -u +%Y-%m-%dT%H:%M:%SZ)
GW_JAVA_VERSION=$("$JAVA" -version 2>&1 | head -2 | tail -1)
LOAD_JAVA_VERSION=$("$JAVA_LOAD" -version 2>&1 | head -2 | tail -1)
GW_MAX_HEAP_MIB=$("$JAVA" $GATEWAY_JVM_OPTS -XX:+PrintFlagsFinal -version 2>/dev/null \
    | awk '$2 == "MaxHeapSize" { printf "%d", $4 / 1048576 }')
GW_GC=$("$JAVA" $GATEWAY_JVM_OPTS -XX:+PrintFlagsFinal -version 2>/dev/null \
    | awk '$2 ~ /^Use(G1|Serial|Parallel|Z|Shenandoah)GC$/ && $4 == "true" { sub(/^Use/, "", $2); print $2 }')
CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo "?")
MEM_TOTAL=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
log "mode=$MODE commit=$COMMIT nproc=$(nproc) nofile=$NOFILE work=$WORK"

# ---------------------------------------------------------------------------------------------------------------
# Process helpers

SIM_STARTED_PID=""
start_simulator() {  # port chunks delay_ms name; sets SIM_STARTED_PID
    "$JAVA" -jar "$JAR" simulator --port="$1" --chunks="$2" --chunk-delay-ms="$3" --latency-ms=0 \
        --api-key="$UPSTREAM_KEY" >"$WORK/simulator-$4.log" 2>&1 &
    SIM_STARTED_PID=$!
    PIDS+=("$SIM_STARTED_PID")
    wait_port "$1" 60
}

GW_PID=""
GW_APP_ARGS=()   # extra gateway settings for the next start_gateway
start_gateway() {  # upstream_url name [extra jvm opts...]; sets GW_PID
    local upstream=$1 name=$2
    shift 2
    # shellcheck disable=SC2086
    "$JAVA" $GATEWAY_JVM_OPTS "$@" "${GW_LAUNCH[@]}" \
        --gateway.upstream.base-url="$upstream" \
        --gateway.upstream.api-keys="$UPSTREAM_KEY" \
        --gateway.clients.bench.key-sha256="$KEY_SHA" \
        --server.port="$GW_PORT" --management.server.port="$GW_MGMT_PORT" \
        --logging.level.gateway.access=WARN "${GW_APP_ARGS[@]}" \
        >>"$WORK/gateway-$name.log" 2>&1 &
    GW_PID=$!
    PIDS+=("$GW_PID")
}

wait_ready() {  # timeout_s; polls readiness every 20 ms
    local deadline=$(( $(date +%s) + $1 ))
    while true; do
        if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 \
                "http://127.0.0.1:$GW_MGMT_PORT/actuator/health/readiness" 2>/dev/null) == 200 ]]; then
            return 0
        fi
        kill -0 "$GW_PID" 2>/dev/null || die "the gateway exited during startup (see $WORK)"
        (( $(date +%s) < deadline )) || die "the gateway was not ready after $1 s"
        sleep 0.02
    done
}

stop_gateway() { stop_pid "$GW_PID"; forget_pid "$GW_PID"; GW_PID=""; }

JDK_BIN="$(dirname "$(readlink -f "$(command -v "$JAVA")")")"
jfr_start() {  # phase: with --profile, start a JFR recording of the running gateway (after startup, load only)
    if [[ $PROFILE == 1 ]]; then
        "$JDK_BIN/jcmd" "$GW_PID" JFR.start name=bench settings=profile filename="$WORK/gateway-$1.jfr" \
            >>"$LOG" 2>&1 || log "could not start JFR"
    fi
}
jfr_stop() {
    if [[ $PROFILE == 1 ]]; then "$JDK_BIN/jcmd" "$GW_PID" JFR.stop name=bench >>"$LOG" 2>&1 || true; fi
}

jfr_summary() {  # phase -> markdown: where the gateway's CPU samples were, by the code that owned them
    local file="$WORK/gateway-$1.jfr"
    [[ -s $file && -x $JDK_BIN/jfr ]] || { echo "(no JFR recording for $1)"; return 0; }
    # One line per sample: the innermost frame that is not JDK code (java., jdk., sun.), then the leaf frame.
    "$JDK_BIN/jfr" print --stack-depth 128 --events jdk.ExecutionSample "$file" 2>/dev/null | awk '
        function flush() { if (leaf != "") print (owner == "" ? "(jdk only)" : owner) "\t" leaf; leaf = ""; owner = "" }
        /jdk.ExecutionSample/ { flush(); next }
        /line:/ { f = $0; gsub(/^ +/, "", f); sub(/ +line:.*/, "", f); sub(/\(.*/, "", f)
                  if (leaf == "") leaf = f
                  if (owner == "" && f !~ /^(java|jdk|sun|javax)\./) owner = f }
        END { flush() }' >"$WORK/jfr-$1-samples.tsv" || true
    local total
    total=$(wc -l <"$WORK/jfr-$1-samples.tsv")
    (( total > 0 )) || { echo "(no samples)"; return 0; }
    echo "$total CPU samples, each attributed to the innermost non-JDK frame on its stack (JDK code counts for its caller):"
    echo
    echo "| owner | share |"
    echo "| --- | ---: |"
    cut -f1 "$WORK/jfr-$1-samples.tsv" | awk -v total="$total" '
        { o = $0
          if (o ~ /RestoringThreadLocals|ContextPropagation|^io\.micrometer\.context/) k = "Reactor/Micrometer context propagation (ThreadLocal restore)"
          else if (o ~ /^io\.github\.geminigateway/) k = "gateway code (io.github.geminigateway)"
          else if (o ~ /^(io\.micrometer\.tracing|io\.opentelemetry)/) k = "Micrometer tracing / OpenTelemetry"
          else if (o ~ /^io\.micrometer/) k = "Micrometer observation / metrics"
          else if (o ~ /^(ch\.qos\.logback|org\.slf4j)/) k = "logging (Logback, SLF4J, MDC)"
          else if (o ~ /^reactor\.netty/) k = "Reactor Netty"
          else if (o ~ /^io\.netty/) k = "Netty"
          else if (o ~ /^reactor\./) k = "Reactor core operators"
          else if (o ~ /^org\.springframework/) k = "Spring (WebFlux, web, boot)"
          else if (o ~ /^com\.fasterxml/) k = "Jackson"
          else if (o == "(jdk only)") k = "JDK only (GC/JIT threads excluded; e.g. thread pools)"
          else k = "other"
          n[k]++ }
        END { for (k in n) printf "| %s | %.0f%% |\n", k, 100 * n[k] / total }' | sort -t'|' -k3 -rn || true
    echo
    echo "Top owning frames:"
    echo
    echo '```'
    cut -f1 "$WORK/jfr-$1-samples.tsv" | sort | uniq -c | sort -rn | head -15 || true
    echo '```'
    echo
    echo "Top leaf frames:"
    echo
    echo '```'
    cut -f2 "$WORK/jfr-$1-samples.tsv" | sort | uniq -c | sort -rn | head -10 || true
    echo '```'
}

gateway_log_problems() {  # name -> WARN/ERROR lines of that gateway log, deduplicated
    grep -hE ' (WARN|ERROR) ' "$WORK"/gateway-"$1".log 2>/dev/null \
        | sed -E 's/^[0-9T:.Z-]+ +//; s/(WARN|ERROR) [0-9]+ --- \[[^]]*\]/\1/; s/\[[0-9a-f]{32}[^]]*\] *//; s/\[ *\] *//;
                 s/\[[0-9a-f]{8}-[0-9]+\] //' | sort | uniq -c | sort -rn | head -20 || true
    # the exceptions behind them (first line of each stack trace)
    grep -hE '^[a-z][A-Za-z0-9_$.]*(Exception|Error)(: .*)?$' "$WORK"/gateway-"$1".log 2>/dev/null \
        | sed -E 's/^/exception: /' | sort | uniq -c | sort -rn | head -10 || true
}

# ---------------------------------------------------------------------------------------------------------------
# Phase 1: startup time, then time to first byte on the last started gateway

log "phase 1: startup ($STARTUP_RUNS runs) and time to first byte ($TTFB_N requests each)"
phase_begin "startup + TTFB"
start_simulator "$SIM_FAST_PORT" 3 0 fast; SIM_FAST_PID=$SIM_STARTED_PID
STARTUP_MS=()
for run in $(seq "$STARTUP_RUNS"); do
    t0=$(now_ms)
    start_gateway "http://127.0.0.1:$SIM_FAST_PORT" startup
    wait_ready 120
    STARTUP_MS+=( $(( $(now_ms) - t0 )) )
    log "  startup run $run: ${STARTUP_MS[-1]} ms"
    stop_gateway
done
STARTUP_MEDIAN=$(printf '%s\n' "${STARTUP_MS[@]}" | pct 50)
# Spring's own view of each run: "process running for X" counts from JVM start to the context being ready.
SPRING_STARTED=$(grep -oE 'process running for [0-9.]+' "$WORK/gateway-startup.log" | awk '{ printf "%s%s", (NR > 1 ? " " : ""), $4 }' || true)
# Reference: the plain fat jar on the machine's default JDK with default flags, as `java -jar` or the README runs it.
STARTUP_PLAIN_MS=()
for run in $(seq "$STARTUP_RUNS"); do
    t0=$(now_ms)
    "$JAVA_DEFAULT" -jar "$JAR" --gateway.upstream.base-url="http://127.0.0.1:$SIM_FAST_PORT" \
        --gateway.upstream.api-keys="$UPSTREAM_KEY" --gateway.clients.bench.key-sha256="$KEY_SHA" \
        --server.port="$GW_PORT" --management.server.port="$GW_MGMT_PORT" >>"$WORK/gateway-startup-plain.log" 2>&1 &
    GW_PID=$!; PIDS+=("$GW_PID")
    wait_ready 120
    STARTUP_PLAIN_MS+=( $(( $(now_ms) - t0 )) )
    log "  startup run $run, plain jar on $("$JAVA_DEFAULT" -version 2>&1 | head -1): ${STARTUP_PLAIN_MS[-1]} ms"
    stop_gateway
done
STARTUP_PLAIN_MEDIAN=$(printf '%s\n' "${STARTUP_PLAIN_MS[@]}" | pct 50)
start_gateway "http://127.0.0.1:$SIM_FAST_PORT" ttfb
wait_ready 120

ttfb_once() {  # url key
    curl -s -o /dev/null --max-time 10 -w '%{time_starttransfer} %{time_total}\n' -X POST \
        -H "x-goog-api-key: $2" -H 'Content-Type: application/json' -d "$BODY" "$1"
}
DIRECT_STREAM_URL="http://127.0.0.1:$SIM_FAST_PORT$STREAM_PATH"
GW_STREAM_URL="http://127.0.0.1:$GW_PORT$STREAM_PATH"
for _ in $(seq 50); do   # warm-up, not recorded
    ttfb_once "$DIRECT_STREAM_URL" "$UPSTREAM_KEY" >/dev/null
    ttfb_once "$GW_STREAM_URL" "$CLIENT_KEY" >/dev/null
done
: >"$WORK/ttfb-direct.txt"; : >"$WORK/ttfb-gateway.txt"
for _ in $(seq "$TTFB_N"); do   # interleaved, so both see the same machine state
    ttfb_once "$DIRECT_STREAM_URL" "$UPSTREAM_KEY" >>"$WORK/ttfb-direct.txt"
    ttfb_once "$GW_STREAM_URL" "$CLIENT_KEY" >>"$WORK/ttfb-gateway.txt"
done
ttfb_stat() { awk '{ print $1 * 1000 }' "$WORK/ttfb-$1.txt" | pct "$2"; }
TTFB_D50=$(ttfb_stat direct 50); TTFB_D99=$(ttfb_stat direct 99)
TTFB_G50=$(ttfb_stat gateway 50); TTFB_G99=$(ttfb_stat gateway 99)
TTFB_TOTAL_D50=$(awk '{ print $2 * 1000 }' "$WORK/ttfb-direct.txt" | pct 50)
TTFB_TOTAL_G50=$(awk '{ print $2 * 1000 }' "$WORK/ttfb-gateway.txt" | pct 50)
log "  ttfb median direct ${TTFB_D50} ms, gateway ${TTFB_G50} ms"
stop_gateway
stop_pid "$SIM_FAST_PID"; forget_pid "$SIM_FAST_PID"
phase_end

# ---------------------------------------------------------------------------------------------------------------
# Phase 2: unary throughput (wrk) and latency at half the gateway's saturation rate (hey)

log "phase 2: unary (wrk -t2, ${WRK_SECONDS}s, connections ${WRK_CONNS[*]})"
phase_begin "unary (wrk + hey)"
NGX="$WORK/nginx"
mkdir -p "$NGX/logs" "$NGX/tmp"
sed "s/@PORT@/$UP_PORT/" "$BENCH/nginx/upstream.conf" >"$NGX/upstream.conf"
sed "s/@PORT@/$PROXY_PORT/; s/@UPSTREAM_PORT@/$UP_PORT/" "$BENCH/nginx/proxy.conf" >"$NGX/proxy.conf"
for conf in upstream proxy; do
    "$NGINX" -p "$NGX/" -c "$conf.conf" -e "$NGX/logs/$conf-startup.log" -g 'daemon off;' \
        >>"$NGX/logs/$conf-stdout.log" 2>&1 &
    PIDS+=("$!")
    if [[ $conf == upstream ]]; then NGINX_UP_PID=$!; else NGINX_PROXY_PID=$!; fi
done
wait_port "$UP_PORT" 20
wait_port "$PROXY_PORT" 20
# The stack's ceiling: bare Reactor Netty, on the gateway's own libraries and JVM, with none of the gateway.
"$JAVA_LOAD" -cp "$WORK/app/lib/*" "$BENCH/reference/BareProxy.java" "$REF_PORT" "$UP_PORT" \
    >>"$WORK/reference-proxy.log" 2>&1 &
REF_PID=$!; PIDS+=("$REF_PID")
wait_port "$REF_PORT" 60
UNARY_GC_LOG="$WORK/gateway-unary-gc.log"
start_gateway "http://127.0.0.1:$UP_PORT" unary "-Xlog:gc:file=$UNARY_GC_LOG"
wait_ready 120
jfr_start unary

declare -A UNARY_URL=(
    [direct]="http://127.0.0.1:$UP_PORT$UNARY_PATH"
    [nginx]="http://127.0.0.1:$PROXY_PORT$UNARY_PATH"
    [gateway]="http://127.0.0.1:$GW_PORT$UNARY_PATH"
    [reactor-netty]="http://127.0.0.1:$REF_PORT$UNARY_PATH"
)
declare -A TARGET_PID=([gateway]=$GW_PID [reactor-netty]=$REF_PID)
UNARY_TARGETS=(direct nginx reactor-netty gateway)
for target in "${UNARY_TARGETS[@]}"; do   # every target must answer 200 with the Gemini body
    out=$(curl -s --max-time 5 -w ' HTTP%{http_code}' -X POST -H "x-goog-api-key: $CLIENT_KEY" \
        -H 'Content-Type: application/json' -d "$BODY" "${UNARY_URL[$target]}")
    [[ $out == *'"finishReason": "STOP"'*' HTTP200' ]] || die "unary sanity check failed for $target: $out"
done

run_wrk() {  # target conns seconds outfile
    BENCH_KEY=$CLIENT_KEY timeout $(( $3 + 30 )) wrk -t2 -c"$2" -d"$3"s --timeout 10s --latency \
        -s "$BENCH/wrk/post.lua" "${UNARY_URL[$1]}" >"$4" 2>&1 || true
}
run_wrk gateway 64 "$WRK_WARMUP_SECONDS" "$WORK/wrk-warmup.txt"   # JIT warm-up, not recorded
run_wrk reactor-netty 64 "$WRK_WARMUP_SECONDS" "$WORK/wrk-warmup-reference.txt"

declare -A RPS P50 P99 ERR CPU
GW_PEAK_RPS=0; NGINX_PEAK_RPS=0
for c in "${WRK_CONNS[@]}"; do
    for target in "${UNARY_TARGETS[@]}"; do
        f="$WORK/wrk-$target-$c.txt"
        pid=${TARGET_PID[$target]:-$GW_PID}
        t_before=$(proc_ticks "$pid"); s_before=$(now_ms)
        run_wrk "$target" "$c" "$WRK_SECONDS" "$f"
        t_after=$(proc_ticks "$pid"); s_after=$(now_ms)
        line=$(grep -m1 '^WRK_RESULT' "$f" || true)
        [[ -n $line ]] || die "wrk produced no result for $target c=$c: $(tail -3 "$f")"
        get() { sed -E "s/.* $1=([0-9]+).*/\1/" <<<"$line"; }
        k="$target-$c"
        RPS[$k]=$(calc "$(get requests) / ($(get duration_us) / 1000000)" 0)
        P50[$k]=$(calc "$(get p50_us) / 1000" 2)
        P99[$k]=$(calc "$(get p99_us) / 1000" 2)
        ERR[$k]=$(( $(get non2xx) + $(get connect_err) + $(get read_err) + $(get write_err) + $(get timeout_err) ))
        CPU[$k]=$(calc "100 * ($t_after - $t_before) / $CLK_TCK / (($s_after - $s_before) / 1000)" 0)
        log "  c=$c $target: ${RPS[$k]} req/s p50 ${P50[$k]} ms p99 ${P99[$k]} ms errors ${ERR[$k]}"
        if [[ $target == gateway ]] && (( ${RPS[$k]} > GW_PEAK_RPS )); then GW_PEAK_RPS=${RPS[$k]}; fi
        if [[ $target == nginx ]] && (( ${RPS[$k]} > NGINX_PEAK_RPS )); then NGINX_PEAK_RPS=${RPS[$k]}; fi
    done
done

HALF_RATE=$(( GW_PEAK_RPS / 2 ))
HALF_Q=$(calc "$HALF_RATE / $HALF_WORKERS" 3)
log "  fixed-rate latency at $HALF_RATE req/s (half of the gateway's peak $GW_PEAK_RPS), hey -c $HALF_WORKERS -q $HALF_Q"
declare -A H_RATE H_P50 H_P99 H_MAX H_ERR H_BUSY
HALF_TARGETS=(direct nginx reactor-netty gateway)
machine_busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 " " $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }
gc_pause_lines() { grep -c 'Pause' "$UNARY_GC_LOG" 2>/dev/null || true; }
for target in "${HALF_TARGETS[@]}"; do
    f="$WORK/hey-$target.csv"
    read -r busy0 all0 < <(machine_busy_ticks)
    gc0=$(gc_pause_lines)
    timeout $(( HALF_SECONDS + 30 )) hey -z "${HALF_SECONDS}s" -c "$HALF_WORKERS" -q "$HALF_Q" -t 10 -m POST \
        -H "x-goog-api-key: $CLIENT_KEY" -T application/json -d "$BODY" -o csv "${UNARY_URL[$target]}" \
        >"$f" 2>"$WORK/hey-$target.err" || true
    read -r busy1 all1 < <(machine_busy_ticks)
    H_BUSY[$target]=$(calc "100 * $(nproc) * ($busy1 - $busy0) / ($all1 - $all0)" 0)
    if [[ $target == gateway ]]; then   # the gateway's GC pauses during its own fixed-rate run
        # One awk, so that a run without a new pause (grep finding nothing) cannot stop the script under pipefail.
        HALF_GC=$(awk -v skip="$gc0" '/Pause/ && ++seen > skip && match($0, /[0-9.]+ms$/) {
                v = substr($0, RSTART, RLENGTH - 2) + 0; n++; s += v; if (v > m) m = v }
            END { printf "%d pauses, %.1f ms in total, longest %.2f ms", n, s, m }' "$UNARY_GC_LOG" 2>/dev/null \
            || echo "not measured")
    fi
    # columns: response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset
    n=$(awk -F, 'NR > 1 && $1 ~ /^[0-9.]+$/' "$f" | wc -l)
    (( n > 0 )) || die "hey produced no samples for $target: $(head -3 "$WORK/hey-$target.err")"
    H_RATE[$target]=$(calc "$n / $HALF_SECONDS" 0)
    H_P50[$target]=$(awk -F, 'NR > 1 && $1 ~ /^[0-9.]+$/ { print $1 * 1000 }' "$f" | pct 50)
    H_P99[$target]=$(awk -F, 'NR > 1 && $1 ~ /^[0-9.]+$/ { print $1 * 1000 }' "$f" | pct 99)
    H_MAX[$target]=$(awk -F, 'NR > 1 && $1 ~ /^[0-9.]+$/ { print $1 * 1000 }' "$f" | pct 100)
    H_ERR[$target]=$(awk -F, 'NR > 1 && $1 ~ /^[0-9.]+$/ && $7 != 200' "$f" | wc -l)
    log "  $target at ${H_RATE[$target]} req/s: p50 ${H_P50[$target]} ms p99 ${H_P99[$target]} ms; machine busy ${H_BUSY[$target]}%"
done
UNARY_PROBLEMS=$(gateway_log_problems unary)
jfr_stop
stop_gateway
stop_pid "$NGINX_UP_PID"; forget_pid "$NGINX_UP_PID"
stop_pid "$NGINX_PROXY_PID"; forget_pid "$NGINX_PROXY_PID"
stop_pid "$REF_PID"; forget_pid "$REF_PID"
phase_end

# ---------------------------------------------------------------------------------------------------------------
# Phase 3: concurrent SSE streams, direct to the simulator vs through the gateway

log "phase 3: streams (${STREAM_NS[*]}; $STREAM_CHUNKS events, one per ${STREAM_DELAY_MS} ms; nofile=$NOFILE)"
phase_begin "streams"
start_simulator "$SIM_STREAM_PORT" "$STREAM_CHUNKS" "$STREAM_DELAY_MS" stream; SIM_PID=$SIM_STARTED_PID
GC_LOG="$WORK/gateway-stream-gc.log"
GW_APP_ARGS=("${STREAM_GW_ARGS[@]}")
start_gateway "http://127.0.0.1:$SIM_STREAM_PORT" stream "-Xlog:gc:file=$GC_LOG"
GW_APP_ARGS=()
wait_ready 120
jfr_start stream

run_streams() {  # label url key n sample outfile
    local expected=$(( $4 / STREAM_OPEN_RATE + STREAM_CHUNKS * STREAM_DELAY_MS / 1000 + 120 ))
    timeout "$expected" "$JAVA_LOAD" "$BENCH/loadclient/StreamLoad.java" --label="$1" --url="$2" --key="$3" \
        --streams="$4" --chunks="$STREAM_CHUNKS" --delay-ms="$STREAM_DELAY_MS" --open-rate="$STREAM_OPEN_RATE" \
        --sample="$5" --clk-tck="$CLK_TCK" --out="$6" >"$6.log" 2>&1 || true
    [[ -s $6 ]] || die "the stream load client produced no result for $1 n=$4: $(tail -5 "$6.log")"
}

# The JIT needs a few thousand stream set-ups (accept, upstream connect, first event) before that path is compiled:
# after 300 the first event of a stream still came 0.7 s late at 1000 new streams/s, after 2500 about 10 ms.
log "  warm-up: $STREAM_WARMUP streams through the gateway (not recorded)"
run_streams warmup "$GW_STREAM_URL" "$CLIENT_KEY" "$STREAM_WARMUP" "gateway:$GW_PID" "$WORK/streams-warmup.properties"
log "    warm-up: first-event lag p50 $(kv "$WORK/streams-warmup.properties" first_lag_p50_ms) ms, p99 $(kv "$WORK/streams-warmup.properties" first_lag_p99_ms) ms"

DIRECT_STREAM_URL="http://127.0.0.1:$SIM_STREAM_PORT$STREAM_PATH"
STREAM_RUNS=()
STREAM_NOTES=""
for n in "${STREAM_NS[@]}"; do
    if (( n > MAX_STREAMS )); then
        STREAM_NOTES+="- N=$n was lowered to $MAX_STREAMS: the open-files limit here is $NOFILE (hard limit $(ulimit -Hn)) and the gateway needs $SOCKETS_PER_STREAM.\n"
        n=$MAX_STREAMS
    fi
    STREAM_RUNS+=("$n")
    quiet_wait
    log "  N=$n direct"
    run_streams direct "$DIRECT_STREAM_URL" "$UPSTREAM_KEY" "$n" "simulator:$SIM_PID" "$WORK/streams-direct-$n.properties"
    sleep 2
    log "  N=$n gateway"
    run_streams gateway "$GW_STREAM_URL" "$CLIENT_KEY" "$n" "gateway:$GW_PID,simulator:$SIM_PID" \
        "$WORK/streams-gateway-$n.properties"
    for t in direct gateway; do
        f="$WORK/streams-$t-$n.properties"
        log "    $t: ok $(kv "$f" ok) errors $(kv "$f" errors) first-event lag p50 $(kv "$f" first_lag_p50_ms) p99 $(kv "$f" first_lag_p99_ms) ms; relay p50 $(kv "$f" relay_p50_ms) p99 $(kv "$f" relay_p99_ms) max $(kv "$f" relay_max_ms) ms"
    done
    sleep 2
done
STREAM_PROBLEMS=$(gateway_log_problems stream)
GC_PAUSES=$(grep -c 'Pause' "$GC_LOG" 2>/dev/null || true)
GC_MAX_MS=$(grep -oE 'Pause.* ([0-9.]+)ms$' "$GC_LOG" 2>/dev/null | grep -oE '[0-9.]+ms$' | tr -d ms | pct 100 || true)
GC_SUM_MS=$(grep -oE 'Pause.* ([0-9.]+)ms$' "$GC_LOG" 2>/dev/null | grep -oE '[0-9.]+ms$' | tr -d ms \
    | awk '{ s += $1 } END { printf "%.1f", s }' || true)
GC_LAST=$(grep 'Pause' "$GC_LOG" 2>/dev/null | tail -1 | sed -E 's/^\[[^]]*\]\[[^]]*\]\[[^]]*\] *//' || true)
jfr_stop
stop_gateway
stop_pid "$SIM_PID"; forget_pid "$SIM_PID"
phase_end

# ---------------------------------------------------------------------------------------------------------------
# Report

pass() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi; }
OUT_DIR="$BENCH/results"
mkdir -p "$OUT_DIR"
SUFFIX=""; [[ $QUICK == 1 ]] && SUFFIX="-quick"
[[ $PROFILE == 1 ]] && SUFFIX+="-profile"
[[ $UPSTREAM_HTTP2 == 1 ]] && SUFFIX+="-upstream-http2"
RESULT="$OUT_DIR/$DATE-$COMMIT$SUFFIX.md"

UNARY_RATIO=$(calc "$GW_PEAK_RPS / $NGINX_PEAK_RPS" 2)
ADDED_P99=$(calc "${H_P99[gateway]} - ${H_P99[direct]}" 2)
BIG=${STREAM_RUNS[-1]}
SD="$WORK/streams-direct-$BIG.properties"; SG="$WORK/streams-gateway-$BIG.properties"
BIG_RSS=$(kv "$SG" gateway_peak_rss_mib)
BIG_ERR=$(( $(kv "$SD" errors) + $(kv "$SG" errors) ))
BIG_ADDED=$(calc "$(kv "$SG" relay_p99_ms) - $(kv "$SD" relay_p99_ms)" 2)
BIG_SETUP=$(calc "$(kv "$SG" first_lag_p99_ms) - $(kv "$SD" first_lag_p99_ms)" 0)
BIG_HELD=$(calc "$(kv "$SG" held_relay_p99_ms) - $(kv "$SD" held_relay_p99_ms)" 2)

{
echo "# Gemini gateway benchmark, $MODE run"
echo
echo "- date: $STAMP"
echo "- commit: $COMMIT; uncommitted entries in the work tree at build time: $DIRTY_MAIN under src/main or pom.xml (these are in the jar), $DIRTY_TEST under src/test (not in the jar)"
echo "- command: \`bench/run.sh $*\`; jar file dated $JAR_INFO$( [[ $BUILD == 0 ]] && echo " (--no-build: not rebuilt by this run, so it may not match the commit)")"
echo "- machine: $(nproc) CPUs ($CPU_MODEL), $MEM_TOTAL RAM, kernel $(uname -r); open-files limit $NOFILE; local ports $PORT_RANGE"
echo "- gateway JVM: $GW_JAVA_VERSION; launch: $BENCH_LAUNCH ($AOT_NOTE); flags: ${GATEWAY_JVM_OPTS:-default} (GC $GW_GC, max heap $GW_MAX_HEAP_MIB MiB); \`--logging.level.gateway.access=WARN\` so per-request access logging is not measured"
echo "- gateway to simulator in the stream phase: $([[ $UPSTREAM_HTTP2 == 1 ]] && echo "HTTP/2 (h2c, \`--gateway.upstream.http2=true\`, at most 100 streams a connection as Google allows)" || echo "HTTP/1.1 (the default), one connection per stream")"
echo "- load tools: wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), hey (Debian), curl, StreamLoad.java on $LOAD_JAVA_VERSION; all on the same machine as the gateway, over 127.0.0.1"
echo
echo "## Goals"
echo
echo "| goal | target | measured | result |"
echo "| --- | --- | --- | --- |"
echo "| unary throughput vs nginx | gateway >= 0.5x nginx req/s | ${UNARY_RATIO}x (peak $GW_PEAK_RPS vs $NGINX_PEAK_RPS req/s) | $(pass "$UNARY_RATIO >= 0.5") |"
echo "| added unary p99 at half saturation | <= 2 ms | ${ADDED_P99} ms (p99 ${H_P99[gateway]} vs ${H_P99[direct]} ms direct at $HALF_RATE req/s) | $(pass "$ADDED_P99 <= 2") |"
echo "| 10k streams: gateway RSS | <= 1024 MiB | ${BIG_RSS} MiB at N=$BIG | $(pass "$BIG_RSS <= 1024 && $BIG >= 10000") |"
echo "| 10k streams: errors | 0 | $BIG_ERR at N=$BIG | $(pass "$BIG_ERR == 0 && $BIG >= 10000") |"
echo "| 10k streams: added p99 per-event delay | <= 5 ms | ${BIG_ADDED} ms relay delay at N=$BIG, all events (steady hold only: ${BIG_HELD} ms; first-event lag adds ${BIG_SETUP} ms at p99, not in these figures) | $(pass "$BIG_ADDED <= 5 && $BIG >= 10000") |"
echo "| startup to ready | <= 3 s | $(calc "$STARTUP_MEDIAN / 1000" 2) s median | $(pass "$STARTUP_MEDIAN <= 3000") |"
echo
if (( BIG < 10000 )); then
    echo "The three 10k-stream rows are FAIL by construction: this run measured N=$BIG, not 10000 (see notes). Their measured values at N=$BIG are still shown."
    echo
fi
echo "## Unary: wrk -t2 -d${WRK_SECONDS}s, POST generateContent, fixed nginx upstream"
echo
echo "direct = wrk to the nginx stand-in; nginx = through a plain nginx reverse proxy; reactor-netty = through bench/reference/BareProxy.java, a bare Reactor Netty proxy on the gateway's own libraries with none of the gateway (the ceiling of the stack); gateway = through the gateway. CPU = that proxy process's CPU during the wrk run (100% = one core); CPU ms/req = that CPU per request."
echo
echo "| conns | target | req/s | p50 ms | p99 ms | errors | proxy CPU % | CPU ms/req | x nginx req/s |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for c in "${WRK_CONNS[@]}"; do
    for target in "${UNARY_TARGETS[@]}"; do
        k="$target-$c"
        ratio=""; [[ $target == gateway || $target == reactor-netty ]] && ratio=$(calc "${RPS[$k]} / ${RPS[nginx-$c]}" 2)
        cpu=""; per=""
        if [[ -n ${TARGET_PID[$target]:-} ]]; then cpu=${CPU[$k]}; per=$(calc "10 * ${CPU[$k]} / ${RPS[$k]}" 3); fi
        echo "| $c | $target | ${RPS[$k]} | ${P50[$k]} | ${P99[$k]} | ${ERR[$k]} | $cpu | $per | $ratio |"
    done
done
echo
echo "## Unary latency at half the gateway's saturation rate"
echo
echo "hey -c $HALF_WORKERS -q $HALF_Q (target $HALF_RATE req/s = half of the gateway's peak $GW_PEAK_RPS req/s), ${HALF_SECONDS}s per target; rate-limited workers, so closed-loop within each worker."
echo
echo "reactor-netty is the bare Reactor Netty proxy of the unary table, at the same rate: the latency the stack itself adds, with none of the gateway's work. machine busy = all CPUs' busy time during the run (hey, the proxy and the nginx stand-in together; 100% = one core, $(( $(nproc) * 100 ))% = all)."
echo
echo "| target | achieved req/s | p50 ms | p99 ms | max ms | errors | machine busy % | p99 added over direct ms |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for target in "${HALF_TARGETS[@]}"; do
    added=""; [[ $target != direct ]] && added=$(calc "${H_P99[$target]} - ${H_P99[direct]}" 2)
    echo "| $target | ${H_RATE[$target]} | ${H_P50[$target]} | ${H_P99[$target]} | ${H_MAX[$target]} | ${H_ERR[$target]} | ${H_BUSY[$target]} | $added |"
done
echo
echo "- gateway GC during its fixed-rate run: ${HALF_GC:-not measured}"
echo
echo "## Streams: $STREAM_CHUNKS SSE events per stream, one per ${STREAM_DELAY_MS} ms, opened at $STREAM_OPEN_RATE/s"
echo
echo "- first-event lag = arrival of event 0 - (request sent + ${STREAM_DELAY_MS} ms): the stream's set-up cost, queueing included."
echo "- relay delay of event i = o_i - min_j o_j with o_i = arrival_i - i x ${STREAM_DELAY_MS} ms, per stream: how much later than the stream's best-delivered event each event is passed on (set-up time and constant path latency drop out). The goal's per-event figure is gateway p99 - direct p99 of this."
echo "- The simulator's own timer drift is in both rows, so gateway - direct is what the gateway adds. RSS/CPU/threads are the gateway's in gateway rows and the simulator's in direct rows; CPU is averaged over the window in which all streams were open (100% = one core)."
echo "- steady relay = the same relay delay, only for events that arrived while all streams were open, from 2 s after the last stream's first event to the end of the first stream (ramp-up excluded)."
echo
echo "| N | target | ok | errors | first-event lag p50 / p99 ms | relay p50 ms | relay p99 ms | relay p99.9 ms | relay max ms | steady relay p50 / p99 / max ms | peak RSS MiB | CPU % (held) | peak threads | load client CPU % |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${STREAM_RUNS[@]}"; do
    for t in direct gateway; do
        f="$WORK/streams-$t-$n.properties"; p=simulator; [[ $t == gateway ]] && p=gateway
        echo "| $n | $t | $(kv "$f" ok) | $(kv "$f" errors) | $(kv "$f" first_lag_p50_ms) / $(kv "$f" first_lag_p99_ms) | $(kv "$f" relay_p50_ms) | $(kv "$f" relay_p99_ms) | $(kv "$f" relay_p999_ms) | $(kv "$f" relay_max_ms) | $(kv "$f" held_relay_p50_ms) / $(kv "$f" held_relay_p99_ms) / $(kv "$f" held_relay_max_ms) | $(kv "$f" ${p}_peak_rss_mib) | $(kv "$f" ${p}_cpu_held_pct) | $(kv "$f" ${p}_peak_threads) | $(kv "$f" loadclient_cpu_held_pct) |"
    done
    g="$WORK/streams-gateway-$n.properties"; d="$WORK/streams-direct-$n.properties"
    echo "| $n | added (gateway - direct) | | | $(calc "$(kv "$g" first_lag_p50_ms) - $(kv "$d" first_lag_p50_ms)" 1) / $(calc "$(kv "$g" first_lag_p99_ms) - $(kv "$d" first_lag_p99_ms)" 1) | $(calc "$(kv "$g" relay_p50_ms) - $(kv "$d" relay_p50_ms)" 3) | $(calc "$(kv "$g" relay_p99_ms) - $(kv "$d" relay_p99_ms)" 3) | $(calc "$(kv "$g" relay_p999_ms) - $(kv "$d" relay_p999_ms)" 3) | | $(calc "$(kv "$g" held_relay_p50_ms) - $(kv "$d" held_relay_p50_ms)" 3) / $(calc "$(kv "$g" held_relay_p99_ms) - $(kv "$d" held_relay_p99_ms)" 3) / | | | | |"
done
echo
for n in "${STREAM_RUNS[@]}"; do
    for t in direct gateway; do
        f="$WORK/streams-$t-$n.properties"
        if [[ $(kv "$f" errors) != 0 ]]; then
            echo "- N=$n $t errors: $(kv "$f" error_kinds); samples: $(kv "$f" error_samples | cut -c1-600)"
        fi
    done
done
echo "- simulator CPU while the gateway held the streams (the simulator shares the machine): $(for n in "${STREAM_RUNS[@]}"; do printf 'N=%s %s%% ' "$n" "$(kv "$WORK/streams-gateway-$n.properties" simulator_cpu_held_pct)"; done)"
echo "- gateway GC during the stream phase (warm-up included): $GC_PAUSES pauses, ${GC_SUM_MS:-0} ms in total, longest ${GC_MAX_MS:-NA} ms; last: ${GC_LAST:-none}"
echo
echo "## Time to first byte of a stream (curl time_starttransfer, $TTFB_N requests each, interleaved)"
echo
echo "Upstream: a simulator with --chunks=3 --chunk-delay-ms=0, so its first event follows the response headers at once."
echo
echo "| target | median ms | p99 ms | median whole stream ms |"
echo "| --- | ---: | ---: | ---: |"
echo "| direct | $TTFB_D50 | $TTFB_D99 | $TTFB_TOTAL_D50 |"
echo "| gateway | $TTFB_G50 | $TTFB_G99 | $TTFB_TOTAL_G50 |"
echo "| added | $(calc "$TTFB_G50 - $TTFB_D50" 3) | $(calc "$TTFB_G99 - $TTFB_D99" 3) | |"
echo
echo "## Startup: JVM launch to readiness 200 (polled every 20 ms)"
echo
echo "- as the image runs it ($BENCH_LAUNCH launch; $AOT_NOTE): runs (ms) ${STARTUP_MS[*]}; median $STARTUP_MEDIAN ms. Spring's \"process running for\" at Started, per run (s): ${SPRING_STARTED:-n/a}"
echo "- reference, the plain fat jar on the machine's default JDK ($("$JAVA_DEFAULT" -version 2>&1 | head -1)), default flags: runs (ms) ${STARTUP_PLAIN_MS[*]}; median $STARTUP_PLAIN_MEDIAN ms"
echo
echo "## Notes"
echo
printf '%b' "$STREAM_NOTES"
echo "- Everything (load generators, nginx, simulator, gateway) shares the same $(nproc) CPUs, so the figures are relative, not absolute capacity."
(( QUIET_WAIT > 0 )) && echo "- BENCH_QUIET_WAIT=$QUIET_WAIT: waited ${QUIET_WAITED}s in all for a quiet machine before phases and stream runs."
echo "- CPU used per phase (100% = one core; machine total $(( $(nproc) * 100 ))%). \"others\" is every process not started by this script: on a shared machine it is competing load that makes the figures worse than they would be on a quiet one."
echo
echo "| phase | seconds | this benchmark % | others % | top others |"
echo "| --- | ---: | ---: | ---: | --- |"
for i in "${!PHASES[@]}"; do
    IFS='|' read -r ours others top <<<"$(cpu_share "${PHASE_FROM[$i]}" "${PHASE_TO[$i]}")"
    echo "| ${PHASES[$i]} | $(( (PHASE_TO[$i] - PHASE_FROM[$i]) / 1000 )) | $ours | $others | $top |"
done
echo
if [[ -n $UNARY_PROBLEMS ]]; then
    echo "- gateway WARN/ERROR log lines during the unary phase (count, message):"
    echo '```'; echo "$UNARY_PROBLEMS" | cut -c1-400; echo '```'
fi
if [[ -n $STREAM_PROBLEMS ]]; then
    echo "- gateway WARN/ERROR log lines during the stream phase (count, message):"
    echo '```'; echo "$STREAM_PROBLEMS" | cut -c1-400; echo '```'
fi
if [[ -z $UNARY_PROBLEMS && -z $STREAM_PROBLEMS ]]; then echo "- the gateway logged no WARN or ERROR line."; fi
if [[ $PROFILE == 1 ]]; then
    echo
    echo "## Profile (--profile): JFR execution samples of the gateway"
    echo
    echo "### Unary phase (warm-up, all wrk and hey runs)"
    echo
    jfr_summary unary
    echo
    echo "### Stream phase (warm-up and all stream runs)"
    echo
    jfr_summary stream
fi
} >"$RESULT"

echo
cat "$RESULT"
echo
log "results written to ${RESULT#$ROOT/}"
