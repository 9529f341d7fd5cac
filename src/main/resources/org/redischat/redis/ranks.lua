-- Ranks in a room: the one rule every script that checks rights uses. The room's roles hash names its
-- owner and moderators; a user without an entry ranks as a member, whether or not they are one now.
-- A server administrator ranks above every room's owner.
local MEMBER, MODERATOR, OWNER, ADMIN = 1, 2, 3, 4
local RANKS = {owner = OWNER, moderator = MODERATOR}

-- The rank of `user` in the room whose roles hash is `roles` (ADMIN when `admin` is true).
local function rank_in(roles, user, admin)
  if admin then
    return ADMIN
  end
  return RANKS[redis.call('HGET', roles, user) or ''] or MEMBER
end
