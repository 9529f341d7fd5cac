package org.redischat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The hand-built JSON of the send path reads back as JSON-B's own. */
class JsonTest {

    private static final String CONTROLS = IntStream.range(0, 0x20).mapToObj(c -> String.valueOf((char) c))
            .collect(Collectors.joining());

    private static final List<String> TRICKY = List.of("", "plain", "quote \" backslash \\ slash /", CONTROLS,
            "\u00e9t\u00e9 \ud83d\ude00 \u2028\u2029 \u007f", "\\u0041 is not A", "}\"]");

    @Test
    void aStringReadsBackAsItself() {
        for (String s : TRICKY) {
            assertEquals(s, Json.read(Json.string(s), String.class));
            assertEquals(Json.read(Json.write(s), String.class), Json.read(Json.string(s), String.class));
        }
    }

    /** Added in 1.3: the room's rules in joined, "private" spelled as the protocol spells it; left out for a direct room. */
    @Test
    void joinedCarriesTheRoomsRulesUnderTheirProtocolNames() {
        ServerFrame.Joined plain = new ServerFrame.Joined("g", "e", List.of("amy"), List.of(), List.of(), false, null);
        assertEquals(Map.of("type", "joined", "room", "g", "epoch", "e", "members", List.of("amy"), "online", List.of(),
                "messages", List.of(), "more", false), Json.read(Json.write(plain), Map.class));
        Map<?, ?> ruled = Json.read(Json.write(plain.withRules(true, "owner", Map.of("amy", "owner"), "plans")), Map.class);
        assertEquals(true, ruled.get("private"));
        assertEquals("owner", ruled.get("role"));
        assertEquals(Map.of("amy", "owner"), ruled.get("roles"));
        assertEquals("plans", ruled.get("topic"));
    }

    @Test
    void anAckIsTheFrameJsonBWrites() {
        for (String ref : TRICKY) {
            ServerFrame.Ack ack = new ServerFrame.Ack(ref.isEmpty() ? null : ref, "general", 42);
            assertEquals(Json.read(Json.write(ack), Map.class), Json.read(ack.json(), Map.class), ack.json());
        }
        assertEquals("{\"type\":\"ack\",\"room\":\"dm:amy:bob\",\"id\":7}", new ServerFrame.Ack(null, "dm:amy:bob", 7).json());
    }
}
