package org.redischat.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redischat.redis.Keys;
import org.redischat.redis.TestRedis;
import org.redischat.wire.Message;
import org.redischat.wire.SearchCursor;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Search (protocol 1.9) over real rooms in a real Redis: what it finds, what it never finds, and its steps. */
class SearchTest {

    private final RedissonClient redis = TestRedis.client();
    private final MessageLog log = TestLogs.on(redis, 0);
    private final Changes changes = new Changes();
    private final Search search = new Search();
    private String general;
    private String team;
    private String secret;

    @BeforeEach
    void setUp() {
        changes.redis = redis;
        changes.channels = TestRedis.channels(redis);
        changes.retention = 10_000;
        search.redis = redis;
        String p = TestRedis.unique("s");
        general = p + "-general";
        team = p + "-team";
        secret = p + "-secret";
        for (String room : List.of(general, team)) {
            for (String u : List.of("alice", "bob")) {
                redis.getSet(Keys.members(room), StringCodec.INSTANCE).add(u);
            }
        }
        redis.getSet(Keys.members(secret), StringCodec.INSTANCE).add("eve");
    }

    private long send(String room, String from, String text, long ts) {
        return log.append(room, from, text, null, ts).id();
    }

    private static Search.Query words(String... words) {
        return new Search.Query(List.of(words), null, null, null, 20);
    }

    private static List<String> texts(Search.Found f) {
        return f.messages().stream().map(Message::text).toList();
    }

    @Test
    void findsEveryWordInEitherCaseNewestFirstInEachRoomInRoomOrder() {
        send(general, "alice", "Deploy FAILED on staging", 1000);
        send(general, "bob", "lunch?", 2000);
        send(general, "bob", "the deploy failed again", 3000);
        send(team, "alice", "deployment failed: disk full", 4000);
        send(team, "bob", "deploy is fine", 5000);
        Search.Found f = search.in("alice", List.of(general, team), words("deploy", "failed"), null);
        assertEquals(List.of("the deploy failed again", "Deploy FAILED on staging", "deployment failed: disk full"), texts(f));
        assertNull(f.next(), "all searched");
        assertEquals(List.of("lunch?"), texts(search.in("alice", List.of(general), words("lunch?"), null)), "punctuation is part of a word");
        assertEquals(List.of(), texts(search.in("alice", List.of(general), words("rocket"), null)));
    }

    @Test
    void filtersByAuthorAndTime() {
        send(general, "alice", "standup notes", 1000);
        send(general, "bob", "standup notes from bob", 2000);
        send(general, "bob", "standup moved", 3000);
        assertEquals(List.of("standup moved", "standup notes from bob"),
                texts(search.in("alice", List.of(general), new Search.Query(List.of("standup"), "bob", null, null, 20), null)));
        assertEquals(List.of("standup notes from bob"),
                texts(search.in("alice", List.of(general), new Search.Query(List.of(), "bob", 1500L, 2500L, 20), null)), "author alone, a range");
        assertEquals(List.of("standup notes"),
                texts(search.in("alice", List.of(general), new Search.Query(List.of("standup"), null, null, 1000L, 20), null)), "end inclusive");
    }

    @Test
    void neverFindsWhatTheUserMayNotRead() {
        long edited = send(general, "alice", "the password is hunter2", 1000);
        long deleted = send(general, "alice", "hunter2 again", 2000);
        send(secret, "eve", "hunter2 in a room alice is not in", 3000);
        changes.change(Changes.Action.EDIT, general, "alice", edited, "the password is gone", false);
        changes.change(Changes.Action.DELETE, general, "alice", deleted, null, false);
        assertEquals(List.of(), texts(search.in("alice", List.of(general, secret), words("hunter2"), null)),
                "not the text before an edit, not a deleted message, not another room's");
        assertEquals(List.of("the password is gone"), texts(search.in("alice", List.of(general), words("gone"), null)));
        assertThrows(Search.NotMemberException.class, () -> search.in("alice", List.of(secret), words("hunter2"), null));
        redis.getSet(Keys.members(general), StringCodec.INSTANCE).remove("alice");
        assertThrows(Search.NotMemberException.class, () -> search.in("alice", List.of(general), words("gone"), null), "a room left");
    }

    @Test
    void aSearchScansInBoundedStepsAndGoesOnFromItsCursorWithoutRepeatsOrGaps() {
        for (int i = 1; i <= 50; i++) {
            send(general, "bob", (i % 5 == 0 ? "match " : "other ") + i, i);
        }
        for (int i = 1; i <= 10; i++) {
            send(team, "bob", "match team " + i, 100 + i);
        }
        search.step = 7;
        search.maxScanned = 20;
        List<String> all = new ArrayList<>();
        SearchCursor cursor = null;
        int requests = 0;
        do {
            Search.Found f = search.in("alice", List.of(general, team), new Search.Query(List.of("match"), null, null, null, 3), cursor);
            assertTrue(f.messages().size() <= 3);
            assertTrue(f.scanned() <= 20, "at most max-scanned per request: " + f.scanned());
            all.addAll(texts(f));
            cursor = f.next() == null ? null : SearchCursor.parse(f.next().toString()).orElseThrow();
            requests++;
        } while (cursor != null && requests < 50);
        List<String> expected = new ArrayList<>();
        for (int i = 50; i >= 5; i -= 5) {
            expected.add("match " + i);
        }
        for (int i = 10; i >= 1; i--) {
            expected.add("match team " + i);
        }
        assertEquals(expected, all);
    }
}
