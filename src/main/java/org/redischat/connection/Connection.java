package org.redischat.connection;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import org.redischat.tyrus.RawFrames;
import org.redischat.wire.Message;
import org.redischat.wire.Json;
import org.redischat.wire.ServerFrame;

/**
 * One open socket: its user and token, its outbox, its lifecycle (heard, pinged, closing, gone), and
 * the order of its rooms' events ({@link RoomOrder}), which decides under this socket's lock what
 * goes out. It is the socket's whole face to the layers above: most methods are a locked call of
 * {@link RoomOrder} followed by a pump of the outbox, outside the lock.
 */
public final class Connection {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    static {
        // the close path's classes load with the first socket: a class first needed while the
        // application stops may no longer load (Payara Micro threw NoClassDefFoundError for
        // CloseFrames in a drain, and the clients saw 1006 instead of 1001)
        CloseFrames.encode(CloseReason.CloseCodes.GOING_AWAY.getCode(), "");
        RawFrames.loadCloser();
    }

    private final String id;
    private final String user;
    private final String tokenHash;
    private final Session session;
    private final Outbox outbox;
    private final Catchup catchup;
    private final Executor closer;
    /** The frame budget of this socket's user on this node, and this socket's frames dropped in the current second. */
    private final FrameRate frames;
    private long dropSecond;
    private int dropsThisSecond;
    /** What the socket was sent of each room; guarded by this connection's lock. */
    private final RoomOrder order;
    private volatile boolean closed;
    /** When the server started closing the socket (System.nanoTime), 0 before. */
    private volatile long closingSince;
    /** The code and reason of the close frame sent, once sent without the container's close. */
    private volatile CloseReason closeReason;
    private volatile boolean gone;
    private volatile long lastHeard = System.nanoTime();
    /** The users this socket's user blocks, and those who block them: their typing and presence stay away. */
    private final java.util.Set<String> blocks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> blockedBy = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The previous frame's work still under way in Redis (a send), or null: the next frame waits for it. */
    private volatile java.util.concurrent.CompletableFuture<?> inFlight;

