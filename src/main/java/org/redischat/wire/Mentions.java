package org.redischat.wire;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code @name}s of a message's text: who it may mention. Whether each is a member
 * of the room is decided when the message is stored. A name is {@code @} followed by a username,
 * not preceded by a character of one (so {@code bob@example.com} mentions nobody); punctuation a
 * sentence puts after it ({@code @bob.}) is tried without it too.
 */
public final class Mentions {

    /** The most names of one message that count: the rest are plain text. */
    public static final int MAX = 20;

    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9._-])@([A-Za-z0-9][A-Za-z0-9._-]{0,31})");

    private Mentions() {
    }

    /** The lower-cased names, in order, without duplicates and without {@code from}, at most {@link #MAX}. */
    public static List<String> in(String text, String from) {
        if (text.indexOf('@') < 0) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find() && names.size() < MAX) {
            String name = m.group(1).toLowerCase(Locale.ROOT);
            String trimmed = name.replaceAll("[._-]+$", "");
            for (String n : trimmed.equals(name) || trimmed.isEmpty() ? List.of(name) : List.of(trimmed, name)) {
                if (!n.equals(from) && names.size() < MAX) {
                    names.add(n);
                }
            }
        }
        return List.copyOf(names);
    }
}
