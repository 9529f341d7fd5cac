package org.redischat.connection;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import org.redischat.wire.Message;
import org.redischat.wire.Json;
import org.redischat.wire.ServerFrame;

/**
 * One open socket: its user, its outbox, and per room the last message id it was sent, so that each
 * socket receives every message of its rooms once, in id order, without a gap. Events that arrive
 * while a room is being joined (or before {@code welcome}) wait and are sent after the answer.
 */
public final class Connection {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    /** A room event; {@code bytes} is the frame's UTF-8 size, counted once for all the sockets it goes to. */
    private record Event(String room, String epoch, long id, String frame, long bytes) {
    }

    /** Per room: epoch and last id sent (-1: not known yet), and the events held back. */
    private static final class Cursor {
        String epoch;
        /** When the socket learned the epoch (System.nanoTime): heads read before that are older than it. */
        long epochSince;
        long last = -1;
        List<Event> held;
        int holds;

        void setEpoch(String e) {
            if (e != null && !e.equals(epoch)) {
                epochSince = System.nanoTime();
            }
            epoch = e;
        }
    }

    private final String id;
    private final String user;
    private final String tokenHash;
    private final Session session;
    private final Outbox outbox;
    private final Catchup catchup;
    private final Executor closer;
    private final Map<String, Cursor> rooms = new HashMap<>();
    /**
     * Per room, the membership version of the last change of this user's membership applied here; it
     * outlives the room's cursor, so a stale copy of an older change (a member_add still on its way
     * after a leave) is recognised and ignored.
     */
    private final Map<String, Long> memberVersions = new HashMap<>();
    private List<Event> beforeWelcome = new ArrayList<>();
    /** The rooms whose events {@link LocalSessions} routes to this socket; empty once it is gone. */
    private final Set<String> followed = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** When the server started closing the socket (System.nanoTime), 0 before. */
    private volatile long closingSince;
    private volatile boolean gone;
    private volatile long lastHeard = System.nanoTime();

