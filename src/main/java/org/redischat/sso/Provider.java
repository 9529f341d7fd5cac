package org.redischat.sso;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.spi.JsonProvider;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The configured OpenID Connect provider ({@code auth.oidc.issuer}; none configured: single
 * sign-on is off). Its discovery document and key set are fetched when first needed, not at boot
 * (a node starts while its provider is away), and the key set again when a token names a key not
 * in it (the provider rotated its keys), at most once per {@code auth.oidc.keys-refetch-seconds}.
 */
@ApplicationScoped
public class Provider {

    private static final Logger LOG = Logger.getLogger(Provider.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    /** After a failed first fetch, tokens are answered 503 without asking the provider for this long. */
    private static final Duration FAILED_WAIT = Duration.ofSeconds(5);

    @Inject
    @ConfigProperty(name = "auth.oidc.issuer")
    Optional<String> issuer;

    /** The {@code aud} a token must hold. */
    @Inject
    @ConfigProperty(name = "auth.oidc.audience", defaultValue = "chat")
    String audience;

    /** The web client's client id at the provider (a public client: no secret). */
    @Inject
    @ConfigProperty(name = "auth.oidc.client-id", defaultValue = "chat-web")
    String clientId;

    @Inject
    @ConfigProperty(name = "auth.oidc.scope", defaultValue = "openid profile")
    String scope;

    @Inject
    @ConfigProperty(name = "auth.oidc.username-claim", defaultValue = "preferred_username")
    String usernameClaim;

    @Inject
    @ConfigProperty(name = "auth.oidc.groups-claim", defaultValue = "groups")
    String groupsClaim;

    @Inject
    @ConfigProperty(name = "auth.oidc.leeway-seconds", defaultValue = "30")
    long leewaySeconds;

    @Inject
    @ConfigProperty(name = "auth.oidc.keys-refetch-seconds", defaultValue = "30")
    long refetchSeconds;

    private TokenCheck check;
    private HttpClient http;
    private volatile KeySet keys;
    private volatile long fetchedAt;
    private volatile long failedAt = System.nanoTime() - FAILED_WAIT.toNanos();

    @PostConstruct
    void init() {
        issuer = issuer.map(String::trim).filter(s -> !s.isEmpty());
        check = new TokenCheck(issuer.orElse(""), audience, usernameClaim, groupsClaim, Duration.ofSeconds(leewaySeconds));
        http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public boolean enabled() {
        return issuer.isPresent();
    }

    /** What the web client needs to sign in here: issuer, client id and scope; empty when off. */
    public Optional<Settings> settings() {
        return issuer.map(i -> new Settings(i, clientId, scope));
    }

    public record Settings(String issuer, String clientId, String scope) {
    }

    /**
     * The identity of a provider's token, or {@link InvalidToken}; {@link Unreachable} when the
     * provider's keys are needed and cannot be fetched.
     */
    public TokenCheck.Identity verify(String token) {
        if (!enabled()) {
            throw new InvalidToken("single sign-on is off");
        }
        return check.check(token, this::keys, Instant.now());
    }

    /** The provider could not be asked for its keys: the token was neither accepted nor refused. */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private KeySet keys(boolean again) {
        KeySet k = keys;
        if (k != null && (!again || System.nanoTime() - fetchedAt < Duration.ofSeconds(refetchSeconds).toNanos())) {
            return k;
        }
        synchronized (this) {
            if (keys != k) {
                return keys;
            }
            try {
                if (k == null && System.nanoTime() - failedAt < FAILED_WAIT.toNanos()) {
                    throw new Unreachable("the keys of " + issuer.get() + " could not be fetched a moment ago", null);
                }
                JsonObject discovery = object(get(withoutTrailingSlash(issuer.get()) + "/.well-known/openid-configuration"));
                if (!(discovery.get("issuer") instanceof JsonString i) || !i.getString().equals(issuer.get())) {
                    throw new IOException("the discovery document names another issuer");
                }
                if (!(discovery.get("jwks_uri") instanceof JsonString jwks)) {
                    throw new IOException("the discovery document has no jwks_uri");
                }
                KeySet fetched = KeySet.parse(get(jwks.getString()));
                LOG.info(() -> "fetched " + fetched.size() + " signing keys of " + issuer.get());
                keys = fetched;
                fetchedAt = System.nanoTime();
                return fetched;
            } catch (IOException | IllegalArgumentException e) {
                if (k != null) {
                    LOG.log(Level.WARNING, "cannot fetch the keys of " + issuer.get() + " again; the known ones stay", e);
                    fetchedAt = System.nanoTime();
                    return k;
                }
                failedAt = System.nanoTime();
                throw new Unreachable("cannot fetch the keys of " + issuer.get(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unreachable("interrupted", e);
            }
        }
    }

    private String get(String uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(FETCH_TIMEOUT)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(uri + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static JsonObject object(String json) throws IOException {
        try (var reader = JSON.createReader(new StringReader(json))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw new IOException("not a JSON object", e);
        }
    }

    private static String withoutTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
