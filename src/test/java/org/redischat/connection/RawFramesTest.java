package org.redischat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import jakarta.websocket.Extension;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import org.glassfish.tyrus.core.TyrusRemoteEndpoint;
import org.glassfish.tyrus.core.TyrusWebSocket;
import org.redischat.tyrus.RawFrames;
import org.junit.jupiter.api.Test;

/**
 * Frames encoded once and handed to Tyrus as bytes ({@link RawFrames}, {@link OutFrame}), against
 * stand-ins of the two Tyrus members it uses; the real Tyrus is checked on Payara Micro (OperationsIT
 * asserts it is in use, and every integration test's frames go through it).
 */
class RawFramesTest {

    private final TyrusWebSocket socket = new TyrusWebSocket();
    private final List<String> sentAsText = new ArrayList<>();

    /** A Tyrus-like remote endpoint: the field RawFrames reads, and {@code sendText} for the portable path. */
    private final class Async extends TyrusRemoteEndpoint implements RemoteEndpoint.Async {
        Async() {
            this(socket);
        }

        Async(TyrusWebSocket webSocket) {
            super(webSocket);
        }

        @Override
        public void sendText(String text, SendHandler handler) {
            sentAsText.add(text);
            handler.onResult(new SendResult());
        }

        @Override
        public long getSendTimeout() {
            return 0;
        }

        @Override
        public void setSendTimeout(long timeout) {
        }

        @Override
        public Future<Void> sendText(String text) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Void> sendBinary(ByteBuffer data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendBinary(ByteBuffer data, SendHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Void> sendObject(Object data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendObject(Object data, SendHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setBatchingAllowed(boolean allowed) throws IOException {
        }

        @Override
        public boolean getBatchingAllowed() {
            return false;
        }

        @Override
        public void flushBatch() throws IOException {
        }

        @Override
        public void sendPing(ByteBuffer data) throws IOException, IllegalArgumentException {
        }

        @Override
        public void sendPong(ByteBuffer data) throws IOException, IllegalArgumentException {
        }
    }

    private Session session(RemoteEndpoint.Async async, List<Extension> extensions) {
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (p, m, args) -> switch (m.getName()) {
                    case "getAsyncRemote" -> async;
                    case "getNegotiatedExtensions" -> extensions;
                    default -> null;
                });
    }

    private Outbox outbox(Session s) {
        return new Outbox(s, new Outbox.Limits(1 << 20, 1 << 20, true), o -> { });
    }

    /** The text of a frame as a client reads it: FIN and text opcode, unmasked, its length, its payload. */
    private static String read(ByteBuffer frame) {
        ByteBuffer b = frame.duplicate();
        assertEquals((byte) 0x81, b.get(), "FIN and the text opcode");
        int n = b.get();
        assertTrue(n >= 0, "a server's frames are not masked");
        long length = n < 126 ? n : n == 126 ? b.getShort() & 0xFFFF : b.getLong();
        assertEquals(length, b.remaining());
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    @Test
    void aFramesLengthIsWrittenInTheSizeItNeeds() {
        for (int n : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 200_000}) {
            String text = "x".repeat(n);
            byte[] wire = OutFrame.of(text).wire();
            assertEquals(n + (n < 126 ? 2 : n < 65_536 ? 4 : 10), wire.length, "size " + n);
            assertEquals(text, read(ByteBuffer.wrap(wire)), "size " + n);
        }
        String mixed = "{\"text\":\"é € 😀\"}";
        assertEquals(mixed, read(ByteBuffer.wrap(OutFrame.of(mixed).wire())));
        assertEquals(mixed.getBytes(StandardCharsets.UTF_8).length, OutFrame.of(mixed).bytes());
    }

    @Test
    void framesGoToTyrusAsBytesEncodedOnceForEverySocket() {
        TyrusWebSocket other = new TyrusWebSocket();
        Outbox a = outbox(session(new Async(), List.of()));
        Outbox b = outbox(session(new Async(other), List.of()));
        assertSame(RawFrames.State.IN_USE, RawFrames.state());
        OutFrame shared = OutFrame.of("{\"type\":\"message\",\"text\":\"héllo\"}");
        a.enqueue(shared);
        a.pump();
        a.enqueue("{\"type\":\"ack\"}");
        a.pump();
        b.enqueue(shared);
        b.pump();
        assertEquals(List.of("{\"type\":\"message\",\"text\":\"héllo\"}", "{\"type\":\"ack\"}"),
                socket.frames.stream().map(RawFramesTest::read).toList());
        assertEquals(List.of("{\"type\":\"message\",\"text\":\"héllo\"}"), other.frames.stream().map(RawFramesTest::read).toList());
        assertTrue(sentAsText.isEmpty(), "nothing went through sendText");
        assertSame(socket.frames.get(0).array(), other.frames.get(0).array(), "one encoding for both sockets");
    }

    @Test
    void oneWriteAtATimeWhatWaitedGoesTogetherAndAFailedWriteDoesNotGoOn() {
        socket.completeAtOnce = false;
        Outbox o = outbox(session(new Async(), List.of()));
        o.enqueue("f1");
        o.pump();
        o.enqueue("f2");
        o.enqueue("f3");
        o.pump();
        assertEquals(List.of(List.of("f1")), socket.frames.stream().map(RawFramesTest::readAll).toList(), "the next waits for the first");
        socket.pending.get(0).complete(null);
        assertEquals(List.of(List.of("f1"), List.of("f2", "f3")), socket.frames.stream().map(RawFramesTest::readAll).toList(),
                "the frames that waited, in one write");
        o.enqueue("f4");
        socket.pending.get(1).completeExceptionally(new IOException("peer gone"));
        assertEquals(2, socket.frames.size(), "a failed write does not go on to the next (the socket is closing)");
    }

    /** The texts of the whole frames a write holds, in order. */
    private static List<String> readAll(ByteBuffer write) {
        ByteBuffer b = write.duplicate();
        List<String> texts = new java.util.ArrayList<>();
        while (b.hasRemaining()) {
            int start = b.position();
            b.get();
            int n = b.get();
            long length = n < 126 ? n : n == 126 ? b.getShort() & 0xFFFF : b.getLong();
            int end = b.position() + (int) length;
            texts.add(read(b.duplicate().position(start).limit(end).slice()));
            b.position(end);
        }
        return texts;
    }

    @Test
    void aSessionWithAnExtensionOrAnotherContainerKeepsSendText() {
        Extension deflate = (Extension) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Extension.class},
                (p, m, args) -> m.getName().equals("getName") ? "permessage-deflate" : null);
        assertNull(RawFrames.of(session(new Async(), List.of(deflate)), true), "compressed frames differ per socket");
        Outbox o = outbox(session(new Async(), List.of(deflate)));
        o.enqueue("plain");
        o.pump();
        assertEquals(List.of("plain"), sentAsText);
        assertTrue(socket.frames.isEmpty());

        FakeSession undertow = new FakeSession();
        assertNull(RawFrames.of(undertow.session, true));
        assertSame(RawFrames.State.NOT_TYRUS, RawFrames.state());
        Outbox portable = new Outbox(undertow.session, new Outbox.Limits(1 << 20, 1 << 20, true), x -> { });
        portable.enqueue("portable");
        portable.pump();
        assertEquals(List.of("portable"), undertow.sent);
        assertNull(RawFrames.of(session(new Async(), List.of()), false));
        assertSame(RawFrames.State.OFF, RawFrames.state());
    }
}
