package org.redischat.members;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.wire.Event;
import org.redischat.redis.Channels;
import org.redischat.accounts.Bots;
import org.redischat.redis.Keys;
import org.redischat.redis.LuaScript;
import org.redischat.redis.RoomCap;

/**
 * Who is in which room: a set of users per room, and a set of rooms per user (for {@code welcome}).
 * Both are written in one script here, or for a join in its script
 * ({@code rooms/Joins}, {@code join.lua}), which also raises the room's membership version
 * and publishes the change on the room's channel; under Redis Cluster the user's own set lives in
 * another slot and is written separately, and a repeated join or leave repairs a half-written pair.
 */
@ApplicationScoped
public class Members {

    private static final LuaScript CHANGE = LuaScript.load(Members.class, "membership.lua");

    @Inject
    RedissonClient redis;

    @Inject
    Channels channels;

    /** Which new members are bots, to mark their member_add (a plain instance, knowing none, until injected). */
    @Inject
    Bots bots = new Bots();

    /**
     * The outcome of a membership change: whether it changed anything, the room's membership version
     * after it, and the room's newest id and epoch (null if none yet) at that moment.
     */
    public record Change(boolean changed, long version, long lastId, String epoch) {
    }

    /** Most rooms one user may be a member of (0: no limit; a bean made with {@code new} has none). */
    @Inject
    @ConfigProperty(name = "chat.rooms.max-per-user", defaultValue = "500")
    int maxRooms;

    /**
     * Makes the user a member; when they were not one, {@code member_add} is published on the room's
     * channel in the same step (with the room's newest id and epoch).
     *
     * @throws RoomCap.Reached when the user is in {@code chat.rooms.max-per-user} rooms and not in this one
     */
    public Change add(String room, String user) {
        return change(room, user, "add", Event.memberAddHead(room, user, bots.is(user)));
    }

    /**
     * Ends the membership; when the user was a member, {@code member_remove} (naming the socket
     * {@code origin} that asked) is published on the room's channel in the same step.
     */
    public Change remove(String room, String user, String origin) {
        return change(room, user, "remove", Event.memberRemoveHead(room, user, origin));
    }

    private Change change(String room, String user, String op, String eventHead) {
        boolean cluster = redis.getConfig().isClusterConfig();
        RSet<String> own = redis.getSet(Keys.roomsOf(user), StringCodec.INSTANCE);
        if (cluster && op.equals("add") && RoomCap.reached(redis, user, room, maxRooms)) {
            throw new RoomCap.Reached(user);
        }
        List<Object> keys = new ArrayList<>(List.of(Keys.members(room), Keys.memberVersion(room), Keys.seq(room),
                Keys.epoch(room)));
        if (!cluster) {
            keys.add(Keys.roomsOf(user));
        }
        List<Object> r = CHANGE.run(redis, keys, op, user, Keys.channel(room), channels.publishCommand(), eventHead, room,
                String.valueOf(maxRooms));
        if ("full".equals(r.get(0))) {
            throw new RoomCap.Reached(user);
        }
        if (cluster && op.equals("add")) {
            own.add(room); // another slot: written after the room's side, as a join does
        } else if (cluster) {
            own.remove(room);
        }
        String epoch = (String) r.get(3);
        return new Change("1".equals(r.get(0)), Long.parseLong((String) r.get(1)), Long.parseLong((String) r.get(2)),
                epoch.isEmpty() ? null : epoch);
    }

    /** A user's membership of a room as it is now, with the room's membership version, newest id and epoch. */
    public record Now(boolean member, long version, long lastId, String epoch) {
    }

    /** Reads {@link Now} in one round trip (one slot). */
    public Now now(String room, String user) {
        RBatch batch = redis.createBatch();
        RFuture<Boolean> member = batch.getSet(Keys.members(room), StringCodec.INSTANCE).containsAsync(user);
        RFuture<Object> version = batch.getBucket(Keys.memberVersion(room), StringCodec.INSTANCE).getAsync();
        RFuture<Object> seq = batch.getBucket(Keys.seq(room), StringCodec.INSTANCE).getAsync();
        RFuture<Object> epoch = batch.getBucket(Keys.epoch(room), StringCodec.INSTANCE).getAsync();
        batch.execute();
        return new Now(member.toCompletableFuture().join(), number(version), number(seq),
                (String) epoch.toCompletableFuture().join());
    }

    private static long number(RFuture<Object> f) {
        Object v = f.toCompletableFuture().join();
        return v == null ? 0 : Long.parseLong((String) v);
    }

    public boolean isMember(String room, String user) {
        return redis.getSet(Keys.members(room), StringCodec.INSTANCE).contains(user);
    }

    /** The user's role in the room: {@code owner}, {@code moderator}, or null for a plain member (or none). */
    public String roleOf(String room, String user) {
        return redis.<String, String>getMap(Keys.roles(room), StringCodec.INSTANCE).get(user);
    }

    public List<String> of(String room) {
        return sorted(redis.getSet(Keys.members(room), StringCodec.INSTANCE).readAll());
    }

    public List<String> roomsOf(String user) {
        return sorted(redis.getSet(Keys.roomsOf(user), StringCodec.INSTANCE).readAll());
    }

    /** The user's rooms, read as part of a batch; {@link #sorted} turns the answer into names. */
    RFuture<Set<Object>> roomsOf(RBatch batch, String user) {
        return batch.getSet(Keys.roomsOf(user), StringCodec.INSTANCE).readAllAsync();
    }

    static List<String> sorted(Set<Object> all) {
        List<String> names = new ArrayList<>(all.size());
        all.forEach(o -> names.add((String) o));
        names.sort(null);
        return names;
    }
}
