-- The server's version as a number (70015 for 7.0.15); 0 before Redis 7, which has no redis.REDIS_VERSION_NUM.
-- KEYS: 1 any key (it only picks the shard). Major*10000 + minor*100 + patch, as the server reports it.
local n = redis.REDIS_VERSION_NUM
if not n then
  return 0
end
return math.floor(n / 65536) * 10000 + math.floor(n / 256) % 256 * 100 + n % 256
