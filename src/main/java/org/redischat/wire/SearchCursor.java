package org.redischat.wire;

import java.util.Optional;

/** Where a search goes on: below message {@code below} of {@code room} (null: from its newest), then the rooms after it. */
public record SearchCursor(String room, Long below) {

    /** The cursor's text, as a client sends it back. */
    @Override
    public String toString() {
        return room + "@" + (below == null ? "" : below);
    }

    /** A cursor read back from a client; empty when it is not one. */
    public static Optional<SearchCursor> parse(String s) {
        int at = s == null ? -1 : s.lastIndexOf('@');
        if (at < 1) {
            return Optional.empty();
        }
        Optional<String> room = RoomName.normalize(s.substring(0, at));
        String id = s.substring(at + 1);
        if (room.isEmpty() || !id.matches("\\d{0,18}")) {
            return Optional.empty();
        }
        Long below = id.isEmpty() ? null : Long.parseLong(id);
        return below != null && below < 1 ? Optional.empty() : Optional.of(new SearchCursor(room.get(), below));
    }
}
