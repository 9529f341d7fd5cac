-- Library of append.lua and reply.lua (loaded before them): storing a new message, and the master's
-- replication state an ack waits on.

-- The replicas in sync with this master (state=online) and the master's replication id (-1, '' when
-- INFO is refused).
local function replication()
  local ok, info = pcall(redis.call, 'INFO', 'replication')
  if not ok then
    return -1, ''
  end
  local online = 0
  for _ in string.gmatch(info, 'state=online') do
    online = online + 1
  end
  return online, string.match(info, 'master_replid:(%w+)') or ''
end

-- The answer to a send whose ref was stored already, or nil (none, or no ref: refTtl '0').
local function duplicate(ref, refTtl, epoch)
  if refTtl == '0' then
    return nil
  end
  local prior = redis.call('GET', ref)
  if not prior then
    return nil
  end
  local online, replid = replication()
  return {'duplicate', prior, epoch, online, replid}
end

-- The answer to a send stored under id: {'stored', id, epoch, replicas in sync, replication id}.
local function stored(id, epoch)
  local online, replid = replication()
  return {'stored', tostring(id), epoch, online, replid}
end

-- Stores head .. id .. tail under the room's next id (seq), keeps the log at most 'retention' long (0:
-- all), remembers the send's ref (refTtl '0': none) and puts the id into the mention set of each named
-- member (mentionKeys[i] for names[i]; the newest 100 are enough to count what is unread).
-- Returns the id and the stored JSON.
local function post(seq, log, head, tail, retention, ref, refTtl, members, names, mentionKeys)
  local id = redis.call('INCR', seq)
  local message = head .. id .. tail
  redis.call('ZADD', log, id, message)
  if retention > 0 then
    redis.call('ZREMRANGEBYRANK', log, 0, -(retention + 1))
  end
  if refTtl ~= '0' then
    redis.call('SET', ref, id, 'EX', refTtl)
  end
  for i, name in ipairs(names) do
    if redis.call('SISMEMBER', members, name) == 1 then
      redis.call('ZADD', mentionKeys[i], id, id)
      redis.call('ZREMRANGEBYRANK', mentionKeys[i], 0, -101)
    end
  end
  return id, message
end
