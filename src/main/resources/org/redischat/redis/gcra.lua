-- A token bucket shared by every node (GCRA): takes one send from the budget at KEYS[key] and
-- returns true, or returns false when the budget is spent. interval: microseconds per message.
local function gcra_take(key, interval, burst)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat < now then
    tat = now
  end
  local next = tat + interval
  if next - now > interval * burst then
    return false
  end
  redis.call('SET', key, string.format('%d', next), 'PX', math.ceil((next - now) / 1000) + 1)
  return true
end
