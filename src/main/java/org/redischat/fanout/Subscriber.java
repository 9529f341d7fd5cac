package org.redischat.fanout;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.concurrent.Daemons;
import org.redischat.connection.LocalSessions;
import org.redischat.metrics.Metrics;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.RedissonProducer;
import org.redischat.wire.Envelope;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The Redisson client that carries this node's subscriptions: the node channel, one probe channel per
 * Redis server that carries its channels, and the rooms ({@link RoomSubscriptions}). A client of its own,
 * so that its connections, and only they, can be thrown away and made anew; and what it has heard of
 * this node's own probes, which tells {@link BusMonitor} whether its subscriptions live.
 */
@ApplicationScoped
public class Subscriber {

    private static final Logger LOG = Logger.getLogger(Subscriber.class.getName());

    @Inject
    RedissonProducer clients;

    @Inject
    Channels channels;

    @Inject
    ProbeTags probeTags;

    @Inject
    LocalSessions sessions;

    @Inject
    FanOut dispatch;

    @Inject
    Resync resync;

    @Inject
    FanOutThread fanout;

    @Inject
    Metrics metrics;

    private volatile RedissonClient current;
    /** Clients replaced and not shut down yet. */
    private final Set<RedissonClient> replaced = ConcurrentHashMap.newKeySet();
    private final ExecutorService closer = Executors.newSingleThreadExecutor(Daemons.named("chat-bus-close"));
    /** Probe channel -> when this node last heard its own probe there (System.nanoTime). */
    private final Map<String, Long> heard = new ConcurrentHashMap<>();
    /** Probe channel -> the number of the last probe the fan-out thread passed there. */
    private final Map<String, Long> passed = new ConcurrentHashMap<>();

    /** The current client; when there is none, a new one, subscribed to the node channel and the probes. */
    synchronized RedissonClient current() {
        if (current == null) {
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
            current = fresh;
            LOG.info("subscribed to " + Keys.NODE_EVENTS + " and " + heard.size() + " probe channel(s)");
        }
        return current;
    }

    /** The current client, or null while there is none. */
    RedissonClient ifAny() {
        return current;
    }

    /**
     * Makes a new client unless {@code broken} was replaced already (or, with null, unless there is one
     * already); returns the current one. The old client is shut down on a thread of its own, which
     * closes its connections.
     */
    RedissonClient replace(RedissonClient broken, String why) {
        RedissonClient old = null;
        synchronized (this) {
            if (current == broken) {
                old = broken;
                current = null;
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
                closer.execute(() -> close(closing));
            } catch (RejectedExecutionException stopping) {
                close(closing);
            }
        }
        return current();
    }

    private void close(RedissonClient client) {
        if (replaced.remove(client)) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** Probe channel -> when this node last heard its own probe there; its keys are the probe channels. */
    Map<String, Long> heard() {
        return heard;
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

    @PreDestroy
    void stop() {
        closer.shutdownNow();
        List.copyOf(replaced).forEach(this::close);
        RedissonClient s = current;
        if (s != null) {
            s.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
