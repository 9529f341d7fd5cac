package org.redischat.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider's documents fetched over real HTTP (a small server in the test playing the issuer):
 * discovery, then the key set; again only for a key id not known, and not more often than set.
 */
class ProviderTest {

    private HttpServer server;
    private String issuer;
    private final AtomicInteger keyFetches = new AtomicInteger();
    private final AtomicReference<String> keys = new AtomicReference<>();
    private final AtomicReference<String> discoveredIssuer = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/chat";
        discoveredIssuer.set(issuer);
        server.createContext("/realms/chat/.well-known/openid-configuration", x -> answer(x, 200,
                "{\"issuer\":\"" + discoveredIssuer.get() + "\",\"jwks_uri\":\"" + issuer + "/certs\"}"));
        server.createContext("/realms/chat/certs", x -> {
            keyFetches.incrementAndGet();
            String k = keys.get();
            answer(x, k == null ? 500 : 200, k == null ? "down" : k);
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    private Provider provider(long refetchSeconds) {
        Provider p = new Provider();
        p.issuer = Optional.of(issuer);
        p.audience = "chat";
        p.clientId = "chat-web";
        p.scope = "openid profile";
        p.usernameClaim = "preferred_username";
        p.groupsClaim = "groups";
        p.leewaySeconds = 30;
        p.refetchSeconds = refetchSeconds;
        p.init();
        return p;
    }

    private String token(TestIssuer by, String kid) {
        return by.sign("RS256", kid, TestIssuer.claims("alice").add("iss", issuer).build());
    }

    @Test
    void keysAreFetchedOnceAndAgainOnlyForAKeyIdNotKnownAtMostEveryRefetchPeriod() {
        TestIssuer first = new TestIssuer();
        keys.set(first.keySet());
        Provider p = provider(3600);
        assertEquals("alice", p.verify(token(first, "r1")).username());
        assertEquals("alice", p.verify(token(first, "r1")).username());
        assertEquals(1, keyFetches.get(), "fetched once, then known");

        TestIssuer rotated = new TestIssuer();
        keys.set(rotated.keySet().replace("\"r1\"", "\"r2\""));
        for (int i = 0; i < 5; i++) {
            assertThrows(InvalidToken.class, () -> p.verify(token(rotated, "r2")));
        }
        assertEquals(1, keyFetches.get(), "within the refetch period, an unknown key id fetches nothing: forged key ids cost the provider nothing");

        Provider eager = provider(0);
        eager.verify(token(rotated, "r2"));
        assertEquals(2, keyFetches.get());
        assertEquals("alice", eager.verify(token(rotated, "r2")).username(), "the rotated key, known from then on");
        assertEquals(2, keyFetches.get());
    }

    @Test
    void aProviderThatCannotBeAskedIsUnreachableNotARefusalAndIsNotAskedOnEveryRequest() {
        TestIssuer by = new TestIssuer();
        Provider p = provider(30);
        assertThrows(Provider.Unreachable.class, () -> p.verify(token(by, "r1")));
        assertThrows(Provider.Unreachable.class, () -> p.verify(token(by, "r1")));
        assertEquals(1, keyFetches.get(), "after a failure, the next requests within 5 s do not ask again");
    }

    @Test
    void aDiscoveryDocumentOfAnotherIssuerIsNotBelieved() {
        keys.set(new TestIssuer().keySet());
        discoveredIssuer.set("https://evil.example/realms/chat");
        assertThrows(Provider.Unreachable.class, () -> provider(30).verify(token(new TestIssuer(), "r1")));
        assertEquals(0, keyFetches.get());
    }

    @Test
    void offWithoutAnIssuer() {
        Provider p = new Provider();
        p.issuer = Optional.of("  ");
        p.audience = "chat";
        p.usernameClaim = "preferred_username";
        p.groupsClaim = "groups";
        p.init();
        assertTrue(p.settings().isEmpty());
        assertThrows(InvalidToken.class, () -> p.verify("a.b.c"));
    }
}
