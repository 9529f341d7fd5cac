package org.redischat.connection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one socket has been sent of each room, and what it may be sent next: every message of its
 * rooms once, in id order, without a gap, and never ids of two epochs of a room (its history lost
 * and begun again). Events that arrive while a room is being joined, or before the socket's
 * {@code welcome}, wait and go after the answer. A message beyond the next id holds the room back
 * while the missing ones are read. A room the socket does not follow (never welcomed, joined or
 * started, or forgotten since) has no cursor, and nothing of it goes out: not an event that was
 * already on its way when the room was forgotten, not one that waited for the {@code welcome}.
 *
 * <p>It only decides; what it decides goes to its {@link Sink}. Not thread-safe: the socket calls it
 * under its own lock, and the sink must not block. (About 250 lines: the whole state machine of a
 * socket's rooms, kept together so that its rules can be read and tested in one place.)
 */
final class RoomOrder {

    /** Where the decisions go. */
    interface Sink {
        /** Send this frame. */
        void send(OutFrame frame);

        /** Read messages {@code from}..{@code to} of the room; they come back by {@link #caughtUp}. */
        void fetch(String room, long from, long to);

        /** The room's history began anew while the socket had it open: the socket must go (1012). */
        void restarted(String room);
    }

    /** A room event; {@code id} is 0 for events that are not messages, which keep no order of their own. */
    record Event(String room, String epoch, long id, OutFrame frame) {
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

        void hold() {
            if (held == null) {
                held = new ArrayList<>();
            }
            holds++;
        }
    }

    private final Sink sink;
    private final Map<String, Cursor> rooms = new HashMap<>();
    /**
     * Per room, the membership version of the last change of this user's membership applied here; it
     * outlives the room's cursor, so a stale copy of an older change (a member_add still on its way
     * after a leave) is recognised and ignored.
     */
    private final Map<String, Long> memberVersions = new HashMap<>();
    private List<Event> beforeWelcome = new ArrayList<>();

    RoomOrder(Sink sink) {
        this.sink = sink;
    }

    private Cursor cursor(String room) {
        return rooms.computeIfAbsent(room, r -> new Cursor());
    }

    /**
     * An event of a room: sent, dropped (already sent, or of a room the socket does not follow), held,
     * or the cause of a catch-up or a restart. Only {@link #welcomed}, {@link #joining} and
     * {@link #startAt} make a room followed: an event never does.
     */
    void offer(Event e) {
        if (beforeWelcome != null) {
            beforeWelcome.add(e);
            return;
        }
        Cursor c = rooms.get(e.room());
        if (c == null) {
            return;
        }
        if (c.held != null) {
            c.held.add(e);
            return;
        }
        if (e.id() == 0) {
            sink.send(e.frame());
            return;
        }
        if (c.epoch != null && e.epoch() != null && !c.epoch.equals(e.epoch())) {
            sink.restarted(e.room()); // ids of two epochs must not meet here
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
            sink.fetch(e.room(), c.last + 1, e.id() - 1);
            return;
        }
        c.last = e.id();
        sink.send(e.frame());
    }

    /**
     * The socket's {@code welcome} went out: the rooms' cursors are set, then what came meanwhile for
     * the rooms it follows now; what came for any other room is dropped.
     */
    void welcomed(Map<String, Long> lastIds, Map<String, String> epochs) {
        lastIds.forEach((room, lastId) -> {
            Cursor c = cursor(room);
            c.last = lastId;
            c.setEpoch(epochs.get(room));
        });
        List<Event> early = beforeWelcome;
        beforeWelcome = null;
        early.forEach(this::offer);
    }

    /** Holds the room's events back until {@link #joined} or {@link #joinFailed}. */
    void joining(String room) {
        cursor(room).hold();
    }

    /**
     * The join's answer is about to go out: live messages go on after {@code lastId} of {@code epoch};
     * false when the room's history began anew while the socket had it open (the sink was told).
     * {@link #release} lets the held events go once the answer is sent.
     */
    boolean joined(String room, String epoch, long lastId) {
        Cursor c = cursor(room);
        if (c.epoch != null && !epoch.equals(c.epoch)) {
            // a rejoin included: the client reconnects and learns the loss with recovered:false
            sink.restarted(room);
            return false;
        }
        if (c.epoch == null) {
            c.setEpoch(epoch);
            c.last = lastId;
        } else {
            c.last = Math.max(c.last, lastId);
        }
        return true;
    }

    /** A join that failed, or whose answer went out: the held events go, if nothing else holds them. */
    void release(String room) {
        Cursor c = rooms.get(room);
        if (c == null) {
            return;
        }
        if (--c.holds > 0 || c.held == null) {
            c.holds = Math.max(c.holds, 0);
            return;
        }
        List<Event> held = c.held;
        c.held = null;
        held.forEach(this::offer);
    }

    /**
     * Records a change of this user's membership of the room with membership version {@code version};
     * false when a change as new or newer was already applied here (the caller then ignores it).
     */
    boolean advanceMembership(String room, long version) {
        Long seen = memberVersions.get(room);
        if (seen != null && seen >= version) {
            return false;
        }
        memberVersions.put(room, version);
        return true;
    }

    /** The membership version last applied for the room (0: none). */
    long membershipVersion(String room) {
        return memberVersions.getOrDefault(room, 0L);
    }

    /**
     * Following a room the socket was not told of by a join's answer: its messages go on after
     * {@code from} of {@code epoch}; those up to {@code upTo} are read now, later ones come live.
     */
    void startAt(String room, String epoch, long from, long upTo) {
        Cursor c = cursor(room);
        if (c.epoch != null || epoch == null || epoch.isEmpty()) {
            return;
        }
        c.setEpoch(epoch);
        c.last = from;
        if (upTo > from && c.held == null) {
            c.hold();
            sink.fetch(room, from + 1, upTo);
        }
    }

    /**
     * Missing messages read by a catch-up (as frames with their ids, in id order): sent after the
     * last, then what was held. What the read did not return up to {@code upTo} was trimmed away: the
     * room goes on after it rather than wait for ever.
     */
    void caughtUp(String room, String epoch, List<Event> missing, long upTo) {
        Cursor c = rooms.get(room);
        if (c == null) {
            return;
        }
        if (epoch.equals(c.epoch)) {
            for (Event m : missing) {
                if (m.id() > c.last) {
                    c.last = m.id();
                    sink.send(m.frame());
                }
            }
            c.last = Math.max(c.last, upTo);
        }
        release(room);
    }

    /**
     * The room's head in Redis, read at {@code readAt} (System.nanoTime): a message this socket never
     * got is read now; a new epoch restarts. A head read before the socket learned the room's epoch,
     * or while the room is held, says nothing.
     */
    void compare(String room, String epoch, long lastId, long readAt) {
        Cursor c = rooms.get(room);
        if (c == null || c.held != null || beforeWelcome != null || c.epoch == null || c.epochSince - readAt > 0) {
            return;
        }
        if (!c.epoch.equals(epoch)) {
            sink.restarted(room);
        } else if (c.last >= 0 && lastId > c.last) {
            c.hold();
            sink.fetch(room, c.last + 1, lastId);
        }
    }

    String epochOf(String room) {
        Cursor c = rooms.get(room);
        return c == null ? null : c.epoch;
    }

    /**
     * Forgets the room (after {@code leave}, a removal, a refused join): what is held of it or waits
     * for the welcome is dropped, and later events of it are too. Its membership version stays.
     */
    void forget(String room) {
        rooms.remove(room);
        if (beforeWelcome != null) {
            beforeWelcome.removeIf(e -> e.room().equals(room));
        }
    }

    /** True while the room has a cursor here: its events may go out. */
    boolean follows(String room) {
        return rooms.containsKey(room);
    }
}
