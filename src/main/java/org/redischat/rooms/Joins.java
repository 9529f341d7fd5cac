package org.redischat.rooms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.accounts.Bots;
import org.redischat.history.Snapshot;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.LuaScript;
import org.redischat.redis.RoomCap;
import org.redischat.redis.ScriptReply;
import org.redischat.wire.Event;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Joining a room: admission by the room's rules (bans, private rooms and invitations, join links, the
 * rooms-per-user limit), making the member (both sides of the pair: the room's members and the
 * user's own rooms, see {@link org.redischat.members.Members}), a new room's ownership, and the read of
 * everything the {@code joined} answer needs — all in one script ({@code join.lua}), one round trip.
 * A user who was not a member raises the room's membership version and {@code member_add} is
 * published on the room's channel after both sides are written, so a node that hears it and then
 * reads the user's rooms finds this one. Under Redis Cluster the user's side lives in another slot
 * and is written just after the script instead.
 */
@ApplicationScoped
public class Joins {

    private static final LuaScript JOIN = LuaScript.load(Joins.class, "join.lua",
            "fields.lua", "/org/redischat/history/page.lua", "/org/redischat/wire/rights.json", "/org/redischat/redis/ranks.lua");

    @Inject
    RedissonClient redis;

    @Inject
    Channels channels;

    /** Which joiners are bots, to mark their member_add (a plain instance, knowing none, until injected). */
    @Inject
    Bots bots = new Bots();

    /** Most bytes of messages in a {@code joined} answer (as for {@code history}). */
    @Inject
    @ConfigProperty(name = "chat.answer.max-bytes", defaultValue = "262144")
    long answerBytes = 262_144;

    /** Most rooms one user may be a member of (0: no limit; a bean made with {@code new} has none). */
    @Inject
    @ConfigProperty(name = "chat.rooms.max-per-user", defaultValue = "500")
    int maxRooms;

    /** A join the room's rules refuse (banned; a private room without an invitation); nothing changed. */
    public static final class RefusedException extends RuntimeException {
        RefusedException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What kind of room a join may create: the rules of a new room, or none for a direct room. */
    public enum Admission {
        PUBLIC, PRIVATE, DIRECT,
        /** With a join link (its id given): admitted to a private room as an invitation would, a ban still holds. */
        LINKED
    }

    /**
     * A join's snapshot, whether the user was new to the room, the room's membership version after
     * the join, the room's members, sorted, whether the room is private, who has a role there
     * (username to {@code owner} or {@code moderator}), its topic (null: none), and the room's newest
     * change number when the snapshot was read.
     */
    public record Joining(Snapshot snapshot, boolean added, long version, List<String> members, boolean isPrivate,
            Map<String, String> roles, String topic, long change) {
    }

    /** A join of a public room (made public if new): see {@link #join(String, String, Long, int, Admission, String)}. */
    public Joining join(String room, String user, Long since, int count) {
        return join(room, user, since, count, Admission.PUBLIC, null);
    }

    /** A join under the given rules, without a join link. */
    public Joining join(String room, String user, Long since, int count, Admission admission) {
        return join(room, user, since, count, admission, null);
    }

    /**
     * Makes the user a member of the room under its rules ({@code admission}: what a new room becomes,
     * or a direct room; {@code linkId}: the join link's id for {@link Admission#LINKED}) and reads the
     * snapshot ({@code since} null: the newest {@code count} messages; else the oldest {@code count}
     * after {@code since}) and the room's state.
     *
     * @throws RefusedException when the rules refuse the user (nothing changed)
     * @throws RoomCap.Reached when the user is already in {@code chat.rooms.max-per-user} rooms (nothing
     *         changed; under Redis Cluster the limit is checked before the script)
     */
    public Joining join(String room, String user, Long since, int count, Admission admission, String linkId) {
        boolean cluster = redis.getConfig().isClusterConfig();
        if (cluster && RoomCap.reached(redis, user, room, maxRooms)) {
            throw new RoomCap.Reached(user);
        }
        List<Object> keys = new ArrayList<>(List.of(Keys.epoch(room), Keys.seq(room), Keys.log(room),
                Keys.members(room), Keys.memberVersion(room), Keys.meta(room), Keys.roles(room),
                Keys.bans(room), Keys.invites(room), Keys.joinLinks(room)));
        if (!cluster) {
            keys.add(Keys.roomsOf(user));
        }
        boolean newestFirst = since == null;
        ScriptReply r = ScriptReply.of(JOIN.run(redis, keys,
                Snapshot.newEpoch(), newestFirst ? "desc" : "asc", newestFirst ? "+inf" : "(" + since,
                String.valueOf(count), String.valueOf(answerBytes),
                user, Keys.channel(room), channels.publishCommand(), Event.memberAddHead(room, user, bots.is(user)), room,
                admission.name().toLowerCase(Locale.ROOT), String.valueOf(System.currentTimeMillis()),
                String.valueOf(maxRooms), linkId == null ? "" : linkId));
        if ("forbidden".equals(r.error())) {
            throw new RefusedException(r.text("reason"));
        }
        if ("full".equals(r.error())) {
            throw new RoomCap.Reached(user);
        }
        if (cluster) {
            // another slot: written once the script admitted the user, never before (a socket of the user
            // opening meanwhile must not follow a room they may be refused); a join that fails here is
            // answered internal and repaired by joining again
            redis.getSet(Keys.roomsOf(user), StringCodec.INSTANCE).add(room);
        }
        List<String> roleEntries = r.list("roles");
        Map<String, String> roles = new TreeMap<>();
        for (int i = 0; i + 1 < roleEntries.size(); i += 2) {
            roles.put(roleEntries.get(i), roleEntries.get(i + 1));
        }
        List<String> members = new ArrayList<>(r.list("members"));
        members.sort(null);
        String topic = r.text("topic");
        return new Joining(Snapshot.of(r, newestFirst), r.flag("added"), r.number("version"), members, r.flag("private"),
                roles, topic.isEmpty() ? null : topic, r.number("change"));
    }
}
