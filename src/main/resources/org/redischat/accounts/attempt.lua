-- Takes one attempt from a budget shared by every node, or says how long to wait (gcra.lua).
-- KEYS: 1 the budget's key. ARGV: 1 microseconds per attempt, 2 burst.
-- Returns 0 when the attempt may go ahead, else the milliseconds until one may.
return math.ceil(gcra_wait(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])) / 1000)
