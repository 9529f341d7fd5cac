-- Takes one attempt from a budget shared by every node, or says how long to wait (gcra.lua); with
-- 'peek', only says how long to wait and takes nothing.
-- KEYS: 1 the budget's key. ARGV: 1 microseconds per attempt, 2 burst, 3 (optional) 'peek'.
-- Returns 0 when the attempt may go ahead, else the milliseconds until one may.
if ARGV[3] == 'peek' then
  return math.ceil(gcra_peek(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])) / 1000)
end
return math.ceil(gcra_wait(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])) / 1000)
