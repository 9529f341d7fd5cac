-- Library of snapshot.lua and rooms/join.lua (loaded before them): a room's epoch, newest id, oldest
-- kept id and a page of its messages, read in one step, creating the epoch if the room has none (a new
-- room, or its history lost: ids restart at 1). The page is bounded here, in Redis, by count and by
-- bytes: messages are read a few at a time and reading stops once the page is full, so a large history
-- costs no more than the page it answers.

-- Reads the room whose epoch, sequence and log are at `epochKey`, `seqKey`, `logKey`; `newEpoch` is the
-- epoch a room without one gets. `order` 'asc' reads oldest first after `bound`, 'desc' newest first
-- below it (`bound`: '(<id>', '+inf' or '-inf'); at most `most` messages and `maxBytes` bytes of them
-- (at least one). Returns epoch, newest id, oldest kept id (as strings), the messages (an array) and
-- whether more follow the page.
local function read_page(epochKey, seqKey, logKey, newEpoch, order, bound, most, maxBytes)
  local epoch = redis.call('GET', epochKey)
  if not epoch then
    epoch = newEpoch
    redis.call('SET', epochKey, epoch)
    redis.call('DEL', seqKey, logKey)
  end
  local last = redis.call('GET', seqKey) or '0'
  local first = redis.call('ZRANGE', logKey, 0, 0, 'WITHSCORES')
  local oldest = first[2] or '0'

  local kept, bytes, more, offset = {}, 0, false, 0
  local step = math.min(most + 1, 50)
  while true do
    local batch
    if order == 'asc' then
      batch = redis.call('ZRANGEBYSCORE', logKey, bound, '+inf', 'LIMIT', offset, step)
    else
      batch = redis.call('ZREVRANGEBYSCORE', logKey, bound, '-inf', 'LIMIT', offset, step)
    end
    for _, m in ipairs(batch) do
      if #kept == most or (#kept > 0 and bytes + #m > maxBytes) then
        more = true
        break
      end
      kept[#kept + 1] = m
      bytes = bytes + #m
    end
    if more or #batch < step then
      break
    end
    offset = offset + step
  end
  return epoch, last, oldest, kept, more
end

-- Adds a page read by read_page to the answer `t` as named fields (fields.lua): epoch, last, oldest,
-- more ('1' or '0') and messages[].
local function page_fields(t, epoch, last, oldest, kept, more)
  field(t, 'epoch', epoch)
  field(t, 'last', last)
  field(t, 'oldest', oldest)
  field(t, 'more', more and '1' or '0')
  field_list(t, 'messages', kept)
end
