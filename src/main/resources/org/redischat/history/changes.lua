-- Reads the messages changed after a change number, in the order of their latest
-- change, as they are now, with the room's newest change number, in one atomic step. The page is
-- bounded here by count and by bytes (at least one message), so a large backlog of changes costs no
-- more than the page it answers.
-- KEYS: 1 log, 2 changes, 3 meta
-- ARGV: 1 after (a change number), 2 how many at most, 3 most bytes of messages
-- Answers named fields (fields.lua): newest (the room's newest change number), more ('1' if the page
-- stops before the newest), cut (the change number of the first change left out, '0' if none) and
-- messages[] (per changed message, its JSON; one the log no longer holds is left out)
local most, maxBytes = tonumber(ARGV[2]), tonumber(ARGV[3])
local changed = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, most + 1)
local page, kept, bytes, cut = {}, 0, 0, nil
for i = 1, #changed, 2 do
  local json = redis.call('ZRANGEBYSCORE', KEYS[1], changed[i], changed[i])[1] or ''
  if kept == most or (kept > 0 and bytes + #json > maxBytes) then
    cut = changed[i + 1]
    break
  end
  if json ~= '' then
    page[#page + 1] = json
  end
  kept = kept + 1
  bytes = bytes + #json
end
local result = {}
field(result, 'newest', redis.call('HGET', KEYS[3], 'change') or '0')
field(result, 'more', cut and '1' or '0')
field(result, 'cut', cut or '0')
field_list(result, 'messages', page)
return result
