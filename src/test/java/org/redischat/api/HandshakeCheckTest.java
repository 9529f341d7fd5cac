package org.redischat.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class HandshakeCheckTest {

    private final HandshakeCheck none = new HandshakeCheck(List.of(""));

    @Test
    void clientsWithoutOriginAreNotRefusedForIt() {
        assertTrue(none.originAllowed(null, "http", "chat.example:8080"));
    }

    @Test
    void theServersOwnOriginIsAllowed() {
        assertTrue(none.originAllowed("http://chat.example:8080", "http", "chat.example:8080"));
        assertTrue(none.originAllowed("HTTP://Chat.Example:8080", "http", "chat.example:8080"));
        assertTrue(none.originAllowed("https://chat.example", "https", "chat.example"));
        assertTrue(none.originAllowed("https://chat.example", "https", "chat.example:443"));
    }

    @Test
    void foreignOriginsAreRefused() {
        assertFalse(none.originAllowed("http://evil.example:8080", "http", "chat.example:8080"));
        assertFalse(none.originAllowed("http://chat.example:8081", "http", "chat.example:8080"));
        assertFalse(none.originAllowed("https://chat.example:8080", "http", "chat.example:8080"));
        assertFalse(none.originAllowed("null", "http", "chat.example:8080"));
        assertFalse(none.originAllowed("http://chat.example.evil:8080", "http", "chat.example:8080"));
        assertFalse(none.originAllowed("not a url", "http", "chat.example:8080"));
    }

    @Test
    void configuredOriginsAreAllowedBehindAProxy() {
        HandshakeCheck proxied = new HandshakeCheck(List.of("https://chat.example.com", " https://other.example "));
        assertTrue(proxied.originAllowed("https://chat.example.com", "http", "10.0.0.5:8080"));
        assertTrue(proxied.originAllowed("https://other.example", "http", "10.0.0.5:8080"));
        assertFalse(proxied.originAllowed("https://third.example", "http", "10.0.0.5:8080"));
    }

    @Test
    void bearerTokensAreTakenFromTheHeader() {
        assertEquals("abc", HandshakeCheck.bearer("Bearer abc"));
        assertEquals("abc", HandshakeCheck.bearer("bearer  abc "));
        assertNull(HandshakeCheck.bearer("Basic abc"));
        assertNull(HandshakeCheck.bearer("Bearer "));
        assertNull(HandshakeCheck.bearer(null));
    }
}
