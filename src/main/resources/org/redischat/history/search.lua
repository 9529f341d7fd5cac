-- Searches one room's retained messages, newest first, for a member: one bounded step of a search.
-- Scans at most ARGV[3] messages below id ARGV[2] and keeps those that match, so one call holds Redis
-- for a time bounded by that count, whatever the room's size; the caller goes on below the answer's
-- 'next' id. The log holds each message as it is now, so an edit's old text and a deleted message's
-- are never found.
-- KEYS: 1 the room's log, 2 its members
-- ARGV: 1 the user searching (must be a member), 2 the id to scan below ('+inf': from the newest),
--       3 the most messages to scan, 4 the most matches wanted, 5 the author wanted ('' for any),
--       6 and 7 the earliest and the latest 'ts' wanted (ms; '' for no bound), 8.. the words, in
--       lower case, each of which the text must contain (ASCII letters compared in either case)
-- Answers named fields (fields.lua): error 'not_member'; else next (the id to scan below in the next
-- step; 0: nothing older is left) and found[] (each match a message's stored JSON)
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
  return {'error', 'not_member'}
end
local below = ARGV[2] == '+inf' and '+inf' or '(' .. ARGV[2]
local scan, wanted = tonumber(ARGV[3]), tonumber(ARGV[4])
local author = ARGV[5]
local earliest, latest = tonumber(ARGV[6]), tonumber(ARGV[7])
local words = {}
local plain = {} -- words safe to look for in the stored JSON itself (nothing JSON escapes), a cheap first test
for i = 8, #ARGV do
  words[#words + 1] = ARGV[i]
  if not string.find(ARGV[i], '[%c"\\/]') then
    plain[#plain + 1] = ARGV[i]
  end
end
local authorJson = author ~= '' and ('"from":' .. cjson.encode(author)) or nil

local rows = redis.call('ZREVRANGEBYSCORE', KEYS[1], below, '-inf', 'WITHSCORES', 'LIMIT', 0, scan)
local found = {}
local next = 0
for i = 1, #rows, 2 do
  local raw = rows[i]
  next = rows[i + 1]
  local maybe = not authorJson or string.find(raw, authorJson, 1, true)
  if maybe and #plain > 0 then
    local lower = string.lower(raw)
    for _, w in ipairs(plain) do
      if not string.find(lower, w, 1, true) then
        maybe = false
        break
      end
    end
  end
  if maybe then
    local m = cjson.decode(raw)
    local ok = not m.deleted and (author == '' or m.from == author)
        and (not earliest or m.ts >= earliest) and (not latest or m.ts <= latest)
    if ok then
      local text = string.lower(m.text or '')
      for _, w in ipairs(words) do
        if not string.find(text, w, 1, true) then
          ok = false
          break
        end
      end
    end
    if ok then
      found[#found + 1] = raw
      if #found >= wanted then
        break
      end
    end
  end
end
if #rows / 2 < scan and #found < wanted then
  next = 0 -- scanned down to the oldest
end
local answer = {}
field(answer, 'next', next)
field_list(answer, 'found', found)
return answer
