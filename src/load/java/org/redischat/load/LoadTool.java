package org.redischat.load;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
import org.redischat.it.ServerProcess;

/**
 * A load generator that speaks only docs/PROTOCOL.md, pointed at any node URLs. Scenarios:
 * <ul>
 * <li>{@code fanout}: U users in R rooms spread round-robin over the nodes, S of them sending at an
 * aggregate X messages/s for D seconds; every socket checks each delivery by id (lost, duplicated,
 * out of order) and the send→receive latency from the send time written in the text.</li>
 * <li>{@code ramp}: the same sockets, X raised step by step until p99 passes a bound or anything is
 * lost; the knee is the highest clean deliveries/s.</li>
 * <li>{@code connections}: C sockets joined to rooms, held open; connect rate, failures, and the
 * server's memory per socket (RSS from /proc, heap after a full GC from jcmd: same machine). With
 * {@code --bare true} the same against a bare endpoint that only greets each socket
 * ({@code src/load/floor}): what the container itself costs per socket; {@code fanout --bare
 * true} relays through that endpoint (one node, one room, no Redis).</li>
 * </ul>
 * With {@code --pids}, the server processes' CPU time (from /proc) during the send phase is
 * reported per 1,000 deliveries. The sockets ({@link LeanSocket}: plain NIO, a few µs per frame) are
 * spread over {@code --clients} reader threads (default 1). Prints a summary and one JSON line per
 * run or step.
 *
 * <pre>mvn -q -Pload test-compile exec:java -Dexec.args="fanout --nodes http://127.0.0.1:8080/ --users 500 --rooms 1
 *     --senders 20 --rate 20 --seconds 30"</pre>
 */
public final class LoadTool {

    /** The ref of the connections scenario's joins, so a refused join is told from a late one. */
    private static final String JOIN_REF = "load-join";
    private final List<URI> nodes;
    private final int users;
    private final int rooms;
    private final int senders;
    private final double rate;
    private final int seconds;
    private final List<Long> pids;
    /** {@code connections --bare true}: plain sockets to a bare endpoint (the container's own floor), no protocol. */
    private final boolean bare;
    /** Set by the connections scenario: a socket counts as open at its first frame. */
    private volatile boolean connectionsOnly;
    private final Map<String, String> args;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
    /** WebSockets are spread over {@code --clients} threads, each reading all its sockets. */
    private final List<LeanSocket.Loop> loops = new ArrayList<>();
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Map<String, Integer> membersPerRoom = new ConcurrentHashMap<>();
    private final Map<String, Integer> refRoom = new ConcurrentHashMap<>();
    private final Map<Integer, Long> refusedPerRoom = new ConcurrentHashMap<>();
    private List<Client> clients;

    public LoadTool(Map<String, String> args) {
        this.args = args;
        nodes = List.of(args.getOrDefault("nodes", "http://127.0.0.1:8080/").split(",")).stream()
                .map(s -> URI.create(s.endsWith("/") ? s : s + "/")).toList();
        users = Integer.parseInt(args.getOrDefault("users", "100"));
        rooms = Integer.parseInt(args.getOrDefault("rooms", "1"));
        senders = Integer.parseInt(args.getOrDefault("senders", "10"));
        rate = Double.parseDouble(args.getOrDefault("rate", "20"));
        seconds = Integer.parseInt(args.getOrDefault("seconds", "10"));
        int k = Integer.parseInt(args.getOrDefault("clients", "1"));
        for (int i = 0; i < k; i++) {
            loops.add(new LeanSocket.Loop("load-socket-reader-" + i));
        }
        bare = Boolean.parseBoolean(args.getOrDefault("bare", "false"));
        pids = args.containsKey("pids") ? List.of(args.get("pids").split(",")).stream().map(Long::parseLong).toList()
                : List.of();
    }

    public static void main(String[] argv) throws Exception {
        String scenario = argv.length == 0 ? "" : argv[0];
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 1; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        LoadTool tool = new LoadTool(args);
        boolean clean = switch (scenario) {
            case "fanout" -> tool.fanout().clean();
            case "ramp" -> tool.ramp() > 0;
            case "connections" -> tool.connections();
            default -> {
                System.err.println("usage: LoadTool fanout|ramp|connections [--nodes URL,URL] [--users N] [--rooms N]"
                        + " [--senders N] [--rate msgs/s] [--seconds N] [--pids PID,PID] [--clients N]\n"
                        + "  ramp: [--rates 20,40,...] [--p99-bound ms]; connections: [--sockets N] [--per-user N]"
                        + " [--hold seconds] [--bare true] (--pids: one server process, on this machine)");
                yield false;
            }
        };
        System.exit(clean ? 0 : 1);
    }

