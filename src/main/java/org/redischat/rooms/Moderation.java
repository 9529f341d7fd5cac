package org.redischat.rooms;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.ScriptReply;
import org.redischat.redis.LuaScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.wire.Envelope;
import org.redischat.wire.Event;

/**
 * What members do to each other in a room: invite, remove, ban, unban, and the owner's
 * naming of moderators. The rights and the change are one script ({@code moderation.lua}), so a role
 * taken away meanwhile cannot slip a removal through; a removal is published as the room's
 * {@code member_remove}, which takes the user's sockets out of the room on every node.
 */
@ApplicationScoped
public class Moderation {

    private static final LuaScript SCRIPT = LuaScript.load(Moderation.class, "moderation.lua", "/org/redischat/wire/rights.json", "ranks.lua");
    private static final LuaScript BANS = LuaScript.load(Moderation.class, "bans.lua", "fields.lua", "/org/redischat/wire/rights.json", "ranks.lua");

    @Inject
    RedissonClient redis;

    @Inject
    Channels channels;

    /** How long an invitation lets its user join a private room. */
    @Inject
    @ConfigProperty(name = "chat.invite.ttl-seconds", defaultValue = "604800")
    long inviteSeconds;

    /** Why an action was refused: the actor is no member, lacks the rank, or the target of a role is no member. */
    public enum Refusal {
        NOT_MEMBER, FORBIDDEN, TARGET_NOT_MEMBER
    }

    public static final class RefusedException extends RuntimeException {
        private final Refusal refusal;

        RefusedException(Refusal refusal) {
            super(refusal.name(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** Done: whether it changed anything and, for a removal, the room's membership version after it. */
    public record Outcome(boolean changed, long version) {
    }

    /**
     * {@code action} is {@code invite}, {@code remove}, {@code ban}, {@code unban}, {@code role}
     * ({@code value}: {@code moderator} or {@code member}) or {@code topic} ({@code value}: the topic,
     * empty for none; {@code target}: the actor); {@code origin} is the actor's socket; {@code admin}:
     * the actor is a server administrator (no membership needed, outranks the owner).
     */
    public Outcome act(String action, String room, String actor, String target, String value, String origin, boolean admin) {
        long now = System.currentTimeMillis();
        // the script's arguments that only some actions use are empty for the others
        String argument = switch (action) {
            case "invite" -> String.valueOf(now + inviteSeconds * 1000);
            case "role", "topic" -> value;
            default -> "";
        };
        String event = switch (action) {
            case "role" -> Envelope.of(Event.role(room, target, value));
            case "topic" -> Envelope.of(Event.topic(room, actor, value));
            default -> "";
        };
        return run(action, room, actor, target, argument, origin, event, admin, now);
    }

    /** A page of the users banned from the room, by name; {@code more}: there are names after the last. */
    public record Banned(List<String> users, boolean more) {
    }

    /**
     * The users banned from the room after {@code after} (null: from the first), at most {@code limit}:
     * for a moderator, the owner or a server administrator ({@code admin}).
     *
     * @throws RefusedException {@code NOT_MEMBER} or {@code FORBIDDEN}
     */
    public Banned bans(String room, String actor, String after, int limit, boolean admin) {
        ScriptReply r = ScriptReply.of(BANS.run(redis, List.of(Keys.members(room), Keys.roles(room), Keys.bans(room)), actor,
                admin ? "1" : "0", after == null ? "" : after, String.valueOf(limit)));
        if (r.error() != null) {
            throw new RefusedException("not_member".equals(r.error()) ? Refusal.NOT_MEMBER : Refusal.FORBIDDEN);
        }
        return new Banned(r.list("names"), r.flag("more"));
    }

    /**
     * The server makes the room private and lets a holder of the group bound to it join until
     * {@code untilMillis} (an invitation), unless they are banned or a member already; true when it invited.
     */
    public boolean admit(String room, String user, long untilMillis) {
        return run("admit", room, "", user, String.valueOf(untilMillis), "", "", true, System.currentTimeMillis()).changed();
    }

    /** The server takes a user who lost the group bound to the room out of it: membership, role and invitation. */
    public Outcome expel(String room, String user) {
        return run("expel", room, "", user, "", "", "", true, System.currentTimeMillis());
    }

    private Outcome run(String action, String room, String actor, String target, String argument, String origin,
            String event, boolean admin, long now) {
        boolean cluster = redis.getConfig().isClusterConfig();
        List<Object> keys = new ArrayList<>(List.of(Keys.members(room), Keys.memberVersion(room), Keys.roles(room),
                Keys.bans(room), Keys.invites(room), Keys.meta(room)));
        if (!cluster) {
            keys.add(Keys.roomsOf(target));
        }
        boolean removal = action.equals("remove") || action.equals("ban") || action.equals("expel");
        String removed = removal ? Event.memberRemoveHead(room, target, origin) : "";
        ScriptReply r = ScriptReply.of(SCRIPT.run(redis, keys, action, actor, target, Keys.channel(room), channels.publishCommand(),
                removed, room, argument, String.valueOf(now), event, admin ? "1" : "0"));
        if (r.error() != null) {
            throw new RefusedException(switch (r.error()) {
                case "not_member" -> Refusal.NOT_MEMBER;
                case "target_not_member" -> Refusal.TARGET_NOT_MEMBER;
                default -> Refusal.FORBIDDEN;
            });
        }
        boolean changed = r.flag("changed");
        if (cluster && changed && removal) {
            redis.getSet(Keys.roomsOf(target), StringCodec.INSTANCE).remove(room); // another slot
        }
        return new Outcome(changed, r.text("version") == null ? 0 : r.number("version"));
    }
}
