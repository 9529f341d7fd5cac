package org.redischat.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.wire.Envelope;
import org.redischat.wire.Event;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.TestRedis;
import org.redischat.wire.Json;

/** The typing and read scripts against a real Redis, watching what they publish. */
class SignalsTest {

    private final RedissonClient redis = TestRedis.client();
    private final Signals signals = new Signals();
    private final LinkedBlockingQueue<Event> published = new LinkedBlockingQueue<>();
    private RTopic topic;
    private int listener;
    private String room;

    @BeforeEach
    void setUp() {
        Channels channels = TestRedis.channels();
        signals.redis = redis;
        signals.channels = channels;
        signals.typingIntervalMs = 300;
        room = TestRedis.unique("sig");
        redis.getSet(Keys.members(room), StringCodec.INSTANCE).add("amy");
        topic = channels.roomTopic(redis, Keys.channel(room));
        listener = topic.addListener(String.class, (ch, raw) -> {
            Event e = Envelope.event(raw);
            if (room.equals(e.room())) {
                published.add(e);
            }
        });
    }

    @AfterEach
    void tearDown() {
        topic.removeListener(listener);
    }

    @Test
    void typingIsRelayedAtMostOncePerInterval() throws Exception {
        for (int i = 0; i < 5; i++) {
            signals.typing(room, "amy");
        }
        Event e = published.poll(5, TimeUnit.SECONDS);
        assertEquals("typing", e.kind());
        assertEquals("amy", e.user());
        assertNull(published.poll(200, TimeUnit.MILLISECONDS), "throttled");
        Thread.sleep(300);
        signals.typing(room, "amy");
        assertEquals("typing", published.poll(5, TimeUnit.SECONDS).kind());
    }

    @Test
    void readMarksMoveForwardOnlyAndStopAtTheNewestId() throws Exception {
        redis.getBucket(Keys.seq(room), StringCodec.INSTANCE).set("10");
        signals.read(room, "amy", 4, "socket-1");
        Event moved = published.poll(5, TimeUnit.SECONDS);
        assertEquals("read", moved.kind());
        assertEquals(4L, moved.id());
        assertEquals("socket-1", moved.origin());

        signals.read(room, "amy", 3, "socket-1");
        assertNull(published.poll(200, TimeUnit.MILLISECONDS), "a mark never moves back");
        signals.read(room, "amy", 99, "socket-2");
        assertEquals(10L, published.poll(5, TimeUnit.SECONDS).id(), "capped at the newest id");
        assertEquals("10", redis.getMap(Keys.readMarks(room), StringCodec.INSTANCE).get("amy"));
    }

    @Test
    void onlyMembersSignal() {
        assertThrows(Signals.NotMemberException.class, () -> signals.typing(room, "mallory"));
        assertThrows(Signals.NotMemberException.class, () -> signals.read(room, "mallory", 1, "s"));
    }
}
