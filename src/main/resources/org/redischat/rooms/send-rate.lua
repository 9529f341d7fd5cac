-- The send rate alone (where it cannot share the append script's round trip: Redis Cluster).
-- KEYS: 1 the user's rate key. ARGV: 1 microseconds per message, 2 burst. 1 if the user may send now, else 0.
if gcra_take(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])) then
  return 1
end
return 0
