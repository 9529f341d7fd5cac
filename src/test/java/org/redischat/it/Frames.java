package org.redischat.it;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/** Builds client frames: {@code Frames.of("type", "join", "room", "general")}. */
final class Frames {

    private Frames() {
    }

    static String of(Object... keysAndValues) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String k = (String) keysAndValues[i];
            Object v = keysAndValues[i + 1];
            if (v instanceof Number n) {
                b.add(k, n.longValue());
            } else if (v instanceof Boolean yes) {
                b.add(k, yes);
            } else {
                b.add(k, String.valueOf(v));
            }
        }
        return b.build().toString();
    }

    static String join(String room) {
        return of("type", "join", "room", room);
    }

    static String send(String room, String text, String ref) {
        return of("type", "send", "room", room, "text", text, "ref", ref);
    }
}
