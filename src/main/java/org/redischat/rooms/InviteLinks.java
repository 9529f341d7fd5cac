package org.redischat.rooms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.redis.Keys;
import org.redischat.redis.LuaScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Join links: records in the room's keys ({@link Keys#joinLinks}) that the server can list and
 * revoke. A link's invitation is 128 random bits; Redis keeps only its id, a digest of it, with the
 * issuer and the expiry. The join's script admits a link while it is recorded, unexpired, and its
 * issuer is still a member of the room ({@link Joins}, {@code join.lua}), so a removed or banned issuer's links
 * stop working with their membership. No key signs anything, so there is none to rotate or leak.
 */
@ApplicationScoped
public class InviteLinks {

    private static final LuaScript ISSUE = LuaScript.load(InviteLinks.class, "link-issue.lua");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Inject
    RedissonClient redis;

    /** Most unexpired links one room holds; another is refused until one expires or is revoked. */
    @Inject
    @ConfigProperty(name = "chat.invite.max-links-per-room", defaultValue = "100")
    int maxPerRoom = 100;

    /** A recorded link: its id (not its invitation), who made it, when it expires and when it was made (ms). */
    public record Link(String id, String issuer, long expires, long created) {
    }

    /** A new link's invitation (the secret a join carries) and its record. */
    public record Issued(String invite, Link link) {
    }

    /** The id under which an invitation is recorded: the first 128 bits of its SHA-256, base64url. */
    public static String idOf(String invite) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(invite.getBytes(StandardCharsets.UTF_8));
            return B64.encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records a new link of the room by {@code issuer}; null when the room holds the most links already. */
    public Issued issue(String room, String issuer, long now, long expires) {
        byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        String invite = B64.encodeToString(secret);
        Link link = new Link(idOf(invite), issuer, expires, now);
        long recorded = ISSUE.runForNumber(redis, List.of(Keys.joinLinks(room)), link.id(),
                issuer + " " + expires + " " + now, String.valueOf(now), String.valueOf(maxPerRoom));
        return recorded == 1 ? new Issued(invite, link) : null;
    }

    /** The room's unexpired links, newest first. */
    public List<Link> list(String room, long now) {
        Map<String, String> all = redis.<String, String>getMap(Keys.joinLinks(room), StringCodec.INSTANCE).readAllMap();
        List<Link> links = new ArrayList<>();
        all.forEach((id, record) -> {
            Link l = parse(id, record);
            if (l != null && l.expires() > now) {
                links.add(l);
            }
        });
        links.sort(Comparator.comparingLong(Link::created).reversed().thenComparing(Link::id));
        return links;
    }

    /** The link with this id, or null. */
    public Link find(String room, String id) {
        String record = redis.<String, String>getMap(Keys.joinLinks(room), StringCodec.INSTANCE).get(id);
        return record == null ? null : parse(id, record);
    }

    /** Revokes the link; false when there was none with this id. */
    public boolean revoke(String room, String id) {
        return redis.getMap(Keys.joinLinks(room), StringCodec.INSTANCE).fastRemove(id) == 1;
    }

    private static Link parse(String id, String record) {
        String[] p = record.split(" ");
        if (p.length != 3) {
            return null;
        }
        return new Link(id, p[0], Long.parseLong(p[1]), Long.parseLong(p[2]));
    }
}
