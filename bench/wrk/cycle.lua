-- Cycle through a file of requests, one per line, so every request in a run differs.
-- Arguments after "--": post <path> <bodies-file>   or   get <paths-file>
-- done() prints one line "BENCH_JSON {...}" with the counts and latency percentiles (microseconds).

local items = {}
local method, path
local counter = 0

local function read_lines(file)
  local out = {}
  for line in io.lines(file) do
    if #line > 0 then out[#out + 1] = line end
  end
  return out
end

function init(args)
  method = args[1]
  if method == "post" then
    path = args[2]
    items = read_lines(args[3])
  else
    items = read_lines(args[2])
  end
  -- each wrk thread starts at a different place in the list
  counter = math.random(#items)
end

function request()
  counter = counter % #items + 1
  if method == "post" then
    return wrk.format("POST", path, {["Content-Type"] = "application/json"}, items[counter])
  end
  return wrk.format("GET", items[counter])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
