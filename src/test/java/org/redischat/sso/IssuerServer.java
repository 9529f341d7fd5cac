package org.redischat.sso;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.json.JsonObject;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An issuer on a real HTTP port for the tests: its discovery document and its key set (a
 * {@link TestIssuer}'s, which a test may replace or take away), with the count of key-set fetches;
 * and {@link Provider}s configured for it, as the container would configure one.
 */
public final class IssuerServer implements AutoCloseable {

    private final HttpServer server;
    final String issuer;
    final AtomicInteger keyFetches = new AtomicInteger();
    final AtomicReference<String> keys = new AtomicReference<>();
    final AtomicReference<String> discoveredIssuer = new AtomicReference<>();
    private final TestIssuer signer = new TestIssuer();

    public IssuerServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/chat";
        discoveredIssuer.set(issuer);
        keys.set(signer.keySet());
        server.createContext("/realms/chat/.well-known/openid-configuration", x -> answer(x, 200,
                "{\"issuer\":\"" + discoveredIssuer.get() + "\",\"jwks_uri\":\"" + issuer + "/certs\"}"));
        server.createContext("/realms/chat/certs", x -> {
            keyFetches.incrementAndGet();
            String k = keys.get();
            answer(x, k == null ? 500 : 200, k == null ? "down" : k);
        });
        server.start();
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    /** An access token of this issuer for the user, valid for the given seconds, naming the groups (else "staff"). */
    public String token(String username, long seconds, String... groups) {
        var claims = TestIssuer.claims(username).add("exp", java.time.Instant.now().getEpochSecond() + seconds);
        if (groups.length > 0) {
            claims.add("groups", jakarta.json.Json.createArrayBuilder(java.util.List.of(groups)));
        }
        return token(signer, "r1", claims.build());
    }

    String token(TestIssuer by, String kid, JsonObject claims) {
        JsonObject withIssuer = jakarta.json.Json.createObjectBuilder(claims).add("iss", issuer).build();
        return by.sign("RS256", kid, withIssuer);
    }

    /** A provider configured for this issuer, fetching its keys again at most every {@code refetchSeconds}. */
    public Provider provider(long refetchSeconds) {
        return configured(Optional.of(issuer), refetchSeconds);
    }

    /** A provider with no issuer configured: single sign-on off. */
    public static Provider off() {
        return configured(Optional.empty(), 30);
    }

    private static Provider configured(Optional<String> issuer, long refetchSeconds) {
        Provider p = new Provider();
        p.issuer = issuer;
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

    @Override
    public void close() {
        server.stop(0);
    }
}
