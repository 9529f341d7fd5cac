package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** A WebSocket client written from PROTOCOL.md: frames in, JSON objects out, nothing else. */
public final class ChatClient implements WebSocket.Listener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    /** Opens a socket with the token as query parameter and waits for {@code welcome}. */
    static ChatClient connect(URI base, String token) {
        ChatClient c = open(base, token);
        JsonObject w = c.next("welcome");
        assertNotNull(w);
        return c;
    }

    static ChatClient open(URI base, String token) {
        ChatClient c = new ChatClient();
        URI ws = URI.create(base.toString().replaceFirst("^http", "ws") + "ws?access_token=" + token);
        c.socket = HTTP.newWebSocketBuilder().buildAsync(ws, c).orTimeout(10, TimeUnit.SECONDS).join();
        return c;
    }

    WebSocket socket() {
        return socket;
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    /** The next frame, whatever its type; fails after the wait. */
    JsonObject next() {
        try {
            JsonObject f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                fail("no frame within " + WAIT);
            }
            return f;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next frame, which must be of this type. */
    JsonObject next(String type) {
        JsonObject f = next();
        assertEquals(type, f.getString("type"), () -> "expected " + type + " but got " + f);
        return f;
    }

    /** Skips frames until one matches; fails after the wait. */
    JsonObject await(Predicate<JsonObject> match) {
        long end = System.nanoTime() + WAIT.toNanos();
        List<JsonObject> skipped = new ArrayList<>();
        while (System.nanoTime() < end) {
            try {
                JsonObject f = frames.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (f != null && match.test(f)) {
                    return f;
                }
                if (f != null) {
                    skipped.add(f);
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return fail("no matching frame; skipped " + skipped);
    }

    JsonObject awaitType(String type) {
        return await(f -> type.equals(f.getString("type")));
    }

    /** Sends a frame and returns the answer of the given type, skipping room events. */
    JsonObject request(String json, String answerType) {
        send(json);
        return await(f -> answerType.equals(f.getString("type")) || "error".equals(f.getString("type")));
    }

    /** True if no frame arrives for the given time. */
    boolean quiet(Duration d) {
        try {
            JsonObject f = frames.poll(d.toMillis(), TimeUnit.MILLISECONDS);
            if (f != null) {
                frames.add(f);
            }
            return f == null;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    List<JsonObject> drain() {
        List<JsonObject> all = new ArrayList<>();
        frames.drainTo(all);
        return all;
    }

    int awaitClose() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(Json.createReader(new StringReader(partial.toString())).readObject());
            partial.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        ws.request(1);
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
