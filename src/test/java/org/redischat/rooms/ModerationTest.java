package org.redischat.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.TestRedis;
import org.redischat.wire.Envelope;
import org.redischat.wire.Event;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Who may join a room and who may act on whom there: the join and moderation scripts against a real Redis. */
class ModerationTest {

    private final RedissonClient redis = TestRedis.client();
    private final Channels channels = TestRedis.channels();
    private final Joins joins = TestJoins.on(redis);
    private final Moderation moderation = new Moderation();
    private final LinkedBlockingQueue<Event> published = new LinkedBlockingQueue<>();
    private String room;
    private RTopic topic;
    private int listener;

    @BeforeEach
    void setUp() {
        moderation.redis = redis;
        moderation.channels = channels;
        moderation.inviteSeconds = 3600;
        room = TestRedis.unique("mod");
        topic = channels.roomTopic(redis, Keys.channel(room));
        listener = topic.addListener(String.class, (ch, raw) -> {
            if (Envelope.read(raw) instanceof Envelope.Other o) {
                published.add(o.event());
            }
        });
    }

    @AfterEach
    void tearDown() {
        topic.removeListener(listener);
    }

    /** The next published event of this kind; the joins' member_add events arrive meanwhile, in their own time. */
    private Event next(String kind) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Event e; (e = published.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS)) != null;) {
            if (kind.equals(e.kind())) {
                return e;
            }
        }
        return null;
    }

    private Joins.Joining join(String user) {
        return joins.join(room, user, null, 10, Joins.Admission.PUBLIC);
    }

    private Moderation.Refusal refused(String action, String actor, String target, String role) {
        return assertThrows(Moderation.RefusedException.class,
                () -> moderation.act(action, room, actor, target, role, "socket", false)).refusal();
    }

    @Test
    void theFirstMemberOwnsTheRoomAndAPrivateRoomAdmitsOnlyTheInvited() {
        Joins.Joining first = joins.join(room, "olga", null, 10, Joins.Admission.PRIVATE);
        assertTrue(first.isPrivate());
        assertEquals(Map.of("olga", "owner"), first.roles());

        Joins.RefusedException e = assertThrows(Joins.RefusedException.class, () -> join("mallory"));
        assertTrue(e.getMessage().contains("private"), e.getMessage());
        assertEquals(List.of("olga"), redis.<String>getSet(Keys.members(room), StringCodec.INSTANCE).readAll().stream().toList(),
                "a refused join changes nothing");
        assertFalse(redis.<String>getSet(Keys.roomsOf("mallory"), StringCodec.INSTANCE).contains(room));

        assertTrue(moderation.act("invite", room, "olga", "ida", null, "s", false).changed());
        Joins.Joining ida = join("ida");
        assertTrue(ida.added());
        assertTrue(ida.isPrivate(), "asking for a public room does not open a private one");
        assertNull(redis.getScoredSortedSet(Keys.invites(room), StringCodec.INSTANCE).getScore("ida"), "the join used the invitation up");

        // ida leaves: without a new invitation she cannot come back
        redis.getSet(Keys.members(room), StringCodec.INSTANCE).remove("ida");
        assertThrows(Joins.RefusedException.class, () -> join("ida"));
        // the owner can, even after leaving
        redis.getSet(Keys.members(room), StringCodec.INSTANCE).remove("olga");
        assertTrue(join("olga").added());
    }

    @Test
    void anExpiredInvitationAdmitsNobody() {
        joins.join(room, "olga", null, 10, Joins.Admission.PRIVATE);
        moderation.inviteSeconds = -1;
        moderation.act("invite", room, "olga", "late", null, "s", false);
        assertThrows(Joins.RefusedException.class, () -> join("late"));
    }

    @Test
    void aServerAdministratorModeratesWithoutMembershipAboveTheOwner() throws Exception {
        joins.join(room, "olga", null, 10, Joins.Admission.PRIVATE);
        moderation.act("invite", room, "olga", "mia", null, "s", false);
        join("mia");
        assertEquals(Moderation.Refusal.NOT_MEMBER, refused("remove", "root", "mia", null), "not without the flag");
        moderation.act("topic", room, "root", "root", "kept by the admins", "s", true);
        assertEquals("kept by the admins", next("topic").topic());
        assertTrue(moderation.act("remove", room, "root", "mia", null, "s", true).changed());
        assertEquals("mia", next("member_remove").user());
        assertTrue(moderation.act("remove", room, "root", "olga", null, "s", true).changed(), "the owner too");
        assertFalse(redis.getSet(Keys.members(room), StringCodec.INSTANCE).contains("olga"));
    }

    @Test
    void aGroupAdmitsItsHoldersButNotTheBannedAndExpelsWhoLostIt() throws Exception {
        joins.join(room, "olga", null, 10, Joins.Admission.PRIVATE);
        long until = System.currentTimeMillis() + 60_000;
        assertTrue(moderation.admit(room, "gina", until));
        assertTrue(join("gina").added(), "the group's invitation admits");
        assertFalse(moderation.admit(room, "gina", until), "a member needs none");
        moderation.act("ban", room, "olga", "bert", null, "s", false);
        assertFalse(moderation.admit(room, "bert", until), "a ban holds against the group");
        assertThrows(Joins.RefusedException.class, () -> join("bert"));
        assertTrue(moderation.admit(room, "hana", until));

        Moderation.Outcome out = moderation.expel(room, "gina");
        assertTrue(out.changed());
        assertEquals("gina", next("member_remove").user());
        assertFalse(moderation.expel(room, "hana").changed(), "not a member: nothing announced");
        assertThrows(Joins.RefusedException.class, () -> join("hana"), "her invitation went with the group");
        assertThrows(Joins.RefusedException.class, () -> join("gina"));

        String bound = TestRedis.unique("bound");
        moderation.admit(bound, "gina", until);
        assertEquals("1", redis.getMap(Keys.meta(bound), StringCodec.INSTANCE).get("private"), "a group's room is private from its first admission");
    }

    @Test
    void aPublicRoomStaysPublicAndRecordsItsOwner() {
        Joins.Joining first = join("pat");
        assertFalse(first.isPrivate());
        assertEquals(Map.of("pat", "owner"), first.roles());
        Joins.Joining second = joins.join(room, "quinn", null, 10, Joins.Admission.PRIVATE);
        assertFalse(second.isPrivate(), "only the first member decides");
        assertEquals(Map.of("pat", "owner"), second.roles());
    }

    @Test
    void moderatorsSetTheTopicWhichJoinsCarry() throws Exception {
        join("olga");
        join("mia");
        assertEquals(Moderation.Refusal.FORBIDDEN, refused("topic", "mia", "mia", "mine now"));
        moderation.act("topic", room, "olga", "olga", "plans for May", "s", false);
        assertEquals(Event.topic(room, "olga", "plans for May"), next("topic"));
        assertEquals("plans for May", join("mia").topic());
        moderation.act("topic", room, "olga", "olga", "", "s", false);
        assertNull(join("olga").topic(), "an empty topic clears it");
    }

    @Test
    void aDirectRoomHasNoOwner() {
        Joins.Joining d = joins.join(room, "amy", null, 10, Joins.Admission.DIRECT);
        assertEquals(Map.of(), d.roles());
        assertFalse(d.isPrivate());
    }

    @Test
    void ranksDecideWhoMayRemoveBanAndNameModerators() throws Exception {
        join("olga");
        join("mo");
        join("mia");
        join("max");

        assertEquals(Moderation.Refusal.FORBIDDEN, refused("remove", "mia", "max", null), "a member removes nobody");
        assertEquals(Moderation.Refusal.FORBIDDEN, refused("role", "mia", "mo", "moderator"));
        assertEquals(Moderation.Refusal.NOT_MEMBER, refused("remove", "stranger", "max", null));

        assertTrue(moderation.act("role", room, "olga", "mo", "moderator", "s", false).changed());
        Event role = next("role");
        assertEquals(Event.role(room, "mo", "moderator"), role);
        assertFalse(moderation.act("role", room, "olga", "mo", "moderator", "s", false).changed(), "no change, no event");
        assertEquals(Moderation.Refusal.FORBIDDEN, refused("remove", "mo", "olga", null), "nobody removes the owner");
        assertEquals(Moderation.Refusal.FORBIDDEN, refused("role", "mo", "mia", "moderator"), "only the owner names moderators");
        assertEquals(Moderation.Refusal.TARGET_NOT_MEMBER, refused("role", "olga", "stranger", "moderator"));

        long before = Long.parseLong(redis.<String>getBucket(Keys.memberVersion(room), StringCodec.INSTANCE).get());
        Moderation.Outcome removed = moderation.act("remove", room, "mo", "mia", null, "mo-socket", false);
        assertTrue(removed.changed());
        assertEquals(before + 1, removed.version());
        Event gone = next("member_remove");
        assertEquals(Event.memberRemove(room, "mia", "mo-socket", before + 1), gone);
        assertFalse(redis.<String>getSet(Keys.roomsOf("mia"), StringCodec.INSTANCE).contains(room));

        // a moderator cannot remove another moderator; the owner can, and the role goes with the membership
        moderation.act("role", room, "olga", "max", "moderator", "s", false);
        assertEquals(Moderation.Refusal.FORBIDDEN, refused("ban", "mo", "max", null));
        assertTrue(moderation.act("ban", room, "olga", "max", null, "s", false).changed());
        assertNull(redis.getMap(Keys.roles(room), StringCodec.INSTANCE).get("max"));
        assertThrows(Joins.RefusedException.class, () -> join("max"), "banned");

        // a plain member's invitation does not lift a ban; a moderator's does
        join("mia");
        assertEquals(Moderation.Refusal.FORBIDDEN, refused("invite", "mia", "max", null));
        moderation.act("invite", room, "mo", "max", null, "s", false);
        assertTrue(join("max").added());

        moderation.act("ban", room, "mo", "mia", null, "s", false);
        assertTrue(moderation.act("unban", room, "mo", "mia", null, "s", false).changed());
        assertTrue(join("mia").added(), "unbanned: a public room is open again");
        assertTrue(moderation.act("role", room, "olga", "mo", "member", "s", false).changed());
        assertEquals(Moderation.Refusal.FORBIDDEN, refused("remove", "mo", "mia", null), "demoted");
    }

    /** Protocol 1.8: moderators, the owner and administrators list the banned users by name, a page at a time. */
    @Test
    void moderatorsListTheBannedUsersByNameAPageAtATime() {
        join("owner");
        join("mod");
        join("member");
        moderation.act("role", room, "owner", "mod", "moderator", "socket", false);
        assertEquals(new Moderation.Banned(List.of(), false), moderation.bans(room, "mod", null, 100, false), "nobody banned yet");
        for (String u : List.of("zed", "carl", "bea", "anna")) {
            moderation.act("ban", room, "mod", u, null, "socket", false);
        }
        assertEquals(new Moderation.Banned(List.of("anna", "bea", "carl", "zed"), false), moderation.bans(room, "owner", null, 100, false));
        assertEquals(new Moderation.Banned(List.of("anna", "bea"), true), moderation.bans(room, "mod", null, 2, false));
        assertEquals(new Moderation.Banned(List.of("carl", "zed"), false), moderation.bans(room, "mod", "bea", 2, false));
        assertEquals(new Moderation.Banned(List.of("zed"), false), moderation.bans(room, "mod", "cat", 2, false),
                "after a name nobody has: from the next one");
        moderation.act("unban", room, "mod", "bea", null, "socket", false);
        assertEquals(new Moderation.Banned(List.of("anna", "carl", "zed"), false), moderation.bans(room, "stranger", null, 100, true),
                "a server administrator needs no membership");
        assertEquals(Moderation.Refusal.FORBIDDEN, assertThrows(Moderation.RefusedException.class,
                () -> moderation.bans(room, "member", null, 100, false)).refusal(), "a member does not see the bans");
        assertEquals(Moderation.Refusal.NOT_MEMBER, assertThrows(Moderation.RefusedException.class,
                () -> moderation.bans(room, "stranger", null, 100, false)).refusal());
        moderation.act("role", room, "owner", "mod", "member", "socket", false);
        assertEquals(Moderation.Refusal.FORBIDDEN, assertThrows(Moderation.RefusedException.class,
                () -> moderation.bans(room, "mod", null, 100, false)).refusal(), "no longer a moderator");
    }
}
