package org.redischat.accounts;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.redis.Keys;

/**
 * Server administrators: the provider's users in one of {@code auth.oidc.admin-groups}. They
 * moderate any room, without being members, above its owner. Who is one is written when a token of
 * theirs is believed and lasts as long as the session it gives, so a user who loses the group is no
 * administrator from their next renewal, and one whose sessions all ended is none.
 */
@ApplicationScoped
public class ServerAdmins {

    @Inject
    RedissonClient redis;

    /** Comma-separated group names; none: nobody is a server administrator. */
    @Inject
    @ConfigProperty(name = "auth.oidc.admin-groups")
    Optional<String> adminGroups;

    private Set<String> groups;

    @PostConstruct
    void init() {
        groups = Arrays.stream(adminGroups.orElse("").split(",")).map(String::trim).filter(g -> !g.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Records whether the user is an administrator, by the groups a believed token names, for the session's time. */
    void record(String user, List<String> userGroups, Duration session) {
        if (groups.isEmpty()) {
            return;
        }
        if (userGroups.stream().anyMatch(groups::contains) && !session.isNegative() && !session.isZero()) {
            flag(user).set("1", session);
        } else {
            flag(user).delete();
        }
    }

    public boolean isAdmin(String user) {
        return !groups.isEmpty() && flag(user).isExists();
    }

    private RBucket<String> flag(String user) {
        return redis.getBucket(Keys.admin(user), StringCodec.INSTANCE);
    }
}
