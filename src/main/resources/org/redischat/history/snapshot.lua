-- Reads a room's epoch, newest id, oldest kept id and a page of messages in one atomic step,
-- creating the epoch if the room has none (new room, or history lost). The page is bounded here, in
-- Redis, by count and by bytes: messages are read a few at a time and reading stops once the page is
-- full, so a large history costs no more than the page it answers.
-- For a join, the same step first decides whether the user may join (banned: no; a private room: only a
-- member, the owner or a moderator, or the holder of an unexpired invitation, which the join uses up,
-- or of a join link whose issuer is still a member; a user already in as many rooms as allowed: no),
-- creates the room's ownership when the user is its first member, makes the user a member and, if they
-- were not one, raises the room's membership version and publishes member_add on the room's channel, so
-- the change takes its place among the room's events. A refused join changes nothing.
-- KEYS: 1 epoch, 2 seq, 3 log; for a join: 4 members, 5 membership version, 6 meta, 7 roles, 8 bans,
--       9 invites, 10 join links, 11 (optional) the joining user's own set of rooms (not under Redis
--       Cluster: another slot)
-- ARGV: 1 new epoch, 2 'asc' (oldest first, after the bound) or 'desc' (newest first, below it),
--       3 the bound ('(<id>' or '+inf' / '-inf'), 4 how many at most, 5 most bytes of messages (at
--       least one message is returned);
--       for a join: 6 the joining user, 7 the room's channel, 8 the publish command, 9 the member_add
--       event's envelope up to its version, 10 the room's name, 11 'public', 'private' (what a new room
--       becomes), 'linked' (with a join link: admitted like an invitation) or 'direct' (no ownership, no
--       admission rules), 12 now in ms, 13 the most rooms a user may be in (0: no limit; checked with
--       KEYS[11]), 14 for 'linked': the link's id
-- Returns {'forbidden', reason} or {'full'} for a refused join; else epoch, newest id, oldest id, the
--          number of messages, '1' if more messages follow the page (else '0'), the messages; for a join
--          then 1 if the user was not a member before (else 0), the membership version, '1' if the room
--          is private (else '0'), its topic ('' if none), its newest change number ('0' if none), the
--          number of role entries (twice the number of users with a role), those entries (user, role),
--          and the members
local function linkAdmits(user)
  local link = redis.call('HGET', KEYS[10], ARGV[14])
  if not link then
    return false
  end
  local issuer, expires = string.match(link, '^([^ ]+) (%d+)')
  if tonumber(expires) <= tonumber(ARGV[12]) or redis.call('SISMEMBER', KEYS[4], issuer) == 0 then
    return false
  end
  return true
end

if KEYS[4] then
  local user = ARGV[6]
  if ARGV[11] ~= 'direct' and redis.call('SISMEMBER', KEYS[8], user) == 1 then
    return {'forbidden', 'banned from this room'}
  end
  if ARGV[11] == 'linked' and not linkAdmits(user) then
    return {'forbidden', 'the join link is not for this room, was revoked or has expired'}
  end
  if redis.call('SISMEMBER', KEYS[4], user) == 0 then
    -- the rights first, then the user's room cap (docs/PROTOCOL.md, the order of checks)
    local private = ARGV[11] ~= 'direct' and redis.call('HGET', KEYS[6], 'private') == '1'
    if private and ARGV[11] ~= 'linked' and not redis.call('HGET', KEYS[7], user) then
      local invited = redis.call('ZSCORE', KEYS[9], user)
      if not (invited and tonumber(invited) > tonumber(ARGV[12])) then
        return {'forbidden', 'a private room: join it with an invitation'}
      end
    end
    if KEYS[11] and tonumber(ARGV[13]) > 0 and redis.call('SCARD', KEYS[11]) >= tonumber(ARGV[13]) then
      return {'full'}
    end
    if private then
      redis.call('ZREM', KEYS[9], user)
    elseif ARGV[11] ~= 'direct' and redis.call('SCARD', KEYS[4]) == 0 and redis.call('HEXISTS', KEYS[6], 'owner') == 0 then
      -- a new room: its first member owns it and decides whether it is private
      redis.call('HSET', KEYS[6], 'owner', user, 'private', ARGV[11] == 'private' and '1' or '0')
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

-- the page: at most ARGV[4] messages and ARGV[5] bytes, read 'step' at a time
local most, maxBytes = tonumber(ARGV[4]), tonumber(ARGV[5])
local kept, bytes, more, offset = {}, 0, false, 0
local step = math.min(most + 1, 50)
while true do
  local batch
  if ARGV[2] == 'asc' then
    batch = redis.call('ZRANGEBYSCORE', KEYS[3], ARGV[3], '+inf', 'LIMIT', offset, step)
  else
    batch = redis.call('ZREVRANGEBYSCORE', KEYS[3], ARGV[3], '-inf', 'LIMIT', offset, step)
  end
  for _, m in ipairs(batch) do
    if #kept == most or (#kept > 0 and bytes + #m > maxBytes) then
      more = true
      break
    end
    kept[#kept + 1] = m
    bytes = bytes + #m
  end
  if more or #batch < step then
    break
  end
  offset = offset + step
end

local result = {epoch, last, oldest, tostring(#kept), more and '1' or '0'}
for _, m in ipairs(kept) do
  result[#result + 1] = m
end
if KEYS[4] then
  local added = redis.call('SADD', KEYS[4], ARGV[6])
  if KEYS[11] then
    redis.call('SADD', KEYS[11], ARGV[10])
  end
  local version
  if added == 1 then
    version = redis.call('INCR', KEYS[5])
    redis.call(ARGV[8], ARGV[7], ARGV[9] .. version .. ',"id":' .. last .. ',"epoch":"' .. epoch .. '"}')
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
