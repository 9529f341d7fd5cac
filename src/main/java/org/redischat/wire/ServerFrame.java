package org.redischat.wire;

import java.util.List;


/** Every frame the server sends, as records; {@link Json} writes them, nulls left out. */
public sealed interface ServerFrame {

    /** {@code mentions}: unread messages that mention the user, of the room's newest 100 such; left out when 0. */
    record RoomState(String room, long lastId, long lastRead, Integer mentions, Integer threads) {
        public RoomState(String room, long lastId, long lastRead, int mentions) {
            this(room, lastId, lastRead, mentions == 0 ? null : Integer.valueOf(mentions), null);
        }

        public RoomState(String room, long lastId, long lastRead) {
            this(room, lastId, lastRead, null, null);
        }

        /** The same entry with the threads with replies unread that the user takes part in; left out when 0. */
        public RoomState withThreads(int unread) {
            return new RoomState(room, lastId, lastRead, mentions, unread == 0 ? null : Integer.valueOf(unread));
        }
    }

    /**
     * The server's settings a client needs to behave well (how often to send
     * {@code typing}, the longest {@code text}, the size of a page of messages).
     */
    record Limits(long typingIntervalMs, int textMaxLength, int pageSize) {
    }

    /**
     * The first frame of a socket. {@code limits} is null (left out) where a test does not care;
     * {@code blocked}: the users this user blocks, null (left out) when none; {@code admin} and
     * {@code joinable} (single sign-on) are left out unless true and not empty; {@code rights}: the
     * table of what each rank may do in a room ({@link Rights}), sent by the server's full welcome.
     */
    record Welcome(String type, String user, List<RoomState> rooms, Limits limits, List<String> blocked, Boolean admin,
            List<String> joinable, Rights rights) implements ServerFrame {
        public Welcome(String user, List<RoomState> rooms) {
            this("welcome", user, rooms, null, null, null, null, null);
        }

        public Welcome(String user, List<RoomState> rooms, Limits limits) {
            this("welcome", user, rooms, limits, null, null, null, null);
        }

        public Welcome(String user, List<RoomState> rooms, Limits limits, List<String> blocked) {
            this(user, rooms, limits, blocked, false, List.of());
        }

        public Welcome(String user, List<RoomState> rooms, Limits limits, List<String> blocked, boolean admin,
                List<String> joinable) {
            this("welcome", user, rooms, limits, blocked == null || blocked.isEmpty() ? null : blocked, admin ? Boolean.TRUE : null,
                    joinable == null || joinable.isEmpty() ? null : joinable, Rights.TABLE);
        }
    }

    /** The answer to {@code block} ({@code blocked}) and {@code unblock} ({@code unblocked}). */
    record Blocked(String type, String user, String ref) implements ServerFrame {
    }

    /**
     * The answer to a join. {@code private}, the joiner's {@code role} and the room's {@code roles}
     * (owners and moderators) are left out for a direct room.
     */
    record Joined(String type, String room, String epoch, List<String> members, List<String> online,
            List<Message> messages, boolean more, Boolean recovered,
            @jakarta.json.bind.annotation.JsonbProperty("private") Boolean isPrivate, String role,
            java.util.Map<String, String> roles, String topic, Long change, List<String> bots) implements ServerFrame {
        public Joined(String room, String epoch, List<String> members, List<String> online,
                List<Message> messages, boolean more, Boolean recovered) {
            this("joined", room, epoch, members, online, messages, more, recovered, null, null, null, null, null, null);
        }

        /** The same answer with the room's rules and topic (null: none), as docs/PROTOCOL.md has them. */
        public Joined withRules(boolean isPrivate, String role, java.util.Map<String, String> roles, String topic) {
            return new Joined(type, room, epoch, members, online, messages, more, recovered, isPrivate, role, roles, topic, change, bots);
        }

        /** The same answer with the room's newest change number when it was read. */
        public Joined withChange(long newest) {
            return new Joined(type, room, epoch, members, online, messages, more, recovered, isPrivate, role, roles, topic, newest, bots);
        }

        /** The same answer naming the members that are bots' accounts; left out when none. */
        public Joined withBots(List<String> names) {
            return new Joined(type, room, epoch, members, online, messages, more, recovered, isPrivate, role, roles, topic, change,
                    names.isEmpty() ? null : names);
        }
    }

    /**
     * The answer to {@code edit}, {@code delete} ({@code type} {@code edited},
     * {@code deleted}) and {@code react} ({@code reacted}, with the {@code emoji} and whether the
     * user's reaction is now {@code on}).
     */
    record Changing(String type, String room, long id, String emoji, Boolean on, String ref) implements ServerFrame {
    }

    /**
     * The answer to {@code changes}: messages changed after a change number, in
     * the order of their latest change; {@code change} is the room's newest change number when read.
     */
    record Changes(String type, String room, List<Message> messages, long change, boolean more, String ref)
            implements ServerFrame {
        public Changes(String room, List<Message> messages, long change, boolean more, String ref) {
            this("changes", room, messages, change, more, ref);
        }
    }

    /**
     * The answer to {@code invite}, {@code remove}, {@code ban}, {@code unban}
     * ({@code type} {@code invited}, {@code removed}, {@code banned}, {@code unbanned}) and
     * {@code set_role} ({@code role_set}, with the {@code role}).
     */
    record Moderated(String type, String room, String user, String role, String ref) implements ServerFrame {
    }

