package org.redischat.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redischat.redis.Keys;
import org.redischat.redis.TestRedis;
import org.redischat.wire.Message;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Threads (protocol 1.9) against a real Redis: replies stored as messages, roots counted as changes, unread per person. */
class ThreadsTest {

    private final RedissonClient redis = TestRedis.client();
    private final MessageLog log = TestLogs.on(redis, 0);
    private final Changes changes = new Changes();
    private final Threads threads = new Threads();
    private String room;

    @BeforeEach
    void setUp() {
        changes.redis = redis;
        changes.channels = TestRedis.channels(redis);
        changes.retention = 10_000;
        threads.redis = redis;
        room = TestRedis.unique("threads");
        for (String u : List.of("alice", "bob", "carol", "dave")) {
            redis.getSet(Keys.members(room), StringCodec.INSTANCE).add(u);
        }
    }

    private long send(String from, String text) {
        return log.append(room, from, text, null, 1764262800000L).id();
    }

    private long reply(String from, String text, long root) {
        return log.replyAsync(room, from, text, null, 1764262900000L, root).join().id();
    }

    private int unread(String user) {
        return log.heads(List.of(room), user).get(room).threads();
    }

    @Test
    void aReplyIsAMessageOfTheRoomAndItsRootCountsItAsAChange() {
        long root = send("alice", "shall we ship friday?");
        long other = send("bob", "unrelated");
        long changeBefore = log.heads(List.of(room), null).get(room).change();
        long r1 = reply("bob", "yes", root);
        long r2 = reply("carol", "after the tests", root);
        assertTrue(r1 > other && r2 > r1, "replies take the room's next ids");

        List<Message> all = log.range(room, 1, r2);
        assertEquals(List.of(root, other, r1, r2), all.stream().map(Message::id).toList(), "every message in id order");
        assertEquals(root, all.get(2).thread());
        assertNull(all.get(1).thread());
        Message rootNow = all.get(0);
        assertEquals(2, rootNow.replies());
        assertEquals(r2, rootNow.lastReply());
        assertEquals("shall we ship friday?", rootNow.text(), "the root's text is untouched");

        Changes.Page changed = changes.after(room, changeBefore, 50);
        assertEquals(List.of(rootNow), changed.messages(), "the root's new state is a change: recovered by changes");
    }

    @Test
    void aThreadIsReadAPageAtATimeInIdOrder() {
        long root = send("alice", "root");
        long r1 = reply("bob", "one", root);
        long r2 = reply("carol", "two", root);
        long r3 = reply("bob", "three", root);
        Threads.Page first = threads.read(room, "dave", root, 0, 2);
        assertEquals(root, first.root().id());
        assertEquals(3, first.root().replies());
        assertEquals(List.of(r1, r2), first.replies().stream().map(Message::id).toList());
        assertTrue(first.more());
        Threads.Page rest = threads.read(room, "dave", root, r2, 2);
        assertEquals(List.of(r3), rest.replies().stream().map(Message::id).toList());
        assertFalse(rest.more());
    }

    @Test
    void refusalsStoreNothing() {
        long root = send("alice", "root");
        long r1 = reply("bob", "one", root);
        assertInstanceOf(MessageLog.NoSuchRootException.class, cause(() -> reply("bob", "to nothing", 999)));
        assertInstanceOf(MessageLog.NestedThreadException.class, cause(() -> reply("carol", "to a reply", r1)));
        assertInstanceOf(MessageLog.NotMemberException.class, cause(() -> reply("mallory", "hi", root)));
        long deleted = send("alice", "soon gone");
        changes.change(Changes.Action.DELETE, room, "alice", deleted, null, false);
        assertInstanceOf(MessageLog.NoSuchRootException.class, cause(() -> reply("bob", "too late", deleted)));
        assertEquals(deleted, log.heads(List.of(room), "alice").get(room).lastId(), "no id was taken by a refusal");
        assertThrows(Threads.NotFoundException.class, () -> threads.read(room, "bob", 999, 0, 10));
        assertThrows(MessageLog.NotMemberException.class, () -> threads.read(room, "mallory", root, 0, 10));
    }

    @Test
    void repliesAreUnreadForTheThreadsPeopleButTheSenderUntilTheyReadTheThread() {
        long root = send("alice", "root");
        long second = send("dave", "another root");
        reply("bob", "one", root);
        assertEquals(1, unread("alice"), "the root's author");
        assertEquals(0, unread("bob"), "not the sender");
        assertEquals(0, unread("carol"), "not someone outside the thread");
        reply("carol", "two", root);
        reply("alice", "a reply to dave", second);
        assertEquals(1, unread("alice"), "her own reply is not unread for her");
        assertEquals(1, unread("dave"));
        reply("dave", "thanks", second);
        assertEquals(2, unread("alice"), "two threads with unread replies");
        assertEquals(1, unread("bob"), "bob took part: carol's reply is unread for him");
        assertTrue(threads.read(room, "alice", root, 0, 50).wasUnread());
        assertEquals(1, unread("alice"), "reading a thread marks it read");
        assertFalse(threads.read(room, "alice", root, 0, 50).wasUnread(), "read already");
        redis.getSet(Keys.members(room), StringCodec.INSTANCE).remove("bob");
        reply("carol", "three", root);
        assertEquals("1", redis.<String, String>getMap(Keys.threadsUnread(room, "bob"), StringCodec.INSTANCE).get(String.valueOf(root)),
                "a person who left is not counted any more: bob's count stays at carol's one reply");
    }

    @Test
    void aThreadWhoseRootWasTrimmedIsForgottenAtTheRoomsNextReply() {
        log.retention = 4;
        long root = send("alice", "root");
        reply("bob", "one", root);
        reply("carol", "two", root);
        assertTrue(redis.getKeys().countExists(Keys.thread(room, root), Keys.threadPeople(room, root)) == 2);
        assertEquals(1, unread("alice"));
        send("dave", "a");
        send("dave", "b"); // the log holds 4: the root is trimmed away
        assertThrows(Threads.NotFoundException.class, () -> threads.read(room, "alice", root, 0, 10));
        long other = send("dave", "another root");
        reply("alice", "the room's next reply", other);
        assertEquals(0, redis.getKeys().countExists(Keys.thread(room, root), Keys.threadPeople(room, root)),
                "the trimmed root's thread was forgotten at the room's next reply");
        assertEquals(0, unread("bob"), "with its unread counts");
        assertEquals(1, unread("dave"), "the new thread counts");
    }

    private static Throwable cause(Runnable r) {
        return assertThrows(CompletionException.class, r::run).getCause();
    }
}
