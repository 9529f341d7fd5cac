package org.redischat.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.TestRedis;
import org.redischat.wire.Envelope;
import org.redischat.wire.Json;
import org.redischat.wire.Message;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** The change script (edit, delete, react) and the read of changes, against a real Redis. */
class ChangesTest {

    private final RedissonClient redis = TestRedis.client();
    private final Channels channels = TestRedis.channels();
    private final MessageLog log = new MessageLog();
    private final Changes changes = new Changes();
    private String room;

    @BeforeEach
    void setUp() {
        log.redis = redis;
        log.channels = channels;
        log.replicas = TestRedis.replicas(0);
        log.retention = 10_000;
        log.refTtlSeconds = 600;
        changes.redis = redis;
        changes.channels = channels;
        changes.retention = 10_000;
        room = TestRedis.unique("changes");
        for (String u : List.of("alice", "bob", "mod")) {
            redis.getSet(Keys.members(room), StringCodec.INSTANCE).add(u);
        }
        redis.getMap(Keys.roles(room), StringCodec.INSTANCE).put("mod", "moderator");
    }

    private long send(String from, String text) {
        return log.append(room, from, text, null, 1764262800000L).id();
    }

    private Message stored(long id) {
        return log.range(room, id, id).get(0);
    }

    private Changes.Refusal refusal(Changes.Action action, String actor, long id, String value) {
        return assertThrows(Changes.RefusedException.class, () -> changes.change(action, room, actor, id, value, false)).refusal();
    }

    @Test
    void anAuthorEditsTheirMessageAndTheLogHoldsTheNewTextWithItsEditedMarkUnderTheSameId() {
        long one = send("alice", "helo");
        long two = send("bob", "hi");
        assertTrue(changes.change(Changes.Action.EDIT, room, "alice", one, "hello \"world\" / ünïcode 😀", false).changed());
        Message m = stored(one);
        assertEquals("hello \"world\" / ünïcode 😀", m.text());
        assertEquals("alice", m.from());
        assertEquals(1764262800000L, m.ts(), "the time of arrival stays");
        assertTrue(m.edited() != null && m.edited() > 1764262800000L);
        assertEquals(1L, m.change());
        assertEquals(List.of(one, two), log.range(room, 1, 2).stream().map(Message::id).toList(), "ids and order unchanged");
        assertFalse(changes.change(Changes.Action.EDIT, room, "alice", one, "hello \"world\" / ünïcode 😀", false).changed(),
                "the same text again changes nothing");
        assertEquals(1L, stored(one).change());
    }

    @Test
    void onlyTheAuthorEditsAndModeratorsOrTheAuthorDelete() {
        long id = send("alice", "mine");
        assertEquals(Changes.Refusal.FORBIDDEN, refusal(Changes.Action.EDIT, "bob", id, "yours"));
        assertEquals(Changes.Refusal.FORBIDDEN, refusal(Changes.Action.EDIT, "mod", id, "a moderator edits no one's text"));
        assertEquals(Changes.Refusal.FORBIDDEN, refusal(Changes.Action.DELETE, "bob", id, null));
        assertEquals(Changes.Refusal.NOT_MEMBER, refusal(Changes.Action.DELETE, "mallory", id, null));
        assertEquals(Changes.Refusal.NOT_FOUND, refusal(Changes.Action.DELETE, "alice", id + 5, null));
        assertEquals("mine", stored(id).text(), "refusals change nothing");
        assertNull(stored(id).change());

        assertTrue(changes.change(Changes.Action.DELETE, room, "mod", id, null, false).changed());
        Message tomb = stored(id);
        assertEquals("", tomb.text());
        assertEquals(Boolean.TRUE, tomb.deleted());
        assertEquals("alice", tomb.from());
        assertFalse(changes.change(Changes.Action.DELETE, room, "alice", id, null, false).changed(), "deleted once");
        assertEquals(Changes.Refusal.NOT_FOUND, refusal(Changes.Action.EDIT, "alice", id, "back"));
        assertEquals(Changes.Refusal.NOT_FOUND, refusal(Changes.Action.REACT, "bob", id, "👍"));
    }

    @Test
    void aServerAdministratorDeletesAnyMessageWithoutMembershipButEditsAndReactsToNone() {
        long id = send("alice", "spam");
        assertEquals(Changes.Refusal.NOT_MEMBER, refusal(Changes.Action.DELETE, "root", id, null));
        assertThrows(Changes.RefusedException.class, () -> changes.change(Changes.Action.EDIT, room, "root", id, "x", true),
                "the flag counts for deletes only");
        assertTrue(changes.change(Changes.Action.DELETE, room, "root", id, null, true).changed());
        assertEquals(Boolean.TRUE, stored(id).deleted());
    }

