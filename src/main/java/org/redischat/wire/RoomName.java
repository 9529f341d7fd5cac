package org.redischat.wire;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;


/**
 * Room names of docs/PROTOCOL.md: {@code general}, or a direct room {@code dm:alice:bob}. Lower-cased
 * before checking. The well-formed check of a direct room (order, two distinct users) lives in
 * {@link DirectRoom}; here it only has to be made of two usernames.
 */
public final class RoomName {

    private static final Pattern ROOM = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private RoomName() {
    }

    public static Optional<String> normalize(String raw) {
        if (raw == null || raw.length() > 3 + 2 * Username.MAX + 1) {
            return Optional.empty();
        }
        String name = raw.toLowerCase(Locale.ROOT);
        if (ROOM.matcher(name).matches()) {
            return Optional.of(name);
        }
        return DirectRoom.parse(name).map(DirectRoom::name);
    }
}
