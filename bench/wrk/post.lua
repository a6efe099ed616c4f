-- wrk script for the unary benchmark: POST generateContent with the caller key and a small JSON body.
-- The key comes from BENCH_KEY (default bench-key); the nginx stand-in ignores it, the gateway checks it.
wrk.method = "POST"
wrk.body = '{"contents":[{"parts":[{"text":"Hi"}]}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-goog-api-key"] = os.getenv("BENCH_KEY") or "bench-key"

-- One machine-readable line next to wrk's own --latency report (latencies in microseconds).
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "WRK_RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d connect_err=%d read_err=%d write_err=%d timeout_err=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
