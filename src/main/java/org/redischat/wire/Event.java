package org.redischat.wire;

/**
 * An event on the bus between nodes other than a stored or changed message (those travel as the
 * client's frame, see {@link Envelope}). {@code kind} is {@code member_add}, {@code member_remove} (published by the membership scripts, with the
 * room's membership version {@code v}; a {@code member_add} also carries the room's newest id
 * {@code id} and {@code epoch} when the member came), {@code typing}, {@code read}, {@code presence},
 * {@code revoke}, {@code probe} or {@code role}, a member's new {@code role} in the room
 * ({@code moderator} or {@code member}), or {@code topic}, the room's new {@code topic} set by {@code user}; {@code origin} names the socket that caused a {@code member_remove}
 * or {@code read} (or the probe), {@code token} the hash of a revoked token; {@code block} and
 * {@code unblock} (node events) say that {@code user} now blocks {@code target}, or no longer does; {@code bot}
 * marks a {@code member_add} of a bot's account, and a {@code bot} node event names a new bot in {@code user}.
 */
public record Event(String kind, String room, String user, String origin, String epoch, String token,
        Long id, Boolean online, Long v, String role, String topic, String target, Boolean bot) {

    /** A member_add as the membership scripts publish it (in its envelope), up to the version they append. */
    public static String memberAddHead(String room, String user) {
        return memberAddHead(room, user, false);
    }

    /** As above, with {@code "bot":true} when the new member is a bot's account. */
    public static String memberAddHead(String room, String user, boolean bot) {
        return Envelope.head("member_add") + "{\"kind\":\"member_add\",\"room\":" + Json.string(room) + ",\"user\":" + Json.string(user)
                + (bot ? ",\"bot\":true" : "") + ",\"v\":";
    }

    /** A member_remove as the membership scripts publish it (in its envelope), up to the version they append. */
    public static String memberRemoveHead(String room, String user, String origin) {
        return Envelope.head("member_remove") + "{\"kind\":\"member_remove\",\"room\":" + Json.string(room) + ",\"user\":" + Json.string(user)
                + ",\"origin\":" + Json.string(origin == null ? "" : origin) + ",\"v\":";
    }

    public static Event memberAdd(String room, String user, long v, long lastId, String epoch) {
        return memberAdd(room, user, v, lastId, epoch, false);
    }

    /** As above, marked as a bot's when {@code bot}. */
    public static Event memberAdd(String room, String user, long v, long lastId, String epoch, boolean bot) {
        return new Event("member_add", room, user, null, epoch, null, lastId, null, v, null, null, null, bot ? Boolean.TRUE : null);
    }

    public static Event memberRemove(String room, String user, String origin, long v) {
        return new Event("member_remove", room, user, origin, null, null, null, null, v, null, null, null, null);
    }

    public static Event revoke(String tokenHash) {
        return new Event("revoke", null, null, null, null, tokenHash, null, null, null, null, null, null, null);
    }

    /** The user came online or went offline; told to the other members of the room. */
    public static Event presence(String user, boolean online, String room) {
        return new Event("presence", room, user, null, null, null, null, online, null, null, null, null, null);
    }

    public static Event typing(String room, String user) {
        return new Event("typing", room, user, null, null, null, null, null, null, null, null, null, null);
    }

    /** The user's read mark moved to {@code id}; {@code origin} is the socket that moved it. */
    public static Event read(String room, String user, String origin, long id) {
        return new Event("read", room, user, origin, null, null, id, null, null, null, null, null, null);
    }

    /** The member's role in the room changed to {@code role} ({@code moderator} or {@code member}). */
    public static Event role(String room, String user, String role) {
        return new Event("role", room, user, null, null, null, null, null, null, role, null, null, null);
    }

    /** The room's topic is now {@code topic} (empty: none), set by {@code by}. */
    public static Event topic(String room, String by, String topic) {
        return new Event("topic", room, by, null, null, null, null, null, null, null, topic, null, null);
    }

    /** A node's probe ({@code origin}: the node's id and the probe's number). */
    public static Event probe(String origin) {
        return new Event("probe", null, null, origin, null, null, null, null, null, null, null, null, null);
    }

    /** {@code user} is a bot's account: for every node's copy of the bots' names. */
    public static Event bot(String name) {
        return new Event("bot", null, name, null, null, null, null, null, null, null, null, null, null);
    }

    /** {@code user} blocks {@code target} now ({@code on}), or no longer does: for the nodes where either has sockets. */
    public static Event block(String user, String target, boolean on) {
        return new Event(on ? "block" : "unblock", null, user, null, null, null, null, null, null, null, null, target, null);
    }
}
