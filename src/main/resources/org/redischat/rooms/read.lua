-- Moves a member's read mark forward, never past the room's newest id.
-- KEYS: 1 members, 2 seq, 3 read marks (hash user -> id)
-- ARGV: 1 user, 2 id
-- Returns -1 (not a member), -2 (the mark did not move) or the new mark.
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
  return -1
end
local newest = tonumber(redis.call('GET', KEYS[2]) or '0')
local id = math.min(tonumber(ARGV[2]), newest)
local prior = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if id <= prior then
  return -2
end
redis.call('HSET', KEYS[3], ARGV[1], id)
return id
