package org.redischat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.redischat.tyrus.RawFrames;
import org.junit.jupiter.api.Test;

/** The outbox's bounds, against a container whose sends complete at once (as Tyrus's do when it queues). */
class OutboxTest {

    private final FakeSession fake = new FakeSession();
    private final List<String> handed = fake.sent;
    private int overflows;

    private Outbox outbox(long maxQueued, long window) {
        return new Outbox(fake.session, new Outbox.Limits(maxQueued, window, false), o -> overflows++);
    }

    /** The pings sent so far, each carrying the bytes handed over before it. */
    private List<String> pings() {
        return fake.pings.stream().map(b -> StandardCharsets.US_ASCII.decode(b.duplicate()).toString()).toList();
    }

    private static String frame(int bytes) {
        return "x".repeat(bytes);
    }

    @Test
    void noMoreThanTheWindowIsHandedOverUntilThePeerConfirmsIt() {
        Outbox o = outbox(1 << 20, 1000);
        for (int i = 0; i < 10; i++) {
            o.enqueue(frame(300));
        }
        o.pump();
        assertEquals(4, handed.size(), "handed over while under 1000 unconfirmed bytes: 4 * 300");
        assertEquals(List.of("300"), pings(), "one ping at a time, carrying the bytes handed over before it");

        // a peer that reads answers each ping; the outbox never runs more than the window (and a frame) ahead of it
        for (int answered = 0; handed.size() < 10 && answered < 50; answered++) {
            long confirmed = Long.parseLong(pings().get(pings().size() - 1));
            o.pong(ByteBuffer.wrap(pings().get(pings().size() - 1).getBytes(StandardCharsets.US_ASCII)));
            assertTrue(handed.size() * 300L - confirmed < 1000 + 300, "ahead by " + (handed.size() * 300L - confirmed));
        }
        assertEquals(10, handed.size());
        assertEquals(0, overflows);
    }

    @Test
    void aPeerThatNeverAnswersFillsTheQueueAndOverflowsOnce() {
        Outbox o = outbox(3000, 1000);
        for (int i = 0; i < 30; i++) {
            o.enqueue(frame(300));
            o.pump();
        }
        assertEquals(4, handed.size(), "nothing past the window");
        assertEquals(1, overflows);
    }

