package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** A WebSocket client written from docs/PROTOCOL.md: frames in, JSON objects out, nothing else. */
public final class ChatClient implements WebSocket.Listener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonObject> frames = new LinkedList<>();
    /** Every text frame received, as it came, whether or not a test took it. */
    final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;
    /** True for a socket opened with {@link #openCounting}: frames are counted in {@link #counted}, not kept. */
    private boolean counting;
    final java.util.concurrent.atomic.AtomicInteger counted = new java.util.concurrent.atomic.AtomicInteger();
    /** The user the welcome named (null until then, and for a socket opened without waiting for it). */
    private String user;
    private volatile boolean paused;
    /** A read request withheld while paused. */
    private final java.util.concurrent.atomic.AtomicBoolean owed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Opens a socket with the token as query parameter and waits for {@code welcome}. */
    static ChatClient connect(URI base, String token) {
        ChatClient c = open(base, token);
        JsonObject w = c.next("welcome");
        assertNotNull(w);
        c.user = w.getString("user");
        return c;
    }

    /**
     * A socket that reads everything it is sent as it comes, like a browser, and keeps nothing but the
     * count of frames: an attacker in a load test, whose own parsing must not take the cores the
     * nodes and the measured clients need.
     */
    static ChatClient openCounting(URI base, String token) {
        ChatClient c = new ChatClient();
        c.counting = true;
        URI ws = URI.create(base.toString().replaceFirst("^http", "ws") + "ws?access_token=" + token);
        c.socket = HTTP.newWebSocketBuilder().buildAsync(ws, c).orTimeout(10, TimeUnit.SECONDS).join();
        return c;
    }

    static ChatClient open(URI base, String token) {
        ChatClient c = new ChatClient();
        URI ws = URI.create(base.toString().replaceFirst("^http", "ws") + "ws?access_token=" + token);
        c.socket = HTTP.newWebSocketBuilder().buildAsync(ws, c).orTimeout(10, TimeUnit.SECONDS).join();
        return c;
    }

    /** 101 when the upgrade succeeded, else the HTTP status of the refusal. */
    static int handshakeStatus(URI base, String path, String origin) throws Exception {
        var builder = HTTP.newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin);
        }
        try {
            var ws = builder.buildAsync(URI.create(base.toString().replaceFirst("^http", "ws") + path), new ChatClient())
                    .get(10, TimeUnit.SECONDS);
            ws.abort();
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            WebSocketHandshakeException h = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
            return h.getResponse().statusCode();
        }
    }

    String user() {
        return user;
    }

    WebSocket socket() {
        return socket;
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    /** The next frame, whatever its type; fails after the wait. */
    JsonObject next() {
        return await(f -> true);
    }

    /** The next frame, which must be of this type. */
    JsonObject next(String type) {
        JsonObject f = next();
        assertEquals(type, f.getString("type"), () -> "expected " + type + " but got " + f);
        return f;
    }

    /**
     * The first frame, in arrival order, that matches; the frames before it stay for later calls.
     * Fails after the wait.
     */
    JsonObject await(Predicate<JsonObject> match) {
        return await(match, WAIT);
    }

    JsonObject await(Predicate<JsonObject> match, Duration wait) {
        JsonObject f = poll(match, wait);
        if (f == null) {
            synchronized (frames) {
                return fail("no matching frame; waiting: " + frames);
            }
        }
        return f;
    }

    /** Like {@link #await(Predicate, Duration)}, but null after the wait. */
    JsonObject poll(Predicate<JsonObject> match, Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        synchronized (frames) {
            while (true) {
                for (var it = frames.iterator(); it.hasNext();) {
                    JsonObject f = it.next();
                    if (match.test(f)) {
                        it.remove();
                        return f;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    frames.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    JsonObject awaitType(String type) {
        return await(f -> type.equals(f.getString("type")));
    }

    /** Sends a frame and returns the answer of the given type (or an error); room events stay queued. */
    JsonObject request(String json, String answerType) {
        send(json);
        return await(f -> answerType.equals(f.getString("type")) || "error".equals(f.getString("type")));
    }

    /** Sends a join frame and returns its {@code joined}; an error answer fails the test, naming it. */
    JsonObject joined(String json) {
        JsonObject answer = request(json, "joined");
        assertEquals("joined", answer.getString("type"), "answer to " + json + ": " + answer);
        return answer;
    }

    /** Sends a message frame and returns the id its {@code ack} gives; an error answer fails the test, naming it. */
    long acked(String json) {
        JsonObject answer = request(json, "ack");
        assertEquals("ack", answer.getString("type"), "answer to " + json + ": " + answer);
        return answer.getJsonNumber("id").longValue();
    }

    JsonObject request(String json, String answerType, Duration wait) {
        send(json);
        return await(f -> answerType.equals(f.getString("type")) || "error".equals(f.getString("type")), wait);
    }

    /** True if no frame is waiting and none arrives for the given time. */
    boolean quiet(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        synchronized (frames) {
            return frames.isEmpty();
        }
    }

    /**
     * Waits for the first frame that matches and takes it together with every frame that arrived before it
     * (returned in arrival order, the match last). Fails after the wait.
     */
    List<JsonObject> takeThrough(Predicate<JsonObject> match) {
        long end = System.nanoTime() + WAIT.toNanos();
        synchronized (frames) {
            while (true) {
                for (int i = 0; i < frames.size(); i++) {
                    if (match.test(frames.get(i))) {
                        List<JsonObject> taken = new ArrayList<>(frames.subList(0, i + 1));
                        frames.subList(0, i + 1).clear();
                        return taken;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return fail("no matching frame; waiting: " + frames);
                }
                try {
                    frames.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Takes every frame waiting now. */
    List<JsonObject> drain() {
        synchronized (frames) {
            List<JsonObject> all = new ArrayList<>(frames);
            frames.clear();
            return all;
        }
    }

    /**
     * Stops reading, as a busy browser tab does: nothing more is taken from the connection (the
     * kernel's buffers fill, pings wait unanswered in them) until {@link #resume()}.
     */
    void pause() {
        paused = true;
    }

    /** Reads again, from where it stopped, answering the pings met on the way (as every client does). */
    void resume() {
        paused = false;
        if (owed.getAndSet(false)) {
            socket.request(1);
        }
    }

    /** Asks for the next message, unless paused (then the request waits for {@link #resume()}). */
    private void more(WebSocket ws) {
        owed.set(true);
        if (!paused && owed.getAndSet(false)) {
            ws.request(1);
        }
    }

    int awaitClose() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        if (counting) {
            if (last) {
                counted.incrementAndGet();
            }
            ws.request(1);
            return null;
        }
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            JsonObject f = Json.createReader(new StringReader(partial.toString())).readObject();
            synchronized (frames) {
                frames.add(f);
                frames.notifyAll();
            }
            partial.setLength(0);
        }
        more(ws);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        more(ws);
        return null;
    }

    /** The JDK's client answers the ping itself (a pong), as browsers do; this only reads on. */
    @Override
    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
        more(ws);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
        more(ws);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete(-1);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
