-- Library: ranks and rights in a room, for every script that checks rights. The table of rights is
-- built by RIGHTS() (wire/rights.json, loaded before this library): the ranks from lowest to highest, and per
-- action the least rank that may take it and, for an action on another member, the rank its target
-- must be below ('actor': below the actor's). The room's roles hash names its owner and moderators;
-- a user without an entry ranks as a member, whether or not they are one now; a server administrator
-- ranks above every room's owner.
local RANK, ACTIONS -- built on first use: a call that checks no right does not pay for them

local function rights()
  if not RANK then
    local table = RIGHTS()
    RANK, ACTIONS = {}, table.actions
    for i, name in ipairs(table.ranks) do
      RANK[name] = i
    end
  end
end

-- The rank of `user` in the room whose roles hash is `roles` (the administrator's when `admin`).
local function rank_in(roles, user, admin)
  rights()
  if admin then
    return RANK.admin
  end
  return RANK[redis.call('HGET', roles, user) or ''] or RANK.member
end

-- Whether rank `r` may take `action` (on a target of rank `t`, when the action has a target).
local function may(action, r, t)
  rights()
  local rule = ACTIONS[action]
  if r < RANK[rule.least] then
    return false
  end
  if t == nil or rule.below == nil then
    return true
  end
  return t < (rule.below == 'actor' and r or RANK[rule.below])
end
