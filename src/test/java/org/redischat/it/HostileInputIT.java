package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redischat.it.Frames.join;
import static org.redischat.it.Frames.of;
import static org.redischat.it.Frames.send;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or broken client may throw at a node, on a node of its own with the default
 * settings: each case gets its documented answer and leaves the other users unharmed. The cases
 * PROTOCOL.md lists that {@link ProtocolIT} already proves (bad JSON, unknown types, frames over
 * 64 KiB, foreign Origins, forged tokens, rooms of others) are not repeated here.
 */
class HostileInputIT {

    private static SecondNode node;

    @BeforeAll
    static void start() throws Exception {
        node = SecondNode.start(Integer.getInteger("it.port5", 18084), System.getProperty("test.redis.address"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private static ChatClient user(String prefix) {
        return ChatClient.connect(node.base, Api.signUp(node.base, Api.newName(prefix)));
    }

    @Test
    void invalidUtf8ClosesThatSocketWith1007AndNoOther() throws Exception {
        String room = Api.newName("utf");
        String token = Api.signUp(node.base, Api.newName("bad"));
        try (ChatClient other = user("oth"); RawSocket raw = RawSocket.open(node.base, token)) {
            other.request(join(room), "joined");
            raw.readText("\"welcome\"");
            raw.frame(0x1, true, new byte[] {'{', '"', 't', (byte) 0xc3, (byte) 0x28, '"', '}'});
            RawSocket.Frame f = raw.read();
            while (f != null && f.opcode() != 0x8) {
                f = raw.read();
            }
            assertEquals(1007, f == null ? -1 : f.closeCode(), "RFC 6455: invalid payload data");
            assertEquals(1, other.request(send(room, "unharmed", "u"), "ack").getInt("id"));
        }
    }

    @Test
    void deepNestingAndHugeNumbersInsideAFrameAreBadRequests() throws Exception {
        String room = Api.newName("deep");
        try (ChatClient c = user("nest")) {
            c.request(join(room), "joined");
            String deep = "[".repeat(5000) + "]".repeat(5000);
            for (String frame : List.of(
                    "{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":" + deep + ",\"ref\":\"d\"}",
                    "{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"x\",\"ref\":\"d\",\"extra\":" + deep + "}",
                    "{\"type\":\"history\",\"room\":\"" + room + "\",\"before\":123456789012345678901234567890}",
                    "{\"type\":\"history\",\"room\":\"" + room + "\",\"limit\":1e308}",
                    "{\"type\":\"read\",\"room\":\"" + room + "\",\"id\":-0.0000001}",
                    "{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":9223372036854775808}")) {
                c.send(frame);
                JsonObject answer = c.awaitType("error");
                assertEquals("bad_request", answer.getString("code"), frame.substring(0, Math.min(frame.length(), 80)));
            }
            assertEquals(1, c.request(send(room, "still fine", "ok"), "ack").getInt("id"));
        }
    }

    @Test
    void aFromFieldInASendIsIgnored() throws Exception {
        String room = Api.newName("from");
        String mallory = Api.newName("mal");
        try (ChatClient m = ChatClient.connect(node.base, Api.signUp(node.base, mallory)); ChatClient other = user("vic")) {
            m.request(join(room), "joined");
            other.request(join(room), "joined");
            m.request(of("type", "send", "room", room, "text", "I am the admin", "ref", "f", "from", "admin"), "ack");
            JsonObject got = other.awaitType("message");
            assertEquals(mallory, got.getString("from"), "from is the authenticated user");
        }
    }

    @Test
    void aRevokedTokenIsRefusedAtTheHandshake() throws Exception {
        String name = Api.newName("rev");
        String token = Api.signUp(node.base, name);
        assertEquals(204, Api.delete(node.base, "api/sessions/current", token).status());
        try (RawSocket raw = RawSocket.open(node.base, token)) {
            assertTrue(raw.status.contains(" 401 "), raw.status);
        }
    }

    @Test
    void aUserMayHoldTwentySocketsOnANodeAndTheTwentyFirstIsClosedWith1008() throws Exception {
        String token = Api.signUp(node.base, Api.newName("many"));
        List<ChatClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                open.add(ChatClient.connect(node.base, token));
            }
            ChatClient extra = ChatClient.open(node.base, token);
            assertEquals(1008, extra.awaitClose());
            assertTrue(extra.drain().isEmpty(), "closed before any frame");
            open.remove(0).close();
            Thread.sleep(200);
            open.add(ChatClient.connect(node.base, token));
        } finally {
            open.forEach(ChatClient::close);
        }
    }

    @Test
    void connectionsThatNeverFinishAHandshakeAreClosedWithin10Seconds() throws Exception {
        long start = System.nanoTime();
        try (Socket silent = new Socket(); Socket partial = new Socket()) {
            silent.connect(new InetSocketAddress("127.0.0.1", node.base.getPort()));
            partial.connect(new InetSocketAddress("127.0.0.1", node.base.getPort()));
            partial.getOutputStream().write("GET /chat/ws HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            for (Socket s : List.of(silent, partial)) {
                s.setSoTimeout(15_000);
                assertEquals(-1, s.getInputStream().read(), "closed by the server");
            }
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.println("idle connections without a handshake closed after " + seconds + " s");
        assertTrue(seconds <= 11, "closed after " + seconds + " s");
    }

    @Test
    void floodsOfFramesAndOfHandshakesDoNotSlowTheOthers() throws Exception {
        String room = Api.newName("calm");
        String noisy = Api.newName("noisy");
        try (ChatClient a = user("ana"); ChatClient b = user("ben");
                ChatClient flood = ChatClient.connect(node.base, Api.signUp(node.base, noisy))) {
            a.request(join(room), "joined");
            b.request(join(room), "joined");
            flood.request(join(room), "joined");
            AtomicBoolean on = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            AtomicLong refused = new AtomicLong();
            Future<?> frames = pool.submit(() -> {
                for (int i = 0; on.get() && i < 3000; i++) {
                    flood.socket().sendText(i % 3 == 0 ? send(room, "spam " + i, "s" + i)
                            : i % 3 == 1 ? of("type", "typing", "room", room) : of("type", "history", "room", room, "limit", 10), true).join();
                }
                return null;
            });
            List<Future<?>> handshakes = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                handshakes.add(pool.submit(() -> {
                    for (int i = 0; on.get() && i < 150; i++) {
                        try (RawSocket r = RawSocket.open(node.base, "forged-" + i)) {
                            if (r.status.contains(" 401 ")) {
                                refused.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            long worst = 0;
            for (int i = 0; i < 30; i++) {
                long t0 = System.nanoTime();
                long id = a.request(send(room, "calm " + i, "c" + i), "ack").getJsonNumber("id").longValue();
                b.await(f -> "message".equals(f.getString("type")) && f.getJsonNumber("id").longValue() == id);
                worst = Math.max(worst, (System.nanoTime() - t0) / 1_000_000);
                Thread.sleep(50);
            }
            frames.get();
            for (Future<?> h : handshakes) {
                h.get();
            }
            on.set(false);
            pool.shutdown();
            List<JsonObject> got = flood.drain();
            long limited = got.stream().filter(f -> "error".equals(f.getString("type"))
                    && "rate_limited".equals(f.getString("code"))).count();
            System.out.printf("floods: 3000 frames and 300 forged handshakes; %d sends rate_limited, %d handshakes"
                    + " refused with 401; the others' worst send-to-delivery meanwhile %d ms%n", limited, refused.get(), worst);
            assertEquals(300, refused.get(), "every forged handshake refused");
            assertTrue(limited > 0, "the flood's sends hit the rate limit");
            assertTrue(worst < 1000, "others unharmed: worst " + worst + " ms");
            assertFalse(flood.closed.isDone(), "a flood of valid frames is answered, not punished");
        }
    }

    /**
     * Random and mutated frames from four sockets for 20 seconds while two members talk: no
     * answer that is not JSON, no error in the node's log, threads and heap back where they were,
     * and the two members get every message in order, promptly.
     */
    @Test
    void aFuzzerNeitherBreaksTheNodeNorDisturbsItsUsers() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int seconds = Integer.getInteger("fuzz.seconds", 20);
        String room = Api.newName("fuzz");
        String calm = Api.newName("calm");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tokens.add(Api.signUp(node.base, Api.newName("fz")));
        }
        try (ChatClient a = user("amy"); ChatClient b = user("bob")) {
            a.request(join(calm), "joined");
            b.request(join(calm), "joined");
            long threadsBefore = threads();
            long heapBefore = heapAfterGc();
            Map<String, Long> histogramBefore = histogram();
            Path log = Path.of("target/second-node-" + node.base.getPort() + ".log");
            long logStart = Files.size(log);

            Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
            List<String> anomalies = new CopyOnWriteArrayList<>();
            AtomicLong sent = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> fuzzers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Fuzzer f = new Fuzzer(new Random(seed + i), tokens.get(i), room, outcomes, anomalies, sent);
                fuzzers.add(pool.submit(() -> {
                    f.run(end);
                    return null;
                }));
            }
            // meanwhile two users talk: every message, in order, promptly
            long worst = 0;
            int talked = 0;
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                long id = a.request(send(calm, "calm " + talked, "t" + talked), "ack").getJsonNumber("id").longValue();
                assertEquals(id, b.await(f -> "message".equals(f.getString("type"))).getJsonNumber("id").longValue(),
                        "in order, none missing");
                worst = Math.max(worst, (System.nanoTime() - t0) / 1_000_000);
                talked++;
                Thread.sleep(100);
            }
            for (Future<?> f : fuzzers) {
                f.get();
            }
            pool.shutdown();
            Thread.sleep(2000); // let the node close what the fuzzers left
            long threadsAfter = threads();
            long heapAfter = heapAfterGc();
            Map<String, Long> histogramAfter = histogram();
            histogramAfter.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - histogramBefore.getOrDefault(e.getKey(), 0L)))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                    .forEach(e -> System.out.println("heap growth " + e.getValue() / 1024 + " KB " + e.getKey()));
            String newLog = Files.readString(log).substring((int) logStart);
            List<String> problems = newLog.lines().filter(l -> l.contains("SEVERE") || l.contains("Exception")
                    || l.contains("Error")).toList();
            System.out.printf("fuzzer (seed %d): %d frames in %d s from 4 sockets; outcomes %s; %d anomalies; "
                    + "the talking pair: %d messages, worst %d ms; node threads %d -> %d, heap after GC %d -> %d KB;"
                    + " %d log lines with an error%n", seed, sent.get(), seconds, new java.util.TreeMap<>(outcomes),
                    anomalies.size(), talked, worst, threadsBefore, threadsAfter, heapBefore, heapAfter, problems.size());
            assertEquals(List.of(), anomalies, "every answer is a JSON frame with a type (seed " + seed + ")");
            assertEquals(List.of(), problems.stream().limit(20).toList(), "no exception in the node's log (seed " + seed + ")");
            assertTrue(worst < 1000, "the talking pair is not slowed: worst " + worst + " ms");
            assertTrue(threadsAfter <= threadsBefore + 10, "threads stable: " + threadsBefore + " -> " + threadsAfter);
            assertTrue(heapAfter <= heapBefore + 32 * 1024, "heap stable: " + heapBefore + " -> " + heapAfter + " KB");
            assertEquals(200, Api.call(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + node.base.getPort() + "/health/ready")).build()).status());
        }
    }

