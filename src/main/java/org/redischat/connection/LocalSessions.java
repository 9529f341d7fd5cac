package org.redischat.connection;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.history.Message;
import org.redischat.history.MessageLog;
import org.redischat.members.Presence;

/**
 * This node's open sockets, by user and by room. Room events from the bus come here once per node
 * and go, as one prepared string, to every local socket of the room's members.
 */
@ApplicationScoped
public class LocalSessions {

    private static final Logger LOG = Logger.getLogger(LocalSessions.class.getName());
    /** Reads of missing messages before the socket is closed instead (it must not skip them). */
    private static final int CATCH_UP_ATTEMPTS = 2;
    private static final long CATCH_UP_RETRY_MILLIS = 500;

    @Inject
    MessageLog log;

    @Inject
    Presence presence;

    @Inject
    @ConfigProperty(name = "chat.socket.max-queued-bytes", defaultValue = "1048576")
    long maxQueued;

    @Inject
    @ConfigProperty(name = "chat.socket.unconfirmed-bytes", defaultValue = "262144")
    long unconfirmed;

    @Inject
    @ConfigProperty(name = "chat.socket.max-per-user", defaultValue = "20")
    int maxPerUser;

    private final String node = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong counter = new AtomicLong();
    private final Map<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<Connection>> byRoom = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chat-sockets");
        t.setDaemon(true);
        return t;
    });

    /**
     * A new socket of a user, not yet welcomed: events for it are held until {@code welcome}. Null
     * when the user already holds {@code chat.socket.max-per-user} sockets on this node.
     */
    Connection open(String user, String tokenHash, Session session) {
        Connection c = new Connection(node + "-" + counter.incrementAndGet(), user, tokenHash, session,
                new Outbox.Limits(maxQueued, unconfirmed), this::catchUp, background);
        boolean[] admitted = {false};
        byUser.compute(user, (u, set) -> {
            Set<Connection> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            if (s.size() < maxPerUser) {
                admitted[0] = s.add(c);
            }
            return s.isEmpty() ? null : s;
        });
        if (!admitted[0]) {
            return null;
        }
        presence.changed(user);
        return c;
    }

    void close(Connection c) {
        byUser.computeIfPresent(c.user(), (u, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
        c.leaveAll().forEach(room -> byRoom.computeIfPresent(room, (r, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        }));
        presence.changed(c.user());
    }

    /** This node's id, as known to the other nodes. */
    public String node() {
        return node;
    }

    /** True while the user has a socket open on this node. */
    public boolean hasUser(String user) {
        return byUser.containsKey(user);
    }

    public Set<String> users() {
        return Set.copyOf(byUser.keySet());
    }

    /** From now on, the socket gets the room's events. */
    public void subscribe(Connection c, String room) {
        c.follow(room);
        byRoom.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(c);
        if (c.isGone()) { // closed meanwhile: close() may have missed this room
            unsubscribe(c, room);
        }
    }

    /** The socket gets no more of the room's events. */
    public void unsubscribe(Connection c, String room) {
        c.unfollow(room);
        byRoom.computeIfPresent(room, (r, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
        c.forget(room);
    }

    /** A message or other event of a room, for the local sockets of its members. */
    public void deliver(String room, String epoch, long id, String frame) {
        offerToRoom(room, epoch, id, frame, c -> true);
    }

    /** The frame to the room's local sockets that {@code to} accepts; its UTF-8 size counted once for all. */
    private void offerToRoom(String room, String epoch, long id, String frame, Predicate<Connection> to) {
        Set<Connection> set = byRoom.get(room);
        if (set != null) {
            long bytes = Outbox.bytes(frame);
            set.forEach(c -> {
                if (to.test(c)) {
                    c.offer(room, epoch, id, frame, bytes);
                }
            });
        }
    }

    /** A user became a member: their sockets here follow the room, then everyone here is told. */
    public void memberAdded(String room, String user, String frame) {
        byUser.getOrDefault(user, Set.of()).forEach(c -> subscribe(c, room));
        deliver(room, null, 0, frame);
    }

    /** A user left: everyone here but the leaving socket is told, then the user's sockets stop following. */
    public void memberRemoved(String room, String user, String origin, String frame) {
        offerToRoom(room, null, 0, frame, c -> !c.id().equals(origin));
        byUser.getOrDefault(user, Set.of()).forEach(c -> unsubscribe(c, room));
    }

    /** A frame about a user (typing, presence) for the room's other members, not the user's own sockets. */
    public void toOthers(String room, String user, String frame) {
        offerToRoom(room, null, 0, frame, c -> !c.user().equals(user));
    }

    /** A user's read mark moved: their other sockets are told. */
    public void readMoved(String room, String user, String origin, String frame) {
        byUser.getOrDefault(user, Set.of()).stream().filter(c -> !c.id().equals(origin))
                .forEach(c -> c.offer(room, null, 0, frame));
    }

    /** Closes the sockets opened with a revoked token. */
    public void revoked(String tokenHash) {
        byUser.values().forEach(set -> set.stream()
                .filter(c -> c.tokenHash().equals(tokenHash))
                .forEach(c -> c.closeLater(CloseReason.CloseCodes.VIOLATED_POLICY, "token revoked")));
    }

    /** The heads in Redis of the rooms followed here (empty when none is). */
    public Map<String, MessageLog.Head> heads() {
        List<String> rooms = List.copyOf(byRoom.keySet());
        return rooms.isEmpty() ? Map.of() : log.heads(rooms, null);
    }

    /**
     * Compares the followed rooms with heads read earlier (at {@code readAt}, System.nanoTime), once
     * every message published before that read has been offered here: sockets behind catch up, a
     * lost history closes them.
     */
    public void compare(Map<String, MessageLog.Head> heads, long readAt) {
        heads.forEach((room, head) -> byRoom.getOrDefault(room, Set.of())
                .forEach(c -> c.compare(room, head.epoch(), head.lastId(), readAt)));
    }

    private void catchUp(Connection c, String room, long from, long to) {
        String epoch = c.epochOf(room);
        background.execute(() -> {
            List<Message> missing = null;
            for (int attempt = 1; missing == null && attempt <= CATCH_UP_ATTEMPTS; attempt++) {
                try {
                    missing = log.range(room, from, to);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "catch-up of room " + room + " failed (attempt " + attempt + ")", e);
                    if (attempt < CATCH_UP_ATTEMPTS) {
                        pause(CATCH_UP_RETRY_MILLIS);
                    }
                }
            }
            if (missing == null) {
                c.catchUpFailed(room);
            } else {
                c.caughtUp(room, epoch, missing, to);
            }
        });
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }
}
