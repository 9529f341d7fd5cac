package org.redischat.fanout;

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
import org.redischat.metrics.Metrics;
import org.redischat.redis.Channels;
import org.redischat.redis.RedissonProducer;
import org.redischat.wire.Envelope;
import org.redischat.wire.Event;
import org.redisson.api.RedissonClient;

/**
 * The bus on this node, kept alive: this node subscribes to the channel of each room that one of its
 * sockets follows, and only those ({@link RoomSubscriptions}), and to the node channel, on a client of
 * its own ({@link Subscriber}). Every second it sends itself a probe through every Redis server that
 * carries its channels; when one stays away it replaces the subscriber client; it drops the rooms
 * no socket follows any more, moves the rooms of a replaced client to the new one, and, after that
 * and periodically, has {@link Resync} compare the local sockets with Redis.
 */
@ApplicationScoped
public class BusMonitor {

    private static final Logger LOG = Logger.getLogger(BusMonitor.class.getName());

    @Inject
    RedissonClient redis;

    @Inject
    RedissonProducer clients;

    @Inject
    Channels channels;

    @Inject
    LocalSessions sessions;

    @Inject
    Subscriber subscriber;

    @Inject
    RoomSubscriptions rooms;

    @Inject
    FanOutThread fanout;

    @Inject
    Resync resync;

    @Inject
    Metrics metrics;

    @Inject
    @ConfigProperty(name = "chat.bus.probe-ms", defaultValue = "1000")
    long probeMillis;

    @Inject
    @ConfigProperty(name = "chat.bus.silence-seconds", defaultValue = "5")
    long silenceSeconds;

    @Inject
    @ConfigProperty(name = "chat.bus.resync-seconds", defaultValue = "10")
    long resyncSeconds;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Daemons.named("chat-bus"));
    private volatile boolean live;
    private long reachableSince = -1;
    private long lastResync = System.nanoTime();
    private long probes;

    void start(@Observes @Initialized(ApplicationScoped.class) Object boot) {
        metrics.gauge("chat_fanout_queue", "events waiting for the fan-out thread", fanout::waiting);
        timer.scheduleWithFixedDelay(this::check, 0, probeMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Every probe interval: probes each Redis server that carries this node's channels; replaces the
     * subscriber when a probe stayed away (or subscribes when there is none); drops the channels of
     * rooms no local socket follows any more and moves those of a replaced client; and, after a new
     * subscriber and periodically, compares the local sockets with the rooms' heads in Redis.
     */
    void check() {
        if (clients.missing() != null) {
            return; // no Redis configured: said once at boot, readiness says it again
        }
        long now = System.nanoTime();
        try {
            long n = ++probes;
            for (String probe : subscriber.heard().keySet()) {
                long sent = System.nanoTime();
                channels.roomTopic(redis, probe).publish(Envelope.of(Event.probe(sessions.node() + "/" + n)));
                metrics.redisRoundTrip(System.nanoTime() - sent);
            }
            if (reachableSince < 0) {
                reachableSince = now;
            }
        } catch (RuntimeException e) {
            // Redis is away: Redisson reconnects and re-subscribes by itself once it is back
            reachableSince = -1;
            live = false;
            LOG.log(Level.WARNING, "bus probe failed (Redis unreachable?): " + e);
            return;
        }
        try {
            long oldest = subscriber.heard().values().stream().mapToLong(t -> t).min().orElse(now);
            boolean silent = now - Math.max(oldest, reachableSince) > TimeUnit.SECONDS.toNanos(silenceSeconds);
            boolean replace = subscriber.ifAny() == null || silent;
            live = !replace && rooms.notMoved() == 0;
            if (replace) {
                RedissonClient fresh = subscriber.replace(subscriber.ifAny(), silent
                        ? "a probe did not come back for " + silenceSeconds + " s" : "subscribing again");
                LOG.info("subscribed to " + rooms.moveTo(fresh) + " room channel(s)");
                lastResync = now;
                resync.read(probes + 1);
            } else {
                rooms.dropUnfollowed();
                if (rooms.moveTo(subscriber.current()) > 0 || now - lastResync > TimeUnit.SECONDS.toNanos(resyncSeconds)) {
                    lastResync = now;
                    resync.read(probes + 1);
                }
            }
            live = rooms.notMoved() == 0;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not subscribe to the bus: " + e);
        }
    }

    /** True while every probe of this node has come back recently and every room is subscribed. */
    public boolean live() {
        return live;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
