package org.redischat.rooms;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RedissonClient;
import org.redischat.history.MessageLog;
import org.redischat.redis.Keys;
import org.redischat.redis.Gcra;

/**
 * What each user may ask of the server, counted in Redis so that every node shares one budget per
 * user and kind: sends (and reactions), edits (and deletes, moderation, blocks), reads (join,
 * history, changes, directory, join links) and signals (typing, read marks). A rate of 0 turns a
 * budget off. A budget found spent is refused on this node without asking Redis again until it
 * refills ({@link Gcra}).
 */
@ApplicationScoped
public class Budgets {

    /** The bytes of messages a read unit pays for, beyond the request itself. */
    static final long READ_UNIT_BYTES = 32_768;

    private final Gcra gcra = new Gcra();

    @Inject
    RedissonClient redis;

    @Inject
    @ConfigProperty(name = "chat.rate.per-second", defaultValue = "20")
    double perSecond;

    @Inject
    @ConfigProperty(name = "chat.rate.burst", defaultValue = "40")
    int burst;

    @Inject
    @ConfigProperty(name = "chat.edit.per-minute", defaultValue = "30")
    double editsPerMinute;

    @Inject
    @ConfigProperty(name = "chat.edit.burst", defaultValue = "10")
    int editBurst;

    @Inject
    @ConfigProperty(name = "chat.reads.per-second", defaultValue = "10")
    double readsPerSecond = 10;

    @Inject
    @ConfigProperty(name = "chat.reads.burst", defaultValue = "60")
    int readBurst = 60;

    @Inject
    @ConfigProperty(name = "chat.signals.per-second", defaultValue = "10")
    double signalsPerSecond = 10;

    @Inject
    @ConfigProperty(name = "chat.signals.burst", defaultValue = "30")
    int signalBurst = 30;

    /**
     * The user's send budget as a check for the append script to make itself, so that a send costs
     * one Redis round trip; null when the limit is off, or under Redis Cluster, where the user's key
     * and the room's keys live on different slots and {@link #allow} must run first.
     */
    public MessageLog.RateCheck inline(String user) {
        if (perSecond <= 0 || redis.getConfig().isClusterConfig()) {
            return null;
        }
        return new MessageLog.RateCheck(Keys.sendRate(user), Gcra.interval(perSecond), Math.max(1, burst));
    }

    /** Takes one send from the user's budget; false when it is spent. */
    public boolean allow(String user) {
        return take(Keys.sendRate(user), perSecond, burst);
    }

    /** Takes one edit, delete, moderation or block from the user's edit budget; false when it is spent. */
    public boolean allowEdit(String user) {
        return take(Keys.editRate(user), editsPerMinute / 60, editBurst);
    }

    /** Takes one read (a join, history, changes, directory page or join link) from the user's budget. */
    public boolean allowRead(String user) {
        return take(Keys.readRate(user), readsPerSecond, readBurst);
    }

    /**
     * What a read answered beyond its first unit: one more unit for every 32 KiB of messages it carried
     * (a page of 256 KiB costs nine in all), so an account reads at most about 320 KiB a second of the
     * store at the default rate, whatever its requests ask for.
     */
    public void chargeRead(String user, long bytes) {
        if (readsPerSecond > 0) {
            gcra.charge(redis, Keys.readRate(user), Gcra.interval(readsPerSecond), bytes / READ_UNIT_BYTES);
        }
    }

    /** Messages a search may scan for one unit of the read budget. */
    static final int SCAN_UNIT = 1000;

    /** What a search scanned beyond its first unit: one more unit for every {@link #SCAN_UNIT} messages. */
    public void chargeScan(String user, int scanned) {
        if (readsPerSecond > 0) {
            gcra.charge(redis, Keys.readRate(user), Gcra.interval(readsPerSecond), scanned / SCAN_UNIT);
        }
    }

    /** About the bytes the messages take in an answer: their texts as JSON and a hundred bytes each for the rest. */
    public static long bytesOf(java.util.List<org.redischat.wire.Message> messages) {
        long bytes = 0;
        for (org.redischat.wire.Message m : messages) {
            bytes += org.redischat.wire.Utf8.jsonLength(m.text()) + 100;
        }
        return bytes;
    }

    /** Takes one signal (typing, a read mark) from the user's budget. */
    public boolean allowSignal(String user) {
        return take(Keys.signalRate(user), signalsPerSecond, signalBurst);
    }

    private boolean take(String key, double rate, int burstOf) {
        return rate <= 0 || gcra.take(redis, key, Gcra.interval(rate), burstOf, false) == 0;
    }
}
