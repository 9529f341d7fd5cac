package org.redischat.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.concurrent.Daemons;
import org.redischat.redis.Keys;
import org.redischat.redis.NodeEvents;
import org.redischat.wire.Event;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Bots' accounts: names no password opens, made for a webhook or by an administrator,
 * who issues them tokens for the WebSocket. Redis keeps the names in one set
 * ({@link Keys#bots}); each node keeps a copy to mark bots in {@code joined} and {@code member_add}
 * without asking Redis on each join: told of a new bot by the node that made it (a {@code bot} node event), and
 * read again when the set's size differs from the last read (checked every {@link #REFRESH}, in case
 * that event was missed; the names are never removed, so the size tells) and every {@link #FULL_READ}.
 * A user who is no administrator makes at most {@code chat.webhooks.max-bots-per-user} names through
 * webhooks, so ordinary accounts cannot grow the set, or each node's reading of it, without bound.
 */
@ApplicationScoped
public class Bots {

    private static final Logger LOG = Logger.getLogger(Bots.class.getName());

    /** How often a node reads the bots' names again. */
    static final Duration REFRESH = Duration.ofSeconds(10);

    /** How often a node reads the bots' names even when their number has not changed. */
    static final Duration FULL_READ = Duration.ofMinutes(5);

    /** A bot's account record: not a password hash (Passwords refuses it), nor a provider's identity. */
    static final String RECORD = "bot";

    /** An operator's key that issues and revokes bots' tokens; shorter than this, it is ignored. */
    public static final int MIN_KEY_LENGTH = 32;

    @Inject
    RedissonClient redis;

    @Inject
    Tokens tokens;

    @Inject
    NodeEvents nodeEvents;

    /** The operator's key for the bots API (none: only server administrators may use it). */
    @Inject
    @ConfigProperty(name = "auth.admin-key")
    Optional<String> adminKey = Optional.empty();

    /** A bot token's lifetime when the request names none, and the longest allowed. */
    @Inject
    @ConfigProperty(name = "auth.bot.token-days", defaultValue = "365")
    int tokenDays = 365;

    @Inject
    @ConfigProperty(name = "auth.bot.token-max-days", defaultValue = "3650")
    int tokenMaxDays = 3650;

    /** New bots' names one user may make through webhooks (names already bots' are not counted). */
    @Inject
    @ConfigProperty(name = "chat.webhooks.max-bots-per-user", defaultValue = "10")
    int maxMadePerUser = 10;

    private final Set<String> known = new ConcurrentSkipListSet<>();
    private ScheduledExecutorService timer;

    /** The set's size at the last full read, and when that was (System.nanoTime); -1: never read. */
    private volatile long readSize = -1;
    private volatile long readAt;

    /** What {@link #makeFor} did. */
    public enum Made {
        /** The name is a bot's (made now or before). */
        MADE,
        /** A person's account has the name. */
        NAME_TAKEN,
        /** The user has made as many new bots' names as allowed. */
        LIMIT_REACHED
    }

    /** A token issued to a bot, and when it expires (ms since the epoch). */
    public record Issued(String username, String token, long expires) {
    }

    /** A bot as listed: its name and how many of its tokens are valid. */
    public record Listed(String username, long tokens) {
    }

    @PostConstruct
    void start() {
        refresh();
        if (adminKey.isPresent() && adminKey.get().length() < MIN_KEY_LENGTH) {
            LOG.warning("auth.admin-key is shorter than " + MIN_KEY_LENGTH + " characters and is ignored");
        }
        timer = Executors.newSingleThreadScheduledExecutor(Daemons.named("chat-bots-refresh"));
        timer.scheduleWithFixedDelay(this::refresh, REFRESH.toSeconds(), REFRESH.toSeconds(), TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /**
     * Reads the bots' names again when their number changed since the last read, or that read is
     * {@link #FULL_READ} old; keeps the copy it had when Redis cannot be asked.
     */
    void refresh() {
        try {
            RSet<String> names = redis.getSet(Keys.bots(), StringCodec.INSTANCE);
            if (names.size() == readSize && System.nanoTime() - readAt < FULL_READ.toNanos()) {
                return;
            }
            long at = System.nanoTime();
            Set<String> now = names.readAll();
            known.addAll(now);
            known.retainAll(now);
            readSize = now.size();
            readAt = at;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not read the bots' names; the next refresh asks again", e);
        }
    }

    /**
     * Makes {@code name} a bot's account, which no password opens, or finds it one already; false when
     * a person's account has the name. A new bot is announced to every node.
     */
    public boolean make(String name) {
        redis.getBucket(Keys.account(name), StringCodec.INSTANCE).setIfAbsent(RECORD);
        if (!RECORD.equals(redis.getBucket(Keys.account(name), StringCodec.INSTANCE).get())) {
            return false;
        }
        if (redis.getSet(Keys.bots(), StringCodec.INSTANCE).add(name)) {
            nodeEvents.publish(Event.bot(name)); // every node marks the bot from now on
        }
        known.add(name);
        return true;
    }

    /**
     * Makes {@code name} a bot's account for a webhook of a room moderator {@code by}: a name that is
     * already a bot's is taken as it is; a new one counts towards the names {@code by} may make, unless
     * {@code by} is a server administrator ({@code admin}).
     */
    public Made makeFor(String name, String by, boolean admin) {
        if (admin || redis.getSet(Keys.bots(), StringCodec.INSTANCE).contains(name)) {
            return make(name) ? Made.MADE : Made.NAME_TAKEN;
        }
        RSet<String> made = redis.getSet(Keys.botsMadeBy(by), StringCodec.INSTANCE);
        if (made.size() >= maxMadePerUser && !made.contains(name)) {
            return Made.LIMIT_REACHED;
        }
        if (!make(name)) {
            return Made.NAME_TAKEN;
        }
        made.add(name);
        return Made.MADE;
    }

    /** Another node made {@code name} a bot's account (its node event): this node's copy learns it now. */
    public void remember(String name) {
        known.add(name);
    }

    /** Whether {@code name} is a bot's account, by this node's copy of the names. */
    public boolean is(String name) {
        return known.contains(name);
    }

    /** Of these names, the bots', in the given order. */
    public List<String> of(Collection<String> names) {
        if (known.isEmpty()) {
            return List.of();
        }
        return names.stream().filter(known::contains).toList();
    }

    /** The lifetime a request for a token asks for: its days, or the default; null when out of range. */
    public Duration lifetime(Integer days) {
        int d = days == null ? tokenDays : days;
        return d < 1 || d > tokenMaxDays ? null : Duration.ofDays(d);
    }

    /** A new token of the bot (made first if need be), valid for {@code ttl}; null when a person's account has the name. */
    public Issued issue(String name, Duration ttl) {
        if (!make(name)) {
            return null;
        }
        String token = tokens.issue(name, ttl);
        long expires = System.currentTimeMillis() + ttl.toMillis();
        RScoredSortedSet<String> issued = issued(name);
        issued.add(expires, Tokens.hash(token));
        issued.removeRangeByScore(0, true, System.currentTimeMillis(), true); // forgets expired ones
        return new Issued(name, token, expires);
    }

    /**
     * Revokes every token issued to the bot; answers the revoked tokens' hashes (to close their
     * sockets), empty when it had none.
     */
    public List<String> revokeAll(String name) {
        RScoredSortedSet<String> issued = issued(name);
        List<String> hashes = new ArrayList<>(issued.readAll());
        if (hashes.isEmpty()) {
            return hashes;
        }
        RBatch batch = redis.createBatch();
        for (String h : hashes) {
            batch.getBucket(Keys.token(h), StringCodec.INSTANCE).deleteAsync();
        }
        batch.getScoredSortedSet(Keys.botTokens(name), StringCodec.INSTANCE).deleteAsync();
        batch.execute();
        return hashes;
    }

    /** Bots by name after {@code after} (null: from the first), at most {@code limit}, with their valid tokens counted. */
    public List<Listed> list(String after, int limit) {
        TreeSet<String> names = new TreeSet<>(redis.<String>getSet(Keys.bots(), StringCodec.INSTANCE).readAll());
        List<String> page = (after == null ? names : names.tailSet(after, false)).stream().limit(limit).toList();
        RBatch batch = redis.createBatch();
        long now = System.currentTimeMillis();
        Map<String, RFuture<Integer>> counts = new java.util.LinkedHashMap<>();
        for (String n : page) {
            counts.put(n, batch.<String>getScoredSortedSet(Keys.botTokens(n), StringCodec.INSTANCE)
                    .countAsync(now, false, Double.POSITIVE_INFINITY, true));
        }
        if (!page.isEmpty()) {
            batch.execute();
        }
        List<Listed> listed = new ArrayList<>(page.size());
        counts.forEach((n, f) -> listed.add(new Listed(n, f.toCompletableFuture().join())));
        return listed;
    }

    /** Whether the bearer value is the operator's key (compared in constant time). */
    public boolean isAdminKey(String bearer) {
        if (bearer == null || adminKey.isEmpty() || adminKey.get().length() < MIN_KEY_LENGTH) {
            return false;
        }
        return MessageDigest.isEqual(adminKey.get().getBytes(StandardCharsets.UTF_8), bearer.getBytes(StandardCharsets.UTF_8));
    }

    private RScoredSortedSet<String> issued(String name) {
        return redis.getScoredSortedSet(Keys.botTokens(name), StringCodec.INSTANCE);
    }
}
