package org.redischat.wire;

import java.util.Optional;


/** A direct room {@code dm:<a>:<b>}: two different users, in ascending order. */
public record DirectRoom(String first, String second) {

    private static final String PREFIX = "dm:";

    public static boolean isDirect(String room) {
        return room.startsWith(PREFIX);
    }

    /** Parses an already lower-cased name; empty when it is not a well-formed direct room. */
    public static Optional<DirectRoom> parse(String name) {
        if (!isDirect(name)) {
            return Optional.empty();
        }
        String[] parts = name.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 2 || !Username.isValid(parts[0]) || !Username.isValid(parts[1])
                || parts[0].compareTo(parts[1]) >= 0) {
            return Optional.empty();
        }
        return Optional.of(new DirectRoom(parts[0], parts[1]));
    }

    public static DirectRoom between(String a, String b) {
        return a.compareTo(b) < 0 ? new DirectRoom(a, b) : new DirectRoom(b, a);
    }

    public String name() {
        return PREFIX + first + ":" + second;
    }

    public boolean includes(String user) {
        return first.equals(user) || second.equals(user);
    }

    public String other(String user) {
        return first.equals(user) ? second : first;
    }
}
