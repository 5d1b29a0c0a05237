-- wrk script of the bench: POSTs Mailchimp subscribe forms (the shape of
-- src/test/resources/platforms/mailchimp/mailchimp-subscribe.form), each with an e-mail and id of its own
-- (<tag>.<thread>.<n>@example.com: the bus deduplicates identical events), counts the answers that are not 2xx,
-- and prints one line the bench parses (late= and lag_max_us=: set by bench/mailchimp-paced.lua, which paces these
-- requests to a fixed rate; 0 here).
--
-- wrk -t2 -c64 -d30s --latency -s bench/mailchimp.lua <url> -- <form file> <tag>

local threads = {}

function setup(thread)
   thread:set("tid", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   local file = assert(io.open(args[1] or "src/test/resources/platforms/mailchimp/mailchimp-subscribe.form", "r"))
   local form = file:read("*a"):gsub("%s+$", "")
   file:close()
   -- the form cut around its e-mail (\1, twice) and Mailchimp's subscriber id (\2), so a request only concatenates
   form = form:gsub("lucia%.martin%%40example%.com", "\1"):gsub("11bdbce20ae820532b1a7dfbbcae11a7", "\2")
   pieces = {}
   for text, marker in form:gmatch("([^\1\2]*)([\1\2]?)") do
      table.insert(pieces, text)
      if marker ~= "" then
         table.insert(pieces, marker)
      end
   end
   prefix = (args[2] or "w") .. "." .. tid .. "."
   counter = 0
   non2xx = 0
   headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
end

function request()
   counter = counter + 1
   local who = prefix .. counter
   local parts = {}
   for i, piece in ipairs(pieces) do
      if piece == "\1" then
         parts[i] = who .. "%40example.com"
      elseif piece == "\2" then
         parts[i] = who
      else
         parts[i] = piece
      end
   end
   return wrk.format("POST", nil, headers, table.concat(parts))
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local bad, late, lag = 0, 0, 0
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("non2xx")
      -- set by bench/mailchimp-paced.lua only
      late = late + (thread:get("late") or 0)
      lag = math.max(lag, thread:get("lag_max_ms") or 0)
   end
   io.write(string.format("bench: requests=%d non2xx=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d "
         .. "connect=%d read=%d write=%d timeout=%d late=%d lag_max_us=%d\n", summary.requests, bad, summary.duration,
         latency:percentile(50), latency:percentile(90), latency:percentile(99), summary.errors.connect,
         summary.errors.read, summary.errors.write, summary.errors.timeout, late, math.floor(lag * 1000)))
end
