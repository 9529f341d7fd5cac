package org.redischat.wire;

import java.util.List;

/**
 * A stored chat message, as docs/PROTOCOL.md's {@code M}. Left out until the message is changed: {@code edited} (when its text was last edited, ms), {@code deleted} (true:
 * a tombstone, its text empty), {@code reactions} (per emoji, the users who reacted with it, in the
 * order of first use) and {@code change} (the room's change number of the message's latest change).
 * Threads: {@code thread}, on a reply, its root's id; on a root, {@code replies} (how many) and
 * {@code lastReply} (the newest reply's id), left out until it has one.
 */
public record Message(String room, long id, String from, String text, long ts, Long edited, Boolean deleted,
        List<Reaction> reactions, Long change, Long thread, Integer replies, Long lastReply) {

    // one constructor only: JSON-B reads a record through its canonical constructor

    /** The users who reacted to a message with one emoji. */
    public record Reaction(String emoji, List<String> users) {
    }

    public static Message parse(String json) {
        return Json.read(json, Message.class);
    }

    /** The message's JSON split around its id, which only the append script knows. */
    public static String[] jsonAroundId(String room, String from, String text, long ts) {
        return jsonAroundId(room, from, text, ts, null);
    }

    /** As above, for a reply in the thread of message {@code thread} (null: not a reply). */
    public static String[] jsonAroundId(String room, String from, String text, long ts, Long thread) {
        return new String[] {
            "{\"room\":" + Json.string(room) + ",\"id\":",
            ",\"from\":" + Json.string(from) + ",\"text\":" + Json.string(text) + ",\"ts\":" + ts
                    + (thread == null ? "" : ",\"thread\":" + thread) + "}"
        };
    }
}
