package org.redischat.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redischat.history.MessageLog;
import org.redischat.history.TestLogs;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.TestRedis;
import org.redischat.wire.Envelope;
import org.redischat.wire.Event;
import org.redischat.wire.Message;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** A join in one script against a real Redis: the member made, the snapshot read, the limit of rooms. */
class JoinsTest {

    private final RedissonClient redis = TestRedis.client();
    private final Channels channels = TestRedis.channels();
    private final MessageLog log = TestLogs.on(redis, 0);
    private final Joins joins = TestJoins.on(redis);
    private String room;

    @BeforeEach
    void setUp() {
        room = TestRedis.unique("room");
        for (String u : List.of("alice", "bob")) {
            redis.getSet(Keys.members(room), StringCodec.INSTANCE).add(u);
        }
    }

    @Test
    void aJoinMakesTheUserAMemberAndReadsTheSnapshotAndTheMembersInOneStep() throws Exception {
        for (int i = 1; i <= 5; i++) {
            log.append(room, "alice", "m" + i, null, i);
        }
        String carol = TestRedis.unique("carol");
        String empty = TestRedis.unique("empty");
        LinkedBlockingQueue<Event> published = new LinkedBlockingQueue<>();
        RTopic topic = channels.roomTopic(redis, Keys.channel(room));
        RTopic emptyTopic = channels.roomTopic(redis, Keys.channel(empty));
        int listener = topic.addListener(String.class, (channel, text) -> published.add(Envelope.event(text)));
        int emptyListener = emptyTopic.addListener(String.class, (channel, text) -> published.add(Envelope.event(text)));
        try {
            Joins.Joining first = joins.join(room, carol, null, 3);
            assertTrue(first.added());
            assertEquals(List.of("alice", "bob", carol).stream().sorted().toList(), first.members());
            assertEquals(List.of(room), redis.<String>getSet(Keys.roomsOf(carol), StringCodec.INSTANCE).readAll()
                    .stream().toList(), "the user's own side of the membership is written with it");
            assertEquals(log.newest(room, 3), first.snapshot());
            assertEquals(List.of(3L, 4L, 5L), first.snapshot().messages().stream().map(Message::id).toList());
            assertTrue(first.snapshot().more());
            Event news = published.poll(5, TimeUnit.SECONDS);
            assertEquals(Event.memberAdd(room, carol, first.version(), 5, first.snapshot().epoch()), news,
                    "a new member is announced on the room's channel, with the membership version and where they came in");

            Joins.Joining again = joins.join(room, carol, 1L, 10);
            assertFalse(again.added(), "a second join adds nothing");
            assertEquals(log.after(room, 1, 10), again.snapshot());
            assertEquals(List.of(2L, 3L, 4L, 5L), again.snapshot().messages().stream().map(Message::id).toList());
            assertFalse(again.snapshot().more());
            assertEquals(first.members(), again.members());
            assertEquals(first.version(), again.version(), "nothing changed");

            Joins.Joining fresh = joins.join(empty, carol, null, 50);
            assertEquals(List.of(carol), fresh.members());
            assertEquals(0, fresh.snapshot().lastId());
            assertEquals(fresh.snapshot().epoch(), log.newest(empty, 1).epoch(), "the epoch made by the join stays");
            assertEquals(Event.memberAdd(empty, carol, 1, 0, fresh.snapshot().epoch()), published.poll(5, TimeUnit.SECONDS));
            assertNull(published.poll(300, TimeUnit.MILLISECONDS), "the second join of the first room announced nothing");
        } finally {
            topic.removeListener(listener);
            emptyTopic.removeListener(emptyListener);
        }
    }

    @Test
    void aUserInTheMostRoomsAllowedCannotJoinAnotherButCanRejoinOne() {
        joins.maxRooms = 3;
        String dora = TestRedis.unique("dora");
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rooms.add(TestRedis.unique("cap"));
            joins.join(rooms.get(i), dora, null, 10);
        }
        String fourth = TestRedis.unique("cap");
        assertThrows(org.redischat.redis.RoomCap.Reached.class, () -> joins.join(fourth, dora, null, 10));
        assertFalse(redis.getSet(Keys.members(fourth), StringCodec.INSTANCE).contains(dora), "nothing changed");
        assertFalse(joins.join(rooms.get(0), dora, null, 10).added(), "a room of hers is joined again");
        assertThrows(org.redischat.redis.RoomCap.Reached.class, () -> joins.join(fourth, dora, null, 10, Joins.Admission.DIRECT));

        // the room's rights come before her cap: a private room she may not enter is forbidden, not full
        String closed = TestRedis.unique("cap");
        joins.join(closed, TestRedis.unique("olga"), null, 10, Joins.Admission.PRIVATE);
        assertThrows(Joins.RefusedException.class, () -> joins.join(closed, dora, null, 10));
    }
}
