package org.redischat.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import io.netty.util.ResourceLeakDetector;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * The application's one RedissonClient: from a Redisson YAML file or a Redis address; with neither,
 * an embedded Redis if {@code redis.embedded=true} was asked for (development only: the jar that
 * carries it is not in the WAR), and otherwise none: the node logs one line saying so and is never
 * ready. Redis holds strings only ({@link StringCodec}).
 */
@ApplicationScoped
public class RedissonProducer {

    @Inject
    @ConfigProperty(name = "redis.address")
    Optional<String> address;

    @Inject
    @ConfigProperty(name = "redis.config-file")
    Optional<String> configFile;

    /** Redisson's I/O threads; 0: twice the processors (Redisson's own default, 32, contends on small machines). */
    @Inject
    @ConfigProperty(name = "redis.netty-threads", defaultValue = "0")
    int nettyThreads;

    @Inject
    @ConfigProperty(name = "redis.embedded", defaultValue = "false")
    boolean embeddedAsked;

    @Inject
    @ConfigProperty(name = "redis.embedded.port", defaultValue = "6380")
    int embeddedPort;

    @Inject
    @ConfigProperty(name = "redis.embedded.dir")
    Optional<String> embeddedDir;

    private EmbeddedRedis embedded;
    private RedissonClient client;
    /** Why there is no Redis to talk to (nothing configured, or the embedded one could not start); null when there is. */
    private volatile String missing;

    @Produces
    @ApplicationScoped
    RedissonClient client() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Netty's sampling leak detector records a stack trace for one buffer in 128: 1.4% of a busy
            // node's CPU, measured; -Dio.netty.leakDetection.level=simple turns it back on
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        client = Redisson.create(config());
        return client;
    }

    /**
     * A client of its own, on the same configuration, for a connection that must be replaceable
     * as a whole: the bus's subscriber. Shutting it down closes its connections, even silent ones.
     */
    public RedissonClient newClient() {
        return Redisson.create(subscriberConfig(client.getConfig()));
    }

    /**
     * The subscriber's configuration, from the application client's: its listeners run on the I/O
     * thread that read the event ({@link InlineExecutor}); one subscription connection per Redis
     * server carries all of this node's channels (one per room): Redisson's default of 5 channels per
     * connection would open a connection per 5 rooms; and Redisson does not PING its connections:
     * while a listener waits for room in the fan-out queue the answer could not be read, Redisson
     * would close the connection after its timeout and joins racing with the reconnection would fail
     * (seen with a fan-out queue of 20). Whether the subscription lives is what the probes decide.
     */
    static Config subscriberConfig(Config base) {
        Config config = new Config(base);
        config.setNettyThreads(2);
        config.setExecutor(new InlineExecutor());
        if (config.isClusterConfig()) {
            config.useClusterServers().setSubscriptionsPerConnection(SUBSCRIPTIONS_PER_CONNECTION).setPingConnectionInterval(0);
        } else if (config.isSentinelConfig()) {
            config.useSentinelServers().setSubscriptionsPerConnection(SUBSCRIPTIONS_PER_CONNECTION).setPingConnectionInterval(0);
        } else if (base.isSingleConfig()) {
            config.useSingleServer().setSubscriptionsPerConnection(SUBSCRIPTIONS_PER_CONNECTION).setPingConnectionInterval(0);
        }
        return config;
    }

    /** Channels one subscription connection carries; more than a node is expected to follow. */
    static final int SUBSCRIPTIONS_PER_CONNECTION = 1_000_000;


    Config config() {
        Config config;
        if (configFile.filter(f -> !f.isBlank()).isPresent()) {
            try {
                config = Config.fromYAML(new File(configFile.get()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Redisson configuration " + configFile.get(), e);
            }
        } else {
            String url = address.filter(a -> !a.isBlank()).orElseGet(this::fallback);
            config = new Config();
            // fail a command within a few seconds while Redis is away: the client gets 'internal' and may retry
            config.useSingleServer().setAddress(url.contains("://") ? url : "redis://" + url)
                    .setTimeout(3000).setConnectTimeout(2000).setRetryAttempts(1).setRetryInterval(500);
            config.setNettyThreads(nettyThreads > 0 ? nettyThreads : 2 * Runtime.getRuntime().availableProcessors());
        }
        // reads go to masters: a replica may not have the write a moment ago (a join, then its members)
        if (config.isClusterConfig()) {
            config.useClusterServers().setReadMode(ReadMode.MASTER);
        } else if (config.isSentinelConfig()) {
            config.useSentinelServers().setReadMode(ReadMode.MASTER);
        }
        // connect on first use, so the application starts (and waits) while Redis is still down
        config.setLazyInitialization(true);
        config.setCodec(StringCodec.INSTANCE);
        config.setUseScriptCache(true);
        return config;
    }

    /** Why this node has no Redis (then it is never ready); null when it has one. */
    public String missing() {
        return missing;
    }

    /**
     * No Redis configured: the embedded one if asked for, else an address nothing answers on (every
     * command fails at once, readiness says why).
     */
    private String fallback() {
        if (!embeddedAsked) {
            missing = "no Redis configured: set REDIS_ADDRESS (redis://host:6379) or REDIS_CONFIG_FILE"
                    + " (a Redisson YAML file); redis.embedded=true starts a local one, for development only";
        } else {
            try {
                return startEmbedded();
            } catch (LinkageError e) {
                missing = "redis.embedded=true, but the embedded-redis jar is not on the class path"
                        + " (it is not in the WAR: add it to the server, as payara-micro:start does)";
            }
        }
        Logger.getLogger(RedissonProducer.class.getName()).severe(missing);
        return "redis://127.0.0.1:1";
    }

    private String startEmbedded() {
        Path dir = embeddedDir.filter(d -> !d.isBlank()).map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".redis-chat"));
        embedded = EmbeddedRedis.start(embeddedPort, dir);
        return "redis://127.0.0.1:" + embeddedPort;
    }

    /**
     * Creates the client at boot on the deploying thread, before any background thread of the
     * application uses Redisson: Redisson's static initializers form a cycle that fails when two
     * threads enter it at once. With lazy initialization nothing connects yet.
     */
    void boot(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class) Object boot,
            RedissonClient redis) {
        redis.getConfig();
        RScript.ReturnType.LONG.getCommand();
    }

    @PreDestroy
    void stop() {
        if (client != null) {
            client.shutdown();
        }
        if (embedded != null) {
            embedded.stop();
        }
    }
}
