-- Takes one attempt from a budget shared by every node (GCRA), or says how long to wait.
-- KEYS: 1 the budget's key. ARGV: 1 microseconds per attempt, 2 burst.
-- Returns 0 when the attempt may go ahead, else the milliseconds until one may.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then
  tat = now
end
local next = tat + interval
if next - now > interval * burst then
  return math.ceil((next - now - interval * burst) / 1000)
end
redis.call('SET', KEYS[1], string.format('%d', next), 'PX', math.ceil((next - now) / 1000) + 1)
return 0
