package org.redischat.rooms;

import org.redischat.redis.TestRedis;
import org.redisson.api.RedissonClient;

/** Joins on a Redis of the caller's, for tests outside this package. */
public final class TestJoins {

    private TestJoins() {
    }

    /** Joins with no limit of rooms per user. */
    public static Joins on(RedissonClient redis) {
        Joins joins = new Joins();
        joins.redis = redis;
        joins.channels = TestRedis.channels(redis);
        return joins;
    }
}
