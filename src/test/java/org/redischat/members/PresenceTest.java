package org.redischat.members;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redischat.connection.LocalSessions;
import org.redischat.wire.Envelope;
import org.redischat.wire.Event;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.wire.Json;
import org.redischat.redis.TestRedis;

/**
 * A new member who is online is announced once: by the join, or by the flip of their first socket when
 * that flip already read the new membership (both ran on this node at once; the other members got two
 * {@code presence} frames). Real Redis; only the node's sockets and the bus's publish are stood in for.
 */
class PresenceTest {

    private final List<Event> published = new CopyOnWriteArrayList<>();
    private final Members members = new Members();
    private final Presence presence = new Presence();
    private final String user = TestRedis.unique("pat");
    private final String room = TestRedis.unique("r");
    private final String node = TestRedis.unique("node");

    PresenceTest() {
        members.redis = TestRedis.client();
        members.channels = TestRedis.channels();
        presence.redis = TestRedis.client();
        presence.members = members;
        presence.channels = new Channels() {
            @Override
            public void publishToRoom(String room, String event) {
                published.add(Envelope.event(event));
            }

            @Override
            public void publishToRooms(java.util.Map<String, String> events) {
                events.values().forEach(event -> published.add(Envelope.event(event)));
            }
        };
        presence.sessions = new LocalSessions() {
            @Override
            public String node() {
                return node;
            }

            @Override
            public boolean hasUser(String u) {
                return u.equals(user);
            }
        };
    }

    @AfterEach
    void stop() {
        presence.worker.shutdownNow();
        TestRedis.client().getKeys().delete(Keys.nodeUsers(node), Keys.onlineNodes(user));
    }

    private void settle() throws Exception {
        presence.worker.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    private List<Event> presenceOf(String u) {
        return published.stream().filter(e -> e.kind().equals("presence") && e.user().equals(u)).toList();
    }

    @Test
    void aFlipThatReadTheNewMembershipIsTheOnlyAnnouncement() throws Exception {
        long addedAt = System.nanoTime();
        members.add(room, user);      // the join wrote the membership...
        presence.socketsChanged(user);       // ...before the first socket's flip read the user's rooms
        presence.joined(user, room, addedAt);
        settle();
        assertEquals(1, presenceOf(user).size(), "one presence, not one from the flip and one from the join");
        assertEquals(room, presenceOf(user).get(0).room());
    }

    @Test
    void aFlipBeforeTheMembershipLeavesTheAnnouncementToTheJoin() throws Exception {
        presence.socketsChanged(user);
        settle();
        assertEquals(List.of(), presenceOf(user), "no rooms yet: nobody to tell");
        long addedAt = System.nanoTime();
        members.add(room, user);
        presence.joined(user, room, addedAt);
        settle();
        assertEquals(1, presenceOf(user).size());
        assertEquals(room, presenceOf(user).get(0).room());
        assertEquals(true, presenceOf(user).get(0).online());
    }

    @Test
    void aLaterRejoinIsAnnouncedAgain() throws Exception {
        long addedAt = System.nanoTime();
        members.add(room, user);
        presence.socketsChanged(user);
        presence.joined(user, room, addedAt);
        settle();
        members.remove(room, user, "s-1");
        long again = System.nanoTime();
        members.add(room, user);
        presence.joined(user, room, again);
        settle();
        assertEquals(2, presenceOf(user).size(), "the flip's announcement does not cover a later membership");
    }

    @Test
    void aNewMemberWhoIsOfflineIsNotAnnounced() throws Exception {
        String away = TestRedis.unique("away");
        long addedAt = System.nanoTime();
        members.add(room, away);
        presence.joined(away, room, addedAt);
        settle();
        assertEquals(List.of(), presenceOf(away));
    }
}
