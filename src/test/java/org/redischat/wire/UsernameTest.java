package org.redischat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsernameTest {

    @Test
    void lowerCasesSoBobAndbobAreOne() {
        assertEquals(Optional.of("bob"), Username.normalize("Bob"));
        assertEquals(Optional.of("a.b_c-9"), Username.normalize("A.b_C-9"));
        assertEquals(Optional.of("x".repeat(32)), Username.normalize("x".repeat(32)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".bob", "_bob", "-bob", "bo b", "bob!", "bób", "b:b", "İstanbul"})
    void refusesNamesOutsideTheAlphabet(String raw) {
        assertTrue(Username.normalize(raw).isEmpty(), raw);
    }

    @Test
    void refusesNamesOver32() {
        assertTrue(Username.normalize("x".repeat(33)).isEmpty());
        assertTrue(Username.normalize(null).isEmpty());
    }
}
