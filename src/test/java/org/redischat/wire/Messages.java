package org.redischat.wire;

/** Messages for tests. */
public final class Messages {

    private Messages() {
    }

    /** A message as it is stored first: never changed, no thread. */
    public static Message of(String room, long id, String from, String text, long ts) {
        return new Message(room, id, from, text, ts, null, null, null, null, null, null, null);
    }
}
