package org.redischat.connection;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.tyrus.RawFrames;
import org.redischat.concurrent.Daemons;
import org.redischat.metrics.Metrics;

/**
 * This node's open sockets, by user and by room: the one owner of which rooms a socket follows here.
 * Room events from the bus come here once per node and go, as one prepared string, to every local
 * socket of the room that should get them. It knows nothing of Redis: the bus that subscribes to a
 * room's channel ({@link Subscriptions}), the reader of missed messages ({@link Catchup}) and the
 * presence that counts a user's sockets ({@link UserWatcher}) are handed to it.
 */
@ApplicationScoped
public class LocalSessions {

    @Inject
    UserWatcher presence;

    @Inject
    Subscriptions bus;

    @Inject
    Catchup catchup;

    @Inject
    Metrics metrics;

    @Inject
    @ConfigProperty(name = "chat.socket.max-queued-bytes", defaultValue = "1048576")
    long maxQueued;

    @Inject
    @ConfigProperty(name = "chat.socket.unconfirmed-bytes", defaultValue = "262144")
    long unconfirmed;

    /** Frames to Tyrus as bytes encoded once per node ({@link RawFrames}); false: {@code sendText} per socket. */
    @Inject
    @ConfigProperty(name = "chat.tyrus.raw-frames", defaultValue = "true")
    boolean rawFrames;

    @Inject
    @ConfigProperty(name = "chat.socket.max-per-user", defaultValue = "20")
    int maxPerUser;

    /** Frames a user's sockets on this node may send a second, after a burst; more are dropped unread. */
    @Inject
    @ConfigProperty(name = "chat.frames.per-second", defaultValue = "50")
    double framesPerSecond;

    @Inject
    @ConfigProperty(name = "chat.frames.burst", defaultValue = "200")
    int framesBurst;

    /** Each user's frame budget on this node, shared by their sockets here; gone with their last socket. */
    private final Map<String, FrameRate> frameRates = new ConcurrentHashMap<>();

    private final String node = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong counter = new AtomicLong();
    private final Map<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<Connection>> byRoom = new ConcurrentHashMap<>();
    /** The same relation the other way: the rooms each socket follows. Both change together, here only. */
    private final Map<Connection, Set<String>> roomsOf = new ConcurrentHashMap<>();
    /**
     * Runs the closes of sockets, off the caller's thread (a close may wait on a slow peer): up to 16
     * at once, the rest queued; idle threads end after 30 s.
     */
    private final ThreadPoolExecutor closer = new ThreadPoolExecutor(16, 16, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), Daemons.named("chat-sockets"));

    {
        closer.allowCoreThreadTimeOut(true);
    }

    /**
     * A new socket of a user, not yet welcomed: events for it are held until {@code welcome}. Null
     * when the user already holds {@code chat.socket.max-per-user} sockets on this node.
     */
    public Connection open(String user, String tokenHash, Session session) {
        Connection[] made = {null};
        byUser.compute(user, (u, set) -> {
            Set<Connection> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            if (s.size() < maxPerUser) {
                FrameRate frames = frameRates.computeIfAbsent(user, k -> new FrameRate(framesPerSecond, framesBurst));
                made[0] = new Connection(node + "-" + counter.incrementAndGet(), user, tokenHash, session,
                        new Outbox.Limits(maxQueued, unconfirmed, rawFrames), catchup, closer, frames);
                s.add(made[0]);
            }
            return s.isEmpty() ? null : s;
        });
        Connection c = made[0];
        boolean[] admitted = {c != null};
        if (!admitted[0]) {
            return null;
        }
        presence.socketsChanged(user);
        return c;
    }

    public void close(Connection c) {
        byUser.computeIfPresent(c.user(), (u, set) -> {
            set.remove(c);
            if (set.isEmpty()) {
                frameRates.remove(u);
                return null;
            }
            return set;
        });
        c.markGone();
        Set<String> followed = roomsOf.remove(c);
        if (followed != null) {
            followed.forEach(room -> byRoom.computeIfPresent(room, (r, set) -> {
                set.remove(c);
                return set.isEmpty() ? null : set;
            }));
        }
        presence.socketsChanged(c.user());
    }

    @PostConstruct
    void measure() {
        metrics.gauge("chat_sockets_open", "open sockets on this node", () -> byUser.values().stream().mapToLong(Set::size).sum());
        metrics.gauge("chat_rooms_followed", "rooms some socket of this node follows", byRoom::size);
    }

    /** Every open socket of this node. */
    public List<Connection> all() {
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
            roomsOf.computeIfAbsent(c, k -> ConcurrentHashMap.newKeySet()).add(room);
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

    /** True while the socket gets the room's events. */
    public boolean follows(Connection c, String room) {
        return roomsOf.getOrDefault(c, Set.of()).contains(room);
    }

    /** The socket gets no more of the room's events. */
    public void unsubscribe(Connection c, String room) {
        roomsOf.computeIfPresent(c, (k, set) -> {
            set.remove(room);
            return set.isEmpty() ? null : set;
        });
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

    /** The frame to the room's local sockets that {@code to} accepts; sized and encoded once for all. */
    public void offerToRoom(String room, String epoch, long id, String frame, Predicate<Connection> to) {
        Set<Connection> set = byRoom.get(room);
        if (set != null) {
            OutFrame out = OutFrame.of(frame);
            int offered = 0;
            for (Connection c : set) {
                if (to.test(c)) {
                    c.offer(room, epoch, id, out);
                    offered++;
                }
            }
            metrics.delivered(offered);
        }
    }

    /** This socket's user left the room (membership version {@code version}): it gets no more of its events. */
    public void left(Connection c, String room, long version) {
        c.advanceMembership(room, version);
        unsubscribe(c, room);
    }

    /** The user's sockets on this node (empty when none). */
    public Set<Connection> socketsOf(String user) {
        return byUser.getOrDefault(user, Set.of());
    }

    /** The sockets of this node that follow the room (empty when none). */
    public Set<Connection> followersOf(String room) {
        return byRoom.getOrDefault(room, Set.of());
    }

    /** The rooms some socket of this node follows. */
    public List<String> rooms() {
        return List.copyOf(byRoom.keySet());
    }

    /** A room event that is no message (a role, a topic): to every local socket of the room. */
    public void toRoom(String room, String frame) {
        offerToRoom(room, null, 0, frame, c -> true);
    }

    /**
     * A frame about a user (typing, presence) for the room's other members: not the user's own sockets,
     * nor those of a user who blocks them or whom they block.
     */
    public void toOthers(String room, String user, String frame) {
        offerToRoom(room, null, 0, frame, c -> !c.user().equals(user) && !c.avoids(user));
    }

    /** {@code blocker} now blocks {@code blocked} ({@code on}), or no longer does: both users' sockets here learn it. */
    public void blockChanged(String blocker, String blocked, boolean on) {
        for (String u : List.of(blocker, blocked)) {
            socketsOf(u).forEach(c -> c.blockChanged(blocker, blocked, on));
        }
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

    @PreDestroy
    void stop() {
        closer.shutdownNow();
    }
}
