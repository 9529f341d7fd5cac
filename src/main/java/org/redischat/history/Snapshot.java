package org.redischat.history;

import java.util.ArrayList;
import java.util.List;

import org.redischat.redis.ScriptReply;
import org.redischat.wire.Message;

/** A room's state read in one step: epoch, newest id, oldest kept id, and a run of messages (ascending). */
public record Snapshot(String epoch, long lastId, long oldestId, List<Message> messages, boolean more) {

    /** A new epoch: 64 random bits; it only has to differ from the room's earlier ones, it is no secret. */
    public static String newEpoch() {
        return java.util.HexFormat.of().toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    /**
     * The page a script answered with {@code page.lua}'s fields; {@code newestFirst} when it read
     * newest first (the messages are put in ascending order).
     */
    public static Snapshot of(ScriptReply r, boolean newestFirst) {
        List<String> raw = r.list("messages");
        List<Message> messages = new ArrayList<>(raw.size());
        for (String m : raw) {
            messages.add(Message.parse(m));
        }
        if (newestFirst) {
            java.util.Collections.reverse(messages);
        }
        return new Snapshot(r.text("epoch"), r.number("last"), r.number("oldest"), messages, r.flag("more"));
    }
}
