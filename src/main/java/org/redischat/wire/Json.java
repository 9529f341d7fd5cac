package org.redischat.wire;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/** The one JSON-B instance of the application: thread-safe, created once. */
public final class Json {

    private static final Jsonb JSONB = JsonbBuilder.create();

    private Json() {
    }

    public static String write(Object value) {
        return JSONB.toJson(value);
    }

    public static <T> T read(String json, Class<T> type) {
        return JSONB.fromJson(json, type);
    }
}
