package org.redischat.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Redis with Sentinel on loopback, of the test's own: a master, one replica (the common topology) and three sentinels
 * (Debian's {@code redis-server}, the sentinels as {@code redis-server --sentinel}), watching the
 * master under the name {@code chat}. It never touches the shared Redis.
 */
final class RedisSentinel implements AutoCloseable {

    static final String NAME = "chat";

    private final Path dir;
    private final Map<Integer, Process> servers = new LinkedHashMap<>();
    private final Map<Integer, Process> sentinels = new LinkedHashMap<>();

    private RedisSentinel(Path dir) {
        this.dir = dir;
    }

    static RedisSentinel start() throws Exception {
        RedisSentinel s = new RedisSentinel(Files.createTempDirectory("chat-redis-sentinel"));
        try {
            int master = RedisProcesses.freePort();
            s.server(master, null);
            s.server(RedisProcesses.freePort(), master);
            for (int i = 0; i < 3; i++) {
                s.sentinel(RedisProcesses.freePort(), master);
            }
            s.awaitMaster(master, 30);
        } catch (Exception e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void server(int port, Integer replicaOf) throws Exception {
        Path d = Files.createDirectories(dir.resolve(String.valueOf(port)));
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--dir", d.toString()));
        if (replicaOf != null) {
            command.addAll(List.of("--replicaof", "127.0.0.1", String.valueOf(replicaOf)));
        }
        servers.put(port, RedisProcesses.start(command, d, port));
    }

    private void sentinel(int port, int master) throws Exception {
        Path d = Files.createDirectories(dir.resolve("sentinel-" + port));
        Path conf = d.resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n",
                "port " + port, "bind 127.0.0.1", "dir " + d,
                "sentinel monitor " + NAME + " 127.0.0.1 " + master + " 2",
                "sentinel down-after-milliseconds " + NAME + " 2000",
                "sentinel failover-timeout " + NAME + " 10000",
                "sentinel parallel-syncs " + NAME + " 1", ""));
        sentinels.put(port, RedisProcesses.start(List.of("redis-server", conf.toString(), "--sentinel"), d, port));
    }

    /** The master's port as the sentinels name it. */
    int master() throws Exception {
        for (int port : sentinels.keySet()) {
            if (sentinels.get(port).isAlive()) {
                String[] answer = RedisCluster.cli(port, "SENTINEL", "get-master-addr-by-name", NAME).split("\n");
                if (answer.length == 2) {
                    return Integer.parseInt(answer[1].trim());
                }
            }
        }
        throw new IllegalStateException("no sentinel names a master");
    }

    /** Waits until the sentinels agree on a master other than {@code not} (or any, with -1) that has a replica. */
    int awaitMaster(int expected, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                int m = master();
                if ((expected < 0 || m == expected) && RedisCluster.cli(m, "INFO", "replication").contains("role:master")) {
                    return m;
                }
            } catch (RuntimeException e) {
                // not yet
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the sentinels did not settle on a master; see " + dir);
            }
            Thread.sleep(250);
        }
    }

    void kill(int port) throws InterruptedException {
        servers.get(port).destroyForcibly().waitFor();
    }

    /** A Redisson YAML that names the sentinels. */
    Path redissonYaml() throws IOException {
        StringBuilder yaml = new StringBuilder("sentinelServersConfig:\n  masterName: \"" + NAME + "\"\n  sentinelAddresses:\n");
        sentinels.keySet().forEach(p -> yaml.append("    - \"redis://127.0.0.1:").append(p).append("\"\n"));
        yaml.append("  checkSentinelsList: false\n  scanInterval: 1000\n  timeout: 3000\n  retryAttempts: 4\n");
        Path file = dir.resolve("redisson.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(sentinels.values());
        all.addAll(servers.values());
        RedisProcesses.stop(all);
    }
}