    @Test
    void deletingAnothersMessageNeedsAHigherRankThanItsAuthors() {
        redis.getSet(Keys.members(room), StringCodec.INSTANCE).addAll(List.of("boss", "mod2"));
        redis.getMap(Keys.roles(room), StringCodec.INSTANCE).putAll(java.util.Map.of("boss", "owner", "mod2", "moderator"));
        long owners = send("boss", "the owner's");
        long moderators = send("mod2", "a moderator's");
        assertEquals(Changes.Refusal.FORBIDDEN, refusal(Changes.Action.DELETE, "mod", owners, null), "a moderator, the owner's");
        assertEquals(Changes.Refusal.FORBIDDEN, refusal(Changes.Action.DELETE, "mod", moderators, null), "an equal rank");
        assertEquals("the owner's", stored(owners).text());
        assertTrue(changes.change(Changes.Action.DELETE, room, "boss", moderators, null, false).changed(), "the owner, a moderator's");
        assertTrue(changes.change(Changes.Action.DELETE, room, "boss", owners, null, false).changed(), "their own");
    }

    @Test
    void reactionsToggleAndCountPerEmojiInTheOrderOfFirstUseUpToTheLimit() {
        changes.maxEmoji = 3;
        long id = send("alice", "lunch?");
        assertTrue(changes.change(Changes.Action.REACT, room, "bob", id, "👍", false).on());
        assertTrue(changes.change(Changes.Action.REACT, room, "alice", id, "🎉", false).on());
        assertTrue(changes.change(Changes.Action.REACT, room, "alice", id, "👍", false).on());
        assertEquals(List.of(new Message.Reaction("👍", List.of("bob", "alice")), new Message.Reaction("🎉", List.of("alice"))),
                stored(id).reactions());
        assertFalse(changes.change(Changes.Action.REACT, room, "bob", id, "👍", false).on(), "a second time takes it back");
        assertFalse(changes.change(Changes.Action.REACT, room, "alice", id, "🎉", false).on());
        assertEquals(List.of(new Message.Reaction("👍", List.of("alice"))), stored(id).reactions(), "an emoji nobody uses goes");
        changes.change(Changes.Action.REACT, room, "bob", id, "a", false);
        changes.change(Changes.Action.REACT, room, "bob", id, "b", false);
        assertEquals(Changes.Refusal.TOO_MANY, refusal(Changes.Action.REACT, "bob", id, "c"));
        assertTrue(changes.change(Changes.Action.REACT, room, "mod", id, "a", false).on(), "an emoji already there is fine");
        assertEquals(8L, stored(id).change(), "one change number per change that changed something");
    }

    @Test
    void eachChangeIsPublishedOnTheRoomsChannelAsTheMessagesWholeNewState() throws Exception {
        long id = send("alice", "one");
        RTopic topic = channels.roomTopic(redis, Keys.channel(room));
        LinkedBlockingQueue<Envelope.Changed> events = new LinkedBlockingQueue<>();
        int listener = topic.addListener(String.class, (ch, raw) -> {
            if (Envelope.read(raw) instanceof Envelope.Changed c) {
                events.add(c);
            }
        });
        try {
            changes.change(Changes.Action.EDIT, room, "alice", id, "one, edited", false);
            changes.change(Changes.Action.EDIT, room, "alice", id, "one, edited", false);
            changes.change(Changes.Action.REACT, room, "bob", id, "👍", false);
            Envelope.Changed first = events.poll(5, TimeUnit.SECONDS);
            Envelope.Changed second = events.poll(5, TimeUnit.SECONDS);
            assertEquals(room, first.room());
            assertTrue(first.frame().startsWith("{\"type\":\"changed\","), first.frame());
            Message edited = Json.read(first.frame(), Message.class);
            assertEquals("one, edited", edited.text());
            assertEquals(1L, edited.change());
            assertEquals(1L, first.change(), "the header carries the frame's change number");
            Message reacted = Json.read(second.frame(), Message.class);
            assertEquals(reacted.change(), second.change());
            assertEquals(stored(id), reacted, "the published state is the stored one");
            assertNull(events.poll(300, TimeUnit.MILLISECONDS), "an edit that changed nothing is not published");
        } finally {
            topic.removeListener(listener);
        }
    }

