package org.redischat.redis;

/**
 * Every Redis key and channel name of the application. The keys of one room share the hash tag
 * {@code {room}}, so the room's scripts touch a single slot on Redis Cluster.
 */
public final class Keys {

    /**
     * The channel of node-wide events, heard by every node: token revocations, and copies of
     * membership changes for the nodes where the member has sockets but no subscription to the room.
     */
    public static final String NODE_EVENTS = "chat:node-events";

    /**
     * Sorted set, every score 0, members the names of public rooms (the directory), read
     * by name prefix with ZRANGEBYLEX. One key in one slot: written after a join, not inside its script.
     */
    public static final String DIRECTORY = "chat:directory";

    private Keys() {
    }

    private static String room(String room, String part) {
        return "chat:{" + room + "}:" + part;
    }

    /** Sorted set: score = message id, member = the message's JSON. */
    public static String log(String room) {
        return room(room, "log");
    }

    /** String: the newest message id of the room's current epoch. */
    public static String seq(String room) {
        return room(room, "seq");
    }

    /** String: the id of the room's history; a new one when the history was lost. */
    public static String epoch(String room) {
        return room(room, "epoch");
    }

    /**
     * The room's pub/sub channel: every event of the room, in one order. In the room's hash slot, so
     * the room's scripts publish on it (SPUBLISH) on the shard that stores the room.
     */
    public static String channel(String room) {
        return room(room, "events");
    }

    /** String: the room's membership version, raised by every change of its members. */
    public static String memberVersion(String room) {
        return room(room, "mver");
    }

    /** A node's probe channel in the hash slot of {@code tag} (one per shard): {@code chat:{tag}:probe:node}. */
    public static String probe(String tag, String node) {
        return "chat:{" + tag + "}:probe:" + node;
    }

    /** Hash: {@code owner} (the room's first member) and {@code private} ("1" or "0"); absent for older rooms and direct rooms. */
    public static String meta(String room) {
        return room(room, "meta");
    }

    /**
     * Sorted set: score = the room's change number of a message's latest change (edit,
     * delete, reaction), member = the message's id; the counter is the {@code change} field of {@link #meta}.
     */
    public static String changes(String room) {
        return room(room, "changes");
    }

    /** String: the edit rate state (GCRA theoretical arrival time) of a user. */
    public static String editRate(String user) {
        return "chat:edit-rate:" + user;
    }

    /** Hash: username to {@code owner} or {@code moderator}; a member without an entry is a plain member. */
    public static String roles(String room) {
        return room(room, "roles");
    }

    /** Sorted set: the ids of the room's newest 100 messages that mention the user. */
    public static String mentions(String room, String user) {
        return room(room, "mentions:" + user);
    }

    /** Sorted set: the ids of the replies in the thread of message {@code root}. */
    public static String thread(String room, long root) {
        return room(room, "thread:" + root);
    }

    /** The start of {@link #thread}'s names in the room: a root's id completes it (for reply.lua). */
    public static String threadPrefix(String room) {
        return room(room, "thread:");
    }

    /** Sorted set: the ids of the room's messages that have a thread. */
    public static String threadRoots(String room) {
        return room(room, "threads");
    }

    /** Set: who takes part in the thread of {@code root} (its author and everyone who replied). */
    public static String threadPeople(String room, long root) {
        return room(room, "thread:" + root + ":people");
    }

    /** Hash: the user's unread replies in the room's threads they take part in, root id to count. */
    public static String threadsUnread(String room, String user) {
        return room(room, "threads-unread:" + user);
    }

    /** The start of {@link #threadsUnread}'s names in the room: the user's name completes it (for reply.lua). */
    public static String threadsUnreadPrefix(String room) {
        return room(room, "threads-unread:");
    }

    /** Set of usernames banned from the room: they cannot join it until unbanned. */
    public static String bans(String room) {
        return room(room, "bans");
    }

    /** Sorted set: score = when the invitation expires (ms since the epoch), member = the invited username. */
    public static String invites(String room) {
        return room(room, "invites");
    }

