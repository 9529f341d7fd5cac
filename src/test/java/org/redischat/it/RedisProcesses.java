package org.redischat.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting and stopping the tests' own Debian {@code redis-server} processes on free ports. */
final class RedisProcesses {

    private RedisProcesses() {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the command (its output to {@code dir/redis.log}) and waits until {@code port} answers PING. */
    static Process start(List<String> command, Path dir, int port) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!RedisCluster.cli(port, "PING").startsWith("PONG")) {
            if (System.nanoTime() > end || !p.isAlive()) {
                throw new IllegalStateException("redis on " + port + " did not start; see " + dir);
            }
            Thread.sleep(100);
        }
        return p;
    }

    /** Waits until the replica on {@code port} has its link to its master up. */
    static void awaitReplicaLink(int port, int seconds, Path dir) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!RedisCluster.cli(port, "INFO", "replication").contains("master_link_status:up")) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the replica on " + port + " did not sync; see " + dir);
            }
            Thread.sleep(250);
        }
    }

    static void stop(Iterable<Process> processes) {
        processes.forEach(p -> {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
