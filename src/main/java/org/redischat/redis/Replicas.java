package org.redischat.redis;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.metrics.Metrics;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;

/**
 * How many replicas must hold a message before its {@code ack} ({@code chat.ack.replicas}): with
 * asynchronous replication a failover can lose writes a master had acknowledged, so where replicas
 * exist the ack waits (Redis {@code WAIT}) for one of them by default. {@code auto} (the default) is
 * 1 on Redis Cluster whose masters all have a replica when first asked, and on Sentinel; 0 on a
 * single Redis; a number sets it.
 *
 * <p>An ack waits only for replicas that are there: a master with fewer replicas in sync than asked
 * (after a failover, the promoted replica has none until another joins) gets its messages acked after
 * those it has, none at all if none, each such ack counted ({@code chat_acks_unreplicated_total}) and
 * logged, so that the chat keeps taking messages. {@code chat.ack.replicas-required=true} refuses
 * them instead ({@code internal}, resend with the same ref) until the replicas are back. What a master
 * has is learnt from the append script's own answer (its replicas in sync and replication id), per
 * hash slot, with a failover seen as a new replication id taking over an old one.
 */
@ApplicationScoped
public class Replicas {

    private static final Logger LOG = Logger.getLogger(Replicas.class.getName());
    private static final long WARN_EVERY_NANOS = 60_000_000_000L;

    @Inject
    RedissonClient redis;

    @Inject
    Metrics metrics;

    @Inject
    @ConfigProperty(name = "chat.ack.replicas", defaultValue = "auto")
    String setting;

    @Inject
    @ConfigProperty(name = "chat.ack.replicas-required", defaultValue = "false")
    boolean required;

    @Inject
    @ConfigProperty(name = "chat.ack.replica-timeout-ms", defaultValue = "1000")
    long timeoutMillis;

    private volatile Integer count;
    private final Masters masters = new Masters();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    /** Replicas asked for before an ack (0: none); decided on first use. */
    public int count() {
        Integer c = count;
        if (c == null) {
            synchronized (this) {
                if (count == null) {
                    count = decide();
                    LOG.info("an ack waits for " + count + " replica(s) to hold the message (chat.ack.replicas=" + setting
                            + (count > 0 ? (required ? ", required" : ", or for those in sync when fewer are") : "") + ")");
                }
                c = count;
            }
        }
        return c;
    }

    /** Replicas the ack of a message stored under {@code key} waits for now: those asked, or fewer when fewer are in sync. */
    public int waitFor(String key) {
        int wanted = count();
        return wanted == 0 || required ? wanted : Math.min(wanted, masters.inSync(Slots.of(key), wanted));
    }

    /**
     * Whether a message stored under {@code key} may be acked: {@code held} replicas confirmed it within
     * the wait, its master had {@code inSync} replicas in sync when it stored it ({@code -1}: unknown),
     * under replication id {@code replid}.
     */
    public boolean acked(String key, int held, long inSync, String replid) {
        int wanted = count();
        masters.learn(Slots.of(key), inSync, replid);
        if (held >= wanted) {
            return true;
        }
        if (required || inSync < 0 || held < Math.min(wanted, inSync)) {
            return false; // a replica in sync did not confirm in time: a resend with the same ref tries again
        }
        metrics.ackedUnreplicated();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warning("acking messages with " + inSync + " replica(s) in sync instead of " + wanted
                    + " (a failover left a master without replicas?); a failover before one syncs could lose them."
                    + " chat.ack.replicas-required=true refuses them instead; see chat_acks_unreplicated_total");
        }
        return true;
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    private int decide() {
        String s = setting == null ? "auto" : setting.trim().toLowerCase();
        if (!s.equals("auto")) {
            return Integer.parseInt(s);
        }
        if (redis.getConfig().isSentinelConfig()) {
            return 1;
        }
        if (redis.getConfig().isClusterConfig()) {
            // the masters' own word: with reads on masters Redisson keeps no entries for the replicas
            boolean replicated = redis.getRedisNodes(RedisNodes.CLUSTER).getMasters().stream()
                    .allMatch(m -> Integer.parseInt(m.info(RedisNode.InfoSection.REPLICATION)
                            .getOrDefault("connected_slaves", "0")) > 0);
            return replicated ? 1 : 0;
        }
        return 0;
    }

    /**
     * What this node last learnt of the masters: which replication id serves each hash slot, how
     * many replicas each id had in sync, and which id took over from which (a promoted replica starts
     * a new one; the slots of the old follow it without each paying a wait first).
     */
    static final class Masters {
        private final String[] bySlot = new String[Slots.COUNT];
        private final ConcurrentHashMap<String, Long> inSync = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, String> successor = new ConcurrentHashMap<>();

        /** Replicas in sync for the slot's master as last learnt; {@code unknown} when nothing was. */
        int inSync(int slot, int unknown) {
            String id = current(bySlot[slot]);
            Long n = id == null ? null : inSync.get(id);
            return n == null || n < 0 ? unknown : (int) Math.min(n, Integer.MAX_VALUE);
        }

        void learn(int slot, long replicas, String replid) {
            if (replid == null || replid.isEmpty()) {
                return;
            }
            String before = bySlot[slot];
            if (before != null && !before.equals(replid) && successor.size() < 10_000) {
                successor.put(before, replid);
            }
            bySlot[slot] = replid;
            inSync.put(replid, replicas);
        }

        /** The id that serves now where {@code id} served (following take-overs), or {@code id}. */
        private String current(String id) {
            for (int hops = 0; id != null && hops < 16; hops++) {
                String next = successor.get(id);
                if (next == null || next.equals(id)) {
                    return id;
                }
                id = next;
            }
            return id;
        }
    }
}