    Connection(String id, String user, String tokenHash, Session session, Outbox.Limits limits, Catchup catchup,
            Executor closer) {
        this.id = id;
        this.user = user;
        this.tokenHash = tokenHash;
        this.session = session;
        this.catchup = catchup;
        this.closer = closer;
        this.outbox = new Outbox(session, limits,
                o -> closeLater(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too slow: outbound queue full"));
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

    /** The peer's pong: it has read what it was sent before the ping. */
    public void pong(java.nio.ByteBuffer data) {
        heard();
        outbox.pong(data);
    }

    /** The peer sent something (a frame or a pong): it is alive. */
    public void heard() {
        lastHeard = System.nanoTime();
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
        offer(room, epoch, msgId, frame, Outbox.bytes(frame));
    }

    /** As above, with the frame's UTF-8 size already counted (the same frame goes to many sockets). */
    public void offer(String room, String epoch, long msgId, String frame, long bytes) {
        synchronized (this) {
            offerLocked(new Event(room, epoch, msgId, frame, bytes));
        }
        outbox.pump();
    }

    private void offerLocked(Event e) {
        if (beforeWelcome != null) {
            beforeWelcome.add(e);
            return;
        }
        Cursor c = rooms.computeIfAbsent(e.room(), r -> new Cursor());
        if (c.held != null) {
            c.held.add(e);
            return;
        }
        if (e.id() == 0) {
            outbox.enqueue(e.frame(), e.bytes());
            return;
        }
        if (c.epoch != null && e.epoch() != null && !c.epoch.equals(e.epoch())) {
            // the room's history was lost and restarted: ids of two epochs must not meet here
            closeLater(CloseReason.CloseCodes.SERVICE_RESTART, "room history restarted");
            return;
        }
        if (c.epoch == null) {
            c.setEpoch(e.epoch()); // otherwise equal, as just checked
        }
        if (c.last >= 0 && e.id() <= c.last) {
            return;
        }
        if (c.last >= 0 && e.id() > c.last + 1) {
            c.held = new ArrayList<>(List.of(e));
            c.holds++;
            catchup.fetch(this, e.room(), c.last + 1, e.id() - 1);
            return;
        }
        c.last = e.id();
        outbox.enqueue(e.frame(), e.bytes());
    }

    /** Sends {@code welcome}, sets the rooms' cursors, then what came meanwhile. */
    public void welcome(ServerFrame.Welcome welcome, Map<String, String> epochs) {
        synchronized (this) {
            outbox.enqueue(Json.write(welcome));
            for (ServerFrame.RoomState r : welcome.rooms()) {
                Cursor c = rooms.computeIfAbsent(r.room(), k -> new Cursor());
                c.last = r.lastId();
                c.setEpoch(epochs.get(r.room()));
            }
            List<Event> early = beforeWelcome;
            beforeWelcome = null;
            early.forEach(this::offerLocked);
        }
        outbox.pump();
    }

    /** Holds the room's events back until {@link #joined} has sent the answer. */
    public void joining(String room) {
        synchronized (this) {
            Cursor c = rooms.computeIfAbsent(room, r -> new Cursor());
            if (c.held == null) {
                c.held = new ArrayList<>();
            }
            c.holds++;
        }
    }

    /**
     * Sends {@code joined}, then {@code memberAdd} (the frame announcing this user as a new member; null
     * when they were one already) unless a member_add of this version was already offered; live messages
     * go on after {@code lastId}.
     */
    public void joined(String room, String epoch, long lastId, long version, ServerFrame answer, String memberAdd) {
        synchronized (this) {
            Cursor c = rooms.computeIfAbsent(room, r -> new Cursor());
            if (c.epoch != null && !epoch.equals(c.epoch)) {
                // the room's history was lost while this socket had it open: ids of two epochs must not
                // meet here, a rejoin included; the client reconnects and learns it with recovered:false
                closeLater(CloseReason.CloseCodes.SERVICE_RESTART, "room history restarted");
                return;
            }
            if (c.epoch == null) {
                c.setEpoch(epoch);
                c.last = lastId;
            } else {
                c.last = Math.max(c.last, lastId);
            }
            outbox.enqueue(Json.write(answer));
            if (advanceMembership(room, version) && memberAdd != null) {
                outbox.enqueue(memberAdd);
            }
            release(c);
        }
        outbox.pump();
    }

    /**
     * Records a change of this user's membership of the room with membership version {@code version};
     * false when a change as new or newer was already applied here (the caller then ignores it).
     */
    public boolean advanceMembership(String room, long version) {
        synchronized (this) {
            Long seen = memberVersions.get(room);
            if (seen != null && seen >= version) {
                return false;
            }
            memberVersions.put(room, version);
            return true;
        }
    }

    /** The membership version last applied for the room (0: none). */
    public long membershipVersion(String room) {
        synchronized (this) {
            return memberVersions.getOrDefault(room, 0L);
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
            Cursor c = rooms.computeIfAbsent(room, r -> new Cursor());
            if (c.epoch != null || epoch == null || epoch.isEmpty()) {
                return;
            }
            c.setEpoch(epoch);
            c.last = from;
            if (upTo > from && c.held == null) {
                c.held = new ArrayList<>();
                c.holds++;
                catchup.fetch(this, room, from + 1, upTo);
            }
        }
    }

    /** A join that failed: let the held events go. */
    public void joinFailed(String room) {
        synchronized (this) {
            Cursor c = rooms.get(room);
            if (c != null) {
                release(c);
            }
        }
        outbox.pump();
    }

    /** Missing messages read by a catch-up; sends them in order, then what was held. */
    public void caughtUp(String room, String epoch, List<Message> missing, long upTo) {
        synchronized (this) {
            Cursor c = rooms.get(room);
            if (c == null) {
                return;
            }
            if (epoch.equals(c.epoch)) {
                for (Message m : missing) {
                    if (m.id() > c.last) {
                        c.last = m.id();
                        outbox.enqueue(Json.write(new ServerFrame.MessageFrame(m)));
                    }
                }
                // what the read did not return was trimmed away: go on after it rather than wait forever
                c.last = Math.max(c.last, upTo);
            }
            release(c);
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
            Cursor c = rooms.get(room);
            if (c == null || c.held != null || beforeWelcome != null || c.epoch == null
                    || c.epochSince - readAt > 0) {
                return;
            }
            if (!c.epoch.equals(epoch)) {
                closeLater(CloseReason.CloseCodes.SERVICE_RESTART, "room history restarted");
            } else if (c.last >= 0 && lastId > c.last) {
                c.held = new ArrayList<>();
                c.holds++;
                catchup.fetch(this, room, c.last + 1, lastId);
            }
        }
    }

    public String epochOf(String room) {
        synchronized (this) {
            Cursor c = rooms.get(room);
            return c == null ? null : c.epoch;
        }
    }

    private void release(Cursor c) {
        if (--c.holds > 0 || c.held == null) {
            c.holds = Math.max(c.holds, 0);
            return;
        }
        List<Event> held = c.held;
        c.held = null;
        held.forEach(this::offerLocked);
    }

    /** Stops this socket's events of a room (after {@code leave}). */
    void forget(String room) {
        synchronized (this) {
            rooms.remove(room);
        }
    }

    /** Records that the socket follows the room. */
    void follow(String room) {
        followed.add(room);
    }

    /** True while the socket gets the room's events. */
    public boolean follows(String room) {
        return followed.contains(room);
    }

    /** True once the socket closed and left its rooms. */
    boolean isGone() {
        return gone;
    }

    void unfollow(String room) {
        followed.remove(room);
    }

    /** Marks the socket gone and hands back the rooms it followed, so they stop routing to it. */
    Set<String> leaveAll() {
        gone = true;
        closed = true;
        Set<String> rooms = Set.copyOf(followed);
        followed.clear();
        return rooms;
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
        try {
            session.close(new CloseReason(code, reason));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "close of socket " + id + " failed", e);
        }
    }
}
