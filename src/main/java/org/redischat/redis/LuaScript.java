package org.redischat.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** A Lua script kept beside its class; run by SHA once Redis knows it (Redisson's script cache). */
public final class LuaScript {

    private final String source;

    private LuaScript(String source) {
        this.source = source;
    }

    public static LuaScript load(Class<?> owner, String name) {
        return new LuaScript(read(owner, name));
    }

    /**
     * A script that uses functions of a library kept in this package (such as {@code gcra.lua}):
     * Redis scripts cannot load one another, so the library's text comes first.
     */
    public static LuaScript load(Class<?> owner, String name, String library) {
        return new LuaScript(read(LuaScript.class, library) + "\n" + read(owner, name));
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
        return redis.getScript(StringCodec.INSTANCE)
                .eval((String) keys.get(0), RScript.Mode.READ_WRITE, source, RScript.ReturnType.LIST, keys, args);
    }

    public long runForNumber(RedissonClient redis, List<Object> keys, Object... args) {
        Long n = redis.getScript(StringCodec.INSTANCE)
                .eval((String) keys.get(0), RScript.Mode.READ_WRITE, source, RScript.ReturnType.LONG, keys, args);
        return n == null ? 0 : n;
    }
}