    /** The answer to {@code bans}; {@code more}: ask again after the last name. */
    record Bans(String type, String room, List<String> users, boolean more, String ref) implements ServerFrame {
        public Bans(String room, List<String> users, boolean more, String ref) {
            this("bans", room, users, more, ref);
        }
    }

    /**
     * The answer to {@code search}: the messages found, each room's newest first;
     * {@code cursor} (with {@code more}) to go on from.
     */
    record Search(String type, List<Message> messages, boolean more, String cursor, String ref) implements ServerFrame {
        public Search(List<Message> messages, String cursor, String ref) {
            this("search", messages, cursor != null, cursor, ref);
        }
    }

    /**
     * The answer to {@code thread}: its root as it is now and a page of its
     * replies, ascending; {@code more}: ask again after the last reply's id; {@code unread} true when the
     * thread had replies unread for the reader, which this reading marked read (left out otherwise).
     */
    record Thread(String type, String room, Message root, List<Message> messages, boolean more, Boolean unread, String ref)
            implements ServerFrame {
        public Thread(String room, Message root, List<Message> messages, boolean more, boolean unread, String ref) {
            this("thread", room, root, messages, more, unread ? Boolean.TRUE : null, ref);
        }
    }

    /** The answer to {@code set_topic}. */
    record TopicSet(String type, String room, String topic, String ref) implements ServerFrame {
        public TopicSet(String room, String topic, String ref) {
            this("topic_set", room, topic, ref);
        }
    }

    /** The room's topic changed (empty: none), set by {@code by}; to every member's sockets. */
    record Topic(String type, String room, String topic, String by) implements ServerFrame {
        public Topic(String room, String topic, String by) {
            this("topic", room, topic, by);
        }
    }

    /** One public room in the directory. */
    record DirectoryEntry(String room, String topic, int members) {
    }

    /**
     * The answer to {@code directory}, by name; {@code more}: ask again with
     * {@code after} (the last name examined, present only with {@code more}).
     */
    record Directory(String type, List<DirectoryEntry> rooms, boolean more, String after, String ref) implements ServerFrame {
        public Directory(List<DirectoryEntry> rooms, boolean more, String after, String ref) {
            this("directory", rooms, more, more ? after : null, ref);
        }
    }

    /** A member's role in the room changed; to every member's sockets. */
    record Role(String type, String room, String user, String role) implements ServerFrame {
        public Role(String room, String user, String role) {
            this("role", room, user, role);
        }
    }

    record Ack(String type, String ref, String room, long id) implements ServerFrame {
        public Ack(String ref, String room, long id) {
            this("ack", ref, room, id);
        }

        /** The frame as {@link Json#write} makes it (no {@code ref} when null), built by hand: one per send. */
        public String json() {
            return "{\"type\":\"ack\"," + (ref == null ? "" : "\"ref\":" + Json.string(ref) + ",")
                    + "\"room\":" + Json.string(room) + ",\"id\":" + id + "}";
        }
    }

    /** A message, with the fields of its changes if it has any. */
    record MessageFrame(String type, String room, long id, String from, String text, long ts, Long edited,
            Boolean deleted, List<Message.Reaction> reactions, Long change) implements ServerFrame {
        public MessageFrame(Message m) {
            this("message", m);
        }

        private MessageFrame(String type, Message m) {
            this(type, m.room(), m.id(), m.from(), m.text(), m.ts(), m.edited(), m.deleted(), m.reactions(), m.change());
        }

        /** The message's whole new state after a change, as the change script publishes it. */
        public static MessageFrame changed(Message m) {
            return new MessageFrame("changed", m);
        }
    }

    record History(String type, String room, List<Message> messages, boolean more) implements ServerFrame {
        public History(String room, List<Message> messages, boolean more) {
            this("history", room, messages, more);
        }
    }

    /** {@code member_add} and {@code member_remove}. */
    record Member(String type, String room, String user, Boolean bot) implements ServerFrame {
        public Member(String type, String room, String user) {
            this(type, room, user, null);
        }

        /** A member_add marked as a bot's account when {@code bot}. */
        public static Member added(String room, String user, boolean bot) {
            return new Member("member_add", room, user, bot ? Boolean.TRUE : null);
        }
    }

    record Presence(String type, String room, String user, boolean online) implements ServerFrame {
        public Presence(String room, String user, boolean online) {
            this("presence", room, user, online);
        }
    }

    record Typing(String type, String room, String user) implements ServerFrame {
        public Typing(String room, String user) {
            this("typing", room, user);
        }
    }

    /** The user marked the room read on another of their sockets. */
    record ReadMark(String type, String room, long id) implements ServerFrame {
        public ReadMark(String room, long id) {
            this("read", room, id);
        }
    }

    record Left(String type, String room) implements ServerFrame {
        public Left(String room) {
            this("left", room);
        }
    }

    /** The answer to a client's {@code ping} echoing its ref. */
    record Pong(String type, String ref) implements ServerFrame {
        public Pong(String ref) {
            this("pong", ref);
        }
    }

    record Error(String type, String code, String message, String ref) implements ServerFrame {
        public Error(String code, String message, String ref) {
            this("error", code, message, ref);
        }
    }
}
