package org.redischat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.websocket.CloseReason;

import org.junit.jupiter.api.Test;
import org.redischat.wire.Message;
import org.redischat.wire.ServerFrame;

/**
 * The per-socket ordering rules, on a socket whose sends complete at once: each message once, in id
 * order, held back while a room is joined, missing ids read before later ones go out.
 */
class ConnectionTest {

    private final FakeSession fake = new FakeSession();
    private final List<String> sent = fake.sent;
    private final List<CloseReason> closes = fake.closes;
    private final List<long[]> fetches = new ArrayList<>();
    private final Connection c = new Connection("n-1", "bob", "hash", fake.session, new Outbox.Limits(1 << 20, 1 << 20, false),
            (conn, room, from, to) -> fetches.add(new long[] {from, to}), Runnable::run, new FrameRate(0, 1));

    private static String msg(String room, long id) {
        return org.redischat.wire.Json.write(new ServerFrame.MessageFrame(org.redischat.wire.Messages.of(room, id, "amy", "m" + id, 1)));
    }

    private List<String> types() {
        return sent.stream().map(s -> Json.createReader(new StringReader(s)).readObject().getString("type")).toList();
    }

    private List<Long> ids() {
        return sent.stream().map(s -> Json.createReader(new StringReader(s)).readObject())
                .filter(o -> "message".equals(o.getString("type")))
                .map(o -> o.getJsonNumber("id").longValue()).toList();
    }

    private void welcome(String room, long lastId) {
        c.welcome(new ServerFrame.Welcome("bob", List.of(new ServerFrame.RoomState(room, lastId, 0))), Map.of(room, "e1"));
    }

    @Test
    void eventsBeforeWelcomeWaitAndTheAlreadyKnownAreDropped() {
        c.offer("g", "e1", 4, msg("g", 4));
        c.offer("g", "e1", 5, msg("g", 5));
        assertTrue(sent.isEmpty());
        welcome("g", 4);
        assertEquals(List.of("welcome", "message"), types());
        assertEquals(List.of(5L), ids());
    }

    @Test
    void duplicatesAreDroppedAndOrderKept() {
        welcome("g", 0);
        for (long id : new long[] {1, 2, 2, 1, 3}) {
            c.offer("g", "e1", id, msg("g", id));
        }
        assertEquals(List.of(1L, 2L, 3L), ids());
    }

    @Test
    void aGapIsFilledBeforeLaterMessagesGoOut() {
        welcome("g", 2);
        c.offer("g", "e1", 5, msg("g", 5));
        c.offer("g", "e1", 6, msg("g", 6));
        assertEquals(List.of(), ids(), "held while 3 and 4 are read");
        assertEquals(1, fetches.size());
        assertEquals(3, fetches.get(0)[0]);
        assertEquals(4, fetches.get(0)[1]);
        c.caughtUp("g", "e1", List.of(org.redischat.wire.Messages.of("g", 3, "amy", "m3", 1), org.redischat.wire.Messages.of("g", 4, "amy", "m4", 1)), 4);
        assertEquals(List.of(3L, 4L, 5L, 6L), ids());
    }

    @Test
    void aGapThatCannotBeReadClosesTheSocketInsteadOfSkippingIt() {
        welcome("g", 2);
        c.offer("g", "e1", 5, msg("g", 5));
        assertEquals(1, fetches.size());
        c.catchUpFailed("g");
        c.offer("g", "e1", 6, msg("g", 6));
        assertEquals(List.of(), ids(), "nothing after the gap goes out");
        assertEquals(1, closes.size());
        assertEquals(1011, closes.get(0).getCloseCode().getCode());
    }

    @Test
    void joiningHoldsTheRoomsEventsUntilTheAnswer() {
        welcome("other", 0);
        c.joining("g");
        c.offer("g", null, 0, "{\"type\":\"member_add\",\"room\":\"g\",\"user\":\"bob\"}");
        c.offer("g", "e1", 10, msg("g", 10));
        c.offer("g", "e1", 11, msg("g", 11));
        assertTrue(sent.stream().noneMatch(s -> s.contains("member_add")));
        c.joined("g", "e1", 10, 1, new ServerFrame.Left("g"), null);
        assertEquals(List.of("welcome", "left", "member_add", "message"), types());
        assertEquals(List.of(11L), ids(), "10 was in the answer");
    }

    @Test
    void aMessageOfAnotherEpochClosesTheSocketWith1012() {
        welcome("g", 3);
        c.offer("g", "e2", 1, msg("g", 1));
        assertEquals(List.of(), ids());
        assertEquals(1, closes.size());
        assertEquals(1012, closes.get(0).getCloseCode().getCode());
    }

    @Test
    void aHeadReadBeforeTheSocketJoinedNeitherClosesItNorReadsFromRedis() {
        welcome("other", 0);
        long readAt = System.nanoTime(); // the room did not exist yet: no epoch, no messages
        c.joining("g");
        c.joined("g", "e1", 0, 1, new ServerFrame.Left("g"), null);
        c.compare("g", null, 0, readAt);
        c.compare("g", "e1", 5, readAt);
        assertEquals(List.of(), closes);
        assertEquals(List.of(), fetches);
    }

