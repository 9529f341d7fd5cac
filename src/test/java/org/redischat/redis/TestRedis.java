package org.redischat.redis;

import java.util.UUID;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/** One RedissonClient per test JVM, on the real Redis named by {@code test.redis.address}. */
public final class TestRedis {

    private static RedissonClient client;

    private TestRedis() {
    }

    public static synchronized RedissonClient client() {
        if (client == null) {
            Config config = new Config();
            config.useSingleServer().setAddress(System.getProperty("test.redis.address", "redis://127.0.0.1:6379"));
            config.setCodec(StringCodec.INSTANCE);
            config.setUseScriptCache(true);
            client = Redisson.create(config);
            Runtime.getRuntime().addShutdownHook(new Thread(client::shutdown));
        }
        return client;
    }

    /** Room channels as the server decides them for this Redis (sharded on Redis 7 and later). */
    public static Channels channels() {
        return channels(client());
    }

    /** Room channels on another Redis. */
    public static Channels channels(RedissonClient redis) {
        Channels channels = new Channels();
        channels.redis = redis;
        channels.shardedSetting = "auto";
        return channels;
    }

    /** An ack waits for this many replicas, at most 300 ms. */
    public static Replicas replicas(int count) {
        return replicas(client(), count, 300, false);
    }

    /** {@code required}: an ack needs the replicas even when the master has fewer in sync. */
    public static Replicas replicas(RedissonClient redis, int count, long timeoutMillis, boolean required) {
        Replicas replicas = new Replicas();
        replicas.redis = redis;
        replicas.setting = String.valueOf(count);
        replicas.timeoutMillis = timeoutMillis;
        replicas.required = required;
        replicas.metrics = new org.redischat.metrics.Metrics();
        return replicas;
    }

    /** The acks those replicas let through without a replica in sync, as the metric counts them. */
    public static long unreplicatedAcks(Replicas replicas) {
        return replicas.metrics.prometheus().lines().filter(l -> l.startsWith("chat_acks_unreplicated_total "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[1])).findFirst().orElseThrow();
    }

    /** A name no other test run uses, so tests share one Redis without meeting. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }
}
