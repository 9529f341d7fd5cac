package org.redischat.connection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.redischat.tyrus.RawFrames;

import jakarta.websocket.Session;

/**
 * One socket's outbound frames: a bounded queue drained by one asynchronous send at a time, so a
 * slow socket only fills its own queue. Past the bound, {@code overflow} is called once.
 *
 * <p>The container's own write queue is not trusted to push back (the async send completes when
 * the frame is queued in the container, which then holds megabytes for a peer that does not read):
 * at most {@code window} bytes are handed over that the peer has not confirmed. The confirmation
 * is WebSocket's own: a ping carrying the count of bytes handed over before it, answered by the
 * peer's pong once it has read them. Every client answers pings (RFC 6455), browsers included.
 */
final class Outbox {

    private final Session session;
    /** Tyrus's raw frame send for this socket, or null: {@code sendText}. */
    private final RawFrames.Sender raw;
    private final long maxQueued;
    private final long window;
    private final Consumer<Outbox> overflow;
    private final Queue<OutFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicBoolean pinging = new AtomicBoolean();
    private volatile long handedOver;
    private volatile long confirmed;
    private volatile Thread pumping;
    /** The close frame, once the socket is closing: the last frame sent, after the one under way. */
    private volatile ByteBuffer closing;
    private volatile RawFrames.Sender closer;
    private final AtomicBoolean closeSent = new AtomicBoolean();

    /**
     * Bytes a socket may have waiting in its queue, and bytes handed over but not confirmed by a pong;
     * whether frames may go to the container as bytes encoded once ({@link RawFrames}).
     */
    record Limits(long maxQueued, long window, boolean rawFrames) {
    }

    /**
     * Frames waiting for a raw send go to the container together, as one write of at most this many
     * bytes: a socket that fell behind (a burst of joins, a busy node) catches up in few writes, not
     * one system call per frame.
     */
    static final int COALESCE_BYTES = 64 * 1024;

    Outbox(Session session, Limits limits, Consumer<Outbox> overflow) {
        this(session, RawFrames.of(session, limits.rawFrames()), limits, overflow);
    }

    Outbox(Session session, RawFrames.Sender raw, Limits limits, Consumer<Outbox> overflow) {
        this.session = session;
        this.raw = raw;
        this.maxQueued = limits.maxQueued();
        this.window = limits.window();
        this.overflow = overflow;
    }

    /** Queues a frame; {@link #pump()} sends it. Safe to call under a lock: it never writes. */
    void enqueue(String frame) {
        enqueue(OutFrame.of(frame));
    }

    /** As above, for a frame that may go to other sockets too (its size counted, its bytes encoded, once). */
    void enqueue(OutFrame frame) {
        if (overflowed.get()) {
            return;
        }
        if (queued.addAndGet(frame.bytes()) > maxQueued) {
            if (overflowed.compareAndSet(false, true)) {
                queue.clear();
                overflow.accept(this);
            }
            return;
        }
        queue.add(frame);
    }

    /** Starts sending queued frames, if no send is under way. Never call it under a lock. */
    void pump() {
        if (pumping == Thread.currentThread()) {
            return; // a send completed inside our own sendText: the loop below goes on
        }
        while (!overflowed.get() && closing == null && sending.compareAndSet(false, true)) {
            if (handedOver - confirmed >= window) {
                // the peer has not read what it was given: wait for its pong, which pumps again
                release();
                ping();
                if (handedOver - confirmed >= window) {
                    return;
                }
                continue;
            }
            OutFrame next = queue.poll();
            if (next == null) {
                release();
                if (queue.isEmpty()) {
                    return;
                }
                continue;
            }
            if (!(raw != null ? sendRaw(next) : send(next))) {
                return;
            }
        }
    }

