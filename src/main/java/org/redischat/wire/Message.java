package org.redischat.wire;


/** A stored chat message, as docs/PROTOCOL.md's {@code M}. */
public record Message(String room, long id, String from, String text, long ts) {

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
