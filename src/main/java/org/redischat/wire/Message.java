package org.redischat.wire;

import java.util.List;

/**
 * A stored chat message, as docs/PROTOCOL.md's {@code M}. Added in protocol 1.4, each left out until
 * the message is changed: {@code edited} (when its text was last edited, ms), {@code deleted} (true:
 * a tombstone, its text empty), {@code reactions} (per emoji, the users who reacted with it, in the
 * order of first use) and {@code change} (the room's change number of the message's latest change).
 */
public record Message(String room, long id, String from, String text, long ts, Long edited, Boolean deleted,
        List<Reaction> reactions, Long change) {

    /** Added in protocol 1.4: the users who reacted to a message with one emoji. */
    public record Reaction(String emoji, List<String> users) {
    }

    /** A message as it is stored first: never changed. */
    public static Message of(String room, long id, String from, String text, long ts) {
        return new Message(room, id, from, text, ts, null, null, null, null);
    }

    public static Message parse(String json) {
        return Json.read(json, Message.class);
    }

    /** The message's JSON split around its id, which only the append script knows. */
    public static String[] jsonAroundId(String room, String from, String text, long ts) {
        return new String[] {
            "{\"room\":" + Json.string(room) + ",\"id\":",
            ",\"from\":" + Json.string(from) + ",\"text\":" + Json.string(text) + ",\"ts\":" + ts + "}"
        };
    }
}
