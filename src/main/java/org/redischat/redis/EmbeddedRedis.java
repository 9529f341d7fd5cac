package org.redischat.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

import redis.embedded.RedisServer;

/**
 * The zero-setup Redis: a real redis-server (shipped inside the embedded-redis jar) started by the
 * application when no Redis is configured. Append-only file on, so data survives a restart.
 */
final class EmbeddedRedis {

    private static final Logger LOG = Logger.getLogger(EmbeddedRedis.class.getName());

    private final RedisServer server;

    private EmbeddedRedis(RedisServer server) {
        this.server = server;
    }

    /** Starts one on the port, or returns null when a Redis already answers there (an earlier run's). */
    static EmbeddedRedis start(int port, Path dir) {
        if (answers(port)) {
            LOG.warning(() -> "No Redis configured; a Redis already listens on 127.0.0.1:" + port
                    + " (left by an earlier run?): using it");
            return null;
        }
        try {
            Files.createDirectories(dir);
            RedisServer server = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    .setting("dir " + dir.toAbsolutePath())
                    .onShutdownForceStop(true)
                    .build();
            server.start();
            LOG.warning(() -> "No Redis configured (REDIS_ADDRESS / REDIS_CONFIG_FILE): started an embedded Redis on 127.0.0.1:"
                    + port + ", data kept in " + dir.toAbsolutePath() + " (append-only file). For development only.");
            return new EmbeddedRedis(server);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded Redis on port " + port, e);
        }
    }

    void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            LOG.warning("embedded Redis did not stop cleanly: " + e);
        }
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
