package org.redischat.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import redis.embedded.RedisServer;

/**
 * Makes sure the tests have a real Redis: the one at {@code test.redis.address} (127.0.0.1:6379 by
 * default, which CI starts) if it answers, else a redis-server from the embedded-redis jar on a free
 * port, for the length of the test JVM. Either way {@code test.redis.address} names it afterwards,
 * and the Payara Micro nodes the tests start are pointed at it.
 */
public class RedisForTests implements LauncherSessionListener {

    private RedisServer started;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String address = System.getProperty("test.redis.address", "redis://127.0.0.1:6379");
        URI uri = URI.create(address);
        if (answers(uri.getHost(), uri.getPort())) {
            System.setProperty("test.redis.address", address);
            return;
        }
        try {
            int port = freePort();
            started = RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("save \"\"")
                    .setting("appendonly no").onShutdownForceStop(true).build();
            started.start();
            System.setProperty("test.redis.address", "redis://127.0.0.1:" + port);
            System.out.println("No Redis at " + address + ": the tests use an embedded one on port " + port);
        } catch (IOException e) {
            throw new UncheckedIOException("no Redis for the tests", e);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (started != null) {
            try {
                started.stop();
            } catch (IOException e) {
                // the shutdown hook of embedded-redis stops it anyway
            }
        }
    }

    private static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
