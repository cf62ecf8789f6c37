-- wrk script for bench/cold_visits.py: each of the COOKIES file's people visits once (their own cookie and, if the
-- line has one, their own path), the WRK_THREADS threads sharing them out as bench/wrk_sessions.lua does; a thread
-- that has sent its share sends the minimal view (/ping/, no cookie) until it has its share of answers and stops,
-- so the requests still in flight when the last visit is answered cost next to nothing. Prints one RESULT line.
local cookies, paths = {}, {}
for line in io.lines(os.getenv("COOKIES")) do
  local cookie, path = line:match("^([^\t]+)\t(.+)$")
  cookies[#cookies + 1] = cookie or line
  paths[#paths + 1] = path
end
local count_all = os.getenv("COUNT_ALL") == "1"  -- the minimal view measured itself: every answer counts
local ffi = require("ffi")  -- wrk runs LuaJIT: the monotonic clock, for the moment the last visit is answered
ffi.cdef [[ typedef struct { long tv_sec; long tv_nsec; } wrk_timespec; int clock_gettime(int, wrk_timespec *); ]]
local function now_us()
  local t = ffi.new("wrk_timespec")
  ffi.C.clock_gettime(1, t)
  return tonumber(t.tv_sec) * 1e6 + tonumber(t.tv_nsec) / 1e3
end
local stride = tonumber(os.getenv("WRK_THREADS") or "1")
local threads, all = 0, {}
id = 0
sent, answered, share = 0, 0, 0
started, finished = nil, nil

setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
  all[#all + 1] = thread
end

init = function(args)
  share = 0
  for n = id + 1, #cookies, stride do share = share + 1 end
end

request = function()
  local headers = {}
  headers["X-Forwarded-Proto"] = "https"
  if sent == 0 then started = now_us() end
  if sent >= share then return wrk.format("GET", "/ping/", headers) end
  local n = sent * stride + id + 1
  sent = sent + 1
  headers["Cookie"] = cookies[n]
  return wrk.format("GET", paths[n], headers)
end

response = function(status, headers, body)
  if body == "ok" and not count_all then return end  -- the minimal view's answer, after the share was sent
  answered = answered + 1
  if answered >= share - 5 and not finished then  -- a lost answer (a read error) must not keep the pass running
    finished = now_us()
    local done_file = os.getenv("DONE_FILE")  -- tells bench/cold_visits.py to stop wrk (SIGINT) before its -d is out
    if done_file then io.open(done_file .. "." .. id, "w"):close() end
    wrk.thread:stop()
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout
  local first, last = math.huge, 0  -- wrk itself runs out its -d: the visits' own time is from the threads' clocks
  for _, thread in ipairs(all) do
    first = math.min(first, thread:get("started") or math.huge)
    last = math.max(last, thread:get("finished") or math.huge)
  end
  for _, thread in ipairs(all) do
    io.write(string.format("thread %d: sent %d, answered %d of %d\n", thread:get("id"), thread:get("sent"),
      thread:get("answered"), thread:get("share")))
  end
  io.write(string.format("RESULT seconds=%.3f requests=%d p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f errors=%d\n",
    (last - first) / 1e6, summary.requests, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors))
end
