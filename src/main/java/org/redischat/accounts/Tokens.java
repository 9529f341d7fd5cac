package org.redischat.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.redis.Keys;
import org.redischat.sso.InvalidToken;
import org.redischat.sso.TokenCheck;

/**
 * Bearer tokens: opaque ones of 256 random bits, kept in Redis under their SHA-256 (so neither Redis
 * nor a log holds a usable token), each with its own expiry; and, when single sign-on is on, the
 * provider's own tokens, checked on their first use and then kept the same way until they expire
 * (plus the session grace), so that a socket opened with one is watched as any other.
 */
@ApplicationScoped
public class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Longer bearer values are refused unread (a provider's token is 1–4 KiB; this server's are 43 characters). */
    public static final int MAX_LENGTH = 8192;

    @Inject
    RedissonClient redis;

    @Inject
    @ConfigProperty(name = "auth.token.ttl-hours", defaultValue = "720")
    long ttlHours;

    @Inject
    ProviderAccounts providerAccounts;

    public String issue(String user) {
        return issue(user, Duration.ofHours(ttlHours));
    }

    /** A new token of the user, valid for the given time. */
    public String issue(String user, Duration ttl) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        bucket(token).set(user, ttl);
        return token;
    }

    /**
     * The token's user: a token this server issued, or a provider's token (checked now if it was
     * not used before; {@link org.redischat.sso.Provider.Unreachable} when the provider's keys
     * cannot be fetched). Empty for anything else.
     */
    public Optional<String> userOf(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String user = bucket(token).get();
        if (user != null || !providerAccounts.enabled() || !TokenCheck.isJwt(token)) {
            return Optional.ofNullable(user);
        }
        try {
            ProviderAccounts.SignedIn in = providerAccounts.signIn(token);
            if (in.left().isNegative() || in.left().isZero()) {
                return Optional.empty();
            }
            bucket(token).set(in.username(), in.left());
            return Optional.of(in.username());
        } catch (InvalidToken | ProviderAccounts.NameHeld e) {
            return Optional.empty();
        }
    }

    /**
     * Gives the token a new expiry, when it is still valid and its user is the one named; false
     * (nothing changed) otherwise.
     */
    public boolean extend(String token, String user, Duration ttl) {
        return userOf(token).filter(user::equals).isPresent() && !ttl.isNegative() && bucket(token).expire(ttl);
    }

    /** Revokes the token; true if it was valid. */
    public boolean revoke(String token) {
        return token != null && token.length() <= MAX_LENGTH && bucket(token).delete();
    }

    /**
     * Of these token hashes, the ones whose token no longer exists (expired, revoked or lost with
     * Redis's data), asked in one round trip.
     */
    public Set<String> missing(Collection<String> hashes) {
        if (hashes.isEmpty()) {
            return Set.of();
        }
        RBatch batch = redis.createBatch();
        Map<String, RFuture<Boolean>> exists = new HashMap<>();
        for (String h : hashes) {
            exists.put(h, batch.getBucket(Keys.token(h), StringCodec.INSTANCE).isExistsAsync());
        }
        batch.execute();
        Set<String> missing = new HashSet<>();
        exists.forEach((h, f) -> {
            if (!f.toCompletableFuture().join()) {
                missing.add(h);
            }
        });
        return missing;
    }

    private RBucket<String> bucket(String token) {
        return redis.getBucket(Keys.token(hash(token)), StringCodec.INSTANCE);
    }

    public static String hash(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
