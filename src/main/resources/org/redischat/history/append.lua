-- Stores one message and publishes it, as one atomic step: the send's one Redis round trip (posting.lua
-- does the storing).
-- KEYS: 1 epoch, 2 seq, 3 log, 4 members, 5 ref, 6 (optional) the sender's rate key, then
--       the mention sets of the users the text names, one per name of ARGV[13..], last
-- ARGV[12]: how many names follow from ARGV[13] (0 when none); a named member gets the id in their set
-- ARGV: 1 new epoch (used if the room has none), 2 sender, 3 JSON before the id, 4 JSON after the id,
--       5 retention (0 = keep all), 6 ref expiry in seconds (0 = no ref), 7 the room's channel, 8 the bus
--       envelope's message header up to the room (Envelope.messageHead), 9 the publish command (SPUBLISH,
--       or PUBLISH before Redis 7),
--       10 and 11 (with KEYS[6]) microseconds per message and burst of the send rate
-- Answers {'stored' or 'duplicate', id, epoch, replicas in sync, replication id}: the replicas this
-- master has in sync now (-1: INFO refused) and its replication id decide what the ack waits for.

local named = tonumber(ARGV[12] or '0')
if #KEYS - named >= 6 and not gcra_take(KEYS[6], tonumber(ARGV[10]), tonumber(ARGV[11])) then
  return {'rate_limited'}
end
if redis.call('SISMEMBER', KEYS[4], ARGV[2]) == 0 then
  return {'not_member'}
end
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  -- no epoch: the room is new, or its history was lost; ids restart at 1 in a new epoch
  epoch = ARGV[1]
  redis.call('SET', KEYS[1], epoch)
  redis.call('DEL', KEYS[2], KEYS[3])
end
local again = duplicate(KEYS[5], ARGV[6], epoch)
if again then
  return again
end
local names, mentionKeys = {}, {}
for i = 1, named do
  names[i] = ARGV[12 + i]
  mentionKeys[i] = KEYS[#KEYS - named + i]
end
local id, message = post(KEYS[2], KEYS[3], ARGV[3], ARGV[4], tonumber(ARGV[5]), KEYS[5], ARGV[6], KEYS[4], names, mentionKeys)
-- the envelope: header "<head><epoch> <id>", newline, the client's message frame (the stored JSON, typed)
redis.call(ARGV[9], ARGV[7], ARGV[8] .. epoch .. ' ' .. id .. '\n{"type":"message",' .. string.sub(message, 2))
return stored(id, epoch)
