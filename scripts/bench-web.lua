-- wrk script for scripts/bench-web.
--
-- Paths given after `--` are requested in turn (each thread starting at a different one), so a
-- run can rotate over several persons; without any, every request is for the URL's own path.
-- Headers given with `-H` (the session cookie, the bearer token) go with every request.
--
-- When the run ends it prints one line that scripts/bench-web reads:
--   HALDEN_BENCH requests=N duration_us=N p50_us=N p99_us=N status_errors=N socket_errors=N
-- (status_errors: answers 400 and up; wrk counts 3xx as successes, so the script checks each
-- route answers 200 before running it).

local paths = {}
local next_index = 0
local thread_count = 0

function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  for _, path in ipairs(args) do
    paths[#paths + 1] = path
  end
  if #paths == 0 then
    paths[1] = wrk.path
  end
  -- Spread the threads over the list.
  next_index = ((thread_number or 0) * 7) % #paths
end

function request()
  next_index = next_index % #paths + 1
  return wrk.format(nil, paths[next_index])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "HALDEN_BENCH requests=%.0f duration_us=%.0f p50_us=%.0f p99_us=%.0f status_errors=%.0f socket_errors=%.0f\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