    /**
     * The frame and those queued behind it in one raw write, up to {@link #COALESCE_BYTES}, each added
     * while what is handed over unconfirmed is under the window (the rule {@link #pump()} keeps per frame).
     */
    private boolean sendRaw(OutFrame first) {
        byte[] one = first.wire();
        long size = first.bytes();
        int length = one.length;
        List<byte[]> more = null;
        for (OutFrame f; (f = queue.peek()) != null && length + f.wire().length <= COALESCE_BYTES
                && handedOver + size - confirmed < window;) {
            queue.poll(); // the one peeked: this thread holds the send turn, the only one that takes
            if (more == null) {
                more = new ArrayList<>();
            }
            more.add(f.wire());
            size += f.bytes();
            length += f.wire().length;
        }
        ByteBuffer wire;
        if (more == null) {
            wire = ByteBuffer.wrap(one);
        } else {
            wire = ByteBuffer.allocate(length).put(one);
            more.forEach(wire::put);
            wire.flip();
        }
        handedOver += size;
        long sent = size;
        return handOver(sent, () -> raw.send(wire).whenComplete((done, failure) -> sent(sent, failure == null)));
    }

    private boolean send(OutFrame frame) {
        long size = frame.bytes();
        handedOver += size;
        return handOver(size, () -> session.getAsyncRemote().sendText(frame.text(), result -> sent(size, result.isOK())));
    }

    /** Starts a send of {@code size} bytes; false when the socket is closing (nothing more goes). */
    private boolean handOver(long size, Runnable start) {
        pumping = Thread.currentThread();
        try {
            start.run();
            return true;
        } catch (RuntimeException e) {
            // the socket is closing; its close handler unregisters it
            release();
            return false;
        } catch (Error e) {
            if (!(e.getCause() instanceof java.nio.charset.CharacterCodingException)) {
                throw e;
            }
            // Tyrus throws an Error for a string that is not valid UTF-16; input is checked for that,
            // so this is a defect: drop the frame, keep the socket and the thread that called us
            java.util.logging.Logger.getLogger(Outbox.class.getName()).warning("a frame that cannot be encoded was dropped");
            queued.addAndGet(-size);
            release();
            return true;
        } finally {
            pumping = null;
        }
    }

    private void sent(long size, boolean ok) {
        queued.addAndGet(-size);
        release();
        if (ok && closing == null) {
            if (handedOver - confirmed > window / 4) {
                ping(); // ask early, so that a reading peer never waits for the window
            }
            pump();
        }
    }

    /** A keep-alive ping, whether or not one is outstanding (an unanswered one is what it checks). */
    void keepAlive() {
        pinging.set(false);
        ping();
    }

    /**
     * Ends the socket's frames with its close frame (RFC 6455 §7.1.1): sent through {@code closer}
     * after the frame under way, if any, and nothing after it, neither frames nor pings. The connection
     * stays open: the peer reads up to the close frame, answers with its own, and the container then
     * ends the connection; a pong the peer sends meanwhile meets an open socket, not a reset that would
     * discard the close frame before the peer reads it.
     */
    void finish(ByteBuffer closeFrame, RawFrames.Sender closer) {
        this.closer = closer;
        this.closing = closeFrame;
        sendClose();
    }

    /** Nothing under way any more: the close frame goes now if the socket is closing. */
    private void release() {
        sending.set(false);
        if (closing != null) {
            sendClose();
        }
    }

    private void sendClose() {
        // takes the send turn for good: no frame can follow the close frame
        if (sending.compareAndSet(false, true) && closeSent.compareAndSet(false, true)) {
            try {
                closer.send(closing);
            } catch (RuntimeException e) {
                // the connection is gone already; its close handler unregisters the socket
            }
        }
    }

    /** Asks the peer to confirm what it has read so far; one ping at a time. */
    private void ping() {
        if (closing != null || !pinging.compareAndSet(false, true)) {
            return;
        }
        try {
            session.getAsyncRemote().sendPing(ByteBuffer.wrap(Long.toString(handedOver).getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            pinging.set(false); // the socket is closing
        }
    }

    /** The peer's pong: it has read every byte handed over before the ping it answers. */
    void pong(ByteBuffer data) {
        long read;
        try {
            read = Long.parseLong(StandardCharsets.US_ASCII.decode(data).toString());
        } catch (NumberFormatException e) {
            return; // an unsolicited pong (allowed by RFC 6455) confirms nothing
        }
        if (read > confirmed && read <= handedOver) {
            confirmed = read;
        }
        pinging.set(false);
        pump();
    }
}