    @Test
    void aHeadReadAfterTheJoinStillFindsAGapAndALostHistory() {
        welcome("g", 3);
        c.compare("g", "e1", 5, System.nanoTime());
        assertEquals(1, fetches.size());
        assertEquals(List.of(4L, 5L), List.of(fetches.get(0)[0], fetches.get(0)[1]));
        c.caughtUp("g", "e1", List.of(), 5);
        c.compare("g", null, 0, System.nanoTime()); // Redis lost the room
        assertEquals(1, closes.size());
        assertEquals(1012, closes.get(0).getCloseCode().getCode());
    }

    @Test
    void aSocketThatCannotKeepUpIsClosedWith1013() {
        FakeSession slow = new FakeSession(false);
        Connection small = new Connection("n-2", "bob", "hash", slow.session, new Outbox.Limits(1000, 1 << 20, false), (x, r, f, t) -> { }, Runnable::run,
                new FrameRate(0, 1));
        small.welcome(new ServerFrame.Welcome("bob", List.of(new ServerFrame.RoomState("g", 0, 0))), Map.of("g", "e1"));
        for (int i = 1; i <= 50; i++) {
            small.offer("g", "e1", i, msg("g", i));
        }
        assertEquals(1, slow.closes.size());
        assertEquals(1013, slow.closes.get(0).getCloseCode().getCode());
    }

    @Test
    void aRoomFollowedFromAnotherNodesJoinReadsWhatCameBeforeItsSubscription() {
        welcome("other", 0);
        c.startAt("g", "e1", 4, 6); // joined after 4; 5 and 6 were published before this node subscribed
        c.offer("g", "e1", 7, msg("g", 7));
        assertEquals(List.of(), ids(), "7 waits for 5 and 6");
        assertEquals(5, fetches.get(0)[0]);
        assertEquals(6, fetches.get(0)[1]);
        c.caughtUp("g", "e1", List.of(org.redischat.wire.Messages.of("g", 5, "amy", "m5", 1), org.redischat.wire.Messages.of("g", 6, "amy", "m6", 1)), 6);
        assertEquals(List.of(5L, 6L, 7L), ids());
    }

    @Test
    void aJoinThatFindsTheRoomInAnotherEpochClosesTheSocketWith1012() {
        welcome("g", 3); // the socket knew the room in epoch e1
        c.joining("g");
        c.joined("g", "e2", 0, 1, new ServerFrame.Left("g"), null); // Redis lost it; the join made e2
        assertEquals(List.of("welcome"), types(), "no answer in the new epoch on this socket");
        assertEquals(1012, closes.get(0).getCloseCode().getCode());
    }

    @Test
    void framesOverTheUsersBudgetOnTheNodeAreDroppedAndTheSocketIsToldOnceASecond() {
        FakeSession s = new FakeSession();
        FrameRate shared = new FrameRate(10, 5);
        Connection one = new Connection("n-3", "eve", "hash", s.session, new Outbox.Limits(1 << 20, 1 << 20, false),
                (x, r, f, t) -> { }, Runnable::run, shared);
        FakeSession s2 = new FakeSession();
        Connection two = new Connection("n-4", "eve", "hash", s2.session, new Outbox.Limits(1 << 20, 1 << 20, false),
                (x, r, f, t) -> { }, Runnable::run, shared);
        one.welcome(new ServerFrame.Welcome("eve", List.of()), Map.of());
        two.welcome(new ServerFrame.Welcome("eve", List.of()), Map.of());
        int allowed = 0;
        for (int i = 0; i < 50; i++) {
            if ((i % 2 == 0 ? one : two).frameAllowed(10)) {
                allowed++;
            }
        }
        assertTrue(allowed >= 5 && allowed <= 6, "the burst, shared by the user's sockets here: " + allowed);
        long told = java.util.stream.Stream.concat(s.sent.stream(), s2.sent.stream())
                .filter(f -> f.contains("\"rate_limited\"")).count();
        assertTrue(told == 1, "told once in the second, on the socket whose frame was dropped: " + s.sent + s2.sent);
    }

    @Test
    void aSocketThatGoesOnFloodingIsClosedWith1008() throws Exception {
        FakeSession s = new FakeSession();
        Connection c = new Connection("n-5", "eve", "hash", s.session, new Outbox.Limits(1 << 20, 1 << 20, false),
                (x, r, f, t) -> { }, Runnable::run, new FrameRate(10, 5));
        c.welcome(new ServerFrame.Welcome("eve", List.of()), Map.of());
        for (int i = 0; i < 5 + 5; i++) {
            c.frameAllowed(10);
        }
        assertTrue(s.closes.isEmpty(), "a burst over the budget is dropped, not punished");
        for (int i = 0; i < 100 && s.closes.isEmpty(); i++) {
            c.frameAllowed(10);
        }
        assertEquals(1008, s.closes.get(0).getCloseCode().getCode(), "dropped more than the burst in a second");
        assertEquals(1, FrameRate.weight(4095));
        assertEquals(5, FrameRate.weight(16_384), "a 16 KiB frame weighs as five small ones");
    }
}
