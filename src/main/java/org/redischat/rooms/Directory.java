package org.redischat.rooms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.redis.Keys;
import org.redischat.wire.ServerFrame;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RLexSortedSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The public rooms, by name (protocol 1.3): a room is listed once a member joins it, never when it is
 * private or direct; a room without members is left out of the answers (and dropped from the list).
 * Names sort byte-wise, which for room names (a-z 0-9 _ -) is their alphabetical order.
 */
@ApplicationScoped
public class Directory {

    /** Greater than every character a room name may hold: the end of a prefix's range. */
    private static final String PAST_NAMES = "{";

    @Inject
    RedissonClient redis;

    private RLexSortedSet names() {
        return redis.getLexSortedSet(Keys.DIRECTORY);
    }

    /** The room is public and has a member: list it (again). */
    public void listed(String room) {
        names().add(room);
    }

    /**
     * Up to {@code limit} public rooms whose names start with {@code prefix}, after {@code after} (null:
     * from the first), each with its topic and member count; {@code more} when the list goes on.
     */
    public ServerFrame.Directory page(String prefix, String after, int limit, String ref) {
        boolean fromAfter = after != null && after.compareTo(prefix) >= 0;
        Collection<String> found = names().range(fromAfter ? after : prefix, !fromAfter, prefix + PAST_NAMES, false, 0, limit + 1);
        List<String> rooms = new ArrayList<>(found).subList(0, Math.min(found.size(), limit));
        RBatch batch = redis.createBatch();
        List<RFuture<Object>> topics = new ArrayList<>();
        List<RFuture<Integer>> sizes = new ArrayList<>();
        for (String room : rooms) {
            topics.add(batch.getMap(Keys.meta(room), StringCodec.INSTANCE).getAsync("topic"));
            sizes.add(batch.getSet(Keys.members(room), StringCodec.INSTANCE).sizeAsync());
        }
        if (!rooms.isEmpty()) {
            batch.execute();
        }
        List<ServerFrame.DirectoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < rooms.size(); i++) {
            int members = sizes.get(i).toCompletableFuture().join();
            if (members == 0) {
                names().remove(rooms.get(i)); // emptied since: listed again by its next join
            } else {
                entries.add(new ServerFrame.DirectoryEntry(rooms.get(i), (String) topics.get(i).toCompletableFuture().join(), members));
            }
        }
        return new ServerFrame.Directory(entries, found.size() > limit, ref);
    }
}
