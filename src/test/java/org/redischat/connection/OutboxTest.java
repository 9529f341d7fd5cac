package org.redischat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import org.junit.jupiter.api.Test;

/** The outbox's bounds, against a container whose sends complete at once (as Tyrus's do when it queues). */
class OutboxTest {

    private final List<String> handed = new ArrayList<>();
    private final List<String> pings = new ArrayList<>();
    private int overflows;

    private Outbox outbox(long maxQueued, long window) {
        RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (p, m, args) -> {
                    if (m.getName().equals("sendText") && args.length == 2) {
                        handed.add((String) args[0]);
                        ((SendHandler) args[1]).onResult(new SendResult());
                    } else if (m.getName().equals("sendPing")) {
                        pings.add(StandardCharsets.US_ASCII.decode((ByteBuffer) args[0]).toString());
                    }
                    return null;
                });
        Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (p, m, args) -> m.getName().equals("getAsyncRemote") ? async : null);
        return new Outbox(session, new Outbox.Limits(maxQueued, window), o -> overflows++);
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
        assertEquals(List.of("300"), pings, "one ping at a time, carrying the bytes handed over before it");

        // a peer that reads answers each ping; the outbox never runs more than the window (and a frame) ahead of it
        for (int answered = 0; handed.size() < 10 && answered < 50; answered++) {
            long confirmed = Long.parseLong(pings.get(pings.size() - 1));
            o.pong(ByteBuffer.wrap(pings.get(pings.size() - 1).getBytes(StandardCharsets.US_ASCII)));
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
        assertEquals(3, Outbox.bytes("abc"));
        assertEquals(2, Outbox.bytes("é"));
        assertEquals(3, Outbox.bytes("€"));
        assertEquals(4, Outbox.bytes("😀"));
        String mixed = "a é € 😀 \u0000";
        assertEquals(mixed.getBytes(StandardCharsets.UTF_8).length, Outbox.bytes(mixed));
        assertTrue(Outbox.bytes("x".repeat(100)) == 100);
    }
}
