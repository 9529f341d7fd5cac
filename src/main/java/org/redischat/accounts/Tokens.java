package org.redischat.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RBucket;
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