    /** What a run found; {@code clean} when nothing was lost, duplicated or out of order. */
    public record Result(double rate, long sent, long acked, long refused, long expected, long delivered, long lost,
            long duplicated, long outOfOrder, double deliveriesPerSecond, double p50, double p90, double p99,
            double p999, double max, double serverCpuMsPer1000, double toolCpuMsPer1000) {
        public boolean clean() {
            return lost == 0 && duplicated == 0 && outOfOrder == 0;
        }
    }

    /** One socket's view: last id per room. */
    private final class Client {
        final Map<String, Long> last = new ConcurrentHashMap<>();
        final CountDownLatch joined;
        volatile String joinError;
        LeanSocket ws;

        Client(int roomsToJoin) {
            joined = new CountDownLatch(roomsToJoin);
        }

        void onFrame(String text) {
            long now = System.nanoTime();
            if (bare && connectionsOnly) { // the container-floor endpoint's greeting is all that counts
                joined.countDown();
                return;
            }
            // "type" is the first or the last key of a frame (JSON-B orders keys), nested objects have none
            int at = text.lastIndexOf("\"type\":\"");
            String type = at < 0 ? "" : between(text.substring(at), "\"type\":\"", "\"");
            if (type.equals("message")) {
                // the one frame that counts, read without a JSON parser: the tool shares the CPU with the servers
                String room = between(text, "\"room\":\"", "\"");
                long id = Long.parseLong(between(text, "\"id\":", ",").trim());
                String body = between(text, "\"text\":\"", "\"");
                onMessage(room, id, body, now);
                return;
            }
            if (!(type.equals("joined") || type.equals("ack") || type.equals("error"))) {
                return; // welcome, member_add, presence: nothing to count, and not worth a parse here
            }
            JsonObject f = Json.createReader(new StringReader(text)).readObject();
            switch (f.getString("type")) {
                case "joined" -> {
                    last.put(f.getString("room"), lastId(f));
                    joined.countDown();
                }
                case "ack" -> acked.incrementAndGet();
                case "error" -> {
                    if (f.containsKey("ref") && f.getString("ref").equals(JOIN_REF)) {
                        joinError = f.getString("code") + ": " + f.getString("message");
                        joined.countDown(); // answered, though not joined: counted as a failure by its cause
                        return;
                    }
                    refused.incrementAndGet();
                    Integer room = f.containsKey("ref") ? refRoom.get(f.getString("ref")) : null;
                    if (room != null) {
                        refusedPerRoom.merge(room, 1L, Long::sum);
                    }
                }
                default -> { }
            }
        }

