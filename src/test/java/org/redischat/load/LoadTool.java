package org.redischat.load;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.HdrHistogram.Histogram;

/**
 * A load generator that speaks only PROTOCOL.md. Scenario {@code fanout}: U users in R rooms
 * spread round-robin over the given nodes, S of them sending at an aggregate X messages/s for D
 * seconds; every socket checks each delivery by id (lost, duplicated, out of order) and the
 * send→receive latency from the send time written in the text. Prints a summary and one JSON line.
 *
 * <pre>java ... org.redischat.load.LoadTool fanout --nodes http://127.0.0.1:8080/ --users 500 --rooms 1
 *     --senders 20 --rate 20 --seconds 30</pre>
 */
public final class LoadTool {

    private final List<URI> nodes;
    private final int users;
    private final int rooms;
    private final int senders;
    private final double rate;
    private final int seconds;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Map<String, Integer> membersPerRoom = new ConcurrentHashMap<>();
    private final Map<String, Integer> refRoom = new ConcurrentHashMap<>();
    private final Map<Integer, Long> refusedPerRoom = new ConcurrentHashMap<>();

    public LoadTool(Map<String, String> args) {
        nodes = List.of(args.getOrDefault("nodes", "http://127.0.0.1:8080/").split(",")).stream()
                .map(s -> URI.create(s.endsWith("/") ? s : s + "/")).toList();
        users = Integer.parseInt(args.getOrDefault("users", "100"));
        rooms = Integer.parseInt(args.getOrDefault("rooms", "1"));
        senders = Integer.parseInt(args.getOrDefault("senders", "10"));
        rate = Double.parseDouble(args.getOrDefault("rate", "20"));
        seconds = Integer.parseInt(args.getOrDefault("seconds", "10"));
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0 || !argv[0].equals("fanout")) {
            System.err.println("usage: LoadTool fanout [--nodes URL,URL] [--users N] [--rooms N] [--senders N]"
                    + " [--rate msgs/s] [--seconds N]");
            System.exit(2);
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 1; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        Result r = new LoadTool(args).fanout();
        System.exit(r.clean() ? 0 : 1);
    }

    /** What a run found; {@code clean} when nothing was lost, duplicated or out of order. */
    public record Result(long sent, long acked, long refused, long expected, long delivered, long lost,
            long duplicated, long outOfOrder, double deliveriesPerSecond, double p50, double p90, double p99,
            double p999, double max) {
        public boolean clean() {
            return lost == 0 && duplicated == 0 && outOfOrder == 0;
        }
    }

    /** One socket's view: last id per room. */
    private final class Client implements WebSocket.Listener {
        final Map<String, Long> last = new ConcurrentHashMap<>();
        final CountDownLatch joined;
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        Client(int roomsToJoin) {
            joined = new CountDownLatch(roomsToJoin);
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean lastPart) {
            partial.append(data);
            if (lastPart) {
                String text = partial.toString();
                partial.setLength(0);
                onFrame(text);
            }
            w.request(1);
            return null;
        }

        private void onFrame(String text) {
            long now = System.nanoTime();
            JsonObject f = Json.createReader(new StringReader(text)).readObject();
            switch (f.getString("type")) {
                case "joined" -> {
                    last.put(f.getString("room"), lastId(f));
                    joined.countDown();
                }
                case "message" -> {
                    String room = f.getString("room");
                    long id = f.getJsonNumber("id").longValue();
                    Long prev = last.get(room);
                    if (prev != null && id <= prev) {
                        duplicated.incrementAndGet();
                        return;
                    }
                    if (prev != null && id != prev + 1) {
                        outOfOrder.incrementAndGet();
                    }
                    last.put(room, id);
                    delivered.incrementAndGet();
                    String body = f.getString("text");
                    int at = body.indexOf('@');
                    if (at > 0) {
                        long sentNanos = Long.parseLong(body.substring(0, at));
                        synchronized (latency) {
                            latency.recordValue(Math.max(0, (now - sentNanos) / 1000));
                        }
                    }
                }
                case "ack" -> acked.incrementAndGet();
                case "error" -> {
                    refused.incrementAndGet();
                    Integer room = f.containsKey("ref") ? refRoom.get(f.getString("ref")) : null;
                    if (room != null) {
                        refusedPerRoom.merge(room, 1L, Long::sum);
                    }
                }
                default -> { }
            }
        }

        private long lastId(JsonObject joinedFrame) {
            var msgs = joinedFrame.getJsonArray("messages");
            return msgs.isEmpty() ? 0 : msgs.getJsonObject(msgs.size() - 1).getJsonNumber("id").longValue();
        }
    }

