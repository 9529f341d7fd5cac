package org.redischat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.redischat.wire.ServerFrame;

/** The node's registry on its own: who may open, who follows which room, who gets a room's events. */
class LocalSessionsTest {

    private final List<String> watched = new ArrayList<>();
    private final LocalSessions sessions = TestSessions.create(watched::add);

    private Connection open(String user, FakeSession s, String... rooms) {
        Connection c = sessions.open(user, "hash-" + user, s.session);
        if (c != null) {
            List<ServerFrame.RoomState> states = new ArrayList<>();
            Map<String, String> epochs = new java.util.HashMap<>();
            for (String room : rooms) {
                states.add(new ServerFrame.RoomState(room, 0, 0));
                epochs.put(room, "e1");
            }
            c.welcome(new ServerFrame.Welcome(user, states), epochs);
        }
        return c;
    }

    @Test
    void aUserHoldsAtMostTheAllowedSocketsAndPresenceHearsOfEachChange() {
        for (int i = 0; i < 5; i++) {
            assertTrue(open("amy", new FakeSession()) != null);
        }
        assertNull(open("amy", new FakeSession()), "the sixth socket of a user (max-per-user 5 here)");
        assertEquals(5, watched.size(), "told of every socket that opened");
        assertTrue(sessions.hasUser("amy"));
        sessions.all().forEach(sessions::close);
        assertFalse(sessions.hasUser("amy"));
        assertEquals(10, watched.size(), "and of every one that closed");
    }

    @Test
    void aRoomsEventsGoToItsFollowersOnlyAndStopWhenTheyLeaveOrClose() {
        FakeSession s1 = new FakeSession();
        FakeSession s2 = new FakeSession();
        FakeSession s3 = new FakeSession();
        Connection a = open("amy", s1, "g");
        Connection b = open("bob", s2, "g");
        open("cat", s3);
        sessions.subscribe(a, "g");
        sessions.subscribe(b, "g");
        assertEquals(Set.of(a, b), sessions.followersOf("g"));
        assertEquals(List.of("g"), sessions.rooms());

        sessions.deliver("g", null, 0, "{\"type\":\"typing\"}");
        assertEquals(2, s1.sent.size(), "welcome, then the event");
        assertEquals(2, s2.sent.size());
        assertEquals(1, s3.sent.size(), "not a follower");

        sessions.unsubscribe(b, "g");
        assertFalse(sessions.follows(b, "g"));
        sessions.close(a);
        assertTrue(a.isGone());
        assertEquals(List.of(), sessions.rooms(), "no follower left: the bus may drop the room");
        sessions.deliver("g", null, 0, "{\"type\":\"typing\"}");
        assertEquals(2, s1.sent.size());
        assertEquals(2, s2.sent.size());
    }

    @Test
    void aSocketClosedWhileItSubscribesDoesNotStayInTheRoom() {
        Connection a = open("amy", new FakeSession());
        sessions.bus = (room, then) -> {
            then.run();
            sessions.close(a); // the socket closes while the subscription is being made
        };
        sessions.subscribe(a, "g");
        assertEquals(List.of(), sessions.rooms());
        assertFalse(sessions.follows(a, "g"));
    }

    @Test
    void revokingATokenClosesOnlyItsSockets() throws Exception {
        FakeSession mine = new FakeSession();
        FakeSession other = new FakeSession();
        Connection c = sessions.open("amy", "hash-1", mine.session);
        sessions.open("amy", "hash-2", other.session);
        c.welcome(new ServerFrame.Welcome("amy", List.of()), Map.of());
        sessions.revoked("hash-1");
        for (int i = 0; i < 100 && mine.closes.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertEquals(1008, mine.closes.get(0).getCloseCode().getCode());
        assertTrue(other.closes.isEmpty());
    }

    @Test
    void aSocketWhoseJoinWasRefusedGetsNothingOfTheRoomFromADeliveryUnderWay() {
        FakeSession stranger = new FakeSession();
        FakeSession member = new FakeSession();
        Connection s = open("eve", stranger);
        Connection m = open("amy", member, "p");
        sessions.subscribe(m, "p");
        s.joining("p");
        sessions.subscribe(s, "p");
        java.util.Set<Connection> takenByTheFanOut = Set.copyOf(sessions.followersOf("p"));
        sessions.unsubscribe(s, "p"); // the join's script refused eve
        s.joinFailed("p");
        for (Connection c : takenByTheFanOut) { // what the fan-out thread does with the set it already read
            c.offer("p", "e1", 1, "{\"type\":\"message\",\"id\":1}");
        }
        sessions.deliver("p", "e1", 2, "{\"type\":\"message\",\"id\":2}");
        assertEquals(1, stranger.sent.size(), "the welcome only: " + stranger.sent);
        assertEquals(3, member.sent.size(), "welcome and both messages: " + member.sent);
    }
}
