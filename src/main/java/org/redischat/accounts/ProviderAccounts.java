package org.redischat.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.redis.Keys;
import org.redischat.sso.InvalidToken;
import org.redischat.sso.Provider;
import org.redischat.sso.TokenCheck;
import org.redischat.wire.Username;

/**
 * Chat accounts of people who sign in with the provider. The username is the configured claim,
 * normalised as every username is; the first identity to use a name holds it, as a sign-up does:
 * the account record then names the issuer and the subject instead of a password hash (so no
 * password opens it), and a local account or another subject with the same name is refused
 * ({@link NameHeld}), never merged. Each believed token also says which groups its user holds now:
 * server administrators ({@link ServerAdmins}) and the rooms bound to groups ({@link GroupsSeen}).
 */
@ApplicationScoped
public class ProviderAccounts {

    private static final Logger LOG = Logger.getLogger(ProviderAccounts.class.getName());

    /** The account record's prefix for a provider's identity (a password hash starts with its scheme). */
    static final String MARK = "sso ";

    @Inject
    RedissonClient redis;

    @Inject
    Provider provider;

    @Inject
    ServerAdmins admins;

    /** To the rooms bound to groups: a believed token's groups. */
    @Inject
    Event<GroupsSeen> seen;

    /**
     * How long a chat session outlives the provider's token it was last given: a client renews
     * before its token expires; this covers a renewal that comes late (a laptop waking up).
     */
    @Inject
    @ConfigProperty(name = "auth.oidc.session-grace-seconds", defaultValue = "60")
    long graceSeconds;

    /** A believed token's user and until when a chat session bound to it lives. */
    public record SignedIn(String username, Instant sessionEnds) {

        public Duration left() {
            return Duration.between(Instant.now(), sessionEnds);
        }
    }

    /** The name is held by a local account or another identity; nothing was created. */
    public static final class NameHeld extends RuntimeException {
        public NameHeld(String name) {
            super("the username " + name + " belongs to another account", null, false, false);
        }
    }

    public boolean enabled() {
        return provider.enabled();
    }

    /**
     * The account of the identity a provider's token carries, created on its first use; refused
     * with {@link InvalidToken} (not believed, or its username claim is not a username) or
     * {@link NameHeld}.
     */
    public SignedIn signIn(String providerToken) {
        TokenCheck.Identity id = provider.verify(providerToken);
        String name = Username.normalize(id.username()).orElseThrow(
                () -> new InvalidToken("the token's username claim is missing or not a valid chat username"));
        String mark = MARK + provider.settings().orElseThrow().issuer() + " " + id.subject();
        RBucket<String> account = redis.getBucket(Keys.account(name), StringCodec.INSTANCE);
        if (account.setIfAbsent(mark)) {
            LOG.info(() -> "registered user " + name + " of the provider");
        } else if (!mark.equals(account.get())) {
            throw new NameHeld(name);
        }
        SignedIn in = new SignedIn(name, id.expires().plusSeconds(graceSeconds));
        admins.record(name, id.groups(), in.left());
        seen.fire(new GroupsSeen(name, id.groups(), in.sessionEnds()));
        return in;
    }

    /** True when the account is one of the provider's (its record names an identity). */
    public boolean isProviderAccount(String user) {
        return Optional.ofNullable(redis.<String>getBucket(Keys.account(user), StringCodec.INSTANCE).get())
                .filter(v -> v.startsWith(MARK)).isPresent();
    }
}