    /** One fuzzing socket: valid frames mutated at random, and frames no valid client sends. */
    private static final class Fuzzer {
        private final Random random;
        private final String token;
        private final String room;
        private final Map<String, AtomicLong> outcomes;
        private final List<String> anomalies;
        private final AtomicLong sent;

        Fuzzer(Random random, String token, String room, Map<String, AtomicLong> outcomes, List<String> anomalies,
                AtomicLong sent) {
            this.random = random;
            this.token = token;
            this.room = room;
            this.outcomes = outcomes;
            this.anomalies = anomalies;
            this.sent = sent;
        }

        void run(long end) throws Exception {
            while (System.nanoTime() < end) {
                try (RawSocket s = RawSocket.open(node.base, token)) {
                    if (!s.upgraded()) {
                        count("handshake " + s.status);
                        Thread.sleep(100);
                        continue;
                    }
                    Thread reader = new Thread(() -> read(s));
                    reader.setDaemon(true);
                    reader.start();
                    s.text(join(room));
                    while (System.nanoTime() < end && reader.isAlive()) {
                        throwOne(s);
                        sent.incrementAndGet();
                        Thread.sleep(random.nextInt(4));
                    }
                    s.socket.close();
                    reader.join(5000);
                } catch (IOException e) {
                    count("write failed after a close");
                }
            }
        }

