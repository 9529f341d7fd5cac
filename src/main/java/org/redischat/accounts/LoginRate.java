package org.redischat.accounts;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RedissonClient;
import org.redischat.redis.Keys;
import org.redischat.redis.LuaScript;

/**
 * Throttles sign-ins and sign-ups across all nodes, each attempt costing a slow password hash: per
 * username (password guessing; every attempt counts, for names that exist or not alike) and per
 * client address (a few clients keeping the cores busy). Token buckets in Redis, as for sends.
 */
@ApplicationScoped
public class LoginRate {

    private static final LuaScript ATTEMPT = LuaScript.load(LoginRate.class, "attempt.lua", "gcra.lua");

    @Inject
    RedissonClient redis;

    @Inject
    @ConfigProperty(name = "auth.rate.per-user-per-minute", defaultValue = "10")
    double perUserPerMinute;

    @Inject
    @ConfigProperty(name = "auth.rate.per-user-burst", defaultValue = "10")
    int perUserBurst;

    @Inject
    @ConfigProperty(name = "auth.rate.per-address-per-second", defaultValue = "10")
    double perAddressPerSecond;

    @Inject
    @ConfigProperty(name = "auth.rate.per-address-burst", defaultValue = "200")
    int perAddressBurst;

    /** Milliseconds to wait before an attempt for this username may go ahead (0: now); takes it when 0. */
    public long userWait(String username) {
        return take(Keys.loginRate("user:" + username), perUserPerMinute / 60, perUserBurst);
    }

    /** The same for a client address. */
    public long addressWait(String address) {
        return take(Keys.loginRate("addr:" + address), perAddressPerSecond, perAddressBurst);
    }

    private long take(String key, double perSecond, int burst) {
        if (perSecond <= 0) {
            return 0;
        }
        long interval = Math.max(1, Math.round(1_000_000 / perSecond));
        return ATTEMPT.runForNumber(redis, List.of(key), String.valueOf(interval), String.valueOf(Math.max(1, burst)));
    }
}
