package org.redischat.history;

import org.redisson.api.RedissonClient;
import org.redischat.redis.TestRedis;

/** A MessageLog on a Redis of the caller's, for tests and benchmarks outside this package. */
public final class TestLogs {

    private TestLogs() {
    }

    public static MessageLog on(RedissonClient redis, int replicas) {
        MessageLog log = new MessageLog();
        log.redis = redis;
        log.channels = TestRedis.channels(redis);
        log.replicas = TestRedis.replicas(redis, replicas, 1000, false);
        log.retention = 10_000;
        log.refTtlSeconds = 600;
        return log;
    }
}
