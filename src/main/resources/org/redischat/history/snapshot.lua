-- Reads a room's epoch, newest id, oldest kept id and a run of messages in one atomic step,
-- creating the epoch if the room has none (new room, or history lost). For a join, the same step
-- first decides whether the user may join (banned: no; a private room: only a member, the owner or a
-- moderator, or the holder of an unexpired invitation, which the join uses up), creates the room's
-- ownership when the user is its first member, makes the user a member and, if they were not one,
-- raises the room's membership version and publishes member_add on the room's channel, so the change
-- takes its place among the room's events. A refused join changes nothing.
-- KEYS: 1 epoch, 2 seq, 3 log; for a join: 4 members, 5 membership version, 6 meta, 7 roles, 8 bans,
--       9 invites, 10 (optional) the joining user's own set of rooms (not under Redis Cluster: another slot)
-- ARGV: 1 new epoch, 2 'since' or 'newest', 3 since, 4 how many (one more is read to tell 'more');
--       for a join: 5 the joining user, 6 the room's channel, 7 the publish command, 8 the member_add
--       event's envelope up to its version, 9 the room's name, 10 'public', 'private' (what a new room
--       becomes), 'linked' (a valid join link: admitted like an invitation) or 'direct' (no ownership,
--       no admission rules), 11 now in ms
-- Returns {'forbidden', reason} for a refused join; else epoch, newest id, oldest id, the number of
--          messages, the messages; for a join then 1 if the user was not a member before (else 0), the
--          membership version, '1' if the room is private (else '0'), its topic ('' if none), its newest
--          change number (protocol 1.4; '0' if none), the number of role entries
--          (twice the number of users with a role), those entries (user, role), and the members
if KEYS[4] and ARGV[10] ~= 'direct' then
  local user = ARGV[5]
  if redis.call('SISMEMBER', KEYS[8], user) == 1 then
    return {'forbidden', 'banned from this room'}
  end
  if redis.call('SISMEMBER', KEYS[4], user) == 0 then
    if redis.call('HGET', KEYS[6], 'private') == '1' then
      local invited = redis.call('ZSCORE', KEYS[9], user)
      if ARGV[10] ~= 'linked' and not redis.call('HGET', KEYS[7], user)
          and not (invited and tonumber(invited) > tonumber(ARGV[11])) then
        return {'forbidden', 'a private room: join it with an invitation'}
      end
      redis.call('ZREM', KEYS[9], user)
    elseif redis.call('SCARD', KEYS[4]) == 0 and redis.call('HEXISTS', KEYS[6], 'owner') == 0 then
      -- a new room: its first member owns it and decides whether it is private
      redis.call('HSET', KEYS[6], 'owner', user, 'private', ARGV[10] == 'private' and '1' or '0')
      redis.call('HSET', KEYS[7], user, 'owner')
    end
  end
end
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
  if KEYS[10] then
    redis.call('SADD', KEYS[10], ARGV[9])
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
  result[#result + 1] = redis.call('HGET', KEYS[6], 'private') == '1' and '1' or '0'
  result[#result + 1] = redis.call('HGET', KEYS[6], 'topic') or ''
  result[#result + 1] = redis.call('HGET', KEYS[6], 'change') or '0'
  local roles = redis.call('HGETALL', KEYS[7])
  result[#result + 1] = tostring(#roles)
  for _, r in ipairs(roles) do
    result[#result + 1] = r
  end
  for _, member in ipairs(redis.call('SMEMBERS', KEYS[4])) do
    result[#result + 1] = member
  end
end
return result
