-- Stores a reply in the thread of a room's message and publishes it, as one atomic step.
-- The reply is a message of the room like any other (a v1 client sees it in id order) that carries
-- 'thread', its root's id. The root, as a change (the room's next change number, listed in the
-- changes, published as 'changed'), gets 'replies' (how many) and 'lastReply' (the newest reply's id).
-- The thread's people (the root's author and everyone who replied) each count the reply as unread
-- (in their threads-unread hash), but its sender. The send rate was taken before (Budgets.allow).
-- The room's threads are listed by root (KEYS[10]); a thread whose root the log no longer holds is
-- forgotten here, at the room's next reply: its reply ids, people and their unread counts (their keys
-- named as Keys names them, from ARGV[11] and ARGV[14]: the room's hash tag, the same slot). So the
-- sends' script pays nothing for threads.
-- KEYS: 1 epoch, 2 seq, 3 log, 4 members, 5 ref, 6 meta, 7 changes, 8 the thread's reply ids,
--       9 the thread's people, 10 the room's thread roots, then the mention sets of the names of
--       ARGV[15..], in their order
-- ARGV: 1 sender, 2 the root's id, 3 JSON before the id, 4 JSON after the id, 5 retention (0: all),
--       6 ref expiry in seconds ('0': no ref), 7 the room's channel, 8 the publish command,
--       9 the message envelope's header up to the room (Envelope.messageHead), 10 the changed
--       envelope's header up to the change number (Envelope.changedHead), 11 the start of the people's
--       threads-unread key names (Keys.threadsUnreadPrefix), 12 the most people counted unread,
--       13 how many names follow, 14 the start of a thread's key names (Keys.threadPrefix)
-- Answers {'not_member'}, {'not_found'} (no such root, or deleted), {'nested'} (the root is a reply),
--         or {'stored' or 'duplicate', id, epoch, replicas in sync, replication id} as append.lua
local sender, rootId = ARGV[1], ARGV[2]
if redis.call('SISMEMBER', KEYS[4], sender) == 0 then
  return {'not_member'}
end
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  return {'not_found'}
end
local again = duplicate(KEYS[5], ARGV[6], epoch)
if again then
  return again
end
local found = redis.call('ZRANGEBYSCORE', KEYS[3], rootId, rootId)
if #found == 0 then
  return {'not_found'}
end
local root = cjson.decode(found[1])
if root.deleted then
  return {'not_found'}
end
if root.thread then
  return {'nested'}
end
local named = tonumber(ARGV[13])
local names, mentionKeys = {}, {}
for i = 1, named do
  names[i] = ARGV[14 + i]
  mentionKeys[i] = KEYS[10 + i]
end
local id, message = post(KEYS[2], KEYS[3], ARGV[3], ARGV[4], tonumber(ARGV[5]), KEYS[5], ARGV[6], KEYS[4], names, mentionKeys)
redis.call('ZADD', KEYS[8], id, id)
redis.call('SADD', KEYS[9], root.from, sender)
redis.call('ZADD', KEYS[10], rootId, rootId)

-- threads whose root was trimmed away since
local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')[2]
if oldest then
  for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[10], '-inf', '(' .. oldest, 'LIMIT', 0, 100)) do
    local thread = ARGV[14] .. gone
    for _, person in ipairs(redis.call('SMEMBERS', thread .. ':people')) do
      redis.call('HDEL', ARGV[11] .. person, gone)
    end
    redis.call('DEL', thread, thread .. ':people')
    redis.call('ZREM', KEYS[10], gone)
  end
end

-- the root, changed: its reply count and newest reply
root.replies = (root.replies or 0) + 1
root.lastReply = id
local change = redis.call('HINCRBY', KEYS[6], 'change', 1)
root.change = change
local rootJson = cjson.encode(root)
redis.call('ZREM', KEYS[3], found[1])
redis.call('ZADD', KEYS[3], rootId, rootJson)
redis.call('ZADD', KEYS[7], change, rootId)

-- unread for the thread's people (members only), at most ARGV[12] of them
local counted = 0
for _, person in ipairs(redis.call('SMEMBERS', KEYS[9])) do
  if counted >= tonumber(ARGV[12]) then
    break
  end
  if person ~= sender and redis.call('SISMEMBER', KEYS[4], person) == 1 then
    redis.call('HINCRBY', ARGV[11] .. person, rootId, 1)
    counted = counted + 1
  end
end

redis.call(ARGV[8], ARGV[7], ARGV[9] .. epoch .. ' ' .. id .. '\n{"type":"message",' .. string.sub(message, 2))
redis.call(ARGV[8], ARGV[7], ARGV[10] .. change .. '\n{"type":"changed",' .. string.sub(rootJson, 2))
return stored(id, epoch)
