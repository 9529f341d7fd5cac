package org.redischat.members;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.redis.Keys;
import org.redischat.redis.LuaScript;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Who blocks whom: a user's set of the users they block, and its mirror, the users who block them.
 * A blocked user cannot send to the blocker's direct room, and neither of the two sees the other's
 * typing or presence (both sets are needed for that: a socket hides what comes from either side).
 */
@ApplicationScoped
public class Blocks {

    private static final LuaScript CHANGE = LuaScript.load(Blocks.class, "block.lua");

    @Inject
    RedissonClient redis;

    /** Most users one user may block; another block is refused. */
    @Inject
    @ConfigProperty(name = "chat.blocks.max-per-user", defaultValue = "1000")
    int maxPerUser = 1000;

    /** The blocker blocks the most users already; nothing changed. */
    public static final class FullException extends RuntimeException {
        FullException() {
            super(null, null, false, false);
        }
    }

    /** The users {@code user} blocks, and those who block {@code user}. */
    public record Both(Set<String> blocks, Set<String> blockedBy) {
    }

    /** {@code on}: {@code user} blocks {@code other}; else stops blocking them. True when it changed something. */
    public boolean set(String user, String other, boolean on) {
        boolean cluster = redis.getConfig().isClusterConfig();
        List<Object> keys = cluster ? List.of(Keys.blocks(user)) : List.of(Keys.blocks(user), Keys.blockedBy(other));
        long r = CHANGE.runForNumber(redis, keys, on ? "block" : "unblock", user, other, String.valueOf(maxPerUser));
        if (r < 0) {
            throw new FullException();
        }
        if (cluster) { // another slot: the mirror follows
            if (on) {
                redis.getSet(Keys.blockedBy(other), StringCodec.INSTANCE).add(user);
            } else {
                redis.getSet(Keys.blockedBy(other), StringCodec.INSTANCE).remove(user);
            }
        }
        return r == 1;
    }

    /** True when {@code user} blocks {@code other}. */
    public boolean blocks(String user, String other) {
        return redis.getSet(Keys.blocks(user), StringCodec.INSTANCE).contains(other);
    }

    /** Both sets of the user, in one round trip. */
    public Both of(String user) {
        RBatch batch = redis.createBatch();
        RFuture<Set<Object>> blocks = batch.getSet(Keys.blocks(user), StringCodec.INSTANCE).readAllAsync();
        RFuture<Set<Object>> by = batch.getSet(Keys.blockedBy(user), StringCodec.INSTANCE).readAllAsync();
        batch.execute();
        return new Both(names(blocks), names(by));
    }

    private static Set<String> names(RFuture<Set<Object>> f) {
        Set<String> names = new java.util.TreeSet<>();
        f.toCompletableFuture().join().forEach(o -> names.add((String) o));
        return names;
    }
}
