package org.redischat.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;

import org.junit.jupiter.api.Test;
import org.redischat.connection.Connection;
import org.redischat.connection.FakeSession;
import org.redischat.connection.LocalSessions;
import org.redischat.connection.TestSessions;
import org.redischat.members.Members;
import org.redischat.wire.Event;
import org.redischat.wire.Message;
import org.redischat.wire.ServerFrame;

/**
 * Membership changes as the room's channel brings them, possibly late or twice: each socket of the
 * member is told once, and a socket of a user who left never follows the room again because of an
 * older change that arrives after the leave.
 */
class MembershipTest {

    private final LocalSessions sessions = TestSessions.create(user -> {
    });
    private final Membership membership = new Membership();
    private final FakeSession bob1 = new FakeSession();
    private final FakeSession bob2 = new FakeSession();
    private final FakeSession amy = new FakeSession();
    private final Connection b1;
    private final Connection b2;
    private final Connection a;

    MembershipTest() {
        membership.sessions = sessions;
        membership.bus = (room, then) -> then.run();
        b1 = open("bob", bob1);
        b2 = open("bob", bob2);
        a = open("amy", amy);
        sessions.subscribe(a, "g");
        a.joined("g", "e1", 0, 1, new ServerFrame.Left("g"), null);
    }

    private Connection open(String user, FakeSession s) {
        Connection c = sessions.open(user, "hash-" + user, s.session);
        c.welcome(new ServerFrame.Welcome(user, List.of()), Map.of());
        return c;
    }

    private static List<String> types(FakeSession s) {
        return s.sent.stream().map(f -> Json.createReader(new StringReader(f)).readObject().getString("type")).toList();
    }

    private static String frame(String type, String user) {
        return org.redischat.wire.Json.write(new ServerFrame.Member(type, "g", user));
    }

    private void message(long id) {
        sessions.deliver("g", "e1", id, org.redischat.wire.Json.write(new ServerFrame.MessageFrame(org.redischat.wire.Messages.of("g", id, "amy", "m", 1))));
    }

    @Test
    void aJoinIsToldOncePerSocketWhicheverCopyComesFirst() {
        sessions.subscribe(b1, "g"); // bob joins on b1
        b1.joining("g");
        membership.added(Event.memberAdd("g", "bob", 2, 0, "e1"), frame("member_add", "bob")); // the channel's copy, during the join
        b1.joined("g", "e1", 0, 2, new ServerFrame.Left("g"), frame("member_add", "bob"));
        membership.changedElsewhere(Event.memberAdd("g", "bob", 2, 0, "e1"), frame("member_add", "bob")); // the node channel's copy
        assertEquals(List.of("welcome", "left", "member_add"), types(bob1), "the joining socket: answer, then one member_add");
        assertEquals(List.of("welcome", "member_add"), types(bob2), "the user's other socket follows the room and is told once");
        assertEquals(List.of("welcome", "left", "member_add"), types(amy));
        message(1);
        assertEquals("message", types(bob2).get(2));
        assertEquals("message", types(bob1).get(3));
    }

    @Test
    void anOlderJoinArrivingAfterTheLeaveDoesNotBringTheRoomBack() {
        sessions.subscribe(b1, "g");
        b1.joining("g");
        b1.joined("g", "e1", 0, 2, new ServerFrame.Left("g"), frame("member_add", "bob"));
        sessions.left(b1, "g", 3); // bob leaves on b1 before the channel brought his join
        membership.added(Event.memberAdd("g", "bob", 2, 0, "e1"), frame("member_add", "bob"));
        assertFalse(sessions.follows(b1, "g"), "the stale join is ignored on the leaving socket");
        membership.removed(Event.memberRemove("g", "bob", b1.id(), 3), frame("member_remove", "bob"));
        assertFalse(sessions.follows(b2, "g"));
        int before1 = bob1.sent.size();
        int before2 = bob2.sent.size();
        message(1);
        assertEquals(before1, bob1.sent.size(), "the leaver's sockets get nothing of the room");
        assertEquals(before2, bob2.sent.size());
        assertEquals("message", types(amy).get(types(amy).size() - 1));
        assertFalse(types(bob1).contains("member_remove"), "the leaving socket got 'left' instead");

        // joining again (version 4) works as a first join would
        membership.added(Event.memberAdd("g", "bob", 4, 1, "e1"), frame("member_add", "bob"));
        assertTrue(sessions.follows(b1, "g"));
        assertTrue(sessions.follows(b2, "g"));
        message(2);
        assertEquals("message", types(bob2).get(types(bob2).size() - 1));
    }

    @Test
    void aMemberToldOnTheNodeChannelStartsWhereTheyCameIn() {
        Members.Now now = new Members.Now(true, 3, 9, "e1");
        assertEquals(4, Membership.startOf(Event.memberAdd("g", "bob", 2, 4, "e1"), now), "after the newest id when they came");
        assertEquals(0, Membership.startOf(Event.memberAdd("g", "bob", 2, 0, null), now),
                "a direct room without history yet: from its first message");
        assertEquals(9, Membership.startOf(Event.memberAdd("g", "bob", 2, 4, "e0"), now),
                "the history began anew since: after what it has now");
    }
}
