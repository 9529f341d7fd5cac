-- One user blocks another, or stops blocking them: both sides of the pair in one step (they share no
-- slot under Redis Cluster, where the caller writes them one after the other instead).
-- KEYS: 1 the blocker's set of blocked users, 2 (optional) the blocked user's set of users who block them
-- ARGV: 1 'block' or 'unblock', 2 blocker, 3 blocked, 4 the most users one may block
-- Returns 1 when it changed something, 0 when not, -1 when the blocker blocks the most users already.
if ARGV[1] == 'block' then
  if redis.call('SISMEMBER', KEYS[1], ARGV[3]) == 0 and redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[4]) then
    return -1
  end
  local changed = redis.call('SADD', KEYS[1], ARGV[3])
  if KEYS[2] then
    redis.call('SADD', KEYS[2], ARGV[2])
  end
  return changed
end
local changed = redis.call('SREM', KEYS[1], ARGV[3])
if KEYS[2] then
  redis.call('SREM', KEYS[2], ARGV[2])
end
return changed
