package org.redischat.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Scripts' answers as named fields, written by fields.lua in a real Redis and read by ScriptReply. */
class ScriptReplyTest {

    private static final LuaScript ANSWER = LuaScript.of(LuaScript.libraries("fields.lua")
            + "local t = {}\n"
            + "field(t, 'epoch', 'e1')\n"
            + "field(t, 'count', 42)\n"
            + "field(t, 'flag', '1')\n"
            + "field_list(t, 'messages', {'{\"id\":1}', 'two words'})\n"
            + "field_list(t, 'none', {})\n"
            + "return t\n");

    @Test
    void fieldsAreReadByNameWhateverTheirOrderAndTypeInRedis() {
        ScriptReply r = ScriptReply.of(ANSWER.run(TestRedis.client(), List.of(TestRedis.unique("any"))));
        assertNull(r.error());
        assertEquals("e1", r.text("epoch"));
        assertEquals(42, r.number("count"), "a Lua number arrives as an integer");
        assertTrue(r.flag("flag"));
        assertFalse(r.flag("absent"));
        assertNull(r.text("absent"));
        assertEquals(List.of("{\"id\":1}", "two words"), r.list("messages"));
        assertEquals(List.of(), r.list("none"));
        assertEquals(List.of(), r.list("absent"));
        assertThrows(IllegalArgumentException.class, () -> r.number("absent"));
    }

    @Test
    void aRefusalIsItsErrorFieldAndABrokenAnswerIsSaidSo() {
        assertEquals("forbidden", ScriptReply.of(List.of("error", "forbidden", "reason", "banned")).error());
        assertEquals(7, ScriptReply.of(List.of("oldest", "7")).number("oldest"));
        assertEquals(1_000_000_000_000_000L, ScriptReply.of(List.of("oldest", "1e+15")).number("oldest"), "a score as Redis may write it");
        assertThrows(IllegalArgumentException.class, () -> ScriptReply.of(List.of("epoch")));
        assertThrows(IllegalArgumentException.class, () -> ScriptReply.of(List.of("messages[]", 3L, "one")));
    }
}
