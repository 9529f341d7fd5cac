package org.redischat.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RedissonClient;
import org.redischat.redis.Keys;
import org.redischat.redis.Gcra;

/**
 * Throttles sign-ins and sign-ups across all nodes, each attempt costing a slow password hash: per
 * client address, every attempt (a few clients keeping the cores busy), and per username and client
 * address, the failed sign-ins (password guessing; names that exist or not alike). The owner of an
 * account signing in from elsewhere is not slowed by someone else's wrong guesses. Token buckets in
 * Redis, as for sends.
 */
@ApplicationScoped
public class LoginRate {

    private final Gcra gcra = new Gcra();

    @Inject
    RedissonClient redis;

    @Inject
    @ConfigProperty(name = "auth.rate.per-user-per-minute", defaultValue = "10")
    double perUserPerMinute;

    @Inject
    @ConfigProperty(name = "auth.rate.per-user-burst", defaultValue = "10")
    int perUserBurst;

    @Inject
    @ConfigProperty(name = "auth.rate.per-address-per-second", defaultValue = "1")
    double perAddressPerSecond;

    @Inject
    @ConfigProperty(name = "auth.rate.per-address-burst", defaultValue = "20")
    int perAddressBurst;

    /**
     * Milliseconds to wait before this client may try this username again (0: now), after failures;
     * takes nothing: {@link #failed} counts a failure once it happened.
     */
    public long failureWait(String username, String client) {
        return run(Keys.loginRate("fail:" + username + ":" + client), perUserPerMinute / 60, perUserBurst, true);
    }

    /** A wrong password (or unknown name) from this client for this username: one less try before the wait. */
    public void failed(String username, String client) {
        run(Keys.loginRate("fail:" + username + ":" + client), perUserPerMinute / 60, perUserBurst, false);
    }

    /** Milliseconds to wait before this client address may make an attempt (0: now); takes it when 0. */
    public long addressWait(String address) {
        return run(Keys.loginRate("addr:" + address), perAddressPerSecond, perAddressBurst, false);
    }

    private long run(String key, double perSecond, int burst, boolean peek) {
        if (perSecond <= 0) {
            return 0;
        }
        return (gcra.take(redis, key, Gcra.interval(perSecond), burst, peek) + 999) / 1000;
    }
}
