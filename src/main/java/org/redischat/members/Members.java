package org.redischat.members;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.redis.Keys;

/**
 * Who is in which room: a set of users per room, and a set of rooms per user (for {@code welcome}).
 * Both are written in one pipelined batch here, or for a join in its script
 * ({@link org.redischat.history.MessageLog#join}); under Redis Cluster the two live in different
 * slots, and a repeated join or leave repairs a half-written pair.
 */
@ApplicationScoped
public class Members {

    @Inject
    RedissonClient redis;

    /** Makes the user a member; true if they were not one before. */
    public boolean add(String room, String user) {
        RBatch batch = redis.createBatch();
        RFuture<Boolean> added = batch.getSet(Keys.members(room), StringCodec.INSTANCE).addAsync(user);
        batch.getSet(Keys.roomsOf(user), StringCodec.INSTANCE).addAsync(room);
        batch.execute();
        return added.toCompletableFuture().join();
    }

    /** Ends the membership; true if the user was a member. */
    public boolean remove(String room, String user) {
        RBatch batch = redis.createBatch();
        RFuture<Boolean> removed = batch.getSet(Keys.members(room), StringCodec.INSTANCE).removeAsync(user);
        batch.getSet(Keys.roomsOf(user), StringCodec.INSTANCE).removeAsync(room);
        batch.execute();
        return removed.toCompletableFuture().join();
    }

    public boolean isMember(String room, String user) {
        return redis.getSet(Keys.members(room), StringCodec.INSTANCE).contains(user);
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
