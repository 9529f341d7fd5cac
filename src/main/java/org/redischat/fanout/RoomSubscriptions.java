package org.redischat.fanout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.connection.LocalSessions;
import org.redischat.connection.Subscriptions;
import org.redischat.metrics.Metrics;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.MessageListener;

/**
 * The room channels this node listens to: one listener for each room that a local socket follows,
 * made before a join reads the room, dropped when no socket here follows it any more, and moved to
 * the new subscriber client when one is replaced. Each listener only hands the raw event to the
 * fan-out thread. A room's listener is made and dropped under the lock of the room's stripe.
 */
@ApplicationScoped
public class RoomSubscriptions implements Subscriptions {

    private static final Logger LOG = Logger.getLogger(RoomSubscriptions.class.getName());

    @Inject
    Subscriber subscriber;

    @Inject
    Channels channels;

    @Inject
    LocalSessions sessions;

    @Inject
    FanOut dispatch;

    @Inject
    FanOutThread fanout;

    @Inject
    Metrics metrics;

    @Inject
    @ConfigProperty(name = "chat.bus.silence-seconds", defaultValue = "5")
    long silenceSeconds;

    private final Object[] stripes = new Object[64];
    /** Room -> its listener, on the current subscriber client or (until moved) on one replaced. */
    private final Map<String, Listening> rooms = new ConcurrentHashMap<>();
    /** Room -> its unsubscribe under way (bus thread only). */
    private final Map<String, Drop> dropping = new ConcurrentHashMap<>();

    /** A room's listener and the subscriber client it was added on. */
    private record Listening(RedissonClient on, int id) {
    }

    public RoomSubscriptions() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
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
            if (l == null || l.on() != subscriber.current()) {
                rooms.put(room, subscribe(room));
            }
            then.run();
        }
    }

    /**
     * Subscribes a room on the current client. A SUBSCRIBE written on a connection that Redis has just
     * closed (a restart, a failover, CLIENT KILL; Redisson opens a new one within some 100 ms) fails at
     * once; and Redisson 4.7 can leave such a channel in a state where dropping it later waits for an
     * answer that never comes. So the client is replaced, as for a silent subscription, and the
     * room subscribed on the new one; the other rooms move at the bus's next check, which then compares
     * the local sockets with Redis.
     */
    private Listening subscribe(String room) {
        RedissonClient s = subscriber.current();
        for (int tries = 1; ; tries++) {
            try {
                return listen(s, room);
            } catch (RuntimeException e) {
                boolean replacedMeanwhile = subscriber.ifAny() != s;
                if (tries == 3 || !(replacedMeanwhile || Channels.closedConnection(e))) {
                    throw e;
                }
                s = replacedMeanwhile ? subscriber.current()
                        : subscriber.replace(s, "a subscription met a connection that Redis had closed");
            }
        }
    }

    private Listening listen(RedissonClient s, String room) {
        MessageListener<String> listener = (channel, raw) -> {
            long received = System.nanoTime();
            fanout.execute(() -> {
                metrics.fanoutWaited(System.nanoTime() - received);
                dispatch.fromRoom(raw);
            });
        };
        return new Listening(s, Channels.listen(channels.roomTopic(s, Keys.channel(room)), listener));
    }

    private Object stripe(String room) {
        return stripes[Math.floorMod(room.hashCode(), stripes.length)];
    }

    /**
     * Moves the rooms whose listener is still on a replaced client to {@code s}; returns how many it
     * moved. One that fails stays where it is and is tried again at the next check (after replacing
     * {@code s} too when the failure was a closed connection). Stops as soon as {@code s} is no longer
     * the current client: a subscription on a client shut down meanwhile waits its whole timeout.
     */
    int moveTo(RedissonClient s) {
        int moved = 0;
        boolean said = false;
        for (String room : List.copyOf(rooms.keySet())) {
            if (subscriber.ifAny() != s) {
                break; // s was replaced meanwhile (a join met a closed connection): the next check moves to the new one
            }
            synchronized (stripe(room)) {
                Listening l = rooms.get(room);
                if (l == null || l.on() == s) {
                    continue;
                }
                try {
                    rooms.put(room, listen(s, room));
                    moved++;
                } catch (RuntimeException e) {
                    if (!said) {
                        said = true;
                        LOG.log(Level.WARNING, "could not subscribe to room " + room + " (tried again at the next check): " + e);
                    }
                    if (Channels.closedConnection(e)) {
                        subscriber.replace(s, "a subscription met a connection that Redis had closed");
                        break;
                    }
                    if (subscriber.ifAny() != s) {
                        break; // a client shut down under the subscription: every later one would wait in vain
                    }
                }
            }
        }
        return moved;
    }

    /** Rooms whose listener is not on the current client (none while all is well). */
    int notMoved() {
        RedissonClient now = subscriber.ifAny();
        return (int) rooms.values().stream().filter(l -> l.on() != now).count();
    }

    /**
     * Unsubscribes from the rooms that no local socket follows any more, without waiting: Redisson was
     * seen, after its connection had been cut, never to complete some of them, and to hold back later
     * subscriptions of other channels meanwhile. So an unsubscribe that has not completed after
     * {@code chat.bus.silence-seconds} (like a probe that stays away) replaces the subscriber client.
     */
    void dropUnfollowed() {
        RedissonClient s = subscriber.ifAny();
        long now = System.nanoTime();
        for (String room : List.copyOf(rooms.keySet())) {
            if (sessions.follows(room)) {
                continue;
            }
            synchronized (stripe(room)) {
                Listening l = rooms.get(room);
                if (l != null && !sessions.follows(room)) {
                    rooms.remove(room);
                    if (l.on() == s) {
                        dropping.put(room, new Drop(s, now,
                                channels.roomTopic(s, Keys.channel(room)).removeListenerAsync(l.id()).toCompletableFuture()));
                    }
                }
            }
        }
        dropping.values().removeIf(d -> d.done().isDone() || d.on() != s);
        dropping.forEach((room, d) -> {
            if (now - d.since() > TimeUnit.SECONDS.toNanos(silenceSeconds) && subscriber.ifAny() == d.on()) {
                subscriber.replace(d.on(), "unsubscribing from room " + room + " did not complete in " + silenceSeconds + " s");
            }
        });
    }

    /** An unsubscribe under way. */
    private record Drop(RedissonClient on, long since, CompletableFuture<Void> done) {
    }
}
