-- wrk script: each request carries the session cookie of another benchmark user (read from COOKIES, one
-- `sessionid=...` per line, optionally followed by a tab and that user's own path), and the summary prints
-- throughput, p50/p95/p99 latency and errors as one machine-readable line.
local cookies, paths = {}, {}
local file = os.getenv("COOKIES")
if file and file ~= "" then
  for line in io.lines(file) do
    local cookie, path = line:match("^([^\t]+)\t(.+)$")
    cookies[#cookies + 1] = cookie or line
    paths[#paths + 1] = path
  end
end
local counter = 0
-- Each wrk thread runs this script in a state of its own (its own counter): without an offset every thread would
-- walk the same people in step, two requests of each person at the same moment. Thread `id` (set in `setup`) of
-- WRK_THREADS (the -t given to wrk) takes every WRK_THREADS-th person from its own place.
local stride = tonumber(os.getenv("WRK_THREADS") or "1")
local threads = 0
id = 0

setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end

request = function()
  local headers = {}
  headers["X-Forwarded-Proto"] = "https"
  if #cookies == 0 then return wrk.format("GET", nil, headers) end
  local n = ((counter * stride + id) % #cookies) + 1
  headers["Cookie"] = cookies[n]
  counter = counter + 1
  return wrk.format("GET", paths[n], headers)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests, errors))
end