        private void onMessage(String room, long id, String body, long now) {
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
            int at = body.indexOf('@');
            if (at > 0) {
                long sentNanos = Long.parseLong(body.substring(0, at));
                synchronized (latency) {
                    latency.recordValue(Math.max(0, (now - sentNanos) / 1000));
                }
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
        connect();
        Result r = phase(rate, seconds, senders);
        clients.forEach(c -> c.ws.abort());
        return r;
    }

    /** Raises the rate step by step on the same sockets; returns the knee (highest clean deliveries/s), 0 if none. */
    public double ramp() throws Exception {
        List<Double> rates = List.of(args.getOrDefault("rates", "20,40,60,80,100,120,140,160").split(",")).stream()
                .map(Double::parseDouble).toList();
        double bound = Double.parseDouble(args.getOrDefault("p99-bound", "200"));
        System.out.printf(Locale.ROOT, "ramp: %d users in %d rooms on %d node(s), rates %s msg/s, %d s each, until p99 > %.0f ms%n",
                users, rooms, nodes.size(), rates, seconds, bound);
        connect();
        double knee = 0;
        Result best = null;
        for (double x : rates) {
            // each sender stays under the per-user limit (20/s): 15/s at most
            int s = Math.min(users, Math.max(senders, (int) Math.ceil(x / 15)));
            Result r = phase(x, seconds, s);
            if (!r.clean() || r.p99() > bound) {
                System.out.printf(Locale.ROOT, "knee passed at %.0f msg/s (%s)%n", x,
                        r.clean() ? "p99 " + r.p99() + " ms" : "not clean");
                break;
            }
            knee = r.deliveriesPerSecond();
            best = r;
        }
        clients.forEach(c -> c.ws.abort());
        System.out.printf(Locale.ROOT, "{\"scenario\":\"ramp\",\"users\":%d,\"rooms\":%d,\"nodes\":%d,\"p99Bound\":%.0f,"
                + "\"kneeDeliveriesPerSecond\":%.1f,\"kneeRate\":%.1f,\"kneeP99\":%.3f,\"kneeServerCpuMsPer1000\":%.2f}%n",
                users, rooms, nodes.size(), bound, knee, best == null ? 0 : best.rate(), best == null ? 0 : best.p99(),
                best == null ? 0 : best.serverCpuMsPer1000());
        return knee;
    }

    /** Signs up the users, opens their sockets round-robin over the nodes and joins each to its room. */
    private void connect() throws Exception {
        List<String> tokens = bare ? List.of() : signUp(users);
        clients = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < users; i++) {
            Client c = new Client(1);
            URI ws = socketUri(nodes.get(i % nodes.size()), bare ? null : tokens.get(i));
            c.ws = loops.get(i % loops.size()).open(ws, c::onFrame).get(30, TimeUnit.SECONDS);
            String room = room(i % rooms);
            membersPerRoom.merge(room, 1, Integer::sum);
            c.ws.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
            clients.add(c);
        }
        for (Client c : clients) {
            if (!c.joined.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a join got no answer");
            }
        }
        System.out.printf(Locale.ROOT, "connected and joined %d sockets in %.1f s%n", users, (System.nanoTime() - t0) / 1e9);
        Thread.sleep(2000); // member_add and presence settle
    }

    /** One measured phase: the given rate for the given time, then the deliveries drained. */
    private Result phase(double x, int secs, int sendersNow) throws Exception {
        delivered.set(0);
        duplicated.set(0);
        outOfOrder.set(0);
        acked.set(0);
        refused.set(0);
        refusedPerRoom.clear();
        synchronized (latency) {
            latency.reset();
        }
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
        long total = Math.round(x * secs);
        long periodNanos = Math.round(1e9 / x);
        AtomicLong sent = new AtomicLong();
        long[] perRoomSent = new long[rooms];
        CountDownLatch done = new CountDownLatch(1);
        String phase = run + "-" + Math.round(x);
        long cpuBefore = serverCpu();
        long toolBefore = toolCpu();
        long start = System.nanoTime();
        timer.scheduleAtFixedRate(() -> {
            long n = sent.getAndIncrement();
            if (n >= total) {
                done.countDown();
                return;
            }
            int sender = (int) (n % sendersNow);
            Client c = clients.get(sender % clients.size());
            int room = sender % rooms;
            synchronized (perRoomSent) {
                perRoomSent[room]++;
            }
            refRoom.put(phase + "-" + n, room);
            c.ws.send("{\"type\":\"send\",\"room\":\"" + room(room) + "\",\"text\":\"" + System.nanoTime()
                    + "@load\",\"ref\":\"" + phase + "-" + n + "\"}");
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        done.await();
        timer.shutdownNow();
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        // drain: until every expected delivery arrived, or nothing arrived for 5 s (what is missing then is lost)
        long expectedDeliveries = 0;
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(5)) {
            expectedDeliveries = 0; // a refused send was never stored: no one should get it
            for (int r = 0; r < rooms; r++) {
                expectedDeliveries += (perRoomSent[r] - refusedPerRoom.getOrDefault(r, 0L))
                        * membersPerRoom.getOrDefault(room(r), 0);
            }
            long now = delivered.get();
            if (now >= expectedDeliveries && acked.get() + refused.get() >= total) {
                break;
            }
            if (now != lastCount) {
                lastCount = now;
                lastChange = System.nanoTime();
            }
            Thread.sleep(100);
        }
        long serverCpuMs = serverCpu() - cpuBefore;
        long toolCpuMs = toolCpu() - toolBefore;
        long d = Math.max(1, delivered.get());
        Result r;
        synchronized (latency) {
            r = new Result(x, total, acked.get(), refused.get(), expectedDeliveries, delivered.get(),
                    Math.max(0, expectedDeliveries - delivered.get()), duplicated.get(), outOfOrder.get(),
                    delivered.get() / sendSeconds, ms(latency.getValueAtPercentile(50)),
                    ms(latency.getValueAtPercentile(90)), ms(latency.getValueAtPercentile(99)),
                    ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()),
                    pids.isEmpty() ? -1 : serverCpuMs * 1000.0 / d, toolCpuMs * 1000.0 / d);
        }
        print(r, sendersNow, secs);
        Map<String, Long> closes = new TreeMap<>();
        clients.stream().map(c -> c.ws.closedBy()).filter(Objects::nonNull)
                .forEach(why -> closes.merge(why, 1L, Long::sum));
        closes.forEach((why, n) -> System.out.printf(Locale.ROOT, "closed by the server: %d x %s%n", n, why));
        return r;
    }

