package org.redischat.redis;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.redisson.api.RedissonClient;

/**
 * Budgets in Redis shared by every node (GCRA, {@code gcra.lua}), with this node's memory of the ones
 * found spent: once Redis says a budget has nothing left for the next W microseconds, the node refuses
 * it without asking Redis again until W has passed (other nodes can only take from it meanwhile, never
 * add). A flood over a budget then costs the node no round trip per refusal, and Redis nothing.
 */
public final class Gcra {

    private static final LuaScript TAKE = LuaScript.load(Gcra.class, "gcra-take.lua", "gcra.lua");
    /** Past this many remembered budgets, the expired ones are dropped. */
    private static final int MAX_REMEMBERED = 10_000;

    /** Budget key to the System.nanoTime() until which it is spent. */
    private final ConcurrentHashMap<String, Long> spentUntil = new ConcurrentHashMap<>();

    /**
     * Takes one unit ({@code peek}: takes nothing) from the budget at {@code key}; 0 when it was taken
     * (or could be), else the microseconds until one can be.
     */
    public long take(RedissonClient redis, String key, long intervalMicros, int burst, boolean peek) {
        long known = knownWait(key);
        if (known > 0) {
            return known;
        }
        long now = System.nanoTime();
        long wait = TAKE.runForNumber(redis, List.of(key), String.valueOf(intervalMicros), String.valueOf(Math.max(1, burst)),
                peek ? "peek" : "take");
        if (wait > 0) {
            if (spentUntil.size() >= MAX_REMEMBERED) {
                spentUntil.values().removeIf(u -> u - now <= 0);
            }
            if (spentUntil.size() < MAX_REMEMBERED) {
                spentUntil.put(key, now + wait * 1000);
            }
        }
        return wait;
    }

    /**
     * The microseconds until the budget at {@code key} has a unit again, as far as this node knows
     * without asking Redis: 0 unless Redis said it was spent and that has not passed yet.
     */
    public long knownWait(String key) {
        Long until = spentUntil.get(key);
        long left = until == null ? 0 : until - System.nanoTime();
        return left > 0 ? Math.max(1, left / 1000) : 0;
    }

    /**
     * Takes {@code units} more from the budget at {@code key}, whatever is left (it may go into debt,
     * and later takes wait): what a request cost beyond its first unit, known once it was answered.
     */
    public void charge(RedissonClient redis, String key, long intervalMicros, long units) {
        if (units > 0) {
            TAKE.runForNumber(redis, List.of(key), String.valueOf(intervalMicros), "1", "charge", String.valueOf(units));
        }
    }

    /** Microseconds per unit at {@code perSecond} units a second. */
    public static long interval(double perSecond) {
        return Math.max(1, Math.round(1_000_000 / perSecond));
    }
}
