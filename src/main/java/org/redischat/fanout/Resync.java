package org.redischat.fanout;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.connection.LocalSessions;
import org.redischat.history.MessageLog;

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
 */
@ApplicationScoped
public class Resync {

    private static final Logger LOG = Logger.getLogger(Resync.class.getName());

    @Inject
    LocalSessions sessions;

    @Inject
    MessageLog log;

    /** Heads read at {@code readAt} (System.nanoTime), waiting for probe number {@code probe} to pass. */
    private record Pending(Map<String, MessageLog.Head> heads, long readAt, long probe) {
    }

    private volatile Pending pending;

    /** Reads the heads of the followed rooms now; they are compared once probe {@code nextProbe} has passed. */
    void read(long nextProbe) {
        try {
            long readAt = System.nanoTime();
            List<String> followed = sessions.rooms();
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
            p.heads().forEach((room, head) -> sessions.followersOf(room)
                    .forEach(c -> c.compare(room, head.epoch(), head.lastId(), p.readAt())));
        }
    }
}
