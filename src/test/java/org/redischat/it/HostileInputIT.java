package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redischat.it.Frames.join;
import static org.redischat.it.Frames.of;
import static org.redischat.it.Frames.send;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or broken client may throw at a node, on a node of its own with the default
 * settings but for the frame budget (see {@link #start}): each case gets its documented answer and
 * leaves the other users unharmed; and what the HTTP API takes. The cases
 * docs/PROTOCOL.md lists that {@link ProtocolIT} already proves (bad JSON, unknown types, frames over
 * 64 KiB, foreign Origins, forged tokens, rooms of others) are not repeated here.
 */
class HostileInputIT {

    private static PayaraMicroNode node;

    @BeforeAll
    static void start() throws Exception {
        // the frame budget per user and node is raised far above its default here, so that the fuzzer's and the
        // flood's frames are read and answered rather than dropped unread (AbuseIT meets the budget itself)
        node = PayaraMicroNode.start(Integer.getInteger("it.port5", 18084), System.getProperty("test.redis.address"),
                "-Dchat.frames.per-second=100000", "-Dchat.frames.burst=100000");
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
            other.joined(join(room));
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
            c.joined(join(room));
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
            m.joined(join(room));
            other.joined(join(room));
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
            a.joined(join(room));
            b.joined(join(room));
            flood.joined(join(room));
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
                long id = a.acked(send(room, "calm " + i, "c" + i));
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
            // the answers to the flood may still be on their way (the node answers its frames in turn)
            List<JsonObject> got = new ArrayList<>();
            long limited = 0;
            for (long end = System.nanoTime() + 30_000_000_000L; limited == 0 && System.nanoTime() < end; Thread.sleep(100)) {
                got.addAll(flood.drain());
                limited = got.stream().filter(f -> "error".equals(f.getString("type"))
                        && "rate_limited".equals(f.getString("code"))).count();
            }
            Map<String, Long> kinds = new TreeMap<>();
            got.forEach(f -> kinds.merge(f.getString("type") + ("error".equals(f.getString("type")) ? "/" + f.getString("code", "") : ""), 1L, Long::sum));
            System.out.printf("floods: 3000 frames and 300 forged handshakes; %d sends rate_limited, %d handshakes"
                    + " refused with 401; the others' worst send-to-delivery meanwhile %d ms%n", limited, refused.get(), worst);
            assertEquals(300, refused.get(), "every forged handshake refused");
            assertTrue(limited > 0, "the flood's sends hit the rate limit; the flood got " + kinds);
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
            a.joined(join(calm));
            b.joined(join(calm));
            ServerProcess server = new ServerProcess(node.pid());
            long threadsBefore = server.threads();
            long heapBefore = server.heapAfterGcKb();
            Map<String, Long> histogramBefore = server.histogram();
            Path log = node.log.toPath();
            long logStart = Files.size(log);

            Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
            List<String> anomalies = new CopyOnWriteArrayList<>();
            AtomicLong sent = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> fuzzers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Fuzzer f = new Fuzzer(node.base, new Random(seed + i), tokens.get(i), room, outcomes, anomalies, sent);
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
                long id = a.acked(send(calm, "calm " + talked, "t" + talked));
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
            long threadsAfter = server.threads();
            long heapAfter = server.heapAfterGcKb();
            Map<String, Long> histogramAfter = server.histogram();
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

    /** A body larger than the API takes, declared or streamed without a length: 413 at once, the node unharmed. */
    @Test
    void aHugeBodyIsRefusedBeforeItIsReadAndTheConnectionClosed() throws Exception {
        for (boolean declared : List.of(true, false)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", node.base.getPort()), 2000);
                s.setSoTimeout(5000);
                String head = "POST /chat/api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + (declared ? "Content-Length: 200000000\r\n" : "Transfer-Encoding: chunked\r\n") + "\r\n";
                var out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[65_536];
                java.util.Arrays.fill(chunk, (byte) 'x');
                long t0 = System.nanoTime();
                long written = 0;
                try {
                    for (int i = 0; i < 3000; i++) { // 200 MB, if the node went on reading
                        if (!declared) {
                            out.write("10000\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(chunk);
                        if (!declared) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        written += chunk.length;
                    }
                } catch (java.io.IOException closedByTheNode) {
                    // expected: the node answered and closed the connection
                }
                String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                System.out.printf("a %s body of 200 MB: '%s' after %d MB written, in %d ms%n", declared ? "declared" : "chunked",
                        answer, written >> 20, (System.nanoTime() - t0) / 1_000_000);
                assertEquals("HTTP/1.1 413", answer);
                assertTrue(written < 32L << 20, "the node stopped reading: " + (written >> 20) + " MB taken");
            }
        }
        assertEquals(200, Api.call(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + node.base.getPort() + "/health/ready")).build()).status());
    }

    @Test
    void theApiTakesJsonFromItsOwnOriginAndEveryAnswerCarriesStrictHeaders() {
        String name = Api.newName("ct");
        String body = Api.credentials(name, "password-1");
        var users = node.base.resolve("api/users");
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            Api.Reply r = Api.call(java.net.http.HttpRequest.newBuilder(users).header("Content-Type", type)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
            assertEquals(415, r.status(), type + ": " + r.body());
            assertEquals("unsupported_media_type", r.json().getString("error"));
        }
        Api.Reply foreign = Api.call(java.net.http.HttpRequest.newBuilder(users).header("Content-Type", "application/json")
                .header("Origin", "https://evil.example").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(403, foreign.status(), foreign.body());
        Api.Reply plain = Api.call(java.net.http.HttpRequest.newBuilder(users)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(201, plain.status(), "no content type at all (a script, a test suite): " + plain.body());
        Api.Reply token = Api.post(node.base, "api/sessions", body);
        assertEquals(200, token.status());
        assertEquals("no-store", token.header("Cache-Control"));
        Api.Reply page = Api.call(java.net.http.HttpRequest.newBuilder(node.base).GET().build());
        String csp = page.header("Content-Security-Policy");
        assertTrue(csp != null && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        assertEquals("no-referrer", page.header("Referrer-Policy"));
    }
}
