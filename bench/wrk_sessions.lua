-- wrk script: each request carries the session cookie of another benchmark user (read from COOKIES),
-- and the summary prints throughput, p50/p95/p99 latency and errors as one machine-readable line.
local cookies = {}
local path = os.getenv("COOKIES")
if path and path ~= "" then
  for line in io.lines(path) do cookies[#cookies + 1] = line end
end
local counter = 0

request = function()
  counter = counter + 1
  local headers = {}
  if #cookies > 0 then headers["Cookie"] = cookies[(counter % #cookies) + 1] end
  headers["X-Forwarded-Proto"] = "https"
  return wrk.format("GET", nil, headers)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests, errors))
end
