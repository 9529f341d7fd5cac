-- The users banned from a room, by name, a page at a time: for its moderators, its owner
-- and server administrators. Uses ranks.lua.
-- KEYS: 1 members, 2 roles, 3 bans
-- ARGV: 1 actor, 2 '1' when the actor is a server administrator, 3 list after this name ('' from the
--       first), 4 at most this many names
-- Answers named fields (fields.lua): error 'not_member' (the actor is not a member) or 'forbidden' (no
-- bans right); else more ('1' when names follow the page) and names[]
local admin = ARGV[2] == '1'
if not admin and redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
  return {'error', 'not_member'}
end
if not may('bans', rank_in(KEYS[2], ARGV[1], admin)) then
  return {'error', 'forbidden'}
end
-- a ban costs a moderator an edit from their budget, so the set stays small enough to sort here
local names = redis.call('SMEMBERS', KEYS[3])
table.sort(names)
local after, limit = ARGV[3], tonumber(ARGV[4])
local page, more = {}, '0'
for _, name in ipairs(names) do
  if name > after then
    if #page == limit then
      more = '1'
      break
    end
    page[#page + 1] = name
  end
end
local answer = {}
field(answer, 'more', more)
field_list(answer, 'names', page)
return answer
