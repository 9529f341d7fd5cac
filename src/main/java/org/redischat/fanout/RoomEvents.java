package org.redischat.fanout;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
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
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.connection.LocalSessions;
import org.redischat.history.MessageLog;
import org.redischat.redis.Keys;
import org.redischat.redis.RedissonProducer;
import org.redischat.wire.Json;
import org.redischat.wire.ServerFrame;

/**
 * The bus: subscribes this node to the events channel at boot and turns each event into one frame
 * for the local sockets. The Redisson listener only hands the raw event to one fanout thread, which
 * keeps the channel's order and never blocks Redisson.
 */
@ApplicationScoped
public class RoomEvents {

    private static final Logger LOG = Logger.getLogger(RoomEvents.class.getName());

    @Inject
    RedissonClient redis;

    @Inject
    RedissonProducer clients;

    @Inject
    LocalSessions sessions;

    @Inject
    @ConfigProperty(name = "chat.bus.probe-ms", defaultValue = "1000")
    long probeMillis;

    @Inject
    @ConfigProperty(name = "chat.bus.silence-seconds", defaultValue = "5")
    long silenceSeconds;

    @Inject
    @ConfigProperty(name = "chat.bus.resync-seconds", defaultValue = "10")
    long resyncSeconds;

    private final ExecutorService fanout = Executors.newSingleThreadExecutor(r -> daemon(r, "chat-fanout"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "chat-bus"));
    private final String probeId = UUID.randomUUID().toString();
    private volatile RedissonClient subscriber;
    private volatile int listener = -1;
    private volatile long lastProbe = System.nanoTime();
    private long reachableSince = -1;
    private long lastResync = System.nanoTime();
    private long resyncs;
    /** The last comparison with Redis, waiting for its marker to come back through the bus. */
    private volatile Resync pendingResync;

    /** Rooms' heads read from Redis, to be compared once everything published before the read has arrived. */
    private record Resync(String marker, Map<String, MessageLog.Head> heads, long readAt) {
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object boot) {
        timer.scheduleWithFixedDelay(this::check, 0, probeMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Keeps the subscription alive and this node caught up: subscribes (again) when there is no
     * live subscription, which a probe this node publishes to itself proves; a subscription that
     * stays silent is dropped and made anew. After each new subscription, and periodically, the
     * local sockets are compared with the rooms' heads in Redis.
     */
    void check() {
        long now = System.nanoTime();
        try {
            publish(new Event("probe", null, null, probeId, null, null, null, null, null, null));
            if (reachableSince < 0) {
                reachableSince = now;
            }
        } catch (RuntimeException e) {
            // Redis is away: Redisson reconnects and re-subscribes by itself once it is back
            reachableSince = -1;
            LOG.log(Level.WARNING, "bus probe failed (Redis unreachable?): " + e);
            return;
        }
        try {
            long heard = Math.max(lastProbe, reachableSince);
            boolean silent = now - heard > TimeUnit.SECONDS.toNanos(silenceSeconds);
            if (listener < 0 || silent) {
                resubscribe(silent);
                lastResync = now;
                resync();
            } else if (now - lastResync > TimeUnit.SECONDS.toNanos(resyncSeconds)) {
                lastResync = now;
                resync();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not subscribe to " + Keys.EVENTS + ": " + e);
        }
    }

    /**
     * Subscribes through a client of its own; a silent subscription is not trusted to any repair
     * inside Redisson (it may keep waiting on the dead connection): the whole client is shut down,
     * which closes that connection, and a new one subscribes. Messages missed meanwhile are caught
     * up by the resync that follows.
     */
    private void resubscribe(boolean silent) {
        RedissonClient old = subscriber;
        if (old != null) {
            LOG.warning(silent ? "no probe came back through " + Keys.EVENTS + " for " + silenceSeconds
                    + " s: replacing the subscriber connection" : "subscribing again to " + Keys.EVENTS);
            subscriber = null;
            listener = -1;
            old.shutdown(0, 2, TimeUnit.SECONDS);
        }
        RedissonClient fresh = clients.newClient();
        try {
            listener = fresh.getTopic(Keys.EVENTS, StringCodec.INSTANCE).addListener(String.class, (channel, raw) -> {
                if (raw.contains(probeId)) {
                    lastProbe = System.nanoTime(); // here, not behind the fan-out queue: a busy node is not a deaf one
                }
                fanout.execute(() -> dispatch(raw));
            });
        } catch (RuntimeException e) {
            fresh.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
        subscriber = fresh;
        lastProbe = System.nanoTime();
        LOG.info("subscribed to " + Keys.EVENTS);
    }

    /**
     * Reads the heads of the local rooms, then publishes a marker; the comparison runs when the
     * marker comes back through the bus, so after every message published before the read has been
     * fanned out here. Compared at once, a head would be ahead of the messages still on their way
     * (queued for the fanout thread under load), and every socket of a busy room would read from
     * Redis what it was about to get anyway.
     */
    private void resync() {
        try {
            long readAt = System.nanoTime();
            Map<String, MessageLog.Head> heads = sessions.heads();
            if (heads.isEmpty()) {
                return;
            }
            String marker = probeId + "/" + ++resyncs;
            pendingResync = new Resync(marker, heads, readAt);
            publish(new Event("probe", null, null, marker, null, null, null, null, null, null));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not compare local rooms with Redis: " + e.getMessage());
        }
    }

    /** True while this node's subscription has carried its own probe recently. */
    public boolean live() {
        return listener >= 0 && System.nanoTime() - lastProbe < TimeUnit.SECONDS.toNanos(silenceSeconds);
    }

    public void publish(Event event) {
        redis.getTopic(Keys.EVENTS, StringCodec.INSTANCE).publish(Json.write(event));
    }

    void dispatch(String raw) {
        try {
            StoredMessage m = StoredMessage.parse(raw);
            if (m != null) {
                sessions.deliver(m.room(), m.epoch(), m.id(), m.frame());
                return;
            }
            Event e = Json.read(raw, Event.class);
            switch (e.kind()) {
                case "message" -> sessions.deliver(e.room(), e.epoch(), e.message().id(),
                        Json.write(new ServerFrame.MessageFrame(e.message())));
                case "member_add" -> sessions.memberAdded(e.room(), e.user(),
                        Json.write(new ServerFrame.Member("member_add", e.room(), e.user())));
                case "member_remove" -> sessions.memberRemoved(e.room(), e.user(), e.origin(),
                        Json.write(new ServerFrame.Member("member_remove", e.room(), e.user())));
                case "typing" -> sessions.toOthers(e.room(), e.user(),
                        Json.write(new ServerFrame.Typing(e.room(), e.user())));
                case "read" -> sessions.readMoved(e.room(), e.user(), e.origin(),
                        Json.write(new ServerFrame.ReadMark(e.room(), e.id())));
                case "presence" -> e.rooms().forEach(room -> sessions.toOthers(room, e.user(),
                        Json.write(new ServerFrame.Presence(room, e.user(), e.online()))));
                case "revoke" -> sessions.revoked(e.token());
                case "probe" -> { // counted on arrival, in the listener; a resync's marker starts its comparison
                    Resync r = pendingResync;
                    if (r != null && r.marker().equals(e.origin())) {
                        pendingResync = null;
                        sessions.compare(r.heads(), r.readAt());
                    }
                }
                default -> LOG.warning("unknown event kind " + e.kind());
            }
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "could not handle an event from the bus", ex);
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        RedissonClient s = subscriber;
        if (s != null) {
            s.shutdown(0, 2, TimeUnit.SECONDS);
        }
        fanout.shutdownNow();
    }
}
