package org.redischat.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redischat.redis.Keys;
import org.redischat.redis.TestRedis;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Incoming webhooks' records (protocol 1.8) against a real Redis. */
class WebhooksTest {

    private final RedissonClient redis = TestRedis.client();
    private final Webhooks webhooks = new Webhooks();
    private String room;

    @BeforeEach
    void setUp() {
        webhooks.redis = redis;
        webhooks.maxPerRoom = 3;
        webhooks.perMinute = 60;
        webhooks.burst = 2;
        webhooks.missesPerMinute = 60;
        webhooks.missesBurst = 3;
        room = TestRedis.unique("hooks");
    }

    @Test
    void aWebhookIsFoundByItsIdAndSecretOnlyAndRedisNeverHoldsTheSecret() {
        Webhooks.Created made = webhooks.create(room, "ci-bot", "olga");
        Webhooks.Hook hook = made.hook();
        assertEquals(new Webhooks.Hook(hook.id(), room, "ci-bot", "olga", hook.created()), webhooks.find(hook.id(), made.secret()));
        assertNull(webhooks.find(hook.id(), made.secret() + "x"), "a wrong secret");
        assertNull(webhooks.find(hook.id(), ""), "no secret");
        assertNull(webhooks.find("nope", made.secret()), "an unknown id");
        String stored = redis.<String, String>getMap(Keys.webhooks(room), StringCodec.INSTANCE).get(hook.id());
        assertFalse(stored.contains(made.secret()), stored);
        assertTrue(made.secret().length() >= 32, "192 random bits");
        assertNotEquals(made.secret(), webhooks.create(room, "ci-bot", "olga").secret());
    }

    @Test
    void moderatorsListAndRevokeAndARevokedWebhookPostsNoMore() {
        Webhooks.Created one = webhooks.create(room, "ci-bot", "olga");
        Webhooks.Created two = webhooks.create(room, "alerts", "ivan");
        assertEquals(List.of(one.hook(), two.hook()), webhooks.list(room), "oldest first, never the secret");
        assertTrue(webhooks.revoke(room, one.hook().id()));
        assertFalse(webhooks.revoke(room, one.hook().id()), "once");
        assertFalse(webhooks.revoke(TestRedis.unique("other"), two.hook().id()), "another room's");
        assertNull(webhooks.find(one.hook().id(), one.secret()));
        assertEquals(List.of(two.hook()), webhooks.list(room));
    }

    @Test
    void aRoomHoldsAtMostItsLimitOfWebhooks() {
        for (int i = 0; i < 3; i++) {
            assertTrue(webhooks.create(room, "bot" + i, "olga") != null);
        }
        assertNull(webhooks.create(room, "bot3", "olga"));
    }

    @Test
    void eachWebhookPostsAtItsOwnRate() {
        Webhooks.Hook a = webhooks.create(room, "a-bot", "olga").hook();
        Webhooks.Hook b = webhooks.create(room, "b-bot", "olga").hook();
        assertEquals(0, webhooks.take(a.id()));
        assertEquals(0, webhooks.take(a.id()));
        long wait = webhooks.take(a.id());
        assertTrue(wait > 0 && wait <= 1_000_000, "a burst of 2, then one a second: " + wait);
        assertEquals(0, webhooks.take(b.id()), "another webhook's budget is its own");
    }

    @Test
    void anAddressThatKeepsPostingToWrongUrlsIsHeldOffWithoutAskingRedis() {
        String guesser = TestRedis.unique("10.0.0.");
        String other = TestRedis.unique("10.0.1.");
        for (int i = 0; i < 3; i++) {
            assertEquals(0, webhooks.missWait(guesser), "within its burst, miss " + i);
            webhooks.missed(guesser);
        }
        webhooks.missed(guesser); // beyond the burst: Redis says spent, and the node remembers it
        long wait = webhooks.missWait(guesser);
        assertTrue(wait > 0 && wait <= 2_000_000, "about a second at 60 a minute: " + wait);
        redis.getBucket(Keys.webhookMisses(guesser), StringCodec.INSTANCE).delete();
        assertTrue(webhooks.missWait(guesser) > 0, "held off by this node's memory, not by a Redis read");
        assertEquals(0, webhooks.missWait(other), "another address is not held");
        webhooks.missesPerMinute = 0;
        assertEquals(0, webhooks.missWait(guesser), "0: no limit");
    }
}
