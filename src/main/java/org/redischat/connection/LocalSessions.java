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
import org.redischat.fanout.Event;
import org.redischat.fanout.RoomEvents;
import org.redischat.members.Members;
import org.redischat.members.Presence;
import org.redischat.wire.Json;
import org.redischat.wire.ServerFrame;

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
    RoomEvents bus;

    @Inject
    Members members;

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

    /** Every open socket of this node. */
    List<Connection> all() {
        List<Connection> all = new java.util.ArrayList<>();
        byUser.values().forEach(all::addAll);
        return all;
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

    /**
     * From now on, the socket gets the room's events: this node is subscribed to the room's channel
     * before this returns, so what the caller reads from Redis next is followed by every later event.
     */
    public void subscribe(Connection c, String room) {
        bus.withRoom(room, () -> {
            c.follow(room);
            byRoom.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(c);
        });
        if (c.isGone()) { // closed meanwhile: close() may have missed this room
            unsubscribe(c, room);
        }
    }

    /** True while a local socket follows the room (the bus keeps its channel while so). */
    public boolean follows(String room) {
        return byRoom.containsKey(room);
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

    /**
     * A user became a member (the room's channel said so): the user's sockets here that have not seen
     * this change follow the room from the newest id it had then, and are told; so is everyone else
     * here who follows the room.
     */
    public void memberAdded(Event e, String frame) {
        for (Connection c : byUser.getOrDefault(e.user(), Set.of())) {
            if (c.advanceMembership(e.room(), e.v())) {
                subscribe(c, e.room());
                long from = e.id() == null ? 0 : e.id();
                c.startAt(e.room(), e.epoch(), from, from);
                c.offer(e.room(), null, 0, frame);
            }
        }
        offerToRoom(e.room(), null, 0, frame, c -> !c.user().equals(e.user()));
    }

    /**
     * A user left (the room's channel said so): the remaining members here are told, and the user's
     * sockets that have not seen this change stop following the room (told, but for the one that left).
     */
    public void memberRemoved(Event e, String frame) {
        offerToRoom(e.room(), null, 0, frame, c -> !c.user().equals(e.user()));
        for (Connection c : byUser.getOrDefault(e.user(), Set.of())) {
            if (c.advanceMembership(e.room(), e.v())) {
                if (c.follows(e.room()) && !c.id().equals(e.origin())) {
                    c.offer(e.room(), null, 0, frame);
                }
                unsubscribe(c, e.room());
            }
        }
    }

    /**
     * Where a member who came by {@code e} starts in the room as it is {@code now}: after the newest id
     * when they came; at the beginning when the room had no history yet (a direct room's first send
     * adds its members before its first message); after the newest id now when the history was lost
     * and began anew since.
     */
    static long startOf(Event e, Members.Now now) {
        if (e.epoch() == null || e.epoch().isEmpty()) {
            return 0;
        }
        return e.epoch().equals(now.epoch()) && e.id() != null ? Math.min(e.id(), now.lastId()) : now.lastId();
    }

    /** This socket's user left the room (membership version {@code version}): it gets no more of its events. */
    public void left(Connection c, String room, long version) {
        c.advanceMembership(room, version);
        unsubscribe(c, room);
    }

    /**
     * A membership change told on the node channel, for the user's sockets here, which may follow no
     * socket of the room yet (the change was made on another node or by a direct message). A removal
     * is applied as for the room's channel. For an addition this node subscribes to the room first,
     * then reads the membership as it is now, so that a later change reaches it on the room's channel,
     * and an older one, overtaken meanwhile, is not applied.
     */
    public void membershipChanged(Event e, String frame) {
        Set<Connection> mine = byUser.get(e.user());
        if (mine == null || mine.stream().allMatch(c -> c.membershipVersion(e.room()) >= e.v())) {
            return;
        }
        if (e.kind().equals("member_remove")) {
            memberRemoved(e, frame);
            return;
        }
        bus.withRoom(e.room(), () -> {
            Members.Now now = members.now(e.room(), e.user());
            String removed = Json.write(new ServerFrame.Member("member_remove", e.room(), e.user()));
            for (Connection c : byUser.getOrDefault(e.user(), Set.of())) {
                if (!c.advanceMembership(e.room(), now.version())) {
                    continue;
                }
                if (now.member() && !c.follows(e.room())) {
                    subscribe(c, e.room());
                    c.startAt(e.room(), now.epoch(), startOf(e, now), now.lastId());
                    c.offer(e.room(), null, 0, frame);
                } else if (!now.member() && c.follows(e.room())) {
                    c.offer(e.room(), null, 0, removed);
                    unsubscribe(c, e.room());
                }
            }
        });
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