    public Result fanout() throws Exception {
        System.out.printf(Locale.ROOT, "fanout: %d users in %d rooms on %d node(s), %d senders at %.0f msg/s for %d s%n",
                users, rooms, nodes.size(), senders, rate, seconds);
        List<String> tokens = signUp();
        List<Client> clients = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < users; i++) {
            Client c = new Client(1);
            URI node = nodes.get(i % nodes.size());
            URI ws = URI.create(node.toString().replaceFirst("^http", "ws") + "ws?access_token=" + tokens.get(i));
            c.ws = http.newWebSocketBuilder().buildAsync(ws, c).get(30, TimeUnit.SECONDS);
            String room = room(i % rooms);
            membersPerRoom.merge(room, 1, Integer::sum);
            c.ws.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}", true);
            clients.add(c);
        }
        for (Client c : clients) {
            if (!c.joined.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a join got no answer");
            }
        }
        System.out.printf(Locale.ROOT, "connected and joined %d sockets in %.1f s%n", users, (System.nanoTime() - t0) / 1e9);
        Thread.sleep(1000); // member_add and presence settle

        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        long total = Math.round(rate * seconds);
        long periodNanos = Math.round(1e9 / rate);
        AtomicLong sent = new AtomicLong();
        long[] perRoomSent = new long[rooms];
        CountDownLatch done = new CountDownLatch(1);
        long start = System.nanoTime();
        timer.scheduleAtFixedRate(() -> {
            long n = sent.getAndIncrement();
            if (n >= total) {
                done.countDown();
                return;
            }
            int sender = (int) (n % senders);
            Client c = clients.get(sender % clients.size());
            int room = sender % rooms;
            synchronized (perRoomSent) {
                perRoomSent[room]++;
            }
            refRoom.put(run + "-" + n, room);
            c.ws.sendText("{\"type\":\"send\",\"room\":\"" + room(room) + "\",\"text\":\"" + System.nanoTime()
                    + "@load\",\"ref\":\"" + run + "-" + n + "\"}", true);
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        done.await();
        timer.shutdownNow();
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long expectedDeliveries = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            // a refused send was never stored: no one should get it
            expectedDeliveries = 0;
            for (int r = 0; r < rooms; r++) {
                expectedDeliveries += (perRoomSent[r] - refusedPerRoom.getOrDefault(r, 0L))
                        * membersPerRoom.getOrDefault(room(r), 0);
            }
            if (delivered.get() >= expectedDeliveries && acked.get() + refused.get() >= total) {
                break;
            }
            Thread.sleep(100);
        }
        Result r;
        synchronized (latency) {
            r = new Result(total, acked.get(), refused.get(), expectedDeliveries, delivered.get(),
                    Math.max(0, expectedDeliveries - delivered.get()), duplicated.get(), outOfOrder.get(),
                    delivered.get() / sendSeconds, ms(latency.getValueAtPercentile(50)),
                    ms(latency.getValueAtPercentile(90)), ms(latency.getValueAtPercentile(99)),
                    ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()));
        }
        clients.forEach(c -> c.ws.abort());
        print(r);
        return r;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private String room(int i) {
        return "load-" + run + "-" + i;
    }

    private List<String> signUp() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String user = "l" + run + "-" + i;
            URI node = nodes.get(i % nodes.size());
            futures.add(CompletableFuture.supplyAsync(() -> token(node, user), pool));
        }
        List<String> tokens = new ArrayList<>();
        for (CompletableFuture<String> f : futures) {
            tokens.add(f.get(120, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return tokens;
    }

    private String token(URI node, String user) {
        String body = "{\"username\":\"" + user + "\",\"password\":\"load-password\"}";
        try {
            post(node.resolve("api/users"), body);
            HttpResponse<String> login = post(node.resolve("api/sessions"), body);
            if (login.statusCode() != 200) {
                throw new IllegalStateException("login of " + user + " failed: " + login.statusCode());
            }
            return Json.createReader(new StringReader(login.body())).readObject().getString("token");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void print(Result r) {
        System.out.printf(Locale.ROOT, "sent %d, acked %d, refused %d; deliveries %d of %d expected (%.0f/s)%n",
                r.sent(), r.acked(), r.refused(), r.delivered(), r.expected(), r.deliveriesPerSecond());
        System.out.printf(Locale.ROOT, "lost %d, duplicated %d, out of order %d%n", r.lost(), r.duplicated(), r.outOfOrder());
        System.out.printf(Locale.ROOT, "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                r.p50(), r.p90(), r.p99(), r.p999(), r.max());
        System.out.printf(Locale.ROOT, "{\"scenario\":\"fanout\",\"users\":%d,\"rooms\":%d,\"nodes\":%d,\"senders\":%d,"
                + "\"rate\":%.1f,\"seconds\":%d,\"sent\":%d,\"acked\":%d,\"refused\":%d,\"expected\":%d,\"delivered\":%d,"
                + "\"lost\":%d,\"duplicated\":%d,\"outOfOrder\":%d,\"deliveriesPerSecond\":%.1f,\"p50\":%.3f,\"p90\":%.3f,"
                + "\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f}%n", users, rooms, nodes.size(), senders, rate, seconds,
                r.sent(), r.acked(), r.refused(), r.expected(), r.delivered(), r.lost(), r.duplicated(), r.outOfOrder(),
                r.deliveriesPerSecond(), r.p50(), r.p90(), r.p99(), r.p999(), r.max());
    }
}
