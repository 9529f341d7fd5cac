package org.redischat.wire;

/** Every frame a client may send, after {@link FrameParser} has checked its form. */
public sealed interface ClientFrame {

    String room();

    String ref();

    /** {@code since} is null for a plain join; {@code epoch} only counts with {@code since}. */
    record Join(String room, Long since, String epoch, String ref) implements ClientFrame {
    }

    record Send(String room, String text, String ref) implements ClientFrame {
    }

    /** {@code before} is null for "above the newest". */
    record History(String room, Long before, int limit, String ref) implements ClientFrame {
    }

    record Leave(String room, String ref) implements ClientFrame {
    }

    record Typing(String room, String ref) implements ClientFrame {
    }

    record Read(String room, long id, String ref) implements ClientFrame {
    }

    /** Added in protocol 1.2: a liveness check, answered by {@code pong}; it names no room. */
    record Ping(String ref) implements ClientFrame {
        @Override
        public String room() {
            return null;
        }
    }
}
