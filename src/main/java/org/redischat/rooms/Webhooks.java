package org.redischat.rooms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.redis.Gcra;
import org.redischat.redis.Keys;
import org.redischat.wire.Json;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Incoming webhooks: a room's moderators make one for a named bot; whoever holds its URL
 * posts messages into the room as that bot, at a rate of its own. Redis keeps each webhook's record
 * under the room ({@link Keys#webhooks}) with a digest of its secret, never the secret, and the room
 * by the webhook's id ({@link Keys#webhook}), so that a post finds its room from the URL alone.
 */
@ApplicationScoped
public class Webhooks {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Inject
    RedissonClient redis;

    /** Posts a webhook may make a minute, after its burst. */
    @Inject
    @ConfigProperty(name = "chat.webhooks.per-minute", defaultValue = "60")
    double perMinute = 60;

    @Inject
    @ConfigProperty(name = "chat.webhooks.burst", defaultValue = "10")
    int burst = 10;

    /**
     * Posts to webhook URLs that do not exist (a wrong id or secret) one client address may make a
     * minute, after its burst; beyond them the address's posts are refused for a while, on this node
     * without asking Redis (0: no limit).
     */
    @Inject
    @ConfigProperty(name = "chat.webhooks.misses-per-minute", defaultValue = "60")
    double missesPerMinute = 60;

    @Inject
    @ConfigProperty(name = "chat.webhooks.misses-burst", defaultValue = "20")
    int missesBurst = 20;

    /** The most webhooks one room holds. */
    @Inject
    @ConfigProperty(name = "chat.webhooks.max-per-room", defaultValue = "20")
    int maxPerRoom = 20;

    private final Gcra gcra = new Gcra();

    /** A webhook as listed: never its secret. {@code created}: ms since the epoch. */
    public record Hook(String id, String room, String name, String by, long created) {
    }

    /** A new webhook and the secret that goes in its URL, shown once. */
    public record Created(Hook hook, String secret) {
    }

    /** What Redis keeps of a webhook. */
    public record Stored(String id, String name, String by, long created, String digest) {
    }

    /** A new webhook of the room posting as {@code name}, made by {@code by}; null when the room holds the most it may. */
    public Created create(String room, String name, String by) {
        RMap<String, String> hooks = hooks(room);
        if (hooks.size() >= maxPerRoom) {
            return null;
        }
        String id = random(9);
        String secret = random(24);
        long now = System.currentTimeMillis();
        hooks.put(id, Json.write(new Stored(id, name, by, now, digest(secret))));
        redis.getBucket(Keys.webhook(id), StringCodec.INSTANCE).set(room);
        return new Created(new Hook(id, room, name, by, now), secret);
    }

    /** Whether the room holds the most webhooks it may. */
    public boolean full(String room) {
        return hooks(room).size() >= maxPerRoom;
    }

    /** The room's webhooks, oldest first. */
    public List<Hook> list(String room) {
        return hooks(room).readAllValues().stream().map(json -> Json.read(json, Stored.class))
                .sorted(Comparator.comparingLong(Stored::created))
                .map(s -> new Hook(s.id(), room, s.name(), s.by(), s.created())).toList();
    }

    /** Revokes the room's webhook {@code id}; false when the room has none of that id. */
    public boolean revoke(String room, String id) {
        if (hooks(room).fastRemove(id) == 0) {
            return false;
        }
        redis.getBucket(Keys.webhook(id), StringCodec.INSTANCE).delete();
        return true;
    }

    /** The webhook whose URL holds {@code id} and {@code secret}; null when there is none or the secret is not its. */
    public Hook find(String id, String secret) {
        if (id.length() > 64 || secret.length() > 128) {
            return null;
        }
        String room = redis.<String>getBucket(Keys.webhook(id), StringCodec.INSTANCE).get();
        String json = room == null ? null : hooks(room).get(id);
        if (json == null) {
            return null;
        }
        Stored s = Json.read(json, Stored.class);
        boolean match = MessageDigest.isEqual(s.digest().getBytes(StandardCharsets.US_ASCII),
                digest(secret).getBytes(StandardCharsets.US_ASCII));
        return match ? new Hook(s.id(), room, s.name(), s.by(), s.created()) : null;
    }

    /** Takes one post from the webhook's budget: 0, or the microseconds until one may be made (nothing taken). */
    public long take(String id) {
        if (perMinute <= 0) {
            return 0;
        }
        return gcra.take(redis, Keys.webhookRate(id), Gcra.interval(perMinute / 60), Math.max(1, burst), false);
    }

    /**
     * Microseconds before the client address may post to a webhook URL again (0: now), as this node
     * knows it: the address's wrong URLs spent its budget (see {@link #missed}). Asks nothing of Redis.
     */
    public long missWait(String client) {
        return missesPerMinute <= 0 ? 0 : gcra.knownWait(Keys.webhookMisses(client));
    }

    /** The client address posted to a webhook URL that does not exist: one less before {@link #missWait}. */
    public void missed(String client) {
        if (missesPerMinute > 0) {
            gcra.take(redis, Keys.webhookMisses(client), Gcra.interval(missesPerMinute / 60), Math.max(1, missesBurst), false);
        }
    }

    private RMap<String, String> hooks(String room) {
        return redis.getMap(Keys.webhooks(room), StringCodec.INSTANCE);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }

    static String digest(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
