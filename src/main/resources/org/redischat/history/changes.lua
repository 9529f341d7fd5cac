-- Reads the messages changed after a change number (protocol 1.4), in the order of their latest
-- change, as they are now, with the room's newest change number, in one atomic step.
-- KEYS: 1 log, 2 changes, 3 meta
-- ARGV: 1 after (a change number), 2 how many (one more is read to tell 'more')
-- Returns the newest change number, then per changed message its change number and its JSON ('' when
--         the log no longer holds it)
local result = {redis.call('HGET', KEYS[3], 'change') or '0'}
local changed = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]) + 1)
for i = 1, #changed, 2 do
  result[#result + 1] = changed[i + 1]
  result[#result + 1] = redis.call('ZRANGEBYSCORE', KEYS[1], changed[i], changed[i])[1] or ''
end
return result
