package org.redischat.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** Scripts run by SHA, and in full when Redis does not know them, against a real Redis. */
class LuaScriptTest {

    private final RedissonClient redis = TestRedis.client();

    @Test
    void aScriptRedisHasNotSeenRunsInFullThenBySha() throws Exception {
        // a text no Redis has cached yet: the first EVALSHA gets NOSCRIPT
        LuaScript script = LuaScript.of("-- " + UUID.randomUUID() + "\nreturn redis.call('INCR', KEYS[1]) + tonumber(ARGV[1])");
        String key = TestRedis.unique("lua");
        assertFalse(redis.getScript().scriptExists(sha(script)).get(0), "not cached before");
        assertEquals(11, script.runForNumber(redis, List.of(key), "10"));
        assertTrue(redis.getScript().scriptExists(sha(script)).get(0), "cached by the first run");
        assertEquals(12, script.runForNumber(redis, List.of(key), "10"));
        assertEquals(List.of("3", "x"), LuaScript.of("return {tostring(redis.call('INCR', KEYS[1])), ARGV[1]}")
                .run(redis, List.of(key), "x"));
        redis.getKeys().delete(key);
    }

    private static String sha(LuaScript script) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.source().getBytes(StandardCharsets.UTF_8)));
    }
}
