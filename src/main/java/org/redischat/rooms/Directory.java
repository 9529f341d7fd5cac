package org.redischat.rooms;

import java.util.ArrayList;
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
 * The public rooms, by name: a room is listed once a member joins it, never when it is
 * private or direct; a room without members is left out of the answers (and dropped from the list).
 * Names sort byte-wise, which for room names (a-z 0-9 _ -) is their alphabetical order.
 */
@ApplicationScoped
public class Directory {

    /** Greater than every character a room name may hold: the end of a prefix's range. */
    private static final String PAST_NAMES = "{";
    /** The most listed names one answer reads looking for a room that is not empty. */
    static final int MOST_EXAMINED = 1000;
    /** The fewest names read from the list at a time after the first read found empty rooms. */
    private static final int READ_AT_ONCE = 50;

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
     * from the first), each with its topic and member count; {@code more} when the list goes on, with
     * the name to ask after next. Rooms found empty are dropped from the list and the next names read,
     * so a page is short only at the list's end, or after {@link #MOST_EXAMINED} names in one answer.
     */
    public ServerFrame.Directory page(String prefix, String after, int limit, String ref) {
        List<ServerFrame.DirectoryEntry> entries = new ArrayList<>();
        String from = after;
        int examined = 0;
        while (true) {
            int n = examined == 0 ? limit : Math.max(limit - entries.size(), READ_AT_ONCE);
            boolean fromAfter = from != null && from.compareTo(prefix) >= 0;
            List<String> found = new ArrayList<>(names().range(fromAfter ? from : prefix, !fromAfter,
                    prefix + PAST_NAMES, false, 0, n + 1));
            List<String> rooms = found.subList(0, Math.min(found.size(), n));
            List<ServerFrame.DirectoryEntry> listed = listedOf(rooms);
            int i = 0;
            for (; i < rooms.size() && entries.size() < limit; i++, examined++) {
                from = rooms.get(i);
                if (listed.get(i) != null) {
                    entries.add(listed.get(i));
                }
            }
            boolean rest = i < rooms.size() || found.size() > n;
            if (entries.size() == limit || !rest || examined >= MOST_EXAMINED) {
                return new ServerFrame.Directory(entries, rest, from, ref);
            }
        }
    }

    /** The rooms' entries, in order, null for those found empty (which leave the list). */
    private List<ServerFrame.DirectoryEntry> listedOf(List<String> rooms) {
        if (rooms.isEmpty()) {
            return List.of();
        }
        RBatch batch = redis.createBatch();
        List<RFuture<Object>> topics = new ArrayList<>();
        List<RFuture<Integer>> sizes = new ArrayList<>();
        for (String room : rooms) {
            topics.add(batch.getMap(Keys.meta(room), StringCodec.INSTANCE).getAsync("topic"));
            sizes.add(batch.getSet(Keys.members(room), StringCodec.INSTANCE).sizeAsync());
        }
        batch.execute();
        List<ServerFrame.DirectoryEntry> entries = new ArrayList<>();
        List<String> emptied = new ArrayList<>();
        for (int i = 0; i < rooms.size(); i++) {
            int members = sizes.get(i).toCompletableFuture().join();
            if (members == 0) {
                emptied.add(rooms.get(i));
                entries.add(null);
            } else {
                entries.add(new ServerFrame.DirectoryEntry(rooms.get(i), (String) topics.get(i).toCompletableFuture().join(), members));
            }
        }
        if (!emptied.isEmpty()) {
            names().removeAll(emptied); // emptied since: listed again by their next join
        }
        return entries;
    }
}
