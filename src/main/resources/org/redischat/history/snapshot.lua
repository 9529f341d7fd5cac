-- A room's epoch, newest id, oldest kept id and a page of its messages, in one atomic step (page.lua),
-- creating the epoch if the room has none. Used for `history` and for reading what a socket missed;
-- a join reads its page in rooms/join.lua instead.
-- KEYS: 1 epoch, 2 seq, 3 log
-- ARGV: 1 new epoch, 2 'asc' (oldest first, after the bound) or 'desc' (newest first, below it),
--       3 the bound ('(<id>' or '+inf' / '-inf'), 4 how many at most, 5 most bytes of messages (at
--       least one message is returned)
-- Answers named fields (fields.lua): epoch, last, oldest, more, messages[] (in the order read).
local answer = {}
page_fields(answer, read_page(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])))
return answer