    /**
     * Opens C sockets (users of {@code --per-user} sockets each, each socket joined to one of R
     * rooms) with up to 200 handshakes in flight, holds them, and reports the connect rate,
     * failures and the server's memory per socket.
     */
    public boolean connections() throws Exception {
        int sockets = Integer.parseInt(args.getOrDefault("sockets", "1000"));
        int perUser = Integer.parseInt(args.getOrDefault("per-user", "10"));
        int hold = Integer.parseInt(args.getOrDefault("hold", "10"));
        if (pids.size() != 1 || nodes.size() != 1) {
            throw new IllegalArgumentException("connections needs one node and its --pids");
        }
        ServerProcess server = new ServerProcess(pids.get(0));
        System.out.printf(Locale.ROOT, "connections: %d sockets (%d per user) in %d rooms on %s, held %d s%n",
                sockets, perUser, rooms, nodes.get(0), hold);
        int userCount = (sockets + perUser - 1) / perUser;
        connectionsOnly = true;
        long signUpStart = System.nanoTime();
        List<String> tokens = bare ? List.of() : signUp(userCount);
        System.out.printf(Locale.ROOT, "signed up %d users in %.1f s; opening the sockets%n", userCount,
                (System.nanoTime() - signUpStart) / 1e9);
        long rssBefore = server.rssKb();
        long heapBefore = server.heapAfterGcKb();
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(200);
        AtomicLong failed = new AtomicLong();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        List<Client> open = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(sockets);
        long serverCpuBefore = server.cpuMillis();
        long toolCpuBefore = toolCpu();
        long t0 = System.nanoTime();
        for (int i = 0; i < sockets; i++) {
            inFlight.acquire();
            Client c = new Client(1);
            String room = room(i % rooms);
            URI ws = socketUri(nodes.get(0), bare ? null : tokens.get(i / perUser));
            loops.get(i % loops.size()).open(ws, c::onFrame).whenComplete((w, e) -> {
                if (e != null) {
                    failed.incrementAndGet();
                    failures.merge("handshake: " + e, 1, Integer::sum);
                    inFlight.release();
                    all.countDown();
                    return;
                }
                c.ws = w;
                open.add(c);
                if (!bare) {
                    w.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"" + JOIN_REF + "\"}");
                }
                CompletableFuture.runAsync(() -> {
                    try {
                        if (c.joined.await(30, TimeUnit.SECONDS) && c.joinError != null) {
                            failed.incrementAndGet();
                            failures.merge("join refused: " + c.joinError, 1, Integer::sum);
                        } else if (c.joined.getCount() > 0) {
                            failed.incrementAndGet();
                            failures.merge(bare ? "no greeting in 30 s" : "join not answered in 30 s", 1, Integer::sum);
                        }
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    inFlight.release();
                    all.countDown();
                });
            });
        }
        all.await();
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        double serverCpuPerSocket = (server.cpuMillis() - serverCpuBefore) / (double) sockets;
        double toolCpuPerSocket = (toolCpu() - toolCpuBefore) / (double) sockets;
        Thread.sleep(2000);
        long rssAfter = server.rssKb();
        long heapAfter = server.heapAfterGcKb();
        System.out.printf(Locale.ROOT, "%d of %d sockets open and joined in %.1f s (%.0f/s), %d failed%n",
                sockets - failed.get(), sockets, connectSeconds, sockets / connectSeconds, failed.get());
        failures.forEach((why, n) -> System.out.printf(Locale.ROOT, "  failed %d x: %s%n", n, why));
        System.out.printf(Locale.ROOT, "CPU per socket opened and joined: server %.2f ms, load tool %.2f ms%n",
                serverCpuPerSocket, toolCpuPerSocket);
        System.out.printf(Locale.ROOT, "server RSS %d -> %d MB (%.1f KB per socket); heap after full GC %d -> %d MB"
                + " (%.1f KB per socket)%n", rssBefore / 1024, rssAfter / 1024, (rssAfter - rssBefore) / (double) sockets,
                heapBefore / 1024, heapAfter / 1024, (heapAfter - heapBefore) / (double) sockets);
        System.out.printf(Locale.ROOT, "{\"scenario\":\"connections\",\"sockets\":%d,\"failed\":%d,\"connectSeconds\":%.2f,"
                + "\"connectsPerSecond\":%.1f,\"rssKbPerSocket\":%.2f,\"heapKbPerSocket\":%.2f,\"rssMbAfter\":%d,"
                + "\"heapMbAfter\":%d,\"serverCpuMsPerSocket\":%.2f,\"toolCpuMsPerSocket\":%.2f}%n", sockets, failed.get(),
                connectSeconds, sockets / connectSeconds,
                (rssAfter - rssBefore) / (double) sockets, (heapAfter - heapBefore) / (double) sockets,
                rssAfter / 1024, heapAfter / 1024, serverCpuPerSocket, toolCpuPerSocket);
        Thread.sleep(TimeUnit.SECONDS.toMillis(hold));
        open.forEach(c -> c.ws.abort());
        return failed.get() == 0;
    }

