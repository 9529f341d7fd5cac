-- A token bucket shared by every node (GCRA). gcra_wait takes one unit from the budget at `key` and
-- returns 0, or returns the microseconds until one may be taken (and takes nothing).
-- gcra_take: the same as a yes/no. gcra_peek: the wait, taking nothing. gcra_charge: takes more units
-- whatever is left. interval: microseconds per unit.

-- Now (Redis time, microseconds) and the budget's theoretical arrival time, not before now.
local function gcra_now(key)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat < now then
    tat = now
  end
  return now, tat
end

local function gcra_store(key, next, now)
  redis.call('SET', key, string.format('%d', next), 'PX', math.ceil((next - now) / 1000) + 1)
end

local function gcra_wait(key, interval, burst, peek)
  local now, tat = gcra_now(key)
  local next = tat + interval
  if next - now > interval * burst then
    return next - now - interval * burst
  end
  if not peek then
    gcra_store(key, next, now)
  end
  return 0
end

local function gcra_take(key, interval, burst)
  return gcra_wait(key, interval, burst) == 0
end

local function gcra_peek(key, interval, burst)
  return gcra_wait(key, interval, burst, true)
end

-- What a request cost beyond its first unit, known only once it was answered (the bytes it read).
-- The budget may go into debt; later takes wait.
local function gcra_charge(key, interval, units)
  local now, tat = gcra_now(key)
  gcra_store(key, tat + interval * units, now)
  return 0
end