    Connection(String id, String user, String tokenHash, Session session, Outbox.Limits limits, Catchup catchup,
            Executor closer, FrameRate frames) {
        this.frames = frames;
        this.id = id;
        this.user = user;
        this.tokenHash = tokenHash;
        this.session = session;
        this.catchup = catchup;
        this.closer = closer;
        this.outbox = new Outbox(session, limits,
                o -> closeLater(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too slow: outbound queue full"));
        this.order = new RoomOrder(new RoomOrder.Sink() {
            @Override
            public void send(OutFrame frame) {
                outbox.enqueue(frame);
            }

            @Override
            public void fetch(String room, long from, long to) {
                catchup.fetch(Connection.this, room, from, to);
            }

            @Override
            public void restarted(String room) {
                closeLater(CloseReason.CloseCodes.SERVICE_RESTART, "room history restarted");
            }
        });
    }

    public String id() {
        return id;
    }

    public String user() {
        return user;
    }

    public String tokenHash() {
        return tokenHash;
    }

    /** The blocks of this socket's user as Redis holds them (read at the welcome). */
    public void blocking(java.util.Collection<String> blocked, java.util.Collection<String> blockers) {
        blocks.addAll(blocked);
        blockedBy.addAll(blockers);
    }

    /** {@code blocker} now blocks {@code blocked} ({@code on}), or no longer does; only what concerns this user counts. */
    public void blockChanged(String blocker, String blocked, boolean on) {
        if (user.equals(blocker)) {
            if (on) {
                blocks.add(blocked);
            } else {
                blocks.remove(blocked);
            }
        }
        if (user.equals(blocked)) {
            if (on) {
                blockedBy.add(blocker);
            } else {
                blockedBy.remove(blocker);
            }
        }
    }

    /** True when this socket's user blocks {@code other} or is blocked by them: their signals are not shown here. */
    public boolean avoids(String other) {
        return blocks.contains(other) || blockedBy.contains(other);
    }

    /** The peer's pong: it has read what it was sent before the ping. */
    public void pong(java.nio.ByteBuffer data) {
        heard();
        outbox.pong(data);
    }

    /**
     * Takes a frame the peer sent from its user's frame budget on this node: true when it may be read;
     * false when it is to be dropped unread (the client is told once a second). A frame of
     * {@code chars} characters weighs 1 and 1 more per 4 KiB. A socket that has more weight dropped in
     * one second than the budget's burst is closed with 1008. Only the container
     * thread of this socket calls it, one frame at a time.
     */
    public boolean frameAllowed(int chars) {
        int weight = FrameRate.weight(chars);
        if (frames.take(weight)) {
            return true;
        }
        long second = System.nanoTime() / 1_000_000_000L;
        if (second != dropSecond) {
            dropSecond = second;
            dropsThisSecond = 0;
        }
        dropsThisSecond += weight;
        if (dropsThisSecond > frames.burst()) {
            // a flood, not a burst: every frame costs reading and unmasking it, dropped or not
            closeLater(CloseReason.CloseCodes.VIOLATED_POLICY, "too many frames");
        } else if (frames.firstDropThisSecond()) {
            send(new ServerFrame.Error("rate_limited", "too many frames: some were dropped unread; slow down", null));
        }
        return false;
    }

    /** The peer sent something (a frame or a pong): it is alive. */
    public void heard() {
        lastHeard = System.nanoTime();
    }

    /**
     * Waits until the previous frame of this socket is done (its answer handed to the outbox), so that
     * the socket's frames take effect, and are answered, in the order they came. Only container threads
     * call it, one frame of a socket at a time.
     */
    public void awaitPrevious() {
        java.util.concurrent.CompletableFuture<?> f = inFlight;
        if (f != null) {
            inFlight = null;
            try {
                f.join();
            } catch (RuntimeException reportedAlready) {
                // its failure was answered to the client by whoever completed it
            }
        }
    }

    /** A frame whose work goes on after the container thread returned: the next frame waits for {@code done}. */
    public void inFlight(java.util.concurrent.CompletableFuture<?> done) {
        inFlight = done.isDone() ? null : done;
    }

    /** When the peer last sent anything (System.nanoTime). */
    long lastHeard() {
        return lastHeard;
    }

    /** Asks an idle peer for a pong (keep-alive; also carries the outbox's read confirmation). */
    void ping() {
        outbox.keepAlive();
    }

    /** Sends a frame that belongs to no room's order (ack, error, answers). */
    public void send(ServerFrame frame) {
        outbox.enqueue(frame instanceof ServerFrame.Ack ack ? ack.json() : Json.write(frame));
        outbox.pump();
    }

    /** A room event for this socket; {@code id} > 0 for a message, 0 for other events. */
    public void offer(String room, String epoch, long msgId, String frame) {
        offer(room, epoch, msgId, OutFrame.of(frame));
    }

    /** As above, for a frame that goes to many sockets (sized and encoded once for all). */
    void offer(String room, String epoch, long msgId, OutFrame frame) {
        synchronized (this) {
            order.offer(new RoomOrder.Event(room, epoch, msgId, frame));
        }
        if (!Batch.putOff(outbox)) {
            outbox.pump();
        }
    }

    /** Sends {@code welcome}, sets the rooms' cursors, then what came meanwhile. */
    public void welcome(ServerFrame.Welcome welcome, Map<String, String> epochs) {
        Map<String, Long> lastIds = new HashMap<>();
        welcome.rooms().forEach(r -> lastIds.put(r.room(), r.lastId()));
        synchronized (this) {
            outbox.enqueue(Json.write(welcome));
            order.welcomed(lastIds, epochs);
        }
        outbox.pump();
    }

    /** Holds the room's events back until {@link #joined} has sent the answer. */
    public void joining(String room) {
        synchronized (this) {
            order.joining(room);
        }
    }

    /**
     * Sends {@code joined}, then {@code memberAdd} (the frame announcing this user as a new member; null
     * when they were one already) unless a member_add of this version was already offered; live messages
     * go on after {@code lastId}. A socket that had the room in another epoch is closed with 1012 instead.
     */
    public void joined(String room, String epoch, long lastId, long version, ServerFrame answer, String memberAdd) {
        synchronized (this) {
            if (!order.joined(room, epoch, lastId)) {
                return;
            }
            outbox.enqueue(Json.write(answer));
            if (order.advanceMembership(room, version) && memberAdd != null) {
                outbox.enqueue(memberAdd);
            }
            order.release(room);
        }
        outbox.pump();
    }

    /**
     * Records a change of this user's membership of the room with membership version {@code version};
     * false when a change as new or newer was already applied here (the caller then ignores it).
     */
    public boolean advanceMembership(String room, long version) {
        synchronized (this) {
            return order.advanceMembership(room, version);
        }
    }

    /** The membership version last applied for the room (0: none). */
    public long membershipVersion(String room) {
        synchronized (this) {
            return order.membershipVersion(room);
        }
    }

    /**
     * The socket starts following a room it was not told of by a join's answer (another socket or node
     * of the user joined): its messages go on after {@code from} of {@code epoch}; those up to
     * {@code upTo} (the room's newest id once this node was subscribed to it) are read from Redis now,
     * since they may have been published before; later ones come live.
     */
    public void startAt(String room, String epoch, long from, long upTo) {
        synchronized (this) {
            order.startAt(room, epoch, from, upTo);
        }
    }

    /** A join that failed: let the held events go. */
    public void joinFailed(String room) {
        synchronized (this) {
            order.release(room);
        }
        outbox.pump();
    }

    /** Missing messages read by a catch-up; sends them in order, then what was held. */
    public void caughtUp(String room, String epoch, List<Message> missing, long upTo) {
        List<RoomOrder.Event> frames = new ArrayList<>(missing.size());
        for (Message m : missing) {
            String frame = Json.write(new ServerFrame.MessageFrame(m));
            frames.add(new RoomOrder.Event(room, epoch, m.id(), OutFrame.of(frame)));
        }
        synchronized (this) {
            order.caughtUp(room, epoch, frames, upTo);
        }
        outbox.pump();
    }

    /**
     * The missing messages could not be read (Redis timed out): the socket cannot go on without a gap,
     * so it is closed; the client reconnects and catches up with {@code since} (docs/PROTOCOL.md: never a
     * silent gap).
     */
    public void catchUpFailed(String room) {
        closeLater(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "missed messages of " + room
                + " could not be read; reconnect and join with since");
    }

    /**
     * The room's head in Redis, read (at {@code readAt}, System.nanoTime) by a periodic check or after
     * a re-subscription: a message this socket never got is read now; a new epoch (history lost)
     * closes the socket with 1012. A head read before the socket joined the room says nothing about it.
     */
    public void compare(String room, String epoch, long lastId, long readAt) {
        synchronized (this) {
            order.compare(room, epoch, lastId, readAt);
        }
    }

    public String epochOf(String room) {
        synchronized (this) {
            return order.epochOf(room);
        }
    }

    /** Stops this socket's events of a room (after {@code leave}). */
    void forget(String room) {
        synchronized (this) {
            order.forget(room);
        }
    }

    /** True once the server started closing the socket: what the peer still sends is dropped unread (RFC 6455 §5.5.1). */
    public boolean isClosing() {
        return closed;
    }

    /** True once the socket closed and left the registry. */
    public boolean isGone() {
        return gone;
    }

    /** The registry let the socket go: nothing more is offered to it, and it is closing or closed. */
    void markGone() {
        gone = true;
        closed = true;
    }

    /** Closes with a protocol code, off the caller's thread (a close may block on a slow peer). */
    public void closeLater(CloseReason.CloseCode code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        closingSince = System.nanoTime();
        closer.execute(() -> close(code, reason));
    }

    /**
     * True if the server started closing the socket more than {@code grace} nanoseconds before
     * {@code now} (a peer that reads nothing may never take the close frame; its registry entry and
     * its presence must not wait for it).
     */
    boolean closingLongerThan(long grace, long now) {
        long since = closingSince;
        return since != 0 && now - since > grace;
    }

    private void close(CloseReason.CloseCode code, String reason) {
        closed = true;
        RawFrames.Sender sender = RawFrames.closer(session);
        if (sender != null) {
            // Tyrus's own close ends the connection as soon as its close frame is queued; this one
            // waits for the peer's close, or the grace (KeepAlive then calls abort)
            closeReason = new CloseReason(code, reason);
            outbox.finish(CloseFrames.encode(code.getCode(), reason), sender);
            return;
        }
        closeNow(new CloseReason(code, reason));
    }

    /**
     * Ends the connection now, with the container's own close: for a peer that did not answer the
     * close frame within the grace, or that answers nothing at all (no pong), and will read no more.
     */
    void abort(CloseReason.CloseCode code, String reason) {
        closed = true;
        if (closingSince == 0) {
            closingSince = System.nanoTime();
        }
        CloseReason why = closeReason != null ? closeReason : new CloseReason(code, reason);
        closer.execute(() -> closeNow(why));
    }

    private void closeNow(CloseReason why) {
        try {
            session.close(why);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "close of socket " + id + " failed", e);
        }
    }
}
