-- A token bucket shared by every node (GCRA): 1 if the user may send now, else 0.
-- KEYS: 1 the user's rate key. ARGV: 1 microseconds per message, 2 burst.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then
  tat = now
end
local next = tat + interval
if next - now > interval * tonumber(ARGV[2]) then
  return 0
end
redis.call('SET', KEYS[1], string.format('%d', next), 'PX', math.ceil((next - now) / 1000) + 1)
return 1
