-- wrk script for the baselines and the capacity runs of bench/load/run_load.sh.
-- Usage: wrk -t2 -c200 -d60s --timeout 30s -s bench/load/paths.lua http://127.0.0.1:PORT -- PATHS_FILE
-- Each request takes a random path from PATHS_FILE (one per line, written by prepare.py), with
-- the headers a browser behind the proxy would send. At the end one JSON line with the figures.

local paths = {}
local threads = 0
local headers = {
  ["Accept"] = "text/html,application/json;q=0.9,*/*;q=0.8",
  ["Accept-Encoding"] = "gzip",
  ["X-Forwarded-For"] = "127.0.0.2",
}

-- Each thread gets its own number (the global `thread_number` in its Lua state), so the threads
-- draw different paths: seeded alike, they asked for the same path at the same moment.
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  math.randomseed(os.time() * 64 + thread_number)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "seconds": %.1f, "rps": %.1f, "p50_ms": %.1f, "p95_ms": %.1f, ' ..
    '"p99_ms": %.1f, "max_ms": %.1f, "errors": %d, "bad_status": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000,
    errors.connect + errors.read + errors.write + errors.timeout + errors.status, errors.status))
end
