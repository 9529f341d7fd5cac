package org.redischat.fanout;

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
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.connection.LocalSessions;
import org.redischat.redis.Keys;
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
    LocalSessions sessions;

    @Inject
    @ConfigProperty(name = "chat.bus.check-seconds", defaultValue = "5")
    int checkSeconds;

    private final ExecutorService fanout = Executors.newSingleThreadExecutor(r -> daemon(r, "chat-fanout"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "chat-bus"));
    private final String probeId = UUID.randomUUID().toString();
    private volatile RTopic topic;
    private volatile int listener = -1;
    private volatile long lastProbe = System.nanoTime();
    private long checks;

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object boot) {
        timer.scheduleWithFixedDelay(this::check, 0, checkSeconds, TimeUnit.SECONDS);
    }

    /**
     * Keeps the subscription alive and this node caught up: subscribes (again) when there is no
     * live subscription, which a probe this node publishes to itself proves; a subscription that
     * stays silent is dropped and made anew. After each new subscription, and every other check,
     * the local sockets are compared with the rooms' heads in Redis.
     */
    void check() {
        try {
            boolean silent = System.nanoTime() - lastProbe > TimeUnit.SECONDS.toNanos(3L * checkSeconds);
            if (listener < 0 || silent) {
                resubscribe(silent);
                fanout.execute(this::resync);
            } else if (++checks % 2 == 0) {
                fanout.execute(this::resync);
            }
            publish(new Event("probe", null, null, probeId, null, null, null, null, null, null));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "bus check failed (Redis unreachable?): " + e);
        }
    }

    private void resubscribe(boolean silent) {
        RTopic t = redis.getTopic(Keys.EVENTS, StringCodec.INSTANCE);
        if (listener >= 0) {
            LOG.warning(silent ? "no probe came back through " + Keys.EVENTS + ": subscribing again"
                    : "subscribing again to " + Keys.EVENTS);
            try {
                topic.removeListener(listener);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "old listener not removed", e);
            }
            listener = -1;
        }
        listener = t.addListener(String.class, (channel, raw) -> fanout.execute(() -> dispatch(raw)));
        topic = t;
        lastProbe = System.nanoTime();
        LOG.info("subscribed to " + Keys.EVENTS);
    }

    private void resync() {
        try {
            sessions.resync();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not compare local rooms with Redis: " + e.getMessage());
        }
    }

    /** True while this node's subscription has carried its own probe recently. */
    public boolean live() {
        return listener >= 0 && System.nanoTime() - lastProbe < TimeUnit.SECONDS.toNanos(3L * checkSeconds);
    }

    public void publish(Event event) {
        redis.getTopic(Keys.EVENTS, StringCodec.INSTANCE).publish(Json.write(event));
    }

    void dispatch(String raw) {
        try {
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
                case "probe" -> {
                    if (probeId.equals(e.origin())) {
                        lastProbe = System.nanoTime();
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
        if (topic != null && listener >= 0) {
            topic.removeListener(listener);
        }
        fanout.shutdownNow();
    }
}