    @Test
    void anUnsolicitedOrForgedPongConfirmsNothingBeyondWhatWasSent() {
        Outbox o = outbox(1 << 20, 1000);
        for (int i = 0; i < 10; i++) {
            o.enqueue(frame(300));
        }
        o.pump();
        o.pong(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        o.pong(ByteBuffer.wrap("999999".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(4, handed.size());
    }

    @Test
    void framesAreCountedInUtf8Bytes() {
        assertEquals(3, OutFrame.of("abc").bytes());
        assertEquals(2, OutFrame.of("é").bytes());
        assertEquals(3, OutFrame.of("€").bytes());
        assertEquals(4, OutFrame.of("😀").bytes());
        String mixed = "a é € 😀 \u0000";
        assertEquals(mixed.getBytes(StandardCharsets.UTF_8).length, OutFrame.of(mixed).bytes());
        assertTrue(OutFrame.of("x".repeat(100)).bytes() == 100);
    }

    /** The close frame as the outbox's last word: after what was handed over, and nothing after it. */
    @Test
    void theCloseFrameGoesLastAndNothingFollowsIt() {
        Outbox o = outbox(1 << 20, 1 << 20);
        List<String> written = new java.util.ArrayList<>();
        o.enqueue(frame(10));
        o.pump();
        o.finish(CloseFrames.encode(1013, "too slow"), f -> {
            written.add("close");
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
        assertEquals(List.of("close"), written);
        o.enqueue(frame(10));
        o.pump();
        o.keepAlive();
        assertEquals(1, handed.size(), "no frame after the close frame");
        assertTrue(pings().isEmpty(), "no ping after the close frame");
        o.finish(CloseFrames.encode(1013, "again"), f -> {
            written.add("second close");
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
        assertEquals(List.of("close"), written, "one close frame");
    }

    /** A frame still being written when the socket closes: the close frame waits for it, then goes. */
    @Test
    void theCloseFrameWaitsForTheFrameUnderWay() {
        FakeSession slow = new FakeSession(false);
        Outbox o = new Outbox(slow.session, new Outbox.Limits(1 << 20, 1 << 20, false), x -> overflows++);
        List<String> written = new java.util.ArrayList<>();
        o.enqueue(frame(10));
        o.enqueue(frame(10));
        o.pump();
        assertEquals(1, slow.held.size(), "one frame under way");
        o.finish(CloseFrames.encode(1001, "bye"), f -> {
            written.add("close");
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
        assertTrue(written.isEmpty(), "not while a frame is under way");
        slow.held.get(0).onResult(new jakarta.websocket.SendResult());
        assertEquals(List.of("close"), written, "right after it");
        assertEquals(1, slow.held.size(), "the queued frame stays unsent");
    }

    @Test
    void aCloseFrameIsACodeAndAReasonCutAtACharacterWithinControlFrameSize() {
        ByteBuffer f = CloseFrames.encode(1013, "too slow");
        assertEquals((byte) 0x88, f.get(0));
        assertEquals(10, f.get(1));
        assertEquals(1013, f.getShort(2));
        ByteBuffer longest = CloseFrames.encode(1008, "é".repeat(100));
        assertEquals(2 + 122, longest.get(1), "61 two-byte characters: 122 bytes, not half of the 62nd");
        assertEquals(4 + 122, longest.remaining());
    }

    /** A raw sender whose writes complete when the test says, keeping each write's bytes. */
    private static final class Writes implements RawFrames.Sender {
        final List<byte[]> writes = new java.util.ArrayList<>();
        final List<java.util.concurrent.CompletableFuture<Void>> pending = new java.util.ArrayList<>();

        @Override
        public java.util.concurrent.CompletableFuture<?> send(ByteBuffer frame) {
            byte[] b = new byte[frame.remaining()];
            frame.get(b);
            writes.add(b);
            var f = new java.util.concurrent.CompletableFuture<Void>();
            pending.add(f);
            return f;
        }

        void completeAll() {
            new java.util.ArrayList<>(pending).forEach(f -> f.complete(null));
        }
    }

    @Test
    void framesThatWaitedGoAsOneRawWriteInOrderWithinTheBoundAndTheWindow() {
        Writes raw = new Writes();
        Outbox o = new Outbox(fake.session, raw, new Outbox.Limits(1 << 22, 1 << 20, true), x -> overflows++);
        o.enqueue("first");
        o.pump();
        assertEquals(1, raw.writes.size(), "a frame alone goes at once");
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            OutFrame f = OutFrame.of("{\"n\":" + i + "}");
            o.enqueue(f);
            expected.writeBytes(f.wire());
        }
        o.pump();
        assertEquals(1, raw.writes.size(), "one write under way at a time");
        raw.completeAll();
        assertEquals(2, raw.writes.size(), "the 100 that waited leave together");
        assertTrue(java.util.Arrays.equals(expected.toByteArray(), raw.writes.get(1)), "whole frames, in order");

        for (int i = 0; i < 40; i++) {
            o.enqueue(frame(4000));
        }
        o.pump();
        raw.completeAll();
        raw.completeAll();
        raw.completeAll();
        assertTrue(raw.writes.stream().allMatch(w -> w.length <= Outbox.COALESCE_BYTES), "no write over the bound");
        assertEquals(40 * (4000 + 4), raw.writes.stream().skip(2).mapToInt(w -> w.length).sum(), "every frame sent once");
        assertEquals(0, overflows);
    }

    @Test
    void aCoalescedWriteStopsAtTheWindow() {
        Writes raw = new Writes();
        Outbox o = new Outbox(fake.session, raw, new Outbox.Limits(1 << 22, 1000, true), x -> overflows++);
        for (int i = 0; i < 10; i++) {
            o.enqueue(frame(300));
        }
        o.pump();
        assertEquals(1, raw.writes.size());
        assertEquals(4 * (300 + 4), raw.writes.get(0).length, "as far as the unconfirmed window allows: 4 * 300");
    }
}
