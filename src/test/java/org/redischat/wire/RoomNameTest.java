package org.redischat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoomNameTest {

    @ParameterizedTest
    @CsvSource({
        "general, general",
        "General, general",
        "a, a",
        "9lives_-x, 9lives_-x",
        "DM:Alice:Bob, dm:alice:bob",
        "dm:a.b:c_d, dm:a.b:c_d"
    })
    void acceptsAndLowerCases(String raw, String expected) {
        assertEquals(Optional.of(expected), RoomName.normalize(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-general", "_x", "has space", "dot.ted", "ünïcode", "dm:bob:alice", "dm:bob:bob",
        "dm:alice", "dm:alice:bob:carol", "dm::bob", "dm:alice:.bob", "x{y}"})
    void refusesMalformedNames(String raw) {
        assertTrue(RoomName.normalize(raw).isEmpty(), raw);
    }

    @org.junit.jupiter.api.Test
    void namesAreAtMost64Characters() {
        assertTrue(RoomName.normalize("a".repeat(64)).isPresent());
        assertTrue(RoomName.normalize("a".repeat(65)).isEmpty());
    }

    @org.junit.jupiter.api.Test
    void directRoomsKnowTheirTwoUsers() {
        DirectRoom dm = DirectRoom.parse("dm:alice:bob").orElseThrow();
        assertTrue(dm.includes("alice") && dm.includes("bob") && !dm.includes("carol"));
        assertEquals("bob", dm.other("alice"));
        assertEquals("dm:alice:bob", DirectRoom.between("bob", "alice").name());
    }
}
