package org.redischat.wire;

/** Every frame a client may send, after {@link FrameParser} has checked its form. */
public sealed interface ClientFrame {

    String room();

    String ref();

    /**
     * {@code since} is null for a plain join; {@code epoch} only counts with {@code since}.
     * {@code makePrivate}: a room this join creates is private; {@code invite}: a
     * join link's invitation, null when none.
     */
    record Join(String room, Long since, String epoch, String ref, boolean makePrivate, String invite) implements ClientFrame {
        public Join(String room, Long since, String epoch, String ref) {
            this(room, since, epoch, ref, false, null);
        }

        public Join(String room, Long since, String epoch, String ref, boolean makePrivate) {
            this(room, since, epoch, ref, makePrivate, null);
        }
    }

    /**
     * A member acts on another user of the room. {@code action} is
     * {@code invite}, {@code remove}, {@code ban}, {@code unban} or {@code set_role}; {@code role}
     * ({@code moderator} or {@code member}) only for {@code set_role}.
     */
    record Moderate(String action, String room, String user, String role, String ref) implements ClientFrame {
    }

    /**
     * The users banned from the room, by name, after {@code after} (null: from
     * the first), at most {@code limit}; for its moderators and owner.
     */
    record Bans(String room, String after, int limit, String ref) implements ClientFrame {
    }

    /**
     * Messages with every one of {@code words} (lower case in ASCII), by
     * {@code from} (null: anyone), with {@code ts} from {@code start} to {@code end} (null: unbounded),
     * in {@code room} or (null) every room of the user, at most {@code limit}, going on from
     * {@code cursor} (null: from the start).
     */
    record Search(String room, java.util.List<String> words, String from, Long start, Long end, int limit, String cursor,
            String ref) implements ClientFrame {
    }

    /** A moderator or the owner sets the room's topic (empty: none). */
    record SetTopic(String room, String topic, String ref) implements ClientFrame {
    }

    /** {@code thread}: the id of the message this one replies to in its thread; null: none. */
    record Send(String room, String text, String ref, Long thread) implements ClientFrame {
        public Send(String room, String text, String ref) {
            this(room, text, ref, null);
        }
    }

    /** The replies in the thread of message {@code id}, after reply {@code after}, at most {@code limit}. */
    record Thread(String room, long id, long after, int limit, String ref) implements ClientFrame {
    }

    /**
     * A change to message {@code id} of the room. {@code action} is {@code edit}
     * ({@code value}: the new text), {@code delete} ({@code value} null) or {@code react}
     * ({@code value}: the emoji, toggled).
     */
    record Change(String action, String room, long id, String value, String ref) implements ClientFrame {
    }

    /** The messages changed after change number {@code after}, at most {@code limit}. */
    record Changes(String room, long after, int limit, String ref) implements ClientFrame {
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

    /**
     * The public rooms whose names start with {@code prefix} (empty: all),
     * after the name {@code after} (null: from the first), at most {@code limit}; it names no room.
     */
    record Directory(String prefix, String after, int limit, String ref) implements ClientFrame {
        @Override
        public String room() {
            return null;
        }
    }

    /** The user blocks {@code user} ({@code on}) or stops blocking them; it names no room. */
    record Block(String user, boolean on, String ref) implements ClientFrame {
        @Override
        public String room() {
            return null;
        }
    }

    /** A liveness check, answered by {@code pong}; it names no room. */
    record Ping(String ref) implements ClientFrame {
        @Override
        public String room() {
            return null;
        }
    }
}