        private void read(RawSocket s) {
            try {
                for (RawSocket.Frame f = s.read(); f != null; f = s.read()) {
                    if (f.opcode() == 0x8) {
                        count("closed " + f.closeCode());
                        return;
                    }
                    if (f.opcode() == 0x9 || f.opcode() == 0xA) {
                        continue; // the server's ping (unanswered here) or a pong
                    }
                    try {
                        JsonObject o = Json.createReader(new StringReader(f.text())).readObject();
                        String type = o.getString("type");
                        count("error".equals(type) ? "error " + o.getString("code") : type);
                    } catch (RuntimeException notJson) {
                        anomalies.add(f.opcode() + ": " + f.text());
                    }
                }
            } catch (IOException e) {
                // our own close of the socket
            }
        }

        private void count(String outcome) {
            outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
        }

        private static final String[] VALUES = {"null", "true", "-1", "0", "1e308", "1e999", "-0", "1.5",
            "123456789012345678901234567890", "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"😀\"", "[]", "{}",
            "[[[[[[[[[[]]]]]]]]]]", "{\"a\":{\"b\":{\"c\":{}}}}", "\"dm:aaa:zzz\"", "\"dm:zzz:aaa\"", "\"DM:X:Y\""};

        private String validFrame() {
            return switch (random.nextInt(7)) {
                case 0 -> join(room);
                case 1 -> send(room, "hello " + random.nextInt(), "r" + random.nextInt(100));
                case 2 -> of("type", "history", "room", room, "before", 1 + random.nextInt(50), "limit", 1 + random.nextInt(200));
                case 3 -> of("type", "leave", "room", room);
                case 4 -> of("type", "typing", "room", room);
                case 5 -> of("type", "read", "room", room, "id", random.nextInt(100));
                default -> of("type", "join", "room", room, "since", random.nextInt(20), "epoch", "0123456789abcdef");
            };
        }