    /** CPU time (user + system) of each server process, in ms, from /proc (Linux; 100 ticks per second). */
    private long serverCpu() {
        return pids.stream().mapToLong(pid -> new ServerProcess(pid).cpuMillis()).sum();
    }

    private static long toolCpu() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    /** A node's WebSocket address, with the token (none for the bare endpoint). */
    private static URI socketUri(URI node, String token) {
        return URI.create(node.toString().replaceFirst("^http", "ws") + "ws" + (token == null ? "" : "?access_token=" + token));
    }

    private String room(int i) {
        return "load-" + run + "-" + i;
    }

    private List<String> signUp(int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
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

    private void print(Result r, int sendersNow, int secs) {
        System.out.printf(Locale.ROOT, "rate %.0f msg/s from %d senders: sent %d, acked %d, refused %d; deliveries %d of %d"
                + " expected (%.0f/s)%n", r.rate(), sendersNow, r.sent(), r.acked(), r.refused(), r.delivered(), r.expected(),
                r.deliveriesPerSecond());
        System.out.printf(Locale.ROOT, "lost %d, duplicated %d, out of order %d%n", r.lost(), r.duplicated(), r.outOfOrder());
        System.out.printf(Locale.ROOT, "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                r.p50(), r.p90(), r.p99(), r.p999(), r.max());
        if (r.serverCpuMsPer1000() >= 0) {
            System.out.printf(Locale.ROOT, "CPU per 1000 deliveries: servers %.2f ms, this tool %.2f ms%n",
                    r.serverCpuMsPer1000(), r.toolCpuMsPer1000());
        }
        System.out.printf(Locale.ROOT, "{\"scenario\":\"fanout\",\"users\":%d,\"rooms\":%d,\"nodes\":%d,\"senders\":%d,"
                + "\"rate\":%.1f,\"seconds\":%d,\"sent\":%d,\"acked\":%d,\"refused\":%d,\"expected\":%d,\"delivered\":%d,"
                + "\"lost\":%d,\"duplicated\":%d,\"outOfOrder\":%d,\"deliveriesPerSecond\":%.1f,\"p50\":%.3f,\"p90\":%.3f,"
                + "\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f,\"serverCpuMsPer1000\":%.2f,\"toolCpuMsPer1000\":%.2f}%n",
                users, rooms, nodes.size(), sendersNow, r.rate(), secs,
                r.sent(), r.acked(), r.refused(), r.expected(), r.delivered(), r.lost(), r.duplicated(), r.outOfOrder(),
                r.deliveriesPerSecond(), r.p50(), r.p90(), r.p99(), r.p999(), r.max(), r.serverCpuMsPer1000(),
                r.toolCpuMsPer1000());
    }

    private static String between(String s, String start, String end) {
        int a = s.indexOf(start) + start.length();
        return s.substring(a, s.indexOf(end, a));
    }
}
