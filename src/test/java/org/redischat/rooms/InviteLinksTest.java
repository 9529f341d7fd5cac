package org.redischat.rooms;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.redischat.redis.TestRedis;

/** Join links: signed for one room until a time, checked by any node sharing the key in Redis. */
class InviteLinksTest {

    private InviteLinks node() {
        InviteLinks links = new InviteLinks();
        links.redis = TestRedis.client();
        return links;
    }

    @Test
    void aLinkAdmitsToItsRoomUntilItExpiresOnAnyNode() {
        InviteLinks one = node();
        InviteLinks two = node();
        long now = System.currentTimeMillis();
        String link = one.issue("team", now + 60_000);
        assertTrue(two.admits(link, "team", now), "another node checks it with the shared key");
        assertFalse(two.admits(link, "team", now + 60_000), "expired");
        assertFalse(two.admits(link, "teams", now), "another room");
        assertFalse(two.admits(link.replace("team.", "other."), "other", now), "moved to another room");
        String later = link.replaceFirst("\\.\\d+\\.", "." + (now + 10_000_000) + ".");
        assertFalse(two.admits(later, "team", now), "a longer life is not the server's");
        assertFalse(two.admits(link.substring(0, link.length() - 1) + (link.endsWith("x") ? "y" : "x"), "team", now), "forged");
        for (String junk : new String[] {"", "team", "team.1", "team.x.y", ".."}) {
            assertFalse(two.admits(junk, "team", now), junk);
        }
    }
}
