-- wrk report for benchmarks/pages.py: one parsable line at the end of a run.
-- Latencies are in microseconds (wrk's unit); errors.status counts non-2xx/3xx responses.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local rps = 0
  if seconds > 0 then
    rps = summary.requests / seconds
  end
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d rps=%.2f p50_us=%d p95_us=%d p99_us=%d"
      .. " max_us=%d mean_us=%.0f errors_connect=%d errors_read=%d errors_write=%d"
      .. " errors_status=%d errors_timeout=%d\n",
    summary.requests,
    summary.duration,
    rps,
    latency:percentile(50),
    latency:percentile(95),
    latency:percentile(99),
    latency.max,
    latency.mean,
    summary.errors.connect,
    summary.errors.read,
    summary.errors.write,
    summary.errors.status,
    summary.errors.timeout
  ))
end
