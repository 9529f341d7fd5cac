package org.redischat.redis;

import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.MessageListener;
import org.redisson.client.RedisException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.codec.StringCodec;

/**
 * How room channels are published and subscribed: sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7+),
 * where a message travels only to the shard of its room and to the nodes subscribed there; or plain
 * pub/sub (PUBLISH/SUBSCRIBE) on a Redis older than 7, such as the embedded development Redis. Decided
 * once, from the server's version, when Redis is first reached ({@code chat.bus.sharded}: auto,
 * true, false). The node channel is always plain: every node hears it.
 */
@ApplicationScoped
public class Channels {

    private static final Logger LOG = Logger.getLogger(Channels.class.getName());
    private static final LuaScript VERSION = LuaScript.load(Channels.class, "version.lua");
    /** The longest wait for Redisson to make a subscription. */
    private static final long WAIT_SECONDS = 10;

    @Inject
    RedissonClient redis;

    @Inject
    @ConfigProperty(name = "chat.bus.sharded", defaultValue = "auto")
    String shardedSetting;

    private volatile Boolean sharded;

    /** True when room channels use sharded pub/sub; asks Redis the first time (throws while Redis is away). */
    public boolean sharded() {
        Boolean s = sharded;
        if (s == null) {
            synchronized (this) {
                if (sharded == null) {
                    sharded = decide();
                }
                s = sharded;
            }
        }
        return s;
    }

    private boolean decide() {
        String setting = Optional.ofNullable(shardedSetting).orElse("auto").trim().toLowerCase();
        if (setting.equals("true") || setting.equals("false")) {
            return Boolean.parseBoolean(setting);
        }
        long version = VERSION.runForNumber(redis, List.of(Keys.NODE_EVENTS));
        boolean yes = version >= 70000;
        LOG.info("Redis " + (version == 0 ? "older than 7" : version) + ": room channels use "
                + (yes ? "sharded pub/sub (SPUBLISH)" : "plain pub/sub (PUBLISH)"));
        return yes;
    }

    /** The publish command a script uses for room channels. */
    public String publishCommand() {
        return sharded() ? "SPUBLISH" : "PUBLISH";
    }

    /** A room (or probe) channel's topic on the given client, sharded or plain as decided. */
    public RTopic roomTopic(RedissonClient client, String channel) {
        return sharded() ? client.getShardedTopic(channel, StringCodec.INSTANCE) : client.getTopic(channel, StringCodec.INSTANCE);
    }

    /**
     * Adds a listener to a topic and waits until Redis has confirmed the subscription, at most
     * {@value #WAIT_SECONDS} s; returns the listener's id.
     */
    public static int listen(RTopic topic, MessageListener<String> listener) {
        RFuture<Integer> added = topic.addListenerAsync(String.class, listener);
        try {
            return await(added, topic);
        } catch (RuntimeException e) {
            // one that completes after all is taken away again: the caller believes it failed
            added.thenAccept(late -> topic.removeListenerAsync(late));
            throw e;
        }
    }

    /**
     * Waits for a subscription at most {@value #WAIT_SECONDS} s: Redisson bounds most of its own waits
     * (the subscription timeout), but a change to a channel whose connection was cut can
     * wait for ever, and the thread that waits holds a room's lock, or is the bus's check.
     */
    private static <T> T await(RFuture<T> future, RTopic topic) {
        try {
            return future.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisException r) {
                throw r;
            }
            throw new RedisException("subscription change on " + topic.getChannelNames() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new RedisTimeoutException("no answer to a subscription change on " + topic.getChannelNames()
                    + " in " + WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("interrupted while subscribing " + topic.getChannelNames(), e);
        }
    }

    /** True when the failure was a command written on a connection that was already closed. */
    public static boolean closedConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    public void publishToRoom(String room, String event) {
        roomTopic(redis, Keys.channel(room)).publish(event);
    }

    /** Publishes one event per room ({@code events}: room to event) in one round trip per Redis server. */
    public void publishToRooms(java.util.Map<String, String> events) {
        if (events.isEmpty()) {
            return;
        }
        RBatch batch = redis.createBatch();
        boolean shardedNow = sharded();
        events.forEach((room, event) -> {
            String channel = Keys.channel(room);
            if (shardedNow) {
                batch.getShardedTopic(channel, StringCodec.INSTANCE).publishAsync(event);
            } else {
                batch.getTopic(channel, StringCodec.INSTANCE).publishAsync(event);
            }
        });
        batch.execute();
    }

    public void publishToNodes(String event) {
        redis.getTopic(Keys.NODE_EVENTS, StringCodec.INSTANCE).publish(event);
    }
}
