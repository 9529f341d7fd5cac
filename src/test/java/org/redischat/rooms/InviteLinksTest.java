package org.redischat.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redischat.redis.Keys;
import org.redischat.redis.TestRedis;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Join links as records: admitted by the join's script while recorded, unexpired and their issuer a member. */
class InviteLinksTest {

    private final RedissonClient redis = TestRedis.client();
    private final InviteLinks links = new InviteLinks();
    private final Joins joins = TestJoins.on(redis);
    private String room;
    private String olga;
    private long now;

    @BeforeEach
    void setUp() {
        links.redis = redis;
        room = TestRedis.unique("priv");
        now = System.currentTimeMillis();
        olga = TestRedis.unique(olga);
        joins.join(room, olga, null, 10, Joins.Admission.PRIVATE);
    }

    private boolean admits(String invite, String who, String inRoom) {
        try {
            joins.join(inRoom, who, null, 10, Joins.Admission.LINKED, InviteLinks.idOf(invite));
            return true;
        } catch (Joins.RefusedException refused) {
            return false;
        }
    }

    @Test
    void aLinkAdmitsToItsPrivateRoomUntilRevokedAndRedisNeverHoldsItsSecret() {
        assertThrows(Joins.RefusedException.class, () -> joins.join(room, TestRedis.unique("mia"), null, 10, Joins.Admission.PUBLIC),
                "a private room");
        InviteLinks.Issued issued = links.issue(room, olga, now, now + 60_000);
        assertNotNull(issued);
        assertFalse(redis.getMap(Keys.joinLinks(room), StringCodec.INSTANCE).readAllMap().toString().contains(issued.invite()),
                "only a digest of the invitation is kept");
        assertEquals(List.of(issued.link()), links.list(room, now));
        assertTrue(admits(issued.invite(), TestRedis.unique("ann"), room), "any number of people, while it lives");
        assertTrue(admits(issued.invite(), TestRedis.unique("ben"), room));
        assertFalse(admits(issued.invite(), TestRedis.unique("cat"), TestRedis.unique("other")), "another room's");
        assertFalse(admits(issued.invite() + "x", TestRedis.unique("dan"), room), "made up");

        assertTrue(links.revoke(room, issued.link().id()));
        assertFalse(admits(issued.invite(), TestRedis.unique("eve"), room), "revoked");
        assertFalse(links.revoke(room, issued.link().id()), "gone already");
        assertEquals(List.of(), links.list(room, now));
    }

    @Test
    void aLinkStopsWorkingWhenItsIssuerLeavesTheRoomOrItExpires() {
        String gus = TestRedis.unique("gus");
        joins.join(room, gus, null, 10, Joins.Admission.LINKED, InviteLinks.idOf(links.issue(room, olga, now, now + 60_000).invite()));
        InviteLinks.Issued his = links.issue(room, gus, now, now + 60_000);
        assertTrue(admits(his.invite(), TestRedis.unique("hal"), room));
        redis.getSet(Keys.members(room), StringCodec.INSTANCE).remove(gus); // removed, banned or left
        assertFalse(admits(his.invite(), TestRedis.unique("ida"), room), "its issuer is no longer a member");

        InviteLinks.Issued brief = links.issue(room, olga, now - 2_000, now - 1);
        assertFalse(admits(brief.invite(), TestRedis.unique("jon"), room), "expired");
        assertFalse(links.list(room, now).contains(brief.link()));
    }

    @Test
    void aBanHoldsAgainstALinkAndARoomHoldsABoundedNumberOfLinks() {
        String kim = TestRedis.unique("kim");
        redis.getSet(Keys.bans(room), StringCodec.INSTANCE).add(kim);
        assertFalse(admits(links.issue(room, olga, now, now + 60_000).invite(), kim, room));
        links.maxPerRoom = 3;
        String full = TestRedis.unique("full");
        joins.join(full, olga, null, 10, Joins.Admission.PRIVATE);
        for (int i = 0; i < 3; i++) {
            assertNotNull(links.issue(full, olga, now, now + 60_000));
        }
        assertNull(links.issue(full, olga, now, now + 60_000), "the room holds the most links");
        links.issue(full, olga, now, now + 60_000);
        assertEquals(3, links.list(full, now).size());
        assertNotNull(links.issue(full, olga, now + 120_000, now + 180_000), "expired ones make room");
    }
}
