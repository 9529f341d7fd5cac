-- Adds a user to a room's members, or removes them, and publishes the change on the room's channel
-- in the same atomic step, with the room's membership version raised: every node orders the change
-- among the room's messages, and a stale copy of an older change is known by its lower version.
-- KEYS: 1 members, 2 membership version, 3 seq, 4 epoch (read for member_add: where the new member's
--       messages begin), 5 (optional) the user's own set of rooms (not under Redis Cluster: another slot)
-- ARGV: 1 'add' or 'remove', 2 user, 3 the room's channel, 4 the publish command, 5 the event's JSON up to
--       its version, 6 (with KEYS[5]) the room's name, 7 (with KEYS[5], for add) the most rooms a user
--       may be in (0: no limit)
-- Returns {'full'} when the user is in the most rooms allowed and not in this one (nothing changed),
--         else {changed (1 or 0), membership version, newest id, epoch ('' if none)}
local changed
if ARGV[1] == 'add' and KEYS[5] and tonumber(ARGV[7]) > 0
    and redis.call('SISMEMBER', KEYS[1], ARGV[2]) == 0 and redis.call('SCARD', KEYS[5]) >= tonumber(ARGV[7]) then
  return {'full'}
end
if ARGV[1] == 'add' then
  changed = redis.call('SADD', KEYS[1], ARGV[2])
  if KEYS[5] then
    redis.call('SADD', KEYS[5], ARGV[6])
  end
else
  changed = redis.call('SREM', KEYS[1], ARGV[2])
  if KEYS[5] then
    redis.call('SREM', KEYS[5], ARGV[6])
  end
end
local last = redis.call('GET', KEYS[3]) or '0'
local epoch = redis.call('GET', KEYS[4]) or ''
if changed == 0 then
  return {'0', redis.call('GET', KEYS[2]) or '0', last, epoch}
end
local version = redis.call('INCR', KEYS[2])
local tail = '}'
if ARGV[1] == 'add' then
  tail = ',"id":' .. last .. ',"epoch":"' .. epoch .. '"}'
end
redis.call(ARGV[4], ARGV[3], ARGV[5] .. version .. tail)
return {'1', tostring(version), last, epoch}
