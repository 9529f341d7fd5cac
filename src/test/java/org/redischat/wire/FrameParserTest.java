package org.redischat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameParserTest {

    private final FrameParser parser = new FrameParser(4000);

    private FrameException refused(String frame) {
        return assertThrows(FrameException.class, () -> parser.parse(frame));
    }

    @Test
    void textIsBoundedInStoredBytesAsWellAsInCodePoints() {
        FrameParser p = new FrameParser(4000, 16_384);
        String controls = "\\u0001".repeat(4000); // 4,000 code points, 24,000 bytes as stored
        FrameException e = assertThrows(FrameException.class,
                () -> p.parse("{\"type\":\"send\",\"room\":\"g\",\"text\":\"" + controls + "\",\"ref\":\"r\"}"));
        assertEquals("too_long", e.code());
        assertEquals("r", e.toFrame().ref());
        String emoji = "\ud83d\ude00".repeat(4000); // 16,000 bytes: the longest text of any script fits
        assertEquals(new ClientFrame.Send("g", emoji, null), p.parse("{\"type\":\"send\",\"room\":\"g\",\"text\":\"" + emoji + "\"}"));
        assertEquals(6 + 2, Utf8.jsonLength("\u0001"));
        assertEquals(2 + 2 + 2 + 1 + 2, Utf8.jsonLength("\"\\x\n"));
        assertEquals("too_long", assertThrows(FrameException.class, () -> p.parse(
                "{\"type\":\"edit\",\"room\":\"g\",\"id\":1,\"text\":\"" + controls + "\"}")).code());
    }

    @Test
    void blockAndUnblockNameAUser() {
        assertEquals(new ClientFrame.Block("bob", true, "b"), parser.parse("{\"type\":\"block\",\"user\":\"Bob\",\"ref\":\"b\"}"));
        assertEquals(new ClientFrame.Block("bob", false, null), parser.parse("{\"type\":\"unblock\",\"user\":\"bob\"}"));
        assertEquals("bad_request", refused("{\"type\":\"block\",\"user\":\"not a name\"}").code());
        assertEquals("bad_request", refused("{\"type\":\"block\"}").code());
    }

    @Test
    void readsEveryFrameType() {
        assertEquals(new ClientFrame.Join("general", null, null, null), parser.parse("{\"type\":\"join\",\"room\":\"General\"}"));
        assertEquals(new ClientFrame.Join("general", 12L, "e1", "r"),
                parser.parse("{\"type\":\"join\",\"room\":\"general\",\"since\":12,\"epoch\":\"e1\",\"ref\":\"r\"}"));
        assertEquals(new ClientFrame.Send("general", "hi", "c-1"),
                parser.parse("{\"type\":\"send\",\"room\":\"general\",\"text\":\"hi\",\"ref\":\"c-1\"}"));
        assertEquals(new ClientFrame.History("general", 40L, 50, null),
                parser.parse("{\"type\":\"history\",\"room\":\"general\",\"before\":40}"));
        assertEquals(new ClientFrame.History("general", null, 7, null),
                parser.parse("{\"type\":\"history\",\"room\":\"general\",\"limit\":7}"));
        assertEquals(new ClientFrame.Leave("general", null), parser.parse("{\"type\":\"leave\",\"room\":\"general\"}"));
        assertEquals(new ClientFrame.Typing("general", null), parser.parse("{\"type\":\"typing\",\"room\":\"general\"}"));
        assertEquals(new ClientFrame.Read("general", 17, null), parser.parse("{\"type\":\"read\",\"room\":\"general\",\"id\":17}"));
        assertEquals(new ClientFrame.Ping("p-1"), parser.parse("{\"type\":\"ping\",\"ref\":\"p-1\"}"));
        assertEquals(new ClientFrame.Ping(null), parser.parse("{\"type\":\"ping\"}"));
        // added in 1.3
        assertEquals(new ClientFrame.Join("g", null, null, null, true), parser.parse("{\"type\":\"join\",\"room\":\"g\",\"private\":true}"));
        assertEquals(new ClientFrame.Join("g", null, null, null, false), parser.parse("{\"type\":\"join\",\"room\":\"g\",\"private\":false}"));
        for (String action : new String[] {"invite", "remove", "ban", "unban"}) {
            assertEquals(new ClientFrame.Moderate(action, "g", "bob", null, "m"),
                    parser.parse("{\"type\":\"" + action + "\",\"room\":\"g\",\"user\":\"Bob\",\"ref\":\"m\"}"));
        }
        assertEquals(new ClientFrame.SetTopic("g", "plans", null),
                parser.parse("{\"type\":\"set_topic\",\"room\":\"g\",\"topic\":\"  plans \"}"));
        assertEquals(new ClientFrame.Directory("", null, 20, null), parser.parse("{\"type\":\"directory\"}"));
        assertEquals(new ClientFrame.Directory("te", "team", 5, "d"),
                parser.parse("{\"type\":\"directory\",\"prefix\":\"Te\",\"after\":\"team\",\"limit\":5,\"ref\":\"d\"}"));
        assertEquals(new ClientFrame.Moderate("set_role", "g", "bob", "moderator", null),
                parser.parse("{\"type\":\"set_role\",\"room\":\"g\",\"user\":\"bob\",\"role\":\"moderator\"}"));
        // added in 1.8
        assertEquals(new ClientFrame.Bans("g", null, 100, null), parser.parse("{\"type\":\"bans\",\"room\":\"g\"}"));
        assertEquals(new ClientFrame.Bans("g", "bob", 500, "b"),
                parser.parse("{\"type\":\"bans\",\"room\":\"g\",\"after\":\"Bob\",\"limit\":500,\"ref\":\"b\"}"));
    }

    @Test
    void readsTheFramesOfProtocol14() {
        assertEquals(new ClientFrame.Change("edit", "g", 17, "fixed", "e"),
                parser.parse("{\"type\":\"edit\",\"room\":\"G\",\"id\":17,\"text\":\"fixed\",\"ref\":\"e\"}"));
        assertEquals(new ClientFrame.Change("delete", "g", 17, null, null),
                parser.parse("{\"type\":\"delete\",\"room\":\"g\",\"id\":17}"));
        assertEquals(new ClientFrame.Change("react", "g", 17, "👍🏽", null),
                parser.parse("{\"type\":\"react\",\"room\":\"g\",\"id\":17,\"emoji\":\"👍🏽\"}"));
        assertEquals(new ClientFrame.Changes("g", 0, 50, null), parser.parse("{\"type\":\"changes\",\"room\":\"g\",\"after\":0}"));
        assertEquals(new ClientFrame.Changes("g", 9, 3, "c"),
                parser.parse("{\"type\":\"changes\",\"room\":\"g\",\"after\":9,\"limit\":3,\"ref\":\"c\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"edit\",\"room\":\"g\",\"text\":\"no id\"}",
        "{\"type\":\"edit\",\"room\":\"g\",\"id\":0,\"text\":\"id 0\"}",
        "{\"type\":\"edit\",\"room\":\"g\",\"id\":\"1\",\"text\":\"id a string\"}",
        "{\"type\":\"edit\",\"room\":\"g\",\"id\":1,\"text\":\"  \"}",
        "{\"type\":\"edit\",\"room\":\"g\",\"id\":1}",
        "{\"type\":\"delete\",\"room\":\"g\"}",
        "{\"type\":\"delete\",\"room\":\"g\",\"id\":1.5}",
        "{\"type\":\"react\",\"room\":\"g\",\"id\":1}",
        "{\"type\":\"react\",\"room\":\"g\",\"id\":1,\"emoji\":\"\"}",
        "{\"type\":\"react\",\"room\":\"g\",\"id\":1,\"emoji\":\"a b\"}",
        "{\"type\":\"react\",\"room\":\"g\",\"id\":1,\"emoji\":\"123456789\"}",
        "{\"type\":\"react\",\"room\":\"g\",\"id\":1,\"emoji\":\"\\ud83d\"}",
        "{\"type\":\"react\",\"room\":\"g\",\"id\":1,\"emoji\":7}",
        "{\"type\":\"changes\",\"room\":\"g\"}",
        "{\"type\":\"changes\",\"room\":\"g\",\"after\":-1}",
        "{\"type\":\"changes\",\"room\":\"g\",\"after\":0,\"limit\":201}"
    })
    void malformedChangesAreBadRequests(String frame) {
        assertEquals("bad_request", refused(frame).code());
    }

    @Test
    void readsARepliesAndAThread() {
        assertEquals(new ClientFrame.Send("g", "yes", "r", 17L),
                parser.parse("{\"type\":\"send\",\"room\":\"g\",\"text\":\"yes\",\"thread\":17,\"ref\":\"r\"}"));
        assertEquals(new ClientFrame.Thread("g", 17, 0, 50, null), parser.parse("{\"type\":\"thread\",\"room\":\"g\",\"id\":17}"));
        assertEquals(new ClientFrame.Thread("g", 17, 20, 5, "t"),
                parser.parse("{\"type\":\"thread\",\"room\":\"g\",\"id\":17,\"after\":20,\"limit\":5,\"ref\":\"t\"}"));
        for (String bad : List.of("{\"type\":\"send\",\"room\":\"g\",\"text\":\"x\",\"thread\":0}",
                "{\"type\":\"send\",\"room\":\"g\",\"text\":\"x\",\"thread\":\"17\"}",
                "{\"type\":\"thread\",\"room\":\"g\"}", "{\"type\":\"thread\",\"room\":\"g\",\"id\":1,\"limit\":201}")) {
            assertEquals("bad_request", assertThrows(FrameException.class, () -> parser.parse(bad)).code(), bad);
        }
    }

    @Test
    void readsASearch() {
        assertEquals(new ClientFrame.Search(null, List.of("deploy", "failed", "Über"), null, null, null, 20, null, null),
                parser.parse("{\"type\":\"search\",\"text\":\"  Deploy\u00a0FAILED  Über deploy \"}"),
                "words split at white space, ASCII letters in lower case (others as they are), no repeats");
        assertEquals(new ClientFrame.Search("g", List.of(), "bob", 10L, 20L, 50, "g@17", "s"),
                parser.parse("{\"type\":\"search\",\"room\":\"G\",\"from\":\"Bob\",\"start\":10,\"end\":20,\"limit\":50,"
                        + "\"cursor\":\"g@17\",\"ref\":\"s\"}"));
        assertEquals(new ClientFrame.Search(null, List.of("x"), null, null, null, 20, "dm:a:b@", null),
                parser.parse("{\"type\":\"search\",\"text\":\"x\",\"cursor\":\"dm:a:b@\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"search\"}",
        "{\"type\":\"search\",\"text\":\"   \"}",
        "{\"type\":\"search\",\"text\":7}",
        "{\"type\":\"search\",\"text\":\"a b c d e f g h i j k\"}",
        "{\"type\":\"search\",\"text\":\"x\",\"limit\":51}",
        "{\"type\":\"search\",\"text\":\"x\",\"start\":-1}",
        "{\"type\":\"search\",\"text\":\"x\",\"room\":\"no room\"}",
        "{\"type\":\"search\",\"text\":\"x\",\"from\":\"no one\"}",
        "{\"type\":\"search\",\"text\":\"x\",\"cursor\":\"g@0\"}",
        "{\"type\":\"search\",\"text\":\"x\",\"cursor\":\"g\"}",
        "{\"type\":\"search\",\"text\":\"x\",\"cursor\":\"@5\"}",
    })
    void malformedSearchesAreBadRequests(String frame) {
        assertEquals("bad_request", assertThrows(FrameException.class, () -> parser.parse(frame)).code(), frame);
    }

    @Test
    void anEditLongerThanASendMayBeIsTooLong() {
        assertEquals("too_long", refused("{\"type\":\"edit\",\"room\":\"g\",\"id\":1,\"text\":\"" + "x".repeat(4001) + "\"}").code());
    }

    @Test
    void unknownFieldsAreIgnoredAndFromIsNotTheClients() {
        var send = (ClientFrame.Send) parser.parse("{\"type\":\"send\",\"room\":\"g\",\"text\":\"hi\",\"from\":\"mallory\",\"x\":[1]}");
        assertEquals("hi", send.text());
    }

    @Test
    void unpairedSurrogatesAreRefusedAndNeverEchoed() {
        // found by the fuzzer: such a string cannot be encoded, and Tyrus throws an Error on the send
        FrameException text = refused("{\"type\":\"send\",\"room\":\"g\",\"text\":\"a\\ud800b\",\"ref\":\"r\"}");
        assertEquals("bad_request", text.code());
        FrameException ref = refused("{\"type\":\"send\",\"room\":\"g\",\"text\":\"hi\",\"ref\":\"\\udc00\"}");
        assertNull(ref.ref());
        FrameException type = refused("{\"type\":\"\\ud83dx\"}");
        assertTrue(FrameParser.wellFormed(type.getMessage()), type.getMessage());
        // a pair is one character, and the echo of a long unknown type never splits one
        FrameException cut = refused("{\"type\":\"" + "a".repeat(31) + "😀😀\"}");
        assertTrue(FrameParser.wellFormed(cut.getMessage()), cut.getMessage());
        assertEquals("😀", ((ClientFrame.Send) parser.parse("{\"type\":\"send\",\"room\":\"g\",\"text\":\"\\ud83d\\ude00\"}")).text());
    }

    @Test
    void epochWithoutSinceIsIgnored() {
        assertEquals(new ClientFrame.Join("g", null, null, null), parser.parse("{\"type\":\"join\",\"room\":\"g\",\"epoch\":\"e\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "nope", "[]", "42", "\"join\"", "{", "{}", "{\"type\":null}", "{\"type\":1}", "{\"type\":\"dance\"}",
        "{\"type\":\"join\"}", "{\"type\":\"join\",\"room\":5}", "{\"type\":\"join\",\"room\":\"a b\"}",
        "{\"type\":\"join\",\"room\":\"g\",\"since\":-1}", "{\"type\":\"join\",\"room\":\"g\",\"since\":1.5}",
        "{\"type\":\"join\",\"room\":\"g\",\"since\":\"3\"}", "{\"type\":\"join\",\"room\":\"g\",\"since\":1e999999999}",
        "{\"type\":\"join\",\"room\":\"g\",\"since\":99999999999999999999}",
        "{\"type\":\"join\",\"room\":\"g\",\"since\":3,\"epoch\":4}",
        "{\"type\":\"send\",\"room\":\"g\"}", "{\"type\":\"send\",\"room\":\"g\",\"text\":\"\"}",
        "{\"type\":\"send\",\"room\":\"g\",\"text\":\" \\n\\t\\u00a0\"}", "{\"type\":\"send\",\"room\":\"g\",\"text\":[]}",
        "{\"type\":\"history\",\"room\":\"g\",\"before\":0}", "{\"type\":\"history\",\"room\":\"g\",\"limit\":0}",
        "{\"type\":\"history\",\"room\":\"g\",\"limit\":201}", "{\"type\":\"read\",\"room\":\"g\"}",
        "{\"type\":\"read\",\"room\":\"g\",\"id\":-3}", "{\"type\":\"join\",\"room\":\"dm:bob:alice\"}",
        "{\"type\":\"join\",\"room\":\"dm:bob:bob\"}",
        "{\"type\":\"join\",\"room\":\"g\",\"private\":1}", "{\"type\":\"join\",\"room\":\"g\",\"private\":\"true\"}",
        "{\"type\":\"invite\",\"room\":\"g\"}", "{\"type\":\"remove\",\"room\":\"g\",\"user\":\"no one\"}",
        "{\"type\":\"ban\",\"room\":\"g\",\"user\":7}", "{\"type\":\"unban\",\"user\":\"bob\"}",
        "{\"type\":\"set_role\",\"room\":\"g\",\"user\":\"bob\"}",
        "{\"type\":\"set_role\",\"room\":\"g\",\"user\":\"bob\",\"role\":\"owner\"}",
        "{\"type\":\"set_topic\",\"room\":\"g\"}", "{\"type\":\"set_topic\",\"room\":\"g\",\"topic\":3}",
        "{\"type\":\"directory\",\"prefix\":\"a b\"}", "{\"type\":\"directory\",\"limit\":101}",
        "{\"type\":\"directory\",\"after\":7}",
        "{\"type\":\"bans\"}", "{\"type\":\"bans\",\"room\":\"g\",\"limit\":501}",
        "{\"type\":\"bans\",\"room\":\"g\",\"limit\":0}", "{\"type\":\"bans\",\"room\":\"g\",\"after\":\"no one\"}"
    })
    void malformedFramesAreBadRequests(String frame) {
        assertEquals("bad_request", refused(frame).code());
    }

    @Test
    void deepNestingIsABadRequestNotACrash() {
        assertEquals("bad_request", refused("[".repeat(100_000)).code());
        assertEquals("bad_request", refused("{\"a\":".repeat(50_000)).code());
    }

    @Test
    void aValidRefIsEchoedAndAnInvalidOneIsNot() {
        assertEquals("r-1", refused("{\"type\":\"dance\",\"ref\":\"r-1\"}").ref());
        assertNull(refused("{\"type\":\"join\",\"room\":\"g\",\"ref\":\"\"}").ref());
        assertNull(refused("{\"type\":\"join\",\"room\":\"g\",\"ref\":7}").ref());
        assertNull(refused("{\"type\":\"join\",\"room\":\"g\",\"ref\":\"" + "r".repeat(65) + "\"}").ref());
        assertEquals("😀".repeat(64), parser.parse("{\"type\":\"join\",\"room\":\"g\",\"ref\":\"" + "😀".repeat(64) + "\"}").ref());
    }

    @Test
    void textLengthCountsCodePoints() {
        String max = "😀".repeat(4000);
        assertEquals(max, ((ClientFrame.Send) parser.parse(send(max))).text());
        FrameException e = refused(send("😀".repeat(4001)));
        assertEquals("too_long", e.code());
        assertEquals("r", e.ref());
    }

    @Test
    void whiteSpaceIsOneDefinitionForBlankTextsTopicsAndEmoji() {
        // U+00A0 and U+202F (no-break spaces), U+2028 (line separator), U+3000 (ideographic space)
        String spaces = "\u00a0\u202f\u2028\u3000\\t";
        assertEquals("bad_request", refused(send(spaces)).code(), "a text of only white space");
        assertEquals(new ClientFrame.SetTopic("g", "plans", null),
                parser.parse("{\"type\":\"set_topic\",\"room\":\"g\",\"topic\":\"" + spaces + "plans" + spaces + "\"}"),
                "a topic is stored without white space at its ends");
        assertEquals(new ClientFrame.SetTopic("g", "", null),
                parser.parse("{\"type\":\"set_topic\",\"room\":\"g\",\"topic\":\"" + spaces + "\"}"),
                "a topic of only white space clears it");
        assertEquals(new ClientFrame.SetTopic("g", "t".repeat(200), null),
                parser.parse("{\"type\":\"set_topic\",\"room\":\"g\",\"topic\":\" " + "t".repeat(200) + "\\u00a0\"}"),
                "200 code points after trimming");
        for (String space : new String[] {"\\u00a0", "\\u202f", "\\u2028", "\\u3000", "\\u0085"}) {
            assertEquals("bad_request", refused("{\"type\":\"react\",\"room\":\"g\",\"id\":1,\"emoji\":\"a" + space + "b\"}").code(),
                    "an emoji holding " + space);
        }
    }

    @Test
    void aTopicOver200CharactersIsTooLong() {
        FrameException e = refused("{\"type\":\"set_topic\",\"room\":\"g\",\"topic\":\"" + "t".repeat(201) + "\",\"ref\":\"t\"}");
        assertEquals("too_long", e.code());
        assertEquals("t", e.ref());
    }

    @Test
    void theTextLimitIsConfigurable() {
        assertEquals("too_long", assertThrows(FrameException.class, () -> new FrameParser(3).parse(send("abcd"))).code());
    }

    private static String send(String text) {
        return "{\"type\":\"send\",\"room\":\"g\",\"text\":\"" + text + "\",\"ref\":\"r\"}";
    }
}
