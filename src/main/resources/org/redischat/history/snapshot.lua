-- Reads a room's epoch, newest id, oldest kept id and a run of messages in one atomic step,
-- creating the epoch if the room has none (new room, or history lost). For a join, the same step
-- makes the user a member and, if they were not one, raises the room's membership version and
-- publishes member_add on the room's channel, so the change takes its place among the room's events.
-- KEYS: 1 epoch, 2 seq, 3 log, 4 (optional, for a join) members, 5 (with KEYS[4]) membership version,
--       6 (optional, with KEYS[4]) the joining user's own set of rooms (not under Redis Cluster: another slot)
-- ARGV: 1 new epoch, 2 'since' or 'newest', 3 since, 4 how many (one more is read to tell 'more'),
--       5 (with KEYS[4]) the joining user, 6 the room's channel, 7 the publish command,
--       8 the member_add event's JSON up to its version, 9 (with KEYS[6]) the room's name, for the user's set
-- Returns: epoch, newest id, oldest id, the number of messages, the messages; with KEYS[4] then
--          1 if the user was not a member before (else 0), the membership version, and the members
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[1], epoch)
  redis.call('DEL', KEYS[2], KEYS[3])
end
local last = redis.call('GET', KEYS[2]) or '0'
local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
local oldest = first[2] or '0'
local n = tonumber(ARGV[4]) + 1
local messages
if ARGV[2] == 'since' then
  messages = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. ARGV[3], '+inf', 'LIMIT', 0, n)
else
  messages = redis.call('ZREVRANGEBYSCORE', KEYS[3], '+inf', '-inf', 'LIMIT', 0, n)
end
local result = {epoch, last, oldest, tostring(#messages)}
for _, m in ipairs(messages) do
  result[#result + 1] = m
end
if KEYS[4] then
  local added = redis.call('SADD', KEYS[4], ARGV[5])
  if KEYS[6] then
    redis.call('SADD', KEYS[6], ARGV[9])
  end
  local version
  if added == 1 then
    version = redis.call('INCR', KEYS[5])
    redis.call(ARGV[7], ARGV[6], ARGV[8] .. version .. ',"id":' .. last .. ',"epoch":"' .. epoch .. '"}')
  else
    version = tonumber(redis.call('GET', KEYS[5]) or '0')
  end
  result[#result + 1] = tostring(added)
  result[#result + 1] = tostring(version)
  for _, member in ipairs(redis.call('SMEMBERS', KEYS[4])) do
    result[#result + 1] = member
  end
end
return result
