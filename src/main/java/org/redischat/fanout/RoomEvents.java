package org.redischat.fanout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.concurrent.Daemons;
import org.redischat.connection.LocalSessions;
import org.redischat.connection.Subscriptions;
import org.redischat.metrics.Metrics;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.RedissonProducer;
import org.redischat.wire.Envelope;
import org.redischat.wire.Event;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.MessageListener;
import org.redisson.client.codec.StringCodec;

/**
 * The bus: this node subscribes to the channel of each room that one of its sockets follows (and
 * only those), and to the node channel. Each event becomes one frame for the local sockets: the
 * Redisson listener only hands the raw event to one fan-out thread, which keeps the order and never
 * blocks Redisson. The subscriptions have a Redisson client of their own, proven alive by probes this
 * node sends itself through every Redis server that carries its channels, and replaced whole when a
 * probe stays away. The probes also tell {@link Resync} when a comparison with Redis may start.
 * Over 250 lines because the subscriber client, the room listeners on it and the probes that decide
 * when to replace it are one job: keeping this node's subscriptions alive.
 */
@ApplicationScoped
public class RoomEvents implements Subscriptions {

    private static final Logger LOG = Logger.getLogger(RoomEvents.class.getName());

    @Inject
    RedissonClient redis;

    @Inject
    RedissonProducer clients;

    @Inject
    Channels channels;

    @Inject
    LocalSessions sessions;

    @Inject
    Dispatch dispatch;

    @Inject
    Resync resync;

    @Inject
    Metrics metrics;

    @Inject
    ProbeTags probeTags;

    @Inject
    @ConfigProperty(name = "chat.bus.probe-ms", defaultValue = "1000")
    long probeMillis;

    @Inject
    @ConfigProperty(name = "chat.bus.silence-seconds", defaultValue = "5")
    long silenceSeconds;

    @Inject
    @ConfigProperty(name = "chat.bus.resync-seconds", defaultValue = "10")
    long resyncSeconds;

    /** Events waiting for the fan-out thread at most; past it the Redis listener waits (see OrderedExecutor). */
    @Inject
    @ConfigProperty(name = "chat.bus.fanout-queue", defaultValue = "50000")
    int fanoutQueue;

