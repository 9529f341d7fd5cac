package org.redischat.accounts;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.redis.Keys;

/**
 * User accounts in Redis: one key per user holding the password hash. Hashing takes a core for a few
 * hundred milliseconds, so at most {@code auth.hash.concurrency} hashes run at once on a node; a
 * sign-in or sign-up that cannot get its turn within 5 s is refused ({@link BusyException}) rather
 * than queued without end.
 */
@ApplicationScoped
public class Accounts {

    @Inject
    RedissonClient redis;

    @Inject
    @ConfigProperty(name = "auth.pbkdf2.iterations", defaultValue = "600000")
    int iterations;

    /** Hashes at once on this node; 0: half the processors, at least one. */
    @Inject
    @ConfigProperty(name = "auth.hash.concurrency", defaultValue = "0")
    int hashConcurrency;

    private Passwords passwords;
    private Semaphore hashing;

    /** Too many hashes under way on this node; nothing was checked or created. */
    public static final class BusyException extends RuntimeException {
        BusyException() {
            super(null, null, false, false);
        }
    }

    @PostConstruct
    void init() {
        passwords = new Passwords(iterations);
        hashing = new Semaphore(hashConcurrency > 0 ? hashConcurrency : Math.max(1, Runtime.getRuntime().availableProcessors() / 2), true);
    }

    /** Creates the account; false when the name is taken. Name and password are already valid. */
    public boolean register(String user, String password) {
        return account(user).setIfAbsent(hashed(() -> passwords.hash(password)));
    }

    public boolean verify(String user, String password) {
        String stored = account(user).get();
        return hashed(() -> passwords.verify(password, stored));
    }

    private <T> T hashed(java.util.function.Supplier<T> work) {
        try {
            if (!hashing.tryAcquire(5, TimeUnit.SECONDS)) {
                throw new BusyException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException();
        }
        try {
            return work.get();
        } finally {
            hashing.release();
        }
    }

    public boolean exists(String user) {
        return account(user).isExists();
    }

    private RBucket<String> account(String user) {
        return redis.getBucket(Keys.account(user), StringCodec.INSTANCE);
    }
}
