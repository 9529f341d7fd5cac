-- Reads the messages changed after a change number, in the order of their latest
-- change, as they are now, with the room's newest change number, in one atomic step. The page is
-- bounded here by count and by bytes (at least one message), so a large backlog of changes costs no
-- more than the page it answers.
-- KEYS: 1 log, 2 changes, 3 meta
-- ARGV: 1 after (a change number), 2 how many at most, 3 most bytes of messages
-- Returns the newest change number, '1' if the page stops before the newest (else '0'), the change
--         number of the first change left out ('0' if none), then per changed message its change
--         number and its JSON ('' when the log no longer holds it)
local most, maxBytes = tonumber(ARGV[2]), tonumber(ARGV[3])
local changed = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, most + 1)
local page, kept, bytes, cut = {}, 0, 0, nil
for i = 1, #changed, 2 do
  local json = redis.call('ZRANGEBYSCORE', KEYS[1], changed[i], changed[i])[1] or ''
  if kept == most or (kept > 0 and bytes + #json > maxBytes) then
    cut = changed[i + 1]
    break
  end
  page[#page + 1] = changed[i + 1]
  page[#page + 1] = json
  kept = kept + 1
  bytes = bytes + #json
end
local result = {redis.call('HGET', KEYS[3], 'change') or '0', cut and '1' or '0', cut or '0'}
for _, v in ipairs(page) do
  result[#result + 1] = v
end
return result