    private ThreadPoolExecutor fanout;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Daemons.named("chat-bus"));
    /** Subscriptions are made and dropped under the lock of their room's stripe. */
    private final Object[] stripes = new Object[64];
    /** Room -> listener id on the current subscriber. */
    private final Map<String, Integer> rooms = new ConcurrentHashMap<>();
    /** Probe channel -> when this node last heard its own probe there (System.nanoTime). */
    private final Map<String, Long> heard = new ConcurrentHashMap<>();
    /** Probe channel -> the number of the last probe the fan-out thread passed there. */
    private final Map<String, Long> passed = new ConcurrentHashMap<>();
    private volatile RedissonClient subscriber;
    private volatile boolean live;
    private long reachableSince = -1;
    private long lastResync = System.nanoTime();
    private long probes;

    public RoomEvents() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }


    @PostConstruct
    void init() {
        fanout = OrderedExecutor.singleThread("chat-fanout", fanoutQueue);
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object boot) {
        metrics.gauge("chat_fanout_queue", "events waiting for the fan-out thread", () -> fanout.getQueue().size());
        timer.scheduleWithFixedDelay(this::check, 0, probeMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code then} with this node subscribed to the room's channel: subscribes first when it is
     * not yet (waiting for Redis to confirm), so whatever {@code then} reads from Redis afterwards is
     * followed by every later event of the room. The room is not dropped meanwhile.
     */
    @Override
    public void withRoom(String room, Runnable then) {
        synchronized (stripe(room)) {
            if (!rooms.containsKey(room)) {
                RedissonClient s = subscriber();
                rooms.put(room, channels.roomTopic(s, Keys.channel(room)).addListener(String.class, roomListener()));
            }
            then.run();
        }
    }

    private Object stripe(String room) {
        return stripes[Math.floorMod(room.hashCode(), stripes.length)];
    }

    private MessageListener<String> roomListener() {
        return (channel, raw) -> {
            long received = System.nanoTime();
            fanout.execute(() -> {
                metrics.fanoutWaited(System.nanoTime() - received);
                dispatch.fromRoom(raw);
            });
        };
    }

    private synchronized RedissonClient subscriber() {
        if (subscriber == null) {
            RedissonClient fresh = clients.newClient();
            try {
                fresh.getTopic(Keys.NODE_EVENTS, StringCodec.INSTANCE).addListener(String.class,
                        (channel, raw) -> fanout.execute(() -> dispatch.fromNodes(raw)));
                List<String> tags = probeTags.tags();
                for (String tag : tags) {
                    String probe = Keys.probe(tag, sessions.node());
                    channels.roomTopic(fresh, probe).addListener(String.class, (channel, raw) -> {
                        heard.put(probe, System.nanoTime()); // here, not behind the fan-out queue: a busy node is not a deaf one
                        fanout.execute(() -> probePassed(probe, raw));
                    });
                    heard.put(probe, System.nanoTime());
                }
            } catch (RuntimeException e) {
                fresh.shutdown(0, 2, TimeUnit.SECONDS);
                throw e;
            }
            subscriber = fresh;
            LOG.info("subscribed to " + Keys.NODE_EVENTS + " and " + heard.size() + " probe channel(s)");
        }
        return subscriber;
    }

    /**
     * Every probe interval: probes each Redis server that carries this node's channels; replaces the
     * subscriber when a probe stayed away (or subscribes when there is none); drops the channels of
     * rooms no local socket follows any more; and, after a new subscriber and periodically, compares
     * the local sockets with the rooms' heads in Redis.
     */
    void check() {
        if (clients.missing() != null) {
            return; // no Redis configured: said once at boot, readiness says it again
        }
        long now = System.nanoTime();
        try {
            long n = ++probes;
            for (String probe : heard.keySet()) {
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
            long oldest = heard.values().stream().mapToLong(t -> t).min().orElse(now);
            boolean silent = now - Math.max(oldest, reachableSince) > TimeUnit.SECONDS.toNanos(silenceSeconds);
            live = subscriber != null && !silent;
            if (subscriber == null || silent) {
                resubscribe(silent);
                lastResync = now;
                resync.read(probes + 1);
            } else {
                dropUnfollowed();
                if (now - lastResync > TimeUnit.SECONDS.toNanos(resyncSeconds)) {
                    lastResync = now;
                    resync.read(probes + 1);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not subscribe to the bus: " + e);
        }
    }

    /**
     * A silent subscription is not trusted to any repair inside Redisson (it may keep waiting on the
     * dead connection): the whole client is shut down, which closes its connections, and a new one
     * subscribes to every room again. Messages missed meanwhile are caught up by the resync that follows.
     */
    private void resubscribe(boolean silent) {
        RedissonClient old;
        synchronized (this) {
            old = subscriber;
            subscriber = null;
            heard.clear();
            passed.clear();
        }
        if (old != null) {
            metrics.resubscribed();
            LOG.warning(silent ? "a probe did not come back for " + silenceSeconds
                    + " s: replacing the subscriber connections" : "subscribing again");
            old.shutdown(0, 2, TimeUnit.SECONDS);
        }
        RedissonClient fresh = subscriber();
        for (String room : List.copyOf(rooms.keySet())) {
            synchronized (stripe(room)) {
                if (rooms.containsKey(room)) {
                    rooms.put(room, channels.roomTopic(fresh, Keys.channel(room)).addListener(String.class, roomListener()));
                }
            }
        }
        live = true;
        LOG.info("subscribed to " + rooms.size() + " room channel(s)");
    }

    /** Unsubscribes from the rooms that no local socket follows any more. */
    private void dropUnfollowed() {
        RedissonClient s = subscriber;
        for (String room : List.copyOf(rooms.keySet())) {
            if (sessions.follows(room)) {
                continue;
            }
            synchronized (stripe(room)) {
                Integer listener = rooms.get(room);
                if (listener != null && !sessions.follows(room)) {
                    rooms.remove(room);
                    if (s != null) {
                        channels.roomTopic(s, Keys.channel(room)).removeListener(listener);
                    }
                }
            }
        }
    }

    /** On the fan-out thread: a probe of this node passed; a pending comparison may start. */
    private void probePassed(String probe, String raw) {
        try {
            String origin = Envelope.event(raw).origin();
            passed.put(probe, Long.parseLong(origin.substring(origin.lastIndexOf('/') + 1)));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "not a probe: " + raw, e);
            return;
        }
        resync.probesPassed(passed, heard.keySet());
    }

    /** True while every probe of this node has come back recently. */
    public boolean live() {
        return live;
    }

    /** Publishes an event on the node channel, for every node. */
    public void toNodes(Event event) {
        channels.publishToNodes(Envelope.of(event));
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
