package org.redischat.accounts;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.redis.Keys;

/** User accounts in Redis: one key per user holding the password hash. */
@ApplicationScoped
public class Accounts {

    @Inject
    RedissonClient redis;

    @Inject
    @ConfigProperty(name = "auth.pbkdf2.iterations", defaultValue = "600000")
    int iterations;

    private Passwords passwords;

    @PostConstruct
    void init() {
        passwords = new Passwords(iterations);
    }

    /** Creates the account; false when the name is taken. Name and password are already valid. */
    public boolean register(String user, String password) {
        return account(user).setIfAbsent(passwords.hash(password));
    }

    public boolean verify(String user, String password) {
        return passwords.verify(password, account(user).get());
    }

    public boolean exists(String user) {
        return account(user).isExists();
    }

    private RBucket<String> account(String user) {
        return redis.getBucket(Keys.account(user), StringCodec.INSTANCE);
    }
}
