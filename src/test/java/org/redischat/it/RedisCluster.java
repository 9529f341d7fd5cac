package org.redischat.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of the test's own on loopback: three masters and three replicas, each a
 * Debian {@code redis-server} (Redis 7, with sharded pub/sub) on a free port, joined by
 * {@code redis-cli --cluster create}. Append-only files fsynced on every write, so a killed master's
 * replica has what was replicated to it. It never touches the shared Redis.
 */
final class RedisCluster implements AutoCloseable {

    private final Path dir;
    private final Map<Integer, Process> nodes = new LinkedHashMap<>();
    private boolean durable = true;

    private RedisCluster(Path dir) {
        this.dir = dir;
    }

    static RedisCluster start() throws Exception {
        return start(1, true);
    }

    /**
     * Three masters with {@code replicas} replicas each; {@code durable}: append-only files fsynced on
     * every write (as the fault tests need), else no persistence at all (for benchmarks).
     */
    static RedisCluster start(int replicas, boolean durable) throws Exception {
        RedisCluster c = new RedisCluster(Files.createTempDirectory("chat-redis-cluster"));
        c.durable = durable;
        try {
            for (int i = 0; i < 3 * (1 + replicas); i++) {
                c.startNode(RedisProcesses.freePort());
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            c.nodes.keySet().forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", String.valueOf(replicas), "--cluster-yes"));
            run(create, c.dir.resolve("create.log"));
            c.awaitHealthy(60);
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    private synchronized void startNode(int port) throws Exception {
        Path d = Files.createDirectories(dir.resolve(String.valueOf(port)));
        nodes.put(port, RedisProcesses.start(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-node-timeout", "2000", "--cluster-config-file", "nodes.conf",
                "--appendonly", durable ? "yes" : "no", "--appendfsync", "always", "--save", "", "--dir", d.toString()),
                d, port));
    }

    /** Runs redis-cli against one node and returns what it printed. */
    static String cli(int port, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out.trim();
    }

    private static void run(List<String> command, Path log) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + Files.readString(log));
        }
    }

    /** Waits until every live node reports the cluster OK with three masters serving all slots. */
    void awaitHealthy(int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            boolean ok = true;
            for (int port : livePorts()) {
                String info = cli(port, "CLUSTER", "INFO");
                ok &= info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384");
            }
            if (ok && masters().size() == 3) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the cluster did not become healthy; see " + dir);
            }
            Thread.sleep(250);
        }
    }

    synchronized List<Integer> livePorts() {
        return nodes.entrySet().stream().filter(e -> e.getValue().isAlive()).map(Map.Entry::getKey).toList();
    }

    /** The ports of the live masters, as the cluster sees them. */
    List<Integer> masters() throws Exception {
        List<Integer> masters = new ArrayList<>();
        int any = livePorts().get(0);
        for (String line : cli(any, "CLUSTER", "NODES").split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 2 && f[2].contains("master") && !f[2].contains("fail") && f.length > 8) {
                masters.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))));
            }
        }
        return masters;
    }

    /** The port of the master that serves the key's slot, as that master itself says. */
    int masterOf(String key) throws Exception {
        int slot = Integer.parseInt(cli(livePorts().get(0), "CLUSTER", "KEYSLOT", key));
        for (int port : livePorts()) {
            for (String line : cli(port, "CLUSTER", "NODES").split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length <= 8 || !f[2].contains("myself") || !f[2].contains("master")) {
                    continue;
                }
                for (int i = 8; i < f.length; i++) {
                    if (f[i].startsWith("[")) {
                        continue;
                    }
                    String[] range = f[i].split("-");
                    int from = Integer.parseInt(range[0]);
                    int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                    if (slot >= from && slot <= to) {
                        return port;
                    }
                }
            }
        }
        throw new IllegalStateException("no master for slot " + slot + "; see " + dir);
    }

    /** Starts a killed node again on its own data: it rejoins the cluster as a replica of its successor. */
    void restart(int port) throws Exception {
        startNode(port);
        RedisProcesses.awaitReplicaLink(port, 60, dir);
    }

    /** SIGKILL of one node: no goodbye; its replica is promoted after the node timeout. */
    void kill(int port) throws InterruptedException {
        nodes.get(port).destroyForcibly().waitFor();
    }

    /** A Redisson YAML that names every node of the cluster, written beside the nodes' folders. */
    Path redissonYaml() throws IOException {
        StringBuilder yaml = new StringBuilder("clusterServersConfig:\n  nodeAddresses:\n");
        nodes.keySet().forEach(p -> yaml.append("    - \"redis://127.0.0.1:").append(p).append("\"\n"));
        yaml.append("  scanInterval: 1000\n  timeout: 3000\n  retryAttempts: 4\n");
        Path file = dir.resolve("redisson.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Override
    public void close() {
        RedisProcesses.stop(nodes.values());
    }
}
