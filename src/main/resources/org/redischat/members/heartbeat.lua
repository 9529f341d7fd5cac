-- A node says it is alive, on Redis' clock. Returns 1 when the node was not listed (new, or swept
-- away as dead while it was paused), else 0.
-- KEYS: 1 the nodes' heartbeats (sorted set node -> ms). ARGV: 1 node
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], now, ARGV[1])
