-- Claims the nodes whose last heartbeat is older than the timeout; each dead node is returned to
-- exactly one caller, which then takes its users offline.
-- KEYS: 1 the nodes' heartbeats. ARGV: 1 timeout in ms
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - tonumber(ARGV[1])))
for _, node in ipairs(dead) do
  redis.call('ZREM', KEYS[1], node)
end
return dead
