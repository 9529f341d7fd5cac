package org.redischat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The bus's one format: what every writer publishes is what the one reader takes apart. */
class EnvelopeTest {

    @Test
    void everyKindOfEventComesBackAsItWasPublished() {
        List<Event> all = List.of(
                Event.memberAdd("general", "alice", 3, 17, "e1"),
                Event.memberRemove("general", "alice", "socket-1", 4),
                Event.typing("general", "bob"),
                Event.read("general", "bob", "socket-2", 12),
                Event.presence("carol", true, "dm:bob:carol"),
                Event.presence("carol", false, "general"),
                Event.revoke("abc123"),
                Event.probe("node-1/42"));
        for (Event e : all) {
            String raw = Envelope.of(e);
            assertTrue(raw.startsWith("1 " + e.kind() + "\n{"), raw);
            Envelope.Other read = assertInstanceOf(Envelope.Other.class, Envelope.read(raw));
            assertEquals(e, read.event());
        }
    }

    /** The membership scripts append the version (and, for a join, the newest id and epoch) to these heads. */
    @Test
    void theMembershipScriptsHeadsCompleteToTheirEvents() {
        String add = Event.memberAddHead("general", "alice") + 5 + ",\"id\":17,\"epoch\":\"e1\"}";
        assertEquals(Event.memberAdd("general", "alice", 5, 17, "e1"), Envelope.event(add));
        String bot = Event.memberAddHead("general", "ci-bot", true) + 5 + ",\"id\":17,\"epoch\":\"e1\"}";
        assertEquals(Event.memberAdd("general", "ci-bot", 5, 17, "e1", true), Envelope.event(bot), "a bot's, marked");
        assertEquals(Boolean.TRUE, Envelope.event(bot).bot());
        String remove = Event.memberRemoveHead("general", "alice", "socket-1") + 6 + "}";
        assertEquals(Event.memberRemove("general", "alice", "socket-1", 6), Envelope.event(remove));
    }

    /** What the append script publishes: the head from Java, then epoch, id, newline and the client's frame. */
    @Test
    void aMessageIsTakenApartWithoutReadingItsFrame() {
        String frame = "{\"type\":\"message\",\"room\":\"dm:alice:bob\",\"id\":42,\"from\":\"alice\",\"text\":\"a b\\n1 message\",\"ts\":7}";
        String raw = Envelope.messageHead("dm:alice:bob") + "1700000000-ab12 42\n" + frame;
        Envelope.Delivery d = assertInstanceOf(Envelope.Delivery.class, Envelope.read(raw));
        assertEquals(new Envelope.Delivery("dm:alice:bob", "1700000000-ab12", 42, frame), d);
        assertThrows(IllegalArgumentException.class, () -> Envelope.event(raw), "a message is not an Event");
    }

    @Test
    void whatThisVersionCannotReadIsSaidSoNotGuessed() {
        for (String raw : List.of(
                "2 message general e 1\n{}", // a later version
                "2 typing\n{\"kind\":\"typing\"}",
                "1 typing {\"kind\":\"typing\"}", // no header line
                "1 message general e\n{}", // no id
                "1 message general e x1\n{}", // not a number
                "1 message  e 1\n{}", // no room
                "{\"kind\":\"typing\",\"room\":\"general\",\"user\":\"a\"}", // no envelope
                "1 changed \n{}", // no room
                "1 changed general\n{}", // no change number
                "1 changed general x\n{}", // not a number
                "1 changed general 4 5\n{}", // more than a room and a number
                "1 typing\n{\"kind\":\"presence\",\"room\":\"general\",\"user\":\"a\",\"online\":true}")) { // header and body disagree
            assertInstanceOf(Envelope.Unreadable.class, Envelope.read(raw), raw);
        }
    }

    @Test
    void aChangedMessageIsTakenApartWithoutReadingItsFrame() {
        String frame = "{\"type\":\"changed\",\"room\":\"general\",\"id\":3,\"text\":\"\",\"deleted\":true}";
        Envelope.Read read = Envelope.read(Envelope.changedHead("general") + "12\n" + frame);
        assertEquals(new Envelope.Changed("general", 12, frame), read);
    }
}