    @Test
    void changesAfterANumberAreTheChangedMessagesAsTheyAreNowPagedInChangeOrder() {
        long a = send("alice", "a");
        long b = send("alice", "b");
        long c = send("alice", "c");
        Changes.Page none = changes.after(room, 0, 50);
        assertEquals(List.of(), none.messages());
        assertEquals(0, none.upTo());
        changes.change(Changes.Action.EDIT, room, "alice", b, "b2", false); // 1
        changes.change(Changes.Action.EDIT, room, "alice", a, "a2", false); // 2
        changes.change(Changes.Action.EDIT, room, "alice", b, "b3", false); // 3
        changes.change(Changes.Action.DELETE, room, "alice", c, null, false); // 4

        Changes.Page all = changes.after(room, 0, 50);
        assertEquals(List.of(a, b, c), all.messages().stream().map(Message::id).toList(), "by latest change: a@2, b@3, c@4");
        assertEquals(List.of("a2", "b3", ""), all.messages().stream().map(Message::text).toList());
        assertEquals(4, all.upTo());
        assertFalse(all.more());

        Changes.Page first = changes.after(room, 0, 2);
        assertEquals(List.of(a, b), first.messages().stream().map(Message::id).toList());
        assertTrue(first.more());
        assertEquals(3, first.upTo(), "complete up to b's change");
        Changes.Page rest = changes.after(room, first.upTo(), 2);
        assertEquals(List.of(c), rest.messages().stream().map(Message::id).toList());
        assertFalse(rest.more());
        assertEquals(4, rest.upTo());

        assertEquals(List.of(c), changes.after(room, 3, 50).messages().stream().map(Message::id).toList());
    }

    @Test
    void aChangedMessageTrimmedFromTheLogIsLeftOut() {
        log.retention = 2;
        changes.retention = 2;
        long a = send("alice", "a");
        changes.change(Changes.Action.EDIT, room, "alice", a, "a2", false);
        send("alice", "b");
        send("alice", "c"); // a is trimmed away
        assertEquals(Changes.Refusal.NOT_FOUND, refusal(Changes.Action.EDIT, "alice", a, "a3"));
        Changes.Page p = changes.after(room, 0, 50);
        assertEquals(List.of(), p.messages());
        assertEquals(1, p.upTo());
    }

    private int mentionsOf(String user) {
        return log.heads(List.of(room), user).get(room).mentions();
    }

    /** Protocol 1.8: an edit that names a member counts for them as a send would; one that drops the name stops counting. */
    @Test
    void anEditCountsTheMentionsItAddsAndDropsTheOnesItRemoves() {
        redis.getSet(Keys.members(room), StringCodec.INSTANCE).add("carol");
        long one = send("alice", "hello all");
        assertEquals(0, mentionsOf("bob"));
        changes.change(Changes.Action.EDIT, room, "alice", one, "hello @bob and @stranger", false);
        assertEquals(1, mentionsOf("bob"), "the edit named bob, a member");
        assertEquals(0, mentionsOf("stranger"), "not a member: no mention");
        changes.change(Changes.Action.EDIT, room, "alice", one, "hello @bob and @carol", false);
        assertEquals(1, mentionsOf("bob"), "still named once: counted once");
        assertEquals(1, mentionsOf("carol"));
        changes.change(Changes.Action.EDIT, room, "alice", one, "hello @carol", false);
        assertEquals(0, mentionsOf("bob"), "no longer named");
        assertEquals(1, mentionsOf("carol"));
        redis.getMap(Keys.readMarks(room), StringCodec.INSTANCE).put("carol", String.valueOf(one));
        long two = send("alice", "later");
        changes.change(Changes.Action.EDIT, room, "alice", one, "hello @carol, again", false);
        assertEquals(0, mentionsOf("carol"), "carol had read past the message: nothing unread to count");
        changes.change(Changes.Action.EDIT, room, "alice", two, "later, @carol", false);
        assertEquals(1, mentionsOf("carol"));
        assertThrows(Changes.RefusedException.class,
                () -> changes.change(Changes.Action.EDIT, room, "bob", two, "@bob @carol", false), "not the author");
        assertEquals(1, mentionsOf("carol"), "a refused edit counts nothing");
    }

    /** Protocol 1.8: a deleted message stops counting as an unread mention, by whoever deleted it. */
    @Test
    void aDeletedMessageStopsCountingAsAMention() {
        long one = send("alice", "@bob look");
        long two = send("bob", "@alice and @mod, see");
        send("alice", "@bob and this");
        assertEquals(2, mentionsOf("bob"));
        assertEquals(1, mentionsOf("alice"));
        changes.change(Changes.Action.DELETE, room, "alice", one, null, false);
        assertEquals(1, mentionsOf("bob"), "deleted by its author");
        changes.change(Changes.Action.DELETE, room, "mod", two, null, false);
        assertEquals(0, mentionsOf("alice"), "deleted by a moderator");
        assertEquals(0, mentionsOf("mod"));
        changes.change(Changes.Action.REACT, room, "bob", 3, "👍", false);
        assertEquals(1, mentionsOf("bob"), "a reaction changes no mention");
    }
}
