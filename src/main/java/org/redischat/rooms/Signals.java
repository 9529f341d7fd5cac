package org.redischat.rooms;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RedissonClient;
import org.redischat.wire.Envelope;
import org.redischat.wire.Event;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.LuaScript;

/**
 * What members signal without a message: {@code typing} (relayed, throttled across nodes, never
 * stored) and {@code read} marks (stored per member, only forward, synced to the user's sockets).
 * Each is one script in the room's slot that also checks membership.
 */
@ApplicationScoped
public class Signals {

    private static final LuaScript TYPING = LuaScript.load(Signals.class, "typing.lua");
    private static final LuaScript READ = LuaScript.load(Signals.class, "read.lua");

    /** The user is not a member of the room. */
    public static final class NotMemberException extends RuntimeException {
        NotMemberException() {
            super(null, null, false, false);
        }
    }

    @Inject
    RedissonClient redis;

    @Inject
    Channels channels;

    @Inject
    @ConfigProperty(name = "chat.typing.interval-ms", defaultValue = "2000")
    long typingIntervalMs;

    /** Relays a typing signal unless the user sent one to the room within the interval. */
    public void typing(String room, String user) {
        long r = TYPING.runForNumber(redis, List.of(Keys.members(room), Keys.typing(room, user)), user,
                String.valueOf(typingIntervalMs), Keys.channel(room), Envelope.of(Event.typing(room, user)),
                channels.publishCommand());
        if (r < 0) {
            throw new NotMemberException();
        }
    }

    /** Moves the user's read mark; tells their other sockets when it moved. */
    public void read(String room, String user, long id, String originSocket) {
        long r = READ.runForNumber(redis, List.of(Keys.members(room), Keys.seq(room), Keys.readMarks(room)), user,
                String.valueOf(id));
        if (r == -1) {
            throw new NotMemberException();
        }
        if (r >= 0) {
            channels.publishToRoom(room, Envelope.of(Event.read(room, user, originSocket, r)));
        }
    }
}
