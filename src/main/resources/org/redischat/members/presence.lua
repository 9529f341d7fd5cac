-- Records that a user has (on = '1') or no longer has (on = '0') sockets on a node.
-- KEYS: 1 the user's set of nodes with a socket of theirs
-- ARGV: 1 node, 2 on
-- Returns 1 when the user's presence flipped (first node came, or last node went), else 0.
if ARGV[2] == '1' then
  if redis.call('SADD', KEYS[1], ARGV[1]) == 1 and redis.call('SCARD', KEYS[1]) == 1 then
    return 1
  end
else
  if redis.call('SREM', KEYS[1], ARGV[1]) == 1 and redis.call('SCARD', KEYS[1]) == 0 then
    return 1
  end
end
return 0
