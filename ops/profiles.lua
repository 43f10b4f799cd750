-- wrk script: POST a distinct, valid profile on every request to the path given as the first script argument
-- (wrk ... -s ops/profiles.lua URL -- /api/v1/assessments), and count every answer that is not 2xx.
-- done() prints one JSON line with the figures the runner records.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local customisation = {"none", "low", "medium", "high"}
local isolation = {"standard", "strong", "dedicated"}
local os_names = {"linux", "windows"}

function init(args)
  path = args[1] or "/api/v1/recommendations"
  counter = 0
  non2xx = 0
  headers = {["Content-Type"] = "application/json"}
end

function request()
  counter = counter + 1
  local n = counter
  local body = string.format(
    '{"security_hours_per_month": %d, "patching_staff": %d, "customisation": "%s", "isolation": "%s", '
    .. '"workload": {"max_duration_minutes": %d, "memory_gb": %d, "os": "%s", "gpu": %s}, '
    .. '"name": "load thread %d request %d"}',
    n % 400, n % 5, customisation[n % 4 + 1], isolation[math.floor(n / 4) % 3 + 1],
    1 + n % 120, 1 + n % 16, os_names[math.floor(n / 12) % 2 + 1], (n % 17 == 0) and "true" or "false", id, n)
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.1f, "requests_per_s": %.1f, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, '
    .. '"max_ms": %.2f, "non_2xx": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, '
    .. '"timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, bad, e.connect, e.read, e.write, e.timeout))
end
