package org.redischat.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import java.time.Duration;

import org.redischat.concurrent.Failures;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisNoScriptException;
import org.redisson.client.codec.StringCodec;

/**
 * A Lua script kept beside its class, run by its SHA-1 (EVALSHA); when Redis does not know it yet
 * (first use, or Redis restarted empty) it is sent once in full (EVAL, which also caches it).
 * Redisson's own script cache does the same, but copies every call's arguments for that fallback.
 */
public final class LuaScript {

    private final String source;
    private final String sha;

    private LuaScript(String source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A script from its text (tests). */
    static LuaScript of(String source) {
        return new LuaScript(source);
    }

    public static LuaScript load(Class<?> owner, String name) {
        return new LuaScript(read(owner, name));
    }

    /**
     * A script that uses functions of libraries kept in this package (such as {@code gcra.lua}), or named
     * from the root of the class path (starting with {@code /}):
     * Redis scripts cannot load one another, so the library's text comes first. A {@code .json} library
     * becomes a function named by its file in capitals that builds it as a Lua table ({@code rights.json}:
     * {@code RIGHTS()}), so that a call that does not need it does not pay for building it.
     */
    public static LuaScript load(Class<?> owner, String name, String... libraries) {
        return new LuaScript(libraries(libraries) + read(owner, name));
    }

    /** The text of these libraries, in order, as {@link #load} puts it before a script. */
    static String libraries(String... libraries) {
        StringBuilder source = new StringBuilder();
        for (String library : libraries) {
            String text = read(LuaScript.class, library); // a name starting with / is absolute
            if (library.endsWith(".json")) {
                String file = library.substring(library.lastIndexOf('/') + 1, library.length() - 5);
                text = "local function " + file.toUpperCase(java.util.Locale.ROOT) + "() return " + luaTable(text) + " end";
            }
            source.append(text).append('\n');
        }
        return source.toString();
    }

    /** A JSON document as a Lua table constructor (objects by key, arrays in order, no nulls). */
    static String luaTable(String json) {
        try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(json))) {
            return lua(reader.readValue());
        }
    }

    private static String lua(jakarta.json.JsonValue v) {
        return switch (v.getValueType()) {
            case OBJECT -> v.asJsonObject().entrySet().stream()
                    .map(e -> "[" + quoted(e.getKey()) + "] = " + lua(e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
            case ARRAY -> v.asJsonArray().stream().map(LuaScript::lua).collect(java.util.stream.Collectors.joining(", ", "{", "}"));
            case STRING -> quoted(((jakarta.json.JsonString) v).getString());
            case NUMBER -> v.toString();
            case TRUE -> "true";
            case FALSE -> "false";
            case NULL -> "nil";
        };
    }

    private static String quoted(String s) {
        StringBuilder q = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            if (c == '\'' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20) {
                q.append(String.format("\\%03d", (int) c));
            } else {
                q.append(c);
            }
        }
        return q.append('\'').toString();
    }

    private static String read(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("script " + name + " missing beside " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String source() {
        return source;
    }

    public List<Object> run(RedissonClient redis, List<Object> keys, Object... args) {
        return call(redis, RScript.ReturnType.LIST, keys, args);
    }

    /**
     * As {@link #run}, without waiting: the answer completes on Redisson's threads (callbacks on it
     * must not block). The script is sent by its SHA and, if Redis does not know it yet, in full.
     */
    public CompletableFuture<List<Object>> runAsync(RedissonClient redis, List<Object> keys, Object... args) {
        RScript script = redis.getScript(StringCodec.INSTANCE);
        String key = (String) keys.get(0);
        return script.<List<Object>>evalShaAsync(key, RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST, keys, args)
                .toCompletableFuture()
                .exceptionallyCompose(e -> noScript(e)
                        ? script.<List<Object>>evalAsync(key, RScript.Mode.READ_WRITE, source, RScript.ReturnType.LIST, keys, args)
                                .toCompletableFuture()
                        : CompletableFuture.failedFuture(e));
    }

    /**
     * Runs the script and then Redis {@code WAIT}s, in one round trip, until {@code replicas} replicas
     * hold what it wrote or {@code timeoutMillis} passed; completes on Redisson's threads, as {@link #runAsync}.
     */
    public CompletableFuture<Replicated> runReplicatedAsync(RedissonClient redis, int replicas, long timeoutMillis,
            List<Object> keys, Object... args) {
        String key = (String) keys.get(0);
        return batchAsync(redis, replicas, timeoutMillis, s -> s.evalShaAsync(key, RScript.Mode.READ_WRITE, sha,
                RScript.ReturnType.LIST, keys, args))
                .exceptionallyCompose(e -> noScript(e)
                        ? batchAsync(redis, replicas, timeoutMillis, s -> s.evalAsync(key, RScript.Mode.READ_WRITE, source,
                                RScript.ReturnType.LIST, keys, args))
                        : CompletableFuture.failedFuture(e));
    }

    private static CompletableFuture<Replicated> batchAsync(RedissonClient redis, int replicas, long timeoutMillis,
            java.util.function.Function<org.redisson.api.RScriptAsync, RFuture<List<Object>>> call) {
        RBatch batch = redis.createBatch(BatchOptions.defaults().sync(replicas, Duration.ofMillis(timeoutMillis)));
        CompletableFuture<List<Object>> result = call.apply(batch.getScript(StringCodec.INSTANCE)).toCompletableFuture();
        return batch.executeAsync().toCompletableFuture()
                .thenCombine(result, (done, answer) -> new Replicated(answer, done.getSyncedSlaves()));
    }

    private static boolean noScript(Throwable e) {
        Throwable cause = Failures.cause(e);
        return cause instanceof RedisNoScriptException || String.valueOf(cause.getMessage()).contains("NOSCRIPT");
    }

    /** The script's answer and how many replicas held its writes within the wait. */
    public record Replicated(List<Object> result, int replicas) {
    }

    public long runForNumber(RedissonClient redis, List<Object> keys, Object... args) {
        Long n = call(redis, RScript.ReturnType.LONG, keys, args);
        return n == null ? 0 : n;
    }

    private <R> R call(RedissonClient redis, RScript.ReturnType type, List<Object> keys, Object... args) {
        RScript script = redis.getScript(StringCodec.INSTANCE);
        String key = (String) keys.get(0);
        try {
            return script.evalSha(key, RScript.Mode.READ_WRITE, sha, type, keys, args);
        } catch (RedisNoScriptException e) {
            return script.eval(key, RScript.Mode.READ_WRITE, source, type, keys, args);
        }
    }
}
