-- wrk script of the bench's fixed-rate phases: bench/mailchimp.lua's requests, paced to a fixed rate with wrk's
-- delay() hook (Debian's wrk 4.1 has no -R).
--
-- wrk -t1 -c20 -d30s --latency -s bench/mailchimp-paced.lua <url> -- <form file> <tag> <rate> <threads>
--
-- delay() is called in a thread's Lua state each time one of its connections is about to send (after connecting,
-- after each response) and answers the milliseconds to wait first. It has no connection argument, so the schedule
-- is the thread's: request n of thread t is due at start + (t - 1) * I / T + n * I, with I = T / rate seconds and
-- T threads; whichever of the thread's connections is free takes the next due time. Its c connections take turns,
-- each on average one request every c * T / rate = connections / rate seconds. The due times come from the
-- thread's start and a monotonic wall clock (CLOCK_MONOTONIC through LuaJIT's FFI: os.clock() is CPU time,
-- os.time() whole seconds), never from the previous send, so a slow response does not shift the schedule: a
-- request found behind its due time goes at once (delay 0) and the ones after it are due as before. Such late
-- sends are counted (late=, lag_max_us= in the bench line): wrk times a request from its send, so while the bus
-- keeps every connection busy past its turn, the wait for a free connection is not in the latencies (coordinated
-- omission); late=0 says it did not happen.
--
-- wrk's timers have whole milliseconds: a request goes up to 1 ms before its due time, never drifting.

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "mailchimp.lua")

local ffi = require("ffi")
pcall(ffi.cdef, [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")

local function now_ms()
   ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
   return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local base_init = init

function init(args)
   base_init(args)
   local rate = assert(tonumber(args[3]), "the rate (webhooks/s, all threads) is the third argument")
   local nthreads = tonumber(args[4]) or 1
   interval = 1000 * nthreads / rate
   offset = (tid - 1) * interval / nthreads
   start = nil
   due = 0
   late = 0
   lag_max_ms = 0
end

function delay()
   local now = now_ms()
   if start == nil then
      start = now + offset
   end
   local wait = start + due * interval - now
   due = due + 1
   if wait < -1 then
      late = late + 1
      if -wait > lag_max_ms then
         lag_max_ms = -wait
      end
   end
   if wait <= 0 then
      return 0
   end
   return math.floor(wait)
end
