package org.redischat.history;

import java.util.List;
import org.redischat.wire.Message;

/** A room's state read in one step: epoch, newest id, oldest kept id, and a run of messages (ascending). */
public record Snapshot(String epoch, long lastId, long oldestId, List<Message> messages, boolean more) {
}
