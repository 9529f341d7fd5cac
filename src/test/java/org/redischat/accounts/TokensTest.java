package org.redischat.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.redischat.redis.TestRedis;

class TokensTest {

    private final Tokens tokens = new Tokens();

    TokensTest() {
        tokens.redis = TestRedis.client();
        tokens.ttlHours = 1;
        tokens.providerAccounts = new ProviderAccounts();
        tokens.providerAccounts.redis = TestRedis.client();
        tokens.providerAccounts.provider = org.redischat.sso.IssuerServer.off();
    }

    @Test
    void aTokenNamesItsUserUntilRevoked() {
        String bob = TestRedis.unique("bob");
        String t1 = tokens.issue(bob);
        String t2 = tokens.issue(bob);
        assertNotEquals(t1, t2);
        assertTrue(t1.length() >= 43, "256 random bits");
        assertEquals(Optional.of(bob), tokens.userOf(t1));
        assertTrue(tokens.revoke(t1));
        assertEquals(Optional.empty(), tokens.userOf(t1));
        assertFalse(tokens.revoke(t1));
        assertEquals(Optional.of(bob), tokens.userOf(t2), "other logins keep working");
    }

    @Test
    void redisNeverHoldsTheTokenItself() {
        String t = tokens.issue(TestRedis.unique("amy"));
        assertTrue(TestRedis.client().getKeys().getKeysStream().noneMatch(k -> k.contains(t)));
        long ttl = TestRedis.client().getBucket("chat:token:" + Tokens.hash(t), StringCodec.INSTANCE).remainTimeToLive();
        assertTrue(ttl > 0 && ttl <= 3_600_000, "tokens expire");
    }

    @Test
    void forgedAndOversizedTokensNameNobody() {
        assertEquals(Optional.empty(), tokens.userOf("forged"));
        assertEquals(Optional.empty(), tokens.userOf(""));
        assertEquals(Optional.empty(), tokens.userOf(null));
        assertEquals(Optional.empty(), tokens.userOf("x".repeat(10_000)));
    }
}
