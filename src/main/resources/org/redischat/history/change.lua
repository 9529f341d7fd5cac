-- Changes one stored message and publishes its new state, rights checked, as one
-- atomic step:
--   edit:   its author only; the text replaced, 'edited' set to now
--   delete: its author, or whoever has the delete right over the author's rank (ranks.lua's may);
--           the text emptied, 'deleted' set, reactions dropped (a second delete changes nothing)
--   react:  any member; the user's reaction with this emoji is toggled (on if it was off, else off)
-- A changed message gets the room's next change number ('change', from the meta hash), is put back in
-- the log under its id, is listed in the room's changes (id by change number) and is published on the
-- room's channel as the 'changed' frame. A deleted message cannot be edited or reacted to.
-- An edit that names members counts for them as a mention, as a send does: the id goes
-- into each named member's mention set. The names the new text no longer has, or all of a deleted
-- message's, are taken out by the caller, which reads them from the previous text this returns.
-- KEYS: 1 log, 2 members, 3 roles, 4 changes, 5 meta, then (edit) the mention sets of the names of
--       ARGV[13..], in their order
-- ARGV: 1 action, 2 actor, 3 id, 4 the new text (edit) or the emoji (react), 5 now (ms), 6 the room's
--       channel, 7 the publish command, 8 the envelope's header up to the change number (Envelope.changedHead), 9 the most
--       different emoji on one message, 10 the log's retention (0: keep all), 11 '1' when the actor is
--       a server administrator (a delete needs no membership then, and outranks every author),
--       12 how many names follow (edit; '0' otherwise)
-- Answers named fields (redis/ScriptReply): error 'not_member', 'not_found' (no such message, or
-- deleted), 'forbidden' or 'too_many' (a new emoji beyond the limit); else changed ('1' or '0') and,
-- when changed, on (for react: whether the user's reaction is now on) and previous (for an edit or
-- delete: the text before it; else '')
local action, actor = ARGV[1], ARGV[2]
local admin = ARGV[11] == '1' and action == 'delete'
if not admin and redis.call('SISMEMBER', KEYS[2], actor) == 0 then
  return {'error', 'not_member'}
end
local found = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[3], ARGV[3])
if #found == 0 then
  return {'error', 'not_found'}
end
local m = cjson.decode(found[1])
local on = '0'
local previous = ''
if action == 'delete' then
  if m.deleted then
    return {'changed', '0'}
  end
  if m.from ~= actor and not admin then
    -- another's message: the delete right, on an author of a lower rank
    if not may('delete', rank_in(KEYS[3], actor, false), rank_in(KEYS[3], m.from, false)) then
      return {'error', 'forbidden'}
    end
  end
  previous = m.text
  m.text = ''
  m.deleted = true
  m.reactions = nil
elseif m.deleted then
  return {'error', 'not_found'}
elseif action == 'edit' then
  if m.from ~= actor and not admin then
    return {'error', 'forbidden'}
  end
  if m.text == ARGV[4] then
    return {'changed', '0'}
  end
  previous = m.text
  m.text = ARGV[4]
  m.edited = tonumber(ARGV[5])
  for i = 1, tonumber(ARGV[12] or '0') do
    if redis.call('SISMEMBER', KEYS[2], ARGV[12 + i]) == 1 then
      redis.call('ZADD', KEYS[5 + i], ARGV[3], ARGV[3])
      redis.call('ZREMRANGEBYRANK', KEYS[5 + i], 0, -101) -- as append.lua: the newest 100
    end
  end
else
  local reactions = m.reactions or {}
  local entry
  for _, r in ipairs(reactions) do
    if r.emoji == ARGV[4] then
      entry = r
    end
  end
  if not entry then
    if #reactions >= tonumber(ARGV[9]) then
      return {'error', 'too_many'}
    end
    entry = {emoji = ARGV[4], users = {}}
    reactions[#reactions + 1] = entry
  end
  local at
  for i, u in ipairs(entry.users) do
    if u == actor then
      at = i
    end
  end
  if at then
    table.remove(entry.users, at)
  else
    entry.users[#entry.users + 1] = actor
    on = '1'
  end
  local kept = {}
  for _, r in ipairs(reactions) do
    if #r.users > 0 then
      kept[#kept + 1] = r
    end
  end
  if #kept == 0 then
    m.reactions = nil
  else
    m.reactions = kept
  end
end
local change = redis.call('HINCRBY', KEYS[5], 'change', 1)
m.change = change
local json = cjson.encode(m)
redis.call('ZREM', KEYS[1], found[1])
redis.call('ZADD', KEYS[1], ARGV[3], json)
redis.call('ZADD', KEYS[4], change, ARGV[3])
local retention = tonumber(ARGV[10])
if retention > 0 and redis.call('ZCARD', KEYS[4]) > 2 * retention then
  -- forget the changes of messages the log no longer holds (at most the log's size remain)
  local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2] or '0')
  for _, id in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
    if tonumber(id) < oldest then
      redis.call('ZREM', KEYS[4], id)
    end
  end
end
redis.call(ARGV[7], ARGV[6], ARGV[8] .. change .. '\n{"type":"changed",' .. string.sub(json, 2))
return {'changed', '1', 'on', on, 'previous', previous}
