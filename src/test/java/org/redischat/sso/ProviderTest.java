package org.redischat.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider's documents fetched over real HTTP (a small server in the test playing the issuer):
 * discovery, then the key set; again only for a key id not known, and not more often than set.
 */
class ProviderTest {

    private final IssuerServer server;

    ProviderTest() throws IOException {
        server = new IssuerServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String token(TestIssuer by, String kid) {
        return server.token(by, kid, TestIssuer.claims("alice").build());
    }

    @Test
    void keysAreFetchedOnceAndAgainOnlyForAKeyIdNotKnownAtMostEveryRefetchPeriod() {
        TestIssuer first = new TestIssuer();
        server.keys.set(first.keySet());
        Provider p = server.provider(3600);
        assertEquals("alice", p.verify(token(first, "r1")).username());
        assertEquals("alice", p.verify(token(first, "r1")).username());
        assertEquals(1, server.keyFetches.get(), "fetched once, then known");

        TestIssuer rotated = new TestIssuer();
        server.keys.set(rotated.keySet().replace("\"r1\"", "\"r2\""));
        for (int i = 0; i < 5; i++) {
            assertThrows(InvalidToken.class, () -> p.verify(token(rotated, "r2")));
        }
        assertEquals(1, server.keyFetches.get(),
                "within the refetch period, an unknown key id fetches nothing: forged key ids cost the provider nothing");

        Provider eager = server.provider(0);
        eager.verify(token(rotated, "r2"));
        assertEquals(2, server.keyFetches.get());
        assertEquals("alice", eager.verify(token(rotated, "r2")).username(), "the rotated key, known from then on");
        assertEquals(2, server.keyFetches.get());
    }

    @Test
    void aProviderThatCannotBeAskedIsUnreachableNotARefusalAndIsNotAskedOnEveryRequest() {
        server.keys.set(null);
        TestIssuer by = new TestIssuer();
        Provider p = server.provider(30);
        assertThrows(Provider.Unreachable.class, () -> p.verify(token(by, "r1")));
        assertThrows(Provider.Unreachable.class, () -> p.verify(token(by, "r1")));
        assertEquals(1, server.keyFetches.get(), "after a failure, the next requests within 5 s do not ask again");
    }

    @Test
    void aDiscoveryDocumentOfAnotherIssuerIsNotBelieved() {
        server.discoveredIssuer.set("https://evil.example/realms/chat");
        assertThrows(Provider.Unreachable.class, () -> server.provider(30).verify(token(new TestIssuer(), "r1")));
        assertEquals(0, server.keyFetches.get());
    }

    @Test
    void offWithoutAnIssuer() {
        Provider p = IssuerServer.off();
        assertTrue(p.settings().isEmpty());
        assertThrows(InvalidToken.class, () -> p.verify("a.b.c"));
    }
}
