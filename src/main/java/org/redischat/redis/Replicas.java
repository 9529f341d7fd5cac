package org.redischat.redis;

import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;

/**
 * How many replicas must hold a message before its {@code ack} ({@code chat.ack.replicas}): with
 * asynchronous replication a failover can lose writes a master had acknowledged, so where replicas
 * exist the ack waits (Redis {@code WAIT}) for one of them by default. {@code auto} (the default) is
 * 1 on Redis Cluster whose masters all have a replica when first asked, and on Sentinel; 0 on a
 * single Redis; a number sets it.
 */
@ApplicationScoped
public class Replicas {

    private static final Logger LOG = Logger.getLogger(Replicas.class.getName());

    @Inject
    RedissonClient redis;

    @Inject
    @ConfigProperty(name = "chat.ack.replicas", defaultValue = "auto")
    String setting;

    @Inject
    @ConfigProperty(name = "chat.ack.replica-timeout-ms", defaultValue = "1000")
    long timeoutMillis;

    private volatile Integer count;

    /** Replicas to wait for before an ack (0: none); decided on first use. */
    public int count() {
        Integer c = count;
        if (c == null) {
            synchronized (this) {
                if (count == null) {
                    count = decide();
                    LOG.info("an ack waits for " + count + " replica(s) to hold the message (chat.ack.replicas=" + setting + ")");
                }
                c = count;
            }
        }
        return c;
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
}
