-- wrk reporting for bench/load.py: at the end of a run, one line
--   WRK_JSON {...}
-- with the request count, duration, bytes, error counts (socket errors and
-- answers with a status of 400 or more) and latency percentiles in microseconds.
-- Used on its own for the read cases (no response() hook, so wrk never copies
-- bodies into Lua and measures at full speed) and loaded by writes.lua.

function wrk_json(summary, latency)
  local errors = summary.errors
  return string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean)
end

done = function(summary, latency, requests)
  io.write("WRK_JSON " .. wrk_json(summary, latency) .. "}\n")
end
