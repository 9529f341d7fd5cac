package org.redischat.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.wire.Envelope;
import org.redischat.wire.ServerFrame;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.TestRedis;
import org.redischat.wire.Json;
import org.redischat.wire.Message;

/** The append script and the reads, against a real Redis. */
class MessageLogTest {

    private final RedissonClient redis = TestRedis.client();
    private final MessageLog log = new MessageLog();
    private final Channels channels = TestRedis.channels();
    private String room;

    @BeforeEach
    void setUp() {
        log.redis = redis;
        log.channels = channels;
        log.replicas = TestRedis.replicas(0);
        log.retention = 10_000;
        log.refTtlSeconds = 600;
        room = TestRedis.unique("room");
        for (String u : List.of("alice", "bob")) {
            redis.getSet(Keys.members(room), StringCodec.INSTANCE).add(u);
        }
    }

    @Test
    void idsAreConsecutiveFromOneUnderConcurrentSends() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    ids.add(log.append(room, "alice", "t" + thread + "-" + i, null, 1L).id());
                }
                return ids;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            List<Long> ids = f.get(30, TimeUnit.SECONDS);
            List<Long> sorted = new ArrayList<>(ids);
            Collections.sort(sorted);
            assertEquals(sorted, ids, "one thread's sends get increasing ids");
            all.addAll(ids);
        }
        pool.shutdown();
        Collections.sort(all);
        assertEquals(LongStream.rangeClosed(1, 400).boxed().toList(), all);
        List<Message> stored = log.range(room, 1, 400);
        assertEquals(400, stored.size());
        for (int i = 0; i < 400; i++) {
            assertEquals(i + 1, stored.get(i).id(), "score and id agree");
        }
    }

    @Test
    void aRepeatedRefIsStoredOnceWhateverItsText() {
        MessageLog.Appended first = log.append(room, "alice", "hello", "c-1", 5L);
        MessageLog.Appended again = log.append(room, "alice", "changed", "c-1", 6L);
        assertFalse(first.duplicate());
        assertTrue(again.duplicate());
        assertEquals(first.id(), again.id());
        assertEquals(first.epoch(), again.epoch());
        assertEquals(List.of("hello"), log.range(room, 1, 10).stream().map(Message::text).toList());
        // the same ref of another user, or no ref, is a new message
        assertEquals(2, log.append(room, "bob", "mine", "c-1", 7L).id());
        assertEquals(3, log.append(room, "alice", "no ref", null, 8L).id());
        assertEquals(4, log.append(room, "alice", "no ref", null, 8L).id());
    }

    @Test
    void theRefIsForgottenAfterItsTtl() throws Exception {
        log.refTtlSeconds = 1;
        log.append(room, "alice", "a", "c-9", 1L);
        Thread.sleep(1200);
        assertEquals(2, log.append(room, "alice", "b", "c-9", 1L).id());
    }

    @Test
    void onlyMembersMayAppend() {
        assertThrows(MessageLog.NotMemberException.class, () -> log.append(room, "mallory", "hi", null, 1L));
        assertEquals(0, log.range(room, 1, 10).size());
    }

    @Test
    void theRateBudgetIsTakenInTheSameScriptAndASpentBudgetStoresNothing() {
        MessageLog.RateCheck budget = new MessageLog.RateCheck(Keys.sendRate(TestRedis.unique("alice")), 1_000_000, 3);
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, appendNow(room, "alice", "m" + i, null, 1L, budget).id());
        }
        assertThrows(MessageLog.RateLimitedException.class, () -> appendNow(room, "alice", "m4", "r4", 1L, budget));
        assertEquals(3, log.range(room, 1, 10).size(), "nothing stored past the budget");
        // the ref of the refused send was not remembered: once budget is back, it is stored
        MessageLog.RateCheck fresh = new MessageLog.RateCheck(Keys.sendRate(TestRedis.unique("alice")), 1_000_000, 3);
        assertEquals(4, appendNow(room, "alice", "m4", "r4", 1L, fresh).id());
    }

    @Test
    void theRateIsCheckedBeforeMembership() {
        MessageLog.RateCheck budget = new MessageLog.RateCheck(Keys.sendRate(TestRedis.unique("mallory")), 1_000_000, 1);
        assertThrows(MessageLog.NotMemberException.class, () -> appendNow(room, "mallory", "hi", null, 1L, budget));
        assertThrows(MessageLog.RateLimitedException.class, () -> appendNow(room, "mallory", "hi", null, 1L, budget));
    }

    @Test
    void messagesKeepTheirTextExactly() {
        String text = "quote \" backslash \\ newline \n tab \t <script>alert(1)</script> 😀 \u0000 é";
        log.append(room, "alice", text, null, 1764262800000L);
        Message m = log.range(room, 1, 1).get(0);
        assertEquals(org.redischat.wire.Messages.of(room, 1, "alice", text, 1764262800000L), m);
    }

    @Test
    void historyIsTrimmedToTheRetention() {
        log.retention = 5;
        for (int i = 1; i <= 12; i++) {
            log.append(room, "alice", "m" + i, null, i);
        }
        Snapshot s = log.newest(room, 50);
        assertEquals(List.of(8L, 9L, 10L, 11L, 12L), s.messages().stream().map(Message::id).toList());
        assertEquals(8, s.oldestId());
        assertEquals(12, s.lastId());
        assertFalse(s.more());
        assertEquals(List.of(8L, 9L), log.after(room, 2, 2).messages().stream().map(Message::id).toList());
    }

    @Test
    void aRoomGetsAnEpochOnceAndANewOneWhenItsHistoryIsLost() {
        String epoch = log.newest(room, 50).epoch();
        assertEquals(16, epoch.length());
        assertEquals(epoch, log.append(room, "alice", "a", null, 1L).epoch());
        assertEquals(epoch, log.newest(room, 50).epoch());

        // Redis lost the room's keys (restart without persistence): ids start over in a new epoch
        redis.getKeys().delete(Keys.epoch(room), Keys.seq(room), Keys.log(room));
        MessageLog.Appended after = log.append(room, "alice", "b", null, 1L);
        assertNotEquals(epoch, after.epoch());
        assertEquals(1, after.id());
    }

    @Test
    void anEpochWithoutItsSequenceStartsOverCleanly() {
        log.append(room, "alice", "a", null, 1L);
        log.append(room, "alice", "b", null, 1L);
        redis.getBucket(Keys.epoch(room), StringCodec.INSTANCE).delete();
        MessageLog.Appended a = log.append(room, "alice", "c", null, 1L);
        assertEquals(1, a.id());
        assertEquals(List.of("c"), log.range(room, 0, 100).stream().map(Message::text).toList());
    }

    @Test
    void snapshotsAndPages() {
        for (int i = 1; i <= 30; i++) {
            log.append(room, "alice", "m" + i, null, i);
        }
        Snapshot newest = log.newest(room, 10);
        assertEquals(LongStream.rangeClosed(21, 30).boxed().toList(), newest.messages().stream().map(Message::id).toList());
        assertTrue(newest.more());
        assertEquals(1, newest.oldestId());

        Snapshot after = log.after(room, 5, 10);
        assertEquals(LongStream.rangeClosed(6, 15).boxed().toList(), after.messages().stream().map(Message::id).toList());
        assertTrue(after.more());
        assertFalse(log.after(room, 20, 10).more());
        assertEquals(0, log.after(room, 30, 10).messages().size());

        MessageLog.Page p = log.before(room, 11L, 4);
        assertEquals(List.of(7L, 8L, 9L, 10L), p.messages().stream().map(Message::id).toList());
        assertTrue(p.more());
        MessageLog.Page first = log.before(room, 4L, 50);
        assertEquals(List.of(1L, 2L, 3L), first.messages().stream().map(Message::id).toList());
        assertFalse(first.more());
        assertEquals(List.of(29L, 30L), log.before(room, null, 2).messages().stream().map(Message::id).toList());
    }

    @Test
    void headsGiveNewestIdEpochAndReadMarkInOneCall() {
        String empty = TestRedis.unique("empty");
        log.append(room, "alice", "a", null, 1L);
        log.append(room, "alice", "b", null, 1L);
        redis.getMap(Keys.readMarks(room), StringCodec.INSTANCE).put("alice", "1");
        Map<String, MessageLog.Head> heads = log.heads(List.of(room, empty), "alice");
        assertEquals(2, heads.get(room).lastId());
        assertEquals(1, heads.get(room).lastRead());
        assertEquals(0, log.heads(List.of(room), "bob").get(room).lastRead());
        assertEquals(0, heads.get(empty).lastRead());
        assertEquals(log.newest(room, 1).epoch(), heads.get(room).epoch());
        assertEquals(0, heads.get(empty).lastId());
        assertNull(heads.get(empty).epoch());
        assertTrue(log.heads(List.of(), "alice").isEmpty());
    }

    @Test
    void answersAreBoundedByBytesAsWellAsByCountAndSayThereIsMore() {
        String text = "x".repeat(1000);
        for (int i = 1; i <= 10; i++) {
            log.append(room, "alice", text, null, i);
        }
        log.answerBytes = 2500; // two messages of ~1,060 bytes fit, a third does not
        Snapshot newest = log.newest(room, 50);
        assertEquals(List.of(9L, 10L), newest.messages().stream().map(Message::id).toList(), "the newest that fit");
        assertTrue(newest.more());
        Snapshot after = log.after(room, 3, 50);
        assertEquals(List.of(4L, 5L), after.messages().stream().map(Message::id).toList(), "the oldest after since");
        assertTrue(after.more());
        MessageLog.Page page = log.before(room, 9L, 50);
        assertEquals(List.of(7L, 8L), page.messages().stream().map(Message::id).toList());
        assertTrue(page.more());
        log.answerBytes = 10;
        assertEquals(1, log.newest(room, 50).messages().size(), "one message always, however large");
        assertEquals(7, org.redischat.wire.Utf8.length("a\u00e9\ud83d\ude00"), "1 + 2 + 4 bytes");
    }

    @Test
    void aLongPageIsCutInsideRedisNotAfterIt() {
        String text = "y".repeat(1000);
        for (int i = 1; i <= 1000; i++) {
            log.append(room, "alice", text, null, i);
        }
        long before = outputBytes();
        Snapshot all = log.after(room, 0, 1000); // a join with since:0 asks for this
        long shipped = outputBytes() - before;
        assertTrue(all.more());
        assertTrue(all.messages().size() < 260, "256 KiB of ~1 KB messages: " + all.messages().size());
        assertTrue(shipped < 2 * log.answerBytes, "Redis sent " + shipped + " bytes for a page of at most " + log.answerBytes);
    }

    private long outputBytes() {
        String info = redis.getScript(StringCodec.INSTANCE).eval(org.redisson.api.RScript.Mode.READ_ONLY,
                "return redis.call('INFO', 'stats')", org.redisson.api.RScript.ReturnType.VALUE);
        return info.lines().filter(l -> l.startsWith("total_net_output_bytes:")).map(l -> Long.parseLong(l.split(":")[1].trim()))
                .findFirst().orElseThrow();
    }

    @Test
    void anAckThatMustWaitForAReplicaIsWithheldWhenNoneHoldsTheMessage() {
        // the strict rule (chat.ack.replicas-required=true); the shared test Redis has no replica
        log.replicas = TestRedis.replicas(TestRedis.client(), 1, 300, true);
        assertThrows(MessageLog.NotReplicatedException.class, () -> log.append(room, "alice", "one", "w1", 1L));
        assertEquals(1, log.newest(room, 10).lastId(), "stored on the master all the same");
        assertThrows(MessageLog.NotReplicatedException.class, () -> log.append(room, "alice", "one", "w1", 1L),
                "a resend is not acked either while no replica has it");
        assertEquals(1, log.newest(room, 10).lastId(), "and not stored twice");
        log.replicas = TestRedis.replicas(0);
        assertEquals(1, log.append(room, "alice", "one", "w1", 1L).id(), "without the wait, the resend is acked with its id");
    }

    /**
     * The default: a master with no replica in sync (the script reads INFO replication) gets its
     * messages acked, counted, and the next sends do not wait for a replica that is not there.
     */
    @Test
    void aMasterWithoutReplicasInSyncHasItsMessagesAckedAndCounted() {
        org.redischat.redis.Replicas replicas = TestRedis.replicas(1);
        log.replicas = replicas;
        long t0 = System.nanoTime();
        assertEquals(1, log.append(room, "alice", "one", "u1", 1L).id());
        assertEquals(1, TestRedis.unreplicatedAcks(replicas), "counted");
        assertEquals(0, replicas.waitFor(Keys.log(room)), "learnt: no replica to wait for");
        long t1 = System.nanoTime();
        assertEquals(2, log.append(room, "alice", "two", "u2", 1L).id());
        assertEquals(2, TestRedis.unreplicatedAcks(replicas));
        System.out.printf("first ack without a replica %d ms (one WAIT timeout of 300), the next %d ms%n",
                (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
    }

    @Test
    void eachStoredMessageIsPublishedOnceInIdOrder() throws Exception {
        RTopic topic = channels.roomTopic(redis, Keys.channel(room));
        LinkedBlockingQueue<Envelope.Delivery> events = new LinkedBlockingQueue<>();
        int listener = topic.addListener(String.class, (ch, raw) -> {
            if (Envelope.read(raw) instanceof Envelope.Delivery d && room.equals(d.room())) {
                events.add(d);
            }
        });
        try {
            MessageLog.Appended a = log.append(room, "alice", "one", "r1", 1L);
            log.append(room, "alice", "one again", "r1", 1L);
            log.append(room, "bob", "two", null, 2L);
            Envelope.Delivery first = events.poll(5, TimeUnit.SECONDS);
            Envelope.Delivery second = events.poll(5, TimeUnit.SECONDS);
            assertEquals(a.epoch(), first.epoch());
            assertEquals(1, first.id());
            assertEquals(org.redischat.wire.Messages.of(room, 1, "alice", "one", 1L), Json.read(first.frame(), Message.class));
            assertEquals(2, second.id());
            assertNull(events.poll(300, TimeUnit.MILLISECONDS), "a duplicate is not published");
        } finally {
            topic.removeListener(listener);
        }
    }

    /** The frame in the envelope is written to sockets as it is: it must be what JSON-B would write, for any text. */
    @Test
    void aPublishedMessageCarriesTheFrameJsonBWouldWrite() throws Exception {
        String direct = "dm:alice:" + TestRedis.unique("bob");
        redis.getSet(Keys.members(direct), StringCodec.INSTANCE).add("alice");
        RTopic topic = channels.roomTopic(redis, Keys.channel(room));
        RTopic directTopic = channels.roomTopic(redis, Keys.channel(direct));
        LinkedBlockingQueue<String> raws = new LinkedBlockingQueue<>();
        int listener = topic.addListener(String.class, (ch, raw) -> raws.add(raw));
        int directListener = directTopic.addListener(String.class, (ch, raw) -> raws.add(raw));
        List<String> texts = List.of("plain", "quote \" and backslash \\ and }}", "\u00e9t\u00e9 \ud83d\ude00 \u2028",
                "\"}}", "1 message x e 1\n{\"kind\":\"message\",\"room\":\"x\"}", "tab\tnew\nline\u0001");
        Map<String, List<String>> received = new java.util.TreeMap<>();
        try {
            for (String text : texts) {
                log.append(room, "alice", text, null, 7L);
                log.append(direct, "alice", text, null, 8L);
            }
            for (int i = 0; i < texts.size() * 2; i++) {
                String raw = raws.poll(5, TimeUnit.SECONDS);
                Envelope.Delivery d = (Envelope.Delivery) Envelope.read(raw);
                Message m = Json.read(d.frame(), Message.class);
                assertEquals(d.room(), m.room(), raw);
                assertEquals(d.id(), m.id(), raw);
                assertEquals(Json.read(Json.write(new ServerFrame.MessageFrame(m)), Map.class), Json.read(d.frame(), Map.class), raw);
                received.computeIfAbsent(d.room(), r -> new ArrayList<>()).add(m.text());
            }
        } finally {
            topic.removeListener(listener);
            directTopic.removeListener(directListener);
        }
        assertEquals(new java.util.TreeMap<>(Map.of(room, texts, direct, texts)), received);
    }

    /** Protocol 1.3: a message naming a member counts for that member until they read past it; others do not count. */
    @Test
    void mentionsOfMembersAreCountedUntilRead() {
        log.append(room, "alice", "hello @bob and @stranger", null, 1L);
        log.append(room, "alice", "nothing for bob", null, 2L);
        log.append(room, "alice", "@Bob again", null, 3L);
        log.append(room, "bob", "@bob to myself", null, 4L);
        assertEquals(2, log.heads(List.of(room), "bob").get(room).mentions());
        assertEquals(0, log.heads(List.of(room), "stranger").get(room).mentions(), "not a member: no mention");
        redis.getMap(Keys.readMarks(room), StringCodec.INSTANCE).put("bob", "1");
        assertEquals(1, log.heads(List.of(room), "bob").get(room).mentions(), "read up to id 1");
        assertEquals(0, log.heads(List.of(room), null).get(room).mentions());
    }

    /** An append with a rate budget, waited for; a refusal thrown as itself. */
    private MessageLog.Appended appendNow(String room, String from, String text, String ref, long ts, MessageLog.RateCheck rate) {
        try {
            return log.appendAsync(room, from, text, ref, ts, rate).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }
}
