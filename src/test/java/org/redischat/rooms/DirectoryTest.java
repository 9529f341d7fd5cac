package org.redischat.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.redischat.redis.Keys;
import org.redischat.redis.TestRedis;
import org.redischat.wire.ServerFrame;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** The directory of public rooms against a real Redis: by prefix, paged, without empty rooms. */
class DirectoryTest {

    private final RedissonClient redis = TestRedis.client();
    private final Directory directory = new Directory();

    private void room(String name, int members, String topic) {
        for (int i = 0; i < members; i++) {
            redis.getSet(Keys.members(name), StringCodec.INSTANCE).add("u" + i);
        }
        if (topic != null) {
            redis.getMap(Keys.meta(name), StringCodec.INSTANCE).put("topic", topic);
        }
        directory.listed(name);
    }

    private static List<String> names(ServerFrame.Directory d) {
        return d.rooms().stream().map(ServerFrame.DirectoryEntry::room).toList();
    }

    @Test
    void roomsComeByPrefixInNameOrderPagedAndWithoutTheEmptyOnes() {
        directory.redis = redis;
        String p = TestRedis.unique("dir").replace(':', '-');
        room(p + "-b", 2, "about b");
        room(p + "-a", 1, null);
        room(p + "-c", 3, null);
        room(p + "-gone", 0, null);
        room(p + "x", 1, null); // another prefix that starts the same

        ServerFrame.Directory all = directory.page(p + "-", null, 10, "r");
        assertEquals(List.of(p + "-a", p + "-b", p + "-c"), names(all));
        assertEquals(new ServerFrame.DirectoryEntry(p + "-b", "about b", 2), all.rooms().get(1));
        assertFalse(all.more());
        assertEquals("r", all.ref());
        assertFalse(redis.getLexSortedSet(Keys.DIRECTORY).contains(p + "-gone"), "an empty room leaves the list");

        ServerFrame.Directory first = directory.page(p + "-", null, 2, null);
        assertEquals(List.of(p + "-a", p + "-b"), names(first));
        assertTrue(first.more());
        ServerFrame.Directory next = directory.page(p + "-", p + "-b", 2, null);
        assertEquals(List.of(p + "-c"), names(next));
        assertFalse(next.more());
        assertEquals(List.of(p + "-a", p + "-b", p + "-c", p + "x"), names(directory.page(p, null, 10, null)));
        assertEquals(p + "-b", first.after(), "with more, the name to ask after");
        assertEquals(null, next.after(), "no after without more");
    }

    @Test
    void roomsFoundEmptyAreSkippedSoAPageWithMoreIsNeverEmptyBeforeItsBound() {
        directory.redis = redis;
        String p = TestRedis.unique("dir").replace(':', '-');
        room(p + "-a", 1, null);
        for (int i = 0; i < 120; i++) {
            room(p + "-b" + String.format("%03d", i), 0, null); // listed, then everyone left
        }
        room(p + "-c", 2, null);
        room(p + "-d", 1, null);

        ServerFrame.Directory first = directory.page(p + "-", null, 1, null);
        assertEquals(List.of(p + "-a"), names(first));
        assertTrue(first.more());
        ServerFrame.Directory second = directory.page(p + "-", first.after(), 2, null);
        assertEquals(List.of(p + "-c", p + "-d"), names(second), "120 emptied rooms were read past in one answer");
        assertFalse(second.more());
        assertEquals(3, redis.getLexSortedSet(Keys.DIRECTORY).stream().filter(n -> n.startsWith(p + "-")).count(),
                "the emptied rooms left the list");

        for (int i = 0; i < Directory.MOST_EXAMINED + 10; i++) {
            room(p + "-e" + String.format("%04d", i), 0, null);
        }
        room(p + "-f", 1, null);
        ServerFrame.Directory bounded = directory.page(p + "-e", null, 5, null);
        assertEquals(List.of(), names(bounded), "one answer reads at most MOST_EXAMINED names");
        assertTrue(bounded.more());
        ServerFrame.Directory rest = directory.page(p + "-", bounded.after(), 5, null);
        assertEquals(List.of(p + "-f"), names(rest), "the next answer goes on from its after");
    }
}
