package org.redischat.members;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.concurrent.Daemons;
import org.redischat.connection.LocalSessions;
import org.redischat.connection.UserWatcher;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.LuaScript;
import org.redischat.redis.RedissonProducer;
import org.redischat.wire.Envelope;
import org.redischat.wire.Event;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Who is online: a user is online while some node lists them. Each node records its users in Redis
 * and beats a heartbeat; a node that stops beating (killed, frozen) is swept by another within
 * the timeout and its users go offline, so presence does not rest on a dead node's goodwill.
 * Changes are applied one at a time on one thread, from the local state at that moment, so a quick
 * open-close of a socket cannot leave Redis out of step. A new member is announced online on the
 * same thread, after the flips queued before it, so that a flip that already named the room and the
 * join do not both announce it.
 */
@ApplicationScoped
public class Presence implements UserWatcher {

    private static final Logger LOG = Logger.getLogger(Presence.class.getName());
    private static final LuaScript FLIP = LuaScript.load(Presence.class, "presence.lua");
    private static final LuaScript HEARTBEAT = LuaScript.load(Presence.class, "heartbeat.lua");
    private static final LuaScript SWEEP = LuaScript.load(Presence.class, "sweep.lua");

    @Inject
    RedissonClient redis;

    @Inject
    LocalSessions sessions;

    @Inject
    RedissonProducer clients;

    @Inject
    Members members;

    @Inject
    Channels channels;

    @Inject
    @ConfigProperty(name = "chat.presence.heartbeat-seconds", defaultValue = "5")
    int heartbeatSeconds;

    @Inject
    @ConfigProperty(name = "chat.presence.node-timeout-seconds", defaultValue = "15")
    int nodeTimeoutSeconds;

    final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(Daemons.named("chat-presence"));

    /** What a flip to online announced, and when its read of the user's rooms was done (System.nanoTime). */
    private record Flip(Set<String> rooms, long readAt) {
    }

    /** Per user with sockets here, this node's last flip to online; read and written on the worker only. */
    private final Map<String, Flip> flips = new HashMap<>();

    void start(@Observes @Initialized(ApplicationScoped.class) Object boot) {
        worker.scheduleWithFixedDelay(this::beat, 0, heartbeatSeconds, TimeUnit.SECONDS);
    }

    /** The user's local sockets changed; Redis follows, and the other members hear of a flip. */
    @Override
    public void socketsChanged(String user) {
        worker.execute(() -> apply(sessions.node(), user, sessions.hasUser(user)));
    }

    /**
     * The user became a member of the room (the membership was written from {@code addedAt}, System.nanoTime,
     * and {@code member_add} published): other members hear {@code presence} online there if the user is online,
     * unless a flip of this node read the new membership and announced it already.
     */
    public void joined(String user, String room, long addedAt) {
        worker.execute(() -> {
            try {
                Flip f = flips.get(user);
                boolean told = f != null && f.readAt() - addedAt > 0 && f.rooms().contains(room);
                // a user with a socket here is online: that socket's flip ran before this task
                if (!told && (sessions.hasUser(user) || isOnline(user))) {
                    channels.publishToRoom(room, Envelope.of(Event.presence(user, true, room)));
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "presence of new member " + user + " not announced", e);
            }
        });
    }

    /** The members among these users who have a socket open somewhere. */
    public List<String> online(List<String> users) {
        if (users.isEmpty()) {
            return List.of();
        }
        RBatch batch = redis.createBatch();
        List<RFuture<Integer>> sizes = new ArrayList<>();
        users.forEach(u -> sizes.add(batch.getSet(Keys.onlineNodes(u), StringCodec.INSTANCE).sizeAsync()));
        batch.execute();
        List<String> online = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            if (sizes.get(i).toCompletableFuture().join() > 0) {
                online.add(users.get(i));
            }
        }
        return online;
    }

    public boolean isOnline(String user) {
        return !online(List.of(user)).isEmpty();
    }

    private void apply(String node, String user, boolean on) {
        try {
            RBatch batch = redis.createBatch();
            RFuture<Object> flipped = batch.getScript(StringCodec.INSTANCE).evalAsync(Keys.onlineNodes(user),
                    RScript.Mode.READ_WRITE, FLIP.source(), RScript.ReturnType.LONG, List.of(Keys.onlineNodes(user)),
                    node, on ? "1" : "0");
            if (on) {
                batch.getSet(Keys.nodeUsers(node), StringCodec.INSTANCE).addAsync(user);
            } else {
                batch.getSet(Keys.nodeUsers(node), StringCodec.INSTANCE).removeAsync(user);
            }
            // read in the same round trip, after the flip; used only when it flipped
            RFuture<Set<Object>> roomsRead = members.roomsOf(batch, user);
            batch.execute();
            if (!on) {
                flips.remove(user);
            }
            if (((Long) flipped.toCompletableFuture().join()) == 1) {
                List<String> rooms = Members.sorted(roomsRead.toCompletableFuture().join());
                if (on) {
                    flips.put(user, new Flip(Set.copyOf(rooms), System.nanoTime()));
                }
                Map<String, String> news = new LinkedHashMap<>();
                rooms.forEach(room -> news.put(room, Envelope.of(Event.presence(user, on, room))));
                channels.publishToRooms(news); // one round trip, not one per room
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "presence of " + user + " not recorded; the next heartbeat retries", e);
        }
    }

    /** Heartbeat; if this node had been swept as dead, it lists its users again; then sweeps the dead. */
    void beat() {
        if (clients.missing() != null) {
            return; // no Redis configured: said once at boot
        }
        try {
            String node = sessions.node();
            if (HEARTBEAT.runForNumber(redis, List.of(Keys.NODES), node) == 1) {
                sessions.users().forEach(u -> apply(node, u, true));
            }
            for (Object dead : SWEEP.run(redis, List.of(Keys.NODES), String.valueOf(nodeTimeoutSeconds * 1000L))) {
                takeOffline((String) dead);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "presence heartbeat failed", e);
        }
    }

    private void takeOffline(String node) {
        Set<String> users = new LinkedHashSet<>(redis.<String>getSet(Keys.nodeUsers(node), StringCodec.INSTANCE).readAll());
        LOG.info(() -> "node " + node + " stopped beating: " + users.size() + " of its users go offline there");
        users.forEach(u -> apply(node, u, false));
        redis.getKeys().delete(Keys.nodeUsers(node));
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
        try {
            // going away cleanly: take this node's users offline now rather than after the timeout
            String node = sessions.node();
            redis.getScoredSortedSet(Keys.NODES, StringCodec.INSTANCE).remove(node);
            takeOffline(node);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "presence cleanup at shutdown failed", e);
        }
    }
}
