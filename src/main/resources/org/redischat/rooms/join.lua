-- A join, in one atomic step: decides whether the user may join the room, makes them a member, and
-- reads what the `joined` answer needs — the room's page of messages (page.lua), members, roles,
-- topic and newest change number.
--   Admission (docs/PROTOCOL.md, the order of checks): a banned user may not join (except a direct
--   room, which has no rules); with a join link, the link must exist, be unexpired and its issuer
--   still a member; a private room admits only a member, whoever has the join_private right by their
--   role there (ranks.lua: its owner and moderators), the holder of an unexpired invitation (which the
--   join uses up) or of a join link; a user already in as many rooms as allowed may not join another.
--   A refused join changes nothing.
--   A new room's first member owns it and decides whether it is private (a direct room has no owner).
--   A user who was not a member raises the room's membership version, and member_add is published on
--   the room's channel, so the change takes its place among the room's events.
-- KEYS: 1 epoch, 2 seq, 3 log, 4 members, 5 membership version, 6 meta, 7 roles, 8 bans, 9 invites,
--       10 join links, 11 (optional) the joining user's own set of rooms (not under Redis Cluster:
--       another slot; the caller writes it after this script)
-- ARGV: 1 new epoch, 2 'asc' (oldest first, after the bound) or 'desc' (newest first, below it),
--       3 the bound ('(<id>' or '+inf'), 4 how many messages at most, 5 most bytes of messages,
--       6 the joining user, 7 the room's channel, 8 the publish command, 9 the member_add event's
--       envelope up to its version (Event.memberAddHead), 10 the room's name, 11 'public' or 'private'
--       (what a new room becomes), 'linked' (with a join link) or 'direct', 12 now in ms, 13 the most
--       rooms a user may be in (0: no limit; checked with KEYS[11]), 14 for 'linked': the link's id
-- Answers named fields (fields.lua): a refusal is error 'forbidden' with its reason, or error 'full';
-- else the page (epoch, last, oldest, more, messages[]), added ('1' if the user was not a member),
-- version (the membership version), private ('1' or '0'), topic ('' for none), change (the newest
-- change number, '0' if none), roles[] (user, role, user, role…) and members[].
local user, rules, now = ARGV[6], ARGV[11], tonumber(ARGV[12])

local function linkAdmits()
  local link = redis.call('HGET', KEYS[10], ARGV[14])
  if not link then
    return false
  end
  local issuer, expires = string.match(link, '^([^ ]+) (%d+)')
  return tonumber(expires) > now and redis.call('SISMEMBER', KEYS[4], issuer) == 1
end

local function refused(code, reason)
  local t = {}
  field(t, 'error', code)
  if reason then
    field(t, 'reason', reason)
  end
  return t
end

if rules ~= 'direct' and redis.call('SISMEMBER', KEYS[8], user) == 1 then
  return refused('forbidden', 'banned from this room')
end
if rules == 'linked' and not linkAdmits() then
  return refused('forbidden', 'the join link is not for this room, was revoked or has expired')
end
if redis.call('SISMEMBER', KEYS[4], user) == 0 then
  -- the rights first, then the user's room cap
  local private = rules ~= 'direct' and redis.call('HGET', KEYS[6], 'private') == '1'
  if private and rules ~= 'linked' and not may('join_private', rank_in(KEYS[7], user, false)) then
    local invited = redis.call('ZSCORE', KEYS[9], user)
    if not (invited and tonumber(invited) > now) then
      return refused('forbidden', 'a private room: join it with an invitation')
    end
  end
  if KEYS[11] and tonumber(ARGV[13]) > 0 and redis.call('SCARD', KEYS[11]) >= tonumber(ARGV[13]) then
    return refused('full')
  end
  if private then
    redis.call('ZREM', KEYS[9], user)
  elseif rules ~= 'direct' and redis.call('SCARD', KEYS[4]) == 0 and redis.call('HEXISTS', KEYS[6], 'owner') == 0 then
    redis.call('HSET', KEYS[6], 'owner', user, 'private', rules == 'private' and '1' or '0')
    redis.call('HSET', KEYS[7], user, 'owner')
  end
end

local epoch, last, oldest, kept, more = read_page(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3],
  tonumber(ARGV[4]), tonumber(ARGV[5]))
local added = redis.call('SADD', KEYS[4], user)
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

local answer = {}
page_fields(answer, epoch, last, oldest, kept, more)
field(answer, 'added', tostring(added))
field(answer, 'version', tostring(version))
field(answer, 'private', redis.call('HGET', KEYS[6], 'private') == '1' and '1' or '0')
field(answer, 'topic', redis.call('HGET', KEYS[6], 'topic') or '')
field(answer, 'change', redis.call('HGET', KEYS[6], 'change') or '0')
field_list(answer, 'roles', redis.call('HGETALL', KEYS[7]))
field_list(answer, 'members', redis.call('SMEMBERS', KEYS[4]))
return answer