        private String mutate(String json) {
            Matcher m = Pattern.compile(":(\"[^\"]*\"|-?[0-9.e]+)").matcher(json);
            List<int[]> values = new ArrayList<>();
            while (m.find()) {
                values.add(new int[] {m.start(1), m.end(1)});
            }
            switch (random.nextInt(8)) {
                case 0, 1 -> {
                    if (!values.isEmpty()) {
                        int[] v = values.get(random.nextInt(values.size()));
                        return json.substring(0, v[0]) + VALUES[random.nextInt(VALUES.length)] + json.substring(v[1]);
                    }
                    return json;
                }
                case 2 -> {
                    return json.substring(0, random.nextInt(json.length()));
                }
                case 3 -> {
                    return json.replace("}", ",\"from\":\"admin\",\"type\":\"" + random.nextInt() + "\"}");
                }
                case 4 -> {
                    char[] c = json.toCharArray();
                    for (int i = 0; i < 3; i++) {
                        c[random.nextInt(c.length)] = (char) random.nextInt(128);
                    }
                    return new String(c);
                }
                case 5 -> {
                    return json + json;
                }
                case 6 -> {
                    return json.replace("\"type\"", "\"ty\\u0070e\"");
                }
                default -> {
                    return "{\"type\":\"send\",\"room\":\"" + room + "\",\"ref\":\"big\",\"text\":\""
                            + "x".repeat(random.nextInt(6000)) + "\"}";
                }
            }
        }

        private void throwOne(RawSocket s) throws IOException {
            int pick = random.nextInt(100);
            if (pick < 70) {
                s.text(mutate(validFrame()));
            } else if (pick < 80) {
                s.text(validFrame());
            } else if (pick < 85) {
                byte[] junk = new byte[random.nextInt(200)];
                random.nextBytes(junk);
                s.frame(0x2, true, junk); // binary
            } else if (pick < 89) {
                byte[] json = validFrame().getBytes(StandardCharsets.UTF_8);
                int cut = json.length / 2;
                s.frame(0x1, false, java.util.Arrays.copyOf(json, cut)); // fragmented: text, then continuation
                s.frame(0x0, true, java.util.Arrays.copyOfRange(json, cut, json.length));
            } else if (pick < 93) {
                s.frame(0x9, true, "are you there".getBytes(StandardCharsets.US_ASCII)); // a client's ping
            } else if (pick < 95) {
                s.frame(0xA, true, Long.toString(random.nextLong()).getBytes(StandardCharsets.US_ASCII)); // forged pong
            } else if (pick < 97) {
                byte[] junk = new byte[1 + random.nextInt(200)];
                random.nextBytes(junk);
                s.frame(0x1, true, junk); // text that is most likely not UTF-8: closes with 1007
            } else if (pick < 98) {
                s.frame(0x3 + random.nextInt(5), true, new byte[] {1}); // reserved opcode: protocol error
            } else {
                s.text("{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"" + "y".repeat(70_000) + "\"}"); // 1009
            }
        }
    }

    private static long threads() throws Exception {
        String dump = Shell.run(jcmd(), String.valueOf(node.pid()), "Thread.print");
        return dump.lines().filter(l -> l.startsWith("\"")).count();
    }

    /** The node's used heap in KB after a full GC, from jcmd. */
    private static long heapAfterGc() throws Exception {
        Shell.run(jcmd(), String.valueOf(node.pid()), "GC.run");
        String info = Shell.run(jcmd(), String.valueOf(node.pid()), "GC.heap_info");
        Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
        assertTrue(m.find(), info);
        return Long.parseLong(m.group(1));
    }

    /** Bytes per class on the node's heap (live objects), from jcmd. */
    private static Map<String, Long> histogram() throws Exception {
        Map<String, Long> bytes = new java.util.HashMap<>();
        for (String line : Shell.run(jcmd(), String.valueOf(node.pid()), "GC.class_histogram").split("\n")) {
            String[] col = line.trim().split("\\s+");
            if (col.length >= 4 && col[0].endsWith(":")) {
                bytes.merge(col[3], Long.parseLong(col[2]), Long::sum);
            }
        }
        return bytes;
    }

    private static String jcmd() {
        return Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd").toString();
    }
}
