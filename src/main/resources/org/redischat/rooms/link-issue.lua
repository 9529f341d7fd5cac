-- Records a join link of a room, after dropping the room's expired links, unless the room already
-- holds as many unexpired links as allowed.
-- KEYS: 1 the room's join links (hash: id -> "<issuer> <expires ms> <created ms>")
-- ARGV: 1 the new link's id, 2 its record, 3 now (ms), 4 the most links a room may hold
-- Returns 1 when recorded, 0 when the room holds the most links already.
local all = redis.call('HGETALL', KEYS[1])
local live = 0
for i = 1, #all, 2 do
  local expires = tonumber(string.match(all[i + 1], '^[^ ]+ (%d+)'))
  if expires <= tonumber(ARGV[3]) then
    redis.call('HDEL', KEYS[1], all[i])
  else
    live = live + 1
  end
end
if live >= tonumber(ARGV[4]) then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