    /**
     * Hash: a join link's id (a digest of its secret, never the secret) to {@code "<issuer> <expires ms>
     * <created ms>"}: the room's revocable join links.
     */
    public static String joinLinks(String room) {
        return room(room, "links");
    }

    /** Set of the users a user blocks. */
    public static String blocks(String user) {
        return "chat:user:" + user + ":blocks";
    }

    /** Set of the users who block a user. */
    public static String blockedBy(String user) {
        return "chat:user:" + user + ":blocked-by";
    }

    /** Set of usernames. */
    public static String members(String room) {
        return room(room, "members");
    }

    /** String with an expiry: the id a {@code send} with this ref was stored under. */
    public static String ref(String room, String user, String ref) {
        return room(room, "ref:" + user + ":" + ref);
    }

    /** String: the stored password hash of a user. */
    public static String account(String user) {
        return "chat:user:" + user;
    }

    /** Hash: the room's incoming webhooks, id to its record (name, creator, time, the secret's digest). */
    public static String webhooks(String room) {
        return room(room, "webhooks");
    }

    /** String: the room of an incoming webhook, by the webhook's id. */
    public static String webhook(String id) {
        return "chat:webhook:" + id;
    }

    /** Budget of an incoming webhook's posts. */
    public static String webhookRate(String id) {
        return "chat:webhook:" + id + ":rate";
    }

    /** String: the budget (GCRA theoretical arrival time) of a client address's posts to webhook URLs that do not exist. */
    public static String webhookMisses(String client) {
        return "chat:webhook-misses:" + client;
    }

    /** Set of the rooms a user is a member of. */
    public static String roomsOf(String user) {
        return "chat:user:" + user + ":rooms";
    }

    /** String with a short expiry: set while a user's last {@code typing} in the room is recent. */
    public static String typing(String room, String user) {
        return room(room, "typing:" + user);
    }

    /** Hash user -> id: how far each member has read the room. */
    public static String readMarks(String room) {
        return room(room, "read");
    }

    /** Set of the nodes where the user has a socket open; the user is online while it is not empty. */
    public static String onlineNodes(String user) {
        return "chat:online:{" + user + "}";
    }

    /** Set of the users with a socket on a node, for taking them offline when the node dies. */
    public static String nodeUsers(String node) {
        return "chat:node:" + node + ":users";
    }

    /** Sorted set node -> last heartbeat (Redis time, ms). */
    public static final String NODES = "chat:nodes";

    /** The names of every bot's account: a set. */
    public static String bots() {
        return "chat:bots";
    }

    /** The bots' names a user made through webhooks: a set. */
    public static String botsMadeBy(String user) {
        return "chat:user:" + user + ":bots-made";
    }

    /** The hashes of the tokens issued to a bot, scored by when each expires (ms): a sorted set. */
    public static String botTokens(String name) {
        return "chat:bot:" + name + ":tokens";
    }

    /** Present while the user is a server administrator (single sign-on), with the session's expiry. */
    public static String admin(String user) {
        return "chat:admin:" + user;
    }

    /** String: the user a token belongs to; named by the token's SHA-256, never by the token. */
    public static String token(String tokenHash) {
        return "chat:token:" + tokenHash;
    }

    /** String: a sign-in/sign-up budget (GCRA theoretical arrival time), of a username or a client address. */
    public static String loginRate(String who) {
        return "chat:login-rate:" + who;
    }

    /** String: the read budget (GCRA theoretical arrival time) of a user: joins, history, changes, directory, links. */
    public static String readRate(String user) {
        return "chat:read-rate:" + user;
    }

    /** String: the signal budget (GCRA theoretical arrival time) of a user: typing and read marks. */
    public static String signalRate(String user) {
        return "chat:signal-rate:" + user;
    }

    /** String: the send rate state (GCRA theoretical arrival time) of a user. */
    public static String sendRate(String user) {
        return "chat:rate:" + user;
    }
}
