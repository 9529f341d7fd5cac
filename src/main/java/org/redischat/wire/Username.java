package org.redischat.wire;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Usernames of docs/PROTOCOL.md: 1-32 of {@code a-z 0-9 . _ -}, starting with a letter or digit. */
public final class Username {

    public static final int MAX = 32;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    private Username() {
    }

    public static boolean isValid(String lowerCased) {
        return lowerCased != null && NAME.matcher(lowerCased).matches();
    }

    public static Optional<String> normalize(String raw) {
        if (raw == null || raw.length() > MAX) {
            return Optional.empty();
        }
        String name = raw.toLowerCase(Locale.ROOT);
        return isValid(name) ? Optional.of(name) : Optional.empty();
    }
}
