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

/**
 * Opaque bearer tokens: 256 random bits, kept in Redis under their SHA-256 (so neither Redis nor a
 * log holds a usable token), each with its own expiry.
 */
@ApplicationScoped
public class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    RedissonClient redis;

    @Inject
    @ConfigProperty(name = "auth.token.ttl-hours", defaultValue = "720")
    long ttlHours;

    public String issue(String user) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        bucket(token).set(user, Duration.ofHours(ttlHours));
        return token;
    }

    public Optional<String> userOf(String token) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return Optional.empty();
        }
        return Optional.ofNullable(bucket(token).get());
    }

    /** Revokes the token; true if it was valid. */
    public boolean revoke(String token) {
        return token != null && token.length() <= 256 && bucket(token).delete();
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
