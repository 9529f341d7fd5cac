package org.redischat.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redischat.history.MessageLog;
import org.redischat.history.TestLogs;
import org.redischat.redis.Keys;

/**
 * The append script as Redis sees it, without a chat server in front (docs/BENCHMARKS.md, "Scale-out"):
 * (b) sends per second one Redis and a 3-master Redis Cluster sustain, many rooms, many concurrent
 * senders; (c) what an ack that waits for a replica (WAIT) costs per send, on a master with one replica.
 * Starts its own redis-server processes (Debian's, Redis 7) on free ports and stops them.
 *
 * <p>Run: {@code mvn -q -Pload test-compile exec:java -Dexec.main=org.redischat.it.AppendBenchmark
 * -Dexec.args="20"} (seconds per measurement).
 */
public final class AppendBenchmark {

    private static final int ROOMS = 1000;
    private static final int THREADS = 64;

    private AppendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        // no persistence anywhere and no replicas in the cluster: the comparison is of sharding alone
        try (RedisCluster cluster = RedisCluster.start(0, false); ReplicatedPair pair = ReplicatedPair.start()) {
            RedissonClient single = client(single(pair.alone));
            RedissonClient clustered = client(Config.fromYAML(cluster.redissonYaml().toFile()));
            RedissonClient master = client(single(pair.master));
            try {
                // (b) one Redis vs the cluster, in alternation, after a warm-up of each
                throughput("warm-up one Redis", TestLogs.on(single, 0), single, 5);
                throughput("warm-up cluster", TestLogs.on(clustered, 0), clustered, 5);
                for (int round = 1; round <= 2; round++) {
                    throughput("one Redis, round " + round, TestLogs.on(single, 0), single, seconds);
                    throughput("3-master cluster, round " + round, TestLogs.on(clustered, 0), clustered, seconds);
                }
                // (c) an ack waiting for a replica: one sender (latency), then many (throughput)
                for (int round = 1; round <= 2; round++) {
                    latency("no wait, round " + round, TestLogs.on(master, 0), master, seconds / 2);
                    latency("WAIT 1, round " + round, TestLogs.on(master, 1), master, seconds / 2);
                }
                throughput("master+replica, no wait", TestLogs.on(master, 0), master, seconds);
                throughput("master+replica, WAIT 1", TestLogs.on(master, 1), master, seconds);
            } finally {
                single.shutdown();
                clustered.shutdown();
                master.shutdown();
            }
        }
    }

    private static Config single(int port) {
        Config c = new Config();
        c.useSingleServer().setAddress("redis://127.0.0.1:" + port).setConnectionPoolSize(THREADS);
        return c;
    }

    private static RedissonClient client(Config config) {
        config.setCodec(StringCodec.INSTANCE);
        config.setNettyThreads(4);
        if (config.isClusterConfig()) {
            config.useClusterServers().setReadMode(ReadMode.MASTER).setMasterConnectionPoolSize(THREADS);
        }
        return Redisson.create(config);
    }

    private static List<String> rooms(RedissonClient redis) {
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < ROOMS; i++) {
            String room = Api.newName("bench");
            redis.getSet(Keys.members(room), StringCodec.INSTANCE).add("writer");
            rooms.add(room);
        }
        return rooms;
    }

    private static void throughput(String what, MessageLog log, RedissonClient redis, int seconds) throws Exception {
        List<String> rooms = rooms(redis);
        AtomicLong sent = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        long cpuBefore = redisCpu();
        long clientBefore = clientCpuMillis();
        for (int t = 0; t < THREADS; t++) {
            Thread th = new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    log.append(rooms.get(r.nextInt(ROOMS)), "writer", "a message of some ordinary length, 40 chars",
                            null, System.currentTimeMillis());
                    sent.incrementAndGet();
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        long redisMs = (redisCpu() - cpuBefore) * 10;
        long clientMs = clientCpuMillis() - clientBefore;
        System.out.printf("{\"appendBench\":\"%s\",\"sendsPerSecond\":%.0f,\"redisCpuUsPerSend\":%.1f,"
                + "\"redisCores\":%.2f,\"clientCores\":%.2f}%n", what, sent.get() / (double) seconds,
                redisMs * 1000.0 / Math.max(1, sent.get()), redisMs / 1000.0 / seconds, clientMs / 1000.0 / seconds);
    }

    private static void latency(String what, MessageLog log, RedissonClient redis, int seconds) {
        List<String> rooms = rooms(redis);
        Histogram h = new Histogram(3);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            log.append(rooms.get(r.nextInt(ROOMS)), "writer", "one at a time", null, System.currentTimeMillis());
            h.recordValue((System.nanoTime() - t0) / 1000);
        }
        System.out.printf("{\"appendLatency\":\"%s\",\"sends\":%d,\"p50us\":%d,\"p99us\":%d}%n", what, h.getTotalCount(),
                h.getValueAtPercentile(50), h.getValueAtPercentile(99));
    }

    /** User+system CPU of every redis-server on this machine, in 1/100 s (all the benchmark's servers). */
    private static long redisCpu() throws Exception {
        long ticks = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    if (!Files.readString(d.resolve("comm")).trim().equals("redis-server")) {
                        continue;
                    }
                    String stat = Files.readString(d.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (java.io.IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return ticks;
    }

    /** This JVM's CPU (the client: Redisson and the sending threads), in ms. */
    private static long clientCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    /** Plain redis-server processes on free ports: one alone, and a master with one replica. */
    private static final class ReplicatedPair implements AutoCloseable {
        final int alone;
        final int master;
        private final List<Process> processes = new ArrayList<>();
        private final Path dir;

        private ReplicatedPair(Path dir, int alone, int master) {
            this.dir = dir;
            this.alone = alone;
            this.master = master;
        }

        static ReplicatedPair start() throws Exception {
            ReplicatedPair p = new ReplicatedPair(Files.createTempDirectory("chat-redis-pair"), RedisProcesses.freePort(),
                    RedisProcesses.freePort());
            p.server(p.alone, null);
            p.server(p.master, null);
            int replica = RedisProcesses.freePort();
            p.server(replica, p.master);
            RedisProcesses.awaitReplicaLink(replica, 20, p.dir);
            return p;
        }

        private void server(int port, Integer replicaOf) throws Exception {
            List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--dbfilename", port + ".rdb"));
            if (replicaOf != null) {
                command.addAll(List.of("--replicaof", "127.0.0.1", String.valueOf(replicaOf)));
            }
            Path own = Files.createDirectories(dir.resolve(String.valueOf(port)));
            processes.add(RedisProcesses.start(command, own, port));
        }

        @Override
        public void close() {
            RedisProcesses.stop(processes);
        }
    }
}
