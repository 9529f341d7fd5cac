-- One unit from a budget shared by every node (gcra.lua): sends where they cannot share the append
-- script's round trip (Redis Cluster), edits, reads, signals.
-- KEYS: 1 the budget's key. ARGV: 1 microseconds per unit, 2 burst. Returns 1 if the unit was taken, else 0.
if gcra_take(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])) then
  return 1
end
return 0
