-- A member acts on another user of the room, rights checked and the change made in one atomic step,
-- with its publication. Who may do what is the table of rights (ranks.lua's may: invite,
-- invite_banned, remove, ban, unban, set_role, set_topic).
--   invite: the invitee may join a private room until the invitation expires (inviting a banned
--           user lifts the ban, by the invite_banned right)
--   remove: the target stops being a member (member_remove published, membership version raised)
--           and loses any role
--   ban:    as remove, and the target cannot join again until unbanned
--   unban:  the target may join again
--   role:   on a member: 'moderator' or 'member' (set_role); the role event is published when it
--           changed
--   topic:  (the target is the actor) the room's topic, '' for none (set_topic); the topic event is
--           published
--   admit:  the server, for a group bound to the room (a server administrator): the room made
--           private, and an invitation until ARGV[8] unless the target is banned or a member
--   expel:  as remove (by its right), and the target's invitation is dropped (the server, for a group
--           the target lost)
-- A server administrator (ARGV[11] '1') needs no membership and has the administrator's rank.
-- KEYS: 1 members, 2 membership version, 3 roles, 4 bans, 5 invites, 6 meta, 7 (optional) the target's own
--       set of rooms (not under Redis Cluster: another slot)
-- ARGV: 1 action, 2 actor, 3 target, 4 the room's channel, 5 the publish command, 6 the member_remove
--       event's envelope up to its version, 7 the room's name, 8 for invite: when it expires (ms), for
--       role: the new role, for topic: the topic, for admit: when the invitation expires (ms), 9 now (ms),
--       10 for role and topic: the event's envelope, 11 '1' when the actor is a server administrator
-- Answers named fields (redis/ScriptReply): error 'not_member' (the actor is not a member), 'forbidden'
-- or 'target_not_member' (role); else changed ('1' or '0') and, for remove, ban and expel, version (the
-- room's membership version)
local action, actor, target = ARGV[1], ARGV[2], ARGV[3]
local admin = ARGV[11] == '1'
if not admin and redis.call('SISMEMBER', KEYS[1], actor) == 0 then
  return {'error', 'not_member'}
end
local a = rank_in(KEYS[3], actor, admin)
if action == 'admit' then
  redis.call('HSET', KEYS[6], 'private', '1')
  if redis.call('SISMEMBER', KEYS[4], target) == 1 or redis.call('SISMEMBER', KEYS[1], target) == 1 then
    return {'changed', '0'}
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', ARGV[9])
  redis.call('ZADD', KEYS[5], ARGV[8], target)
  return {'changed', '1'}
end
if action == 'invite' then
  if not may('invite', a) then
    return {'error', 'forbidden'}
  end
  if redis.call('SISMEMBER', KEYS[4], target) == 1 then
    if not may('invite_banned', a) then
      return {'error', 'forbidden'}
    end
    redis.call('SREM', KEYS[4], target)
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', ARGV[9])
  if redis.call('SISMEMBER', KEYS[1], target) == 1 then
    return {'changed', '0'}
  end
  redis.call('ZADD', KEYS[5], ARGV[8], target)
  return {'changed', '1'}
end
if action == 'topic' then
  if not may('set_topic', a) then
    return {'error', 'forbidden'}
  end
  if ARGV[8] == '' then
    redis.call('HDEL', KEYS[6], 'topic')
  else
    redis.call('HSET', KEYS[6], 'topic', ARGV[8])
  end
  redis.call(ARGV[5], ARGV[4], ARGV[10])
  return {'changed', '1'}
end
if action == 'unban' then
  if not may('unban', a) then
    return {'error', 'forbidden'}
  end
  return {'changed', tostring(redis.call('SREM', KEYS[4], target))}
end
local t = rank_in(KEYS[3], target, false)
if action == 'role' then
  if not may('set_role', a, t) then
    return {'error', 'forbidden'}
  end
  if redis.call('SISMEMBER', KEYS[1], target) == 0 then
    return {'error', 'target_not_member'}
  end
  local changed
  if ARGV[8] == 'moderator' then
    changed = redis.call('HSET', KEYS[3], target, 'moderator')
  else
    changed = redis.call('HDEL', KEYS[3], target)
  end
  if changed == 1 then
    redis.call(ARGV[5], ARGV[4], ARGV[10])
  end
  return {'changed', tostring(changed)}
end
-- remove, ban or expel
if not may(action == 'ban' and 'ban' or 'remove', a, t) then
  return {'error', 'forbidden'}
end
if action == 'ban' then
  redis.call('SADD', KEYS[4], target)
end
if action ~= 'remove' then
  redis.call('ZREM', KEYS[5], target)
end
redis.call('HDEL', KEYS[3], target)
local removed = redis.call('SREM', KEYS[1], target)
if KEYS[7] then
  redis.call('SREM', KEYS[7], ARGV[7])
end
if removed == 0 then
  return {'changed', '0', 'version', redis.call('GET', KEYS[2]) or '0'}
end
local version = redis.call('INCR', KEYS[2])
redis.call(ARGV[5], ARGV[4], ARGV[6] .. version .. '}')
return {'changed', '1', 'version', tostring(version)}
