package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/** What the protocol tests read out of answers, and how they check an error. */
final class Replies {

    private Replies() {
    }

    /** Frames of a type. */
    static Predicate<JsonObject> type(String t) {
        return f -> t.equals(f.getString("type"));
    }

    /** A membership frame ({@code member_add}, {@code member_remove}) about the user. */
    static Predicate<JsonObject> member(String t, String user) {
        return f -> t.equals(f.getString("type")) && user.equals(f.getString("user"));
    }

    /** The {@code message} frame of this id: sent after other events of its room, it comes after them on every socket. */
    static Predicate<JsonObject> messageId(long id) {
        return f -> "message".equals(f.getString("type")) && f.getJsonNumber("id").longValue() == id;
    }

    static List<String> strings(JsonObject o, String field) {
        return o.getJsonArray(field).getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    static List<Integer> ids(JsonObject o) {
        return o.getJsonArray("messages").getValuesAs(JsonObject.class).stream().map(m -> m.getInt("id")).toList();
    }

    static void assertError(Api.Reply reply, int status) {
        assertEquals(status, reply.status(), reply.body());
        JsonObject body = reply.json();
        assertTrue(body.getString("error").length() > 0);
        assertTrue(body.getString("message").length() > 0);
    }

    static void assertBad(ChatClient c, String frame, String ref) {
        c.send(frame);
        assertErrorFrame(c.awaitType("error"), "bad_request", ref);
    }

    static void assertErrorFrame(JsonObject f, String code, String ref) {
        assertEquals("error", f.getString("type"), f::toString);
        assertEquals(code, f.getString("code"), f::toString);
        assertTrue(f.getString("message").length() > 0);
        if (ref == null) {
            assertFalse(f.containsKey("ref"), f::toString);
        } else {
            assertEquals(ref, f.getString("ref"));
        }
    }
}
