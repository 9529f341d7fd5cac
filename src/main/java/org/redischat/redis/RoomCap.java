package org.redischat.redis;

import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The most rooms one user may be a member of ({@code chat.rooms.max-per-user}). The scripts that make
 * a member check it in the same step where the user's own set of rooms shares their slot; under Redis
 * Cluster it lives in another slot, and {@link #reached} checks it just before the script instead
 * (concurrent joins of one user can then pass it by at most their number).
 */
public final class RoomCap {

    /** The user is in the most rooms allowed and not in this one; nothing changed. */
    public static final class Reached extends RuntimeException {
        private final String user;

        public Reached(String user) {
            super(null, null, false, false);
            this.user = user;
        }

        /** Who is in the most rooms. */
        public String user() {
            return user;
        }
    }

    private RoomCap() {
    }

    /** True when {@code user} is in {@code max} rooms or more and not in {@code room}; a max of 0 is no limit. */
    public static boolean reached(RedissonClient redis, String user, String room, int max) {
        if (max <= 0) {
            return false;
        }
        RBatch batch = redis.createBatch();
        RFuture<Integer> count = batch.getSet(Keys.roomsOf(user), StringCodec.INSTANCE).sizeAsync();
        RFuture<Boolean> member = batch.getSet(Keys.members(room), StringCodec.INSTANCE).containsAsync(user);
        batch.execute();
        return count.toCompletableFuture().join() >= max && !member.toCompletableFuture().join();
    }
}
