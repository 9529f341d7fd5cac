package org.glassfish.tyrus.core;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

/**
 * A stand-in for Tyrus's class of this name in unit tests: {@code sendRawFrame} keeps the bytes and
 * returns a future (a {@code CompletableFuture}, as Tyrus's {@code TyrusFuture} is), completed at once
 * or when the test says.
 */
public class TyrusWebSocket {

    public final List<ByteBuffer> frames = new CopyOnWriteArrayList<>();
    public final List<CompletableFuture<Object>> pending = new CopyOnWriteArrayList<>();
    public volatile boolean completeAtOnce = true;

    public Future<Object> sendRawFrame(ByteBuffer data) {
        frames.add(data);
        CompletableFuture<Object> done = new CompletableFuture<>();
        if (completeAtOnce) {
            done.complete(null);
        } else {
            pending.add(done);
        }
        return done;
    }
}
