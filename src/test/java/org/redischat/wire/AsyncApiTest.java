package org.redischat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * docs/asyncapi.yaml is a valid AsyncAPI 3.0.0 document, and its frame schemas say what the server's
 * own frame records write and what its parser takes (the running server's frames are checked by
 * ProtocolIT).
 */
class AsyncApiTest {

    @Test
    void theDocumentIsValidAsyncApi3() {
        assertEquals(Set.of(), AsyncApi.documentProblems());
    }

    @Test
    void everyReferenceOfTheDocumentResolvesWithinIt() {
        assertEquals(Set.of(), AsyncApi.unresolvedReferences());
    }

    @Test
    void everyServerFrameRecordWritesWhatTheDocumentDescribes() {
        Message m = Messages.of("general", 17, "bob", "hi", 1764262800000L);
        Message changed = new Message("general", 18, "bob", "hi!", 1764262800000L, 1764262900000L, null,
                List.of(new Message.Reaction("👍", List.of("amy", "bob"))), 3L, null, null, null);
        Message tomb = new Message("general", 19, "bob", "", 1764262800000L, null, true, null, 4L, null, null, null);
        List<ServerFrame> frames = List.of(
                new ServerFrame.MessageFrame(changed),
                new ServerFrame.History("general", List.of(m, changed, tomb), false),
                new ServerFrame.Joined("general", "e1", List.of("bob"), List.of(), List.of(tomb), false, null).withChange(4),
                new ServerFrame.Changing("edited", "general", 18, null, null, "e"),
                new ServerFrame.Changing("reacted", "general", 18, "👍", true, null),
                new ServerFrame.Changes("general", List.of(changed, tomb), 4, false, "c"),
                new ServerFrame.Welcome("bob", List.of(new ServerFrame.RoomState("general", 17, 12))),
                new ServerFrame.Welcome("bob", List.of(), new ServerFrame.Limits(2000, 4000, 50)),
                new ServerFrame.Joined("general", "e1", List.of("amy", "bob"), List.of("bob"), List.of(m), true, null),
                new ServerFrame.Joined("general", "e1", List.of("bob"), List.of(), List.of(), false, Boolean.TRUE),
                new ServerFrame.Ack("c-1", "general", 17),
                new ServerFrame.MessageFrame(m),
                new ServerFrame.History("general", List.of(m), false),
                new ServerFrame.Search(List.of(m), "general@17", "s"),
                new ServerFrame.Search(List.of(), null, null),
                new ServerFrame.Thread("general", new Message("general", 17, "amy", "ship it?", 1764262800000L, null, null, null, 5L, null, 2, 19L),
                        List.of(new Message("general", 18, "bob", "yes", 1764262800000L, null, null, null, null, 17L, null, null)), false, true, "t"),
                new ServerFrame.Welcome("bob", List.of(new ServerFrame.RoomState("general", 17, 12, 1).withThreads(2))),
                new ServerFrame.Member("member_add", "general", "carol"),
                ServerFrame.Member.added("general", "ci-bot", true),
                new ServerFrame.Joined("general", "e1", List.of("amy", "ci-bot"), List.of("amy"), List.of(m), false, null)
                        .withBots(List.of("ci-bot")),
                new ServerFrame.Member("member_remove", "general", "carol"),
                new ServerFrame.Left("general"),
                new ServerFrame.Presence("general", "carol", true),
                new ServerFrame.Typing("general", "carol"),
                new ServerFrame.ReadMark("general", 17),
                new ServerFrame.Pong("p-1"),
                new ServerFrame.Welcome("bob", List.of(), new ServerFrame.Limits(2000, 4000, 50), List.of("eve")),
                new ServerFrame.Welcome("bob", List.of(), new ServerFrame.Limits(2000, 4000, 50), List.of(), true, List.of("staff")),
                new ServerFrame.Blocked("blocked", "eve", "b"),
                new ServerFrame.Blocked("unblocked", "eve", null),
                new ServerFrame.Error("limit_reached", "in the most rooms allowed", null),
                new ServerFrame.Error("not_member", "join the room first", "c-2"));
        for (ServerFrame f : frames) {
            String json = f instanceof ServerFrame.Ack a ? a.json() : Json.write(f);
            assertEquals(Set.of(), AsyncApi.serverFrameProblems(json), json);
        }
        // the changed frame as the change script writes it (field order is the script's)
        String live = "{\"type\":\"changed\",\"reactions\":[{\"users\":[\"amy\"],\"emoji\":\"👍\"}],\"id\":18,"
                + "\"ts\":1764262800000,\"from\":\"bob\",\"room\":\"general\",\"text\":\"hi\",\"change\":5}";
        assertEquals(Set.of(), AsyncApi.serverFrameProblems(live), live);
    }

    @Test
    void theDocumentRefusesWhatTheServerNeverSends() {
        assertFalse(AsyncApi.serverFrameProblems("{\"type\":\"ack\",\"room\":\"general\"}").isEmpty(), "an ack without id");
        assertFalse(AsyncApi.serverFrameProblems("{\"type\":\"shout\"}").isEmpty(), "an unknown type");
        assertFalse(AsyncApi.serverFrameProblems("{\"type\":\"error\",\"code\":\"oops\",\"message\":\"x\"}").isEmpty());
    }

    @Test
    void framesTheParserTakesAreClientFramesOfTheDocument() {
        FrameParser parser = new FrameParser(4000);
        for (String frame : List.of("{\"type\":\"join\",\"room\":\"general\"}",
                "{\"type\":\"join\",\"room\":\"general\",\"since\":12,\"epoch\":\"e1\",\"ref\":\"j\"}",
                "{\"type\":\"send\",\"room\":\"dm:amy:bob\",\"text\":\"hi\",\"ref\":\"c-1\"}",
                "{\"type\":\"history\",\"room\":\"general\",\"before\":40,\"limit\":50}",
                "{\"type\":\"leave\",\"room\":\"general\"}", "{\"type\":\"typing\",\"room\":\"general\"}",
                "{\"type\":\"read\",\"room\":\"general\",\"id\":17}", "{\"type\":\"ping\",\"ref\":\"p-1\"}",
                "{\"type\":\"edit\",\"room\":\"general\",\"id\":17,\"text\":\"hi!\"}",
                "{\"type\":\"delete\",\"room\":\"general\",\"id\":17,\"ref\":\"d\"}",
                "{\"type\":\"react\",\"room\":\"general\",\"id\":17,\"emoji\":\"👍\"}",
                "{\"type\":\"changes\",\"room\":\"general\",\"after\":3,\"limit\":20}",
                "{\"type\":\"search\",\"text\":\"deploy failed\"}",
                "{\"type\":\"send\",\"room\":\"general\",\"text\":\"yes\",\"thread\":17,\"ref\":\"r\"}",
                "{\"type\":\"thread\",\"room\":\"general\",\"id\":17,\"after\":18,\"limit\":20,\"ref\":\"t\"}",
                "{\"type\":\"search\",\"room\":\"general\",\"from\":\"bob\",\"start\":0,\"end\":99,\"limit\":50,\"cursor\":\"general@17\",\"ref\":\"s\"}",
                "{\"type\":\"block\",\"user\":\"eve\",\"ref\":\"b\"}", "{\"type\":\"unblock\",\"user\":\"eve\"}")) {
            parser.parse(frame); // the server takes it
            assertEquals(Set.of(), AsyncApi.clientFrameProblems(frame), frame);
        }
    }
}
