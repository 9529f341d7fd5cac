package org.redischat.history;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.redisson.Redisson;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redischat.redis.Keys;
import org.redischat.wire.Message;
import org.redischat.wire.SearchCursor;

/**
 * What a search costs (docs/BENCHMARKS.md, "Search"): 1,000 rooms of 10,000 retained messages each
 * (the default retention), one user a member of all of them, on a redis-server of its own (Debian's,
 * no persistence). Messages are written as the append script stores them (Message.jsonAroundId), eight
 * to fifteen words each from a vocabulary of 5,000. Reports each search's time at the client and,
 * from Redis's slow log (threshold 0), the longest a single search step held Redis.
 *
 * <p>Run: {@code mvn -q -Pload test-compile exec:java -Dexec.main=org.redischat.history.SearchBenchmark
 * -Dexec.args="1000 10000"} (rooms, messages per room).
 */
public final class SearchBenchmark {

    private SearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rooms = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int perRoom = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("chat-search-bench");
        Process redisServer = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        Thread.sleep(500);
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port).setConnectionPoolSize(8).setConnectionMinimumIdleSize(2);
        config.setCodec(StringCodec.INSTANCE);
        try {
            RedissonClient redis = Redisson.create(config);
            try {
                run(redis, rooms, perRoom);
            } finally {
                redis.shutdown();
            }
        } finally {
            redisServer.destroy();
        }
    }

    private static void run(RedissonClient redis, int rooms, int perRoom) {
        Random random = new Random(42);
        String[] vocabulary = new String[5000];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = word(random, i);
        }
        List<String> names = new ArrayList<>();
        long t0 = System.nanoTime();
        long ts = 1_700_000_000_000L;
        for (int r = 0; r < rooms; r++) {
            String room = String.format("room-%04d", r);
            names.add(room);
            RBatch batch = redis.createBatch();
            batch.getSet(Keys.members(room), StringCodec.INSTANCE).addAsync("reader");
            for (int id = 1; id <= perRoom; id++) {
                StringBuilder text = new StringBuilder();
                int n = 8 + random.nextInt(8);
                for (int w = 0; w < n; w++) {
                    // a Zipf-like choice: low indexes far more often, as in real text
                    int k = (int) Math.min(vocabulary.length - 1, Math.floor(Math.pow(vocabulary.length, random.nextDouble())) - 1);
                    text.append(w == 0 ? "" : " ").append(vocabulary[Math.max(0, k)]);
                }
                if (r == 7 && id == perRoom / 2) {
                    text.append(" zebracorn"); // one message in one room has this word
                }
                String[] json = Message.jsonAroundId(room, "user" + random.nextInt(50), text.toString(), ts + (long) id * 60_000);
                batch.getScoredSortedSet(Keys.log(room), StringCodec.INSTANCE).addAsync(id, json[0] + id + json[1]);
            }
            batch.execute();
        }
        System.out.printf("loaded %,d rooms x %,d messages in %.0f s; used_memory %s%n", rooms, perRoom,
                (System.nanoTime() - t0) / 1e9, info(redis, "memory", "used_memory_human"));

        Search search = new Search();
        search.redis = redis;
        // warm the script cache and the JIT
        search.in("reader", List.of(names.get(0)), new Search.Query(List.of("zebracorn"), null, null, null, 20), null);

        String common = vocabulary[0];
        measure(redis, "one room, a word in no message (scans all 10,000)", () ->
                search.in("reader", List.of(names.get(3)), new Search.Query(List.of("nosuchword"), null, null, null, 20), null));
        measure(redis, "one room, one message has the word", () ->
                search.in("reader", List.of(names.get(7)), new Search.Query(List.of("zebracorn"), null, null, null, 20), null));
        measure(redis, "one room, a common word, first 20", () ->
                search.in("reader", List.of(names.get(3)), new Search.Query(List.of(common), null, null, null, 20), null));
        measure(redis, "one room, two words", () ->
                search.in("reader", List.of(names.get(3)), new Search.Query(List.of(vocabulary[3], vocabulary[40]), null, null, null, 20), null));
        measure(redis, "one room, an author in a date range", () ->
                search.in("reader", List.of(names.get(3)), new Search.Query(List.of(), "user7", ts + 3_000L * 60_000, ts + 4_000L * 60_000, 20), null));
        measure(redis, "all rooms, a common word, first 20", () ->
                search.in("reader", names, new Search.Query(List.of(common), null, null, null, 20), null));
        measure(redis, "all rooms, a rare word, one request (max-scanned 20,000)", () ->
                search.in("reader", names, new Search.Query(List.of("zebracorn"), null, null, null, 20), null));

        // every message of every room: the requests a client makes by following the cursor
        reset(redis);
        long start = System.nanoTime();
        int requests = 0;
        long scanned = 0;
        int found = 0;
        SearchCursor cursor = null;
        do {
            Search.Found f = search.in("reader", names, new Search.Query(List.of("zebracorn"), null, null, null, 20), cursor);
            requests++;
            scanned += f.scanned();
            found += f.messages().size();
            cursor = f.next();
        } while (cursor != null);
        System.out.printf("all rooms, a rare word, followed to the end: %d requests, %,d messages scanned, %d found, %.1f s;"
                + " longest step in Redis %.2f ms%n", requests, scanned, found, (System.nanoTime() - start) / 1e9, longestStepMs(redis));
    }

    private static void measure(RedissonClient redis, String what, java.util.function.Supplier<Search.Found> search) {
        long best = Long.MAX_VALUE;
        long worst = 0;
        Search.Found f = null;
        reset(redis);
        for (int i = 0; i < 10; i++) {
            long t = System.nanoTime();
            f = search.get();
            long took = System.nanoTime() - t;
            best = Math.min(best, took);
            worst = Math.max(worst, took);
        }
        System.out.printf("%-58s found %2d, scanned <= %,6d, more %-5s: %6.1f ms best, %6.1f ms worst of 10; longest step in Redis %.2f ms%n",
                what, f.messages().size(), f.scanned(), f.next() != null, best / 1e6, worst / 1e6, longestStepMs(redis));
    }

    private static int port;

    private static String cli(String... command) {
        List<String> c = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port), "--json"));
        c.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void reset(RedissonClient redis) {
        cli("CONFIG", "SET", "slowlog-log-slower-than", "0");
        cli("CONFIG", "SET", "slowlog-max-len", "100000");
        cli("SLOWLOG", "RESET");
    }

    /** The longest EVALSHA/EVAL in the slow log since the last reset, in ms. */
    private static double longestStepMs(RedissonClient redis) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[\\s*\\d+,\\s*\\d+,\\s*(\\d+),\\s*\\[\\s*\"(\\w+)\"")
                .matcher(cli("SLOWLOG", "GET", "100000"));
        long max = 0;
        while (m.find()) {
            if (m.group(2).toLowerCase(java.util.Locale.ROOT).startsWith("eval")) {
                max = Math.max(max, Long.parseLong(m.group(1)));
            }
        }
        return max / 1000.0;
    }

    private static String info(RedissonClient redis, String section, String field) {
        String info = redis.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_ONLY,
                "return redis.call('INFO', ARGV[1])", RScript.ReturnType.VALUE, List.of(), section);
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return "?";
    }

    private static String word(Random random, int i) {
        String letters = "abcdefghijklmnopqrstuvwxyz";
        StringBuilder b = new StringBuilder();
        int n = 3 + random.nextInt(7);
        for (int k = 0; k < n; k++) {
            b.append(letters.charAt(random.nextInt(letters.length())));
        }
        return b.append(i % 10).toString(); // distinct enough, and never "nosuchword" or "zebracorn"
    }
}
