-- Relays 'typing' at most once per user and room per interval, for members only.
-- KEYS: 1 members, 2 the user's typing key in the room
-- ARGV: 1 user, 2 interval in ms, 3 the room's channel, 4 event to publish, 5 publish command (SPUBLISH or PUBLISH)
-- Returns -1 (not a member), 0 (throttled) or 1 (published).
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
  return -1
end
if redis.call('SET', KEYS[2], '1', 'PX', ARGV[2], 'NX') then
  redis.call(ARGV[5], ARGV[3], ARGV[4])
  return 1
end
return 0
