-- Reads a page of the thread of one of a room's messages, for a member, and marks the
-- thread read for them (their unread count of it is dropped).
-- KEYS: 1 the room's log, 2 its members, 3 the thread's reply ids, 4 the reader's threads-unread hash
-- ARGV: 1 the reader, 2 the root's id, 3 the reply id to read after (0: from the first), 4 the most replies
-- Answers named fields (fields.lua): error 'not_member' or 'not_found' (no such message); else more
-- ('1' or '0'), unread ('1' when the thread had replies unread for the reader), root (its JSON) and
-- replies[] (their JSON, ascending by id; a reply the log no longer holds is left out)
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
  return {'error', 'not_member'}
end
local root = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[2], ARGV[2])
if #root == 0 then
  return {'error', 'not_found'}
end
local limit = tonumber(ARGV[4])
local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. ARGV[3], '+inf', 'LIMIT', 0, limit + 1)
local unread = redis.call('HDEL', KEYS[4], ARGV[2]) == 1 and '1' or '0'
local replies = {}
for i = 1, math.min(#ids, limit) do
  local reply = redis.call('ZRANGEBYSCORE', KEYS[1], ids[i], ids[i])
  if #reply > 0 then
    replies[#replies + 1] = reply[1]
  end
end
local out = {}
field(out, 'more', #ids > limit and '1' or '0')
field(out, 'unread', unread)
field(out, 'root', root[1])
field_list(out, 'replies', replies)
return out
