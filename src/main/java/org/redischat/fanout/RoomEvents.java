package org.redischat.fanout;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

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

    private final ExecutorService fanout = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chat-fanout");
        t.setDaemon(true);
        return t;
    });
    private RTopic topic;
    private int listener;

    void start(@Observes @Initialized(ApplicationScoped.class) Object boot) {
        topic = redis.getTopic(Keys.EVENTS, StringCodec.INSTANCE);
        listener = topic.addListener(String.class, (channel, raw) -> fanout.execute(() -> dispatch(raw)));
        LOG.info("subscribed to " + Keys.EVENTS);
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
                default -> LOG.warning("unknown event kind " + e.kind());
            }
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "could not handle an event from the bus", ex);
        }
    }

    @PreDestroy
    void stop() {
        if (topic != null) {
            topic.removeListener(listener);
        }
        fanout.shutdownNow();
    }
}
