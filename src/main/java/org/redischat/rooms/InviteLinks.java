package org.redischat.rooms;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.redis.Keys;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Join links (protocol 1.3): an invitation to one room until a time, signed with a key every node
 * shares through Redis ({@link Keys#INVITE_KEY}, made by the first node that needs it), so any node
 * can check a link any node issued and nobody can make one up or move it to another room. A link is
 * {@code <room>.<expiry ms>.<HMAC-SHA256 of both, base64url>}; it is not used up by a join.
 */
@ApplicationScoped
public class InviteLinks {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Inject
    RedissonClient redis;

    private volatile byte[] key;

    public String issue(String room, long expiresAtMillis) {
        return room + "." + expiresAtMillis + "." + sign(room, expiresAtMillis);
    }

    /** True when the link was issued here for this room and has not expired at {@code nowMillis}. */
    public boolean admits(String link, String room, long nowMillis) {
        int last = link.lastIndexOf('.');
        int middle = last < 0 ? -1 : link.lastIndexOf('.', last - 1);
        if (middle < 0 || !link.substring(0, middle).equals(room)) {
            return false;
        }
        long expires;
        try {
            expires = Long.parseLong(link, middle + 1, last, 10);
        } catch (NumberFormatException e) {
            return false;
        }
        return expires > nowMillis && MessageDigest.isEqual(sign(room, expires).getBytes(StandardCharsets.US_ASCII),
                link.substring(last + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(String room, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return B64.encodeToString(mac.doFinal((room + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            RBucket<String> shared = redis.getBucket(Keys.INVITE_KEY, StringCodec.INSTANCE);
            shared.setIfAbsent(Base64.getEncoder().encodeToString(fresh)); // the first node's key wins
            key = k = Base64.getDecoder().decode(shared.get());
        }
        return k;
    }
}
