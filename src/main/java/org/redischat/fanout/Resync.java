package org.redischat.fanout;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.concurrent.Daemons;
import org.redischat.connection.LocalSessions;
import org.redischat.history.Changes;
import org.redischat.history.MessageLog;
import org.redischat.wire.Json;
import org.redischat.wire.Message;
import org.redischat.wire.ServerFrame;

/**
 * The periodic comparison of this node's sockets with Redis: the newest id and epoch of every room a
 * local socket follows are read, and once every message published before that read has been offered
 * here, each socket of a room compares: one that is behind catches up, one that had another epoch is
 * closed with 1012. This catches what a lost or replaced subscription missed.
 *
 * <p>"Every message published before the read" is known by the probes: the comparison waits until a
 * probe sent after the read has passed the fan-out thread on every probe channel (a channel's
 * messages and its server's probe share one connection). Compared at once, a head would be ahead of
 * messages still on their way, and every socket of a busy room would read from Redis what it was
 * about to get anyway.
 *
 * <p>Changes to messages are compared the same way, per room for the whole node: the
 * newest change number this node has passed on ({@link #changeSeen}) against the room's in Redis; the
 * changes a lost subscription missed are read and sent to the room's sockets as {@code changed}
 * frames (a client keeps the state with the highest change number, so a late one does no harm).
 */
@ApplicationScoped
public class Resync {

    private static final Logger LOG = Logger.getLogger(Resync.class.getName());

    @Inject
    LocalSessions sessions;

    @Inject
    MessageLog log;

    @Inject
    Changes changes;

    /** Per followed room, the newest change number passed on to its sockets here (known from the first comparison on). */
    private final Map<String, Long> changesSeen = new ConcurrentHashMap<>();

    private final ExecutorService reader = Executors.newSingleThreadExecutor(Daemons.named("chat-change-resync"));

    /** Heads read at {@code readAt} (System.nanoTime), waiting for probe number {@code probe} to pass. */
    private record Pending(Map<String, MessageLog.Head> heads, long readAt, long probe) {
    }

    private volatile Pending pending;

    /** Reads the heads of the followed rooms now; they are compared once probe {@code nextProbe} has passed. */
    void read(long nextProbe) {
        try {
            long readAt = System.nanoTime();
            List<String> followed = sessions.rooms();
            changesSeen.keySet().retainAll(followed);
            if (!followed.isEmpty()) {
                pending = new Pending(log.heads(followed, null), readAt, nextProbe);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not compare local rooms with Redis: " + e.getMessage());
        }
    }

    /**
     * On the fan-out thread, after a probe passed: {@code passed} holds, per probe channel, the last
     * probe number passed there, and {@code channels} every probe channel. Compares when all passed.
     */
    void probesPassed(Map<String, Long> passed, Collection<String> channels) {
        Pending p = pending;
        if (p != null && passed.keySet().containsAll(channels) && passed.values().stream().allMatch(n -> n >= p.probe())) {
            pending = null;
            p.heads().forEach((room, head) -> {
                sessions.followersOf(room).forEach(c -> c.compare(room, head.epoch(), head.lastId(), p.readAt()));
                Long seen = changesSeen.putIfAbsent(room, head.change());
                if (seen != null && head.change() > seen) {
                    reader.execute(() -> catchUpChanges(room, seen, head.change()));
                }
            });
        }
    }

    /** On the fan-out thread: a {@code changed} frame of the room, of change number {@code change}, was passed on. */
    void changeSeen(String room, long change) {
        changesSeen.merge(room, change, Math::max);
    }

    /** Reads the room's changes after {@code seen} up to at least {@code upTo} and sends them to its sockets. */
    private void catchUpChanges(String room, long seen, long upTo) {
        try {
            long after = seen;
            while (after < upTo) {
                Changes.Page page = changes.after(room, after, 200);
                for (Message m : page.messages()) {
                    sessions.toRoom(room, Json.write(ServerFrame.MessageFrame.changed(m)));
                }
                after = page.upTo();
                changesSeen.merge(room, after, Math::max);
                if (!page.more()) {
                    break;
                }
            }
            LOG.info(() -> "changes of room " + room + " after " + seen + " read again: a subscription had missed them");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read the missed changes of room " + room + "; the next comparison tries again", e);
            changesSeen.computeIfPresent(room, (r, v) -> Math.min(v, seen));
        }
    }

    @PreDestroy
    void stop() {
        reader.shutdownNow();
    }
}
