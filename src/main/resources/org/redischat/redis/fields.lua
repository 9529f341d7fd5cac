-- Library: a script's answer as named fields, read in Java by redis/ScriptReply. An answer is a flat
-- list of a name and its value, repeated; a name ending in '[]' is followed by a count and that many
-- values. A refusal is the field 'error' (its code), with more fields if the caller needs them.

-- Adds the field `name` with `value` to the answer `t`.
local function field(t, name, value)
  t[#t + 1] = name
  t[#t + 1] = value
end

-- Adds the list field `name` with the values of `list` (an array) to the answer `t`.
local function field_list(t, name, list)
  t[#t + 1] = name .. '[]'
  t[#t + 1] = #list
  for _, v in ipairs(list) do
    t[#t + 1] = v
  end
end
