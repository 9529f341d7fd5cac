-- One unit from a budget shared by every node (gcra.lua), or how long to wait for one; with 'peek',
-- only how long to wait, taking nothing; with 'charge', ARGV[4] more units whatever is left.
-- KEYS: 1 the budget's key. ARGV: 1 microseconds per unit, 2 burst, 3 (optional) 'peek' or 'charge',
--       4 (with 'charge') how many units.
-- Returns 0 when the unit was taken (or, with 'peek', could be; always with 'charge'), else the
-- microseconds to wait.
if ARGV[3] == 'charge' then
  return gcra_charge(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[4]))
end
return gcra_wait(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == 'peek')
