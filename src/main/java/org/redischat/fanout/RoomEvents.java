package org.redischat.fanout;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 * About 400 lines because the subscriber client, the room listeners on it, the probes and the
 * failures that decide when to replace it, and moving the rooms to the new one are one job: keeping
 * this node's subscriptions alive. (Split it along the client's lifecycle if it grows again.)
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
    /** Room -> its listener, on the current subscriber or (until attached again) on one replaced. */
    private final Map<String, Listening> rooms = new ConcurrentHashMap<>();
    /** Probe channel -> when this node last heard its own probe there (System.nanoTime). */
    private final Map<String, Long> heard = new ConcurrentHashMap<>();
    /** Probe channel -> the number of the last probe the fan-out thread passed there. */
    private final Map<String, Long> passed = new ConcurrentHashMap<>();
    private volatile RedissonClient subscriber;
    /** Subscriber clients replaced and not shut down yet. */
    private final Set<RedissonClient> replaced = ConcurrentHashMap.newKeySet();
    private volatile boolean live;
    /** Rooms the last {@link #attachReplaced} could not subscribe to the current subscriber (check thread). */
    private int unattached;
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
            Listening l = rooms.get(room);
            if (l == null || l.on() != subscriber()) {
                rooms.put(room, subscribe(room));
            }
            then.run();
        }
    }

    /**
     * Subscribes a room on the current subscriber. A SUBSCRIBE written on a connection that Redis has
     * just closed (a restart, a failover, CLIENT KILL; Redisson opens a new one within some 100 ms)
     * fails at once; and Redisson 4.7 was seen to leave such a channel in a state where dropping it
     * later waits for an answer that never comes. So the subscriber client is replaced, as for a
     * silent subscription, and the room subscribed on the new one; the other rooms follow at the next
     * check, which then compares the local sockets with Redis.
     */
    private Listening subscribe(String room) {
        RedissonClient s = subscriber();
        for (int tries = 1; ; tries++) {
            try {
                return listen(s, room);
            } catch (RuntimeException e) {
                if (tries == 3 || !Channels.closedConnection(e)) {
                    throw e;
                }
                s = replace(s, "a subscription met a connection that Redis had closed");
            }
        }
    }

    /** A room's listener and the subscriber client it was added on. */
    private record Listening(RedissonClient on, int id) {
    }

    private Listening listen(RedissonClient s, String room) {
        return new Listening(s, Channels.listen(channels.roomTopic(s, Keys.channel(room)), roomListener()));
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
                Channels.listen(fresh.getTopic(Keys.NODE_EVENTS, StringCodec.INSTANCE),
                        (channel, raw) -> fanout.execute(() -> dispatch.fromNodes(raw)));
                List<String> tags = probeTags.tags();
                for (String tag : tags) {
                    String probe = Keys.probe(tag, sessions.node());
                    Channels.listen(channels.roomTopic(fresh, probe), (channel, raw) -> {
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
            boolean replace = subscriber == null || silent;
            live = !replace && unattached == 0;
            if (replace) {
                resubscribe(silent);
                lastResync = now;
                resync.read(probes + 1);
            } else {
                dropUnfollowed();
                if (attachReplaced(subscriber()) > 0 || now - lastResync > TimeUnit.SECONDS.toNanos(resyncSeconds)) {
                    lastResync = now;
                    resync.read(probes + 1);
                }
            }
            live = unattached == 0;
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
        RedissonClient fresh = replace(subscriber, silent ? "a probe did not come back for " + silenceSeconds + " s"
                : "subscribing again");
        attachReplaced(fresh);
        LOG.info("subscribed to " + (rooms.size() - unattached) + " room channel(s)");
    }

    /**
     * Makes a new subscriber client unless {@code broken} was replaced already; returns the current one.
     * The old client is shut down on the bus's thread, which closes its connections.
     */
    private RedissonClient replace(RedissonClient broken, String why) {
        RedissonClient old = null;
        synchronized (this) {
            if (subscriber == broken) {
                old = broken;
                subscriber = null;
                heard.clear();
                passed.clear();
            }
        }
        if (old != null) {
            metrics.resubscribed();
            LOG.warning(why + ": replacing the subscriber connections");
            RedissonClient closing = old;
            replaced.add(closing);
            try {
                timer.execute(() -> close(closing));
            } catch (RejectedExecutionException stopping) {
                close(closing);
            }
        }
        return subscriber();
    }

    private void close(RedissonClient replacedClient) {
        if (replaced.remove(replacedClient)) {
            replacedClient.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /**
     * Subscribes the rooms whose listener is still on a replaced subscriber client to {@code s}; returns
     * how many it subscribed. One that fails stays on the replaced client and is tried again at the
     * next check (after replacing {@code s} too when the failure was a closed connection), which
     * compares the local sockets with Redis once it is subscribed; until then the node is not live
     * (readiness says so).
     */
    private int attachReplaced(RedissonClient s) {
        int attached = 0;
        boolean said = false;
        for (String room : List.copyOf(rooms.keySet())) {
            synchronized (stripe(room)) {
                Listening l = rooms.get(room);
                if (l == null || l.on() == s) {
                    continue;
                }
                try {
                    rooms.put(room, listen(s, room));
                    attached++;
                } catch (RuntimeException e) {
                    if (!said) {
                        said = true;
                        LOG.log(Level.WARNING, "could not subscribe to room " + room + " (tried again at the next check): " + e);
                    }
                    if (Channels.closedConnection(e)) {
                        replace(s, "a subscription met a connection that Redis had closed");
                        break;
                    }
                }
            }
        }
        RedissonClient now = subscriber;
        unattached = (int) rooms.values().stream().filter(l -> l.on() != now).count();
        return attached;
    }

    /** Unsubscribes from the rooms that no local socket follows any more. */
    private void dropUnfollowed() {
        RedissonClient s = subscriber;
        for (String room : List.copyOf(rooms.keySet())) {
            if (sessions.follows(room)) {
                continue;
            }
            synchronized (stripe(room)) {
                Listening l = rooms.get(room);
                if (l != null && !sessions.follows(room)) {
                    rooms.remove(room);
                    if (l.on() == s) {
                        try {
                            Channels.unlisten(channels.roomTopic(s, Keys.channel(room)), l.id());
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, "could not unsubscribe from room " + room + ": " + e);
                        }
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
        List.copyOf(replaced).forEach(this::close);
        RedissonClient s = subscriber;
        if (s != null) {
            s.shutdown(0, 2, TimeUnit.SECONDS);
        }
        fanout.shutdownNow();
    }
}
