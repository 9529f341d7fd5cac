package org.redischat.rooms;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RedissonClient;
import org.redischat.history.MessageLog;
import org.redischat.redis.Keys;
import org.redischat.redis.LuaScript;

/**
 * Each user's send rate, and (protocol 1.4) edit rate (edits and deletes of messages), counted in
 * Redis so that every node shares one budget.
 */
@ApplicationScoped
public class SendRate {

    private static final LuaScript BUCKET = LuaScript.load(SendRate.class, "send-rate.lua", "gcra.lua");

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

    /**
     * The user's budget as a check for the append script to make itself, so that a send costs one
     * Redis round trip; null when the limit is off, or under Redis Cluster, where the user's key
     * and the room's keys live on different slots and {@link #allow} must run first.
     */
    public MessageLog.RateCheck inline(String user) {
        if (perSecond <= 0 || redis.getConfig().isClusterConfig()) {
            return null;
        }
        return new MessageLog.RateCheck(Keys.sendRate(user), interval(), Math.max(1, burst));
    }

    /** Takes one send from the user's budget; false when it is spent. A rate of 0 turns the limit off. */
    public boolean allow(String user) {
        if (perSecond <= 0) {
            return true;
        }
        return BUCKET.runForNumber(redis, List.of(Keys.sendRate(user)), String.valueOf(interval()),
                String.valueOf(Math.max(1, burst))) == 1;
    }

    /** Takes one edit or delete from the user's edit budget; false when it is spent. A rate of 0 turns the limit off. */
    public boolean allowEdit(String user) {
        if (editsPerMinute <= 0) {
            return true;
        }
        return BUCKET.runForNumber(redis, List.of(Keys.editRate(user)), String.valueOf(Math.max(1, Math.round(60_000_000 / editsPerMinute))),
                String.valueOf(Math.max(1, editBurst))) == 1;
    }

    private long interval() {
        return Math.max(1, Math.round(1_000_000 / perSecond));
    }
}
