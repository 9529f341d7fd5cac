package org.redischat.connection;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

/**
 * One socket's outbound frames: a bounded queue drained by one asynchronous send at a time, so a
 * slow socket only fills its own queue. Past the bound, {@code overflow} is called once.
 */
final class Outbox {

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final Session session;
    private final long maxChars;
    private final Consumer<Outbox> overflow;
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedChars = new AtomicLong();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private volatile Thread pumping;

    Outbox(Session session, long maxChars, Consumer<Outbox> overflow) {
        this.session = session;
        this.maxChars = maxChars;
        this.overflow = overflow;
    }

    /** Queues a frame; {@link #pump()} sends it. Safe to call under a lock: it never writes. */
    void enqueue(String frame) {
        if (overflowed.get()) {
            return;
        }
        if (queuedChars.addAndGet(frame.length()) > maxChars) {
            if (overflowed.compareAndSet(false, true)) {
                queue.clear();
                overflow.accept(this);
            }
            return;
        }
        queue.add(frame);
    }

    /** Starts sending queued frames, if no send is under way. Never call it under a lock. */
    void pump() {
        if (pumping == Thread.currentThread()) {
            return; // a send completed inside our own sendText: the loop below goes on
        }
        while (!overflowed.get() && sending.compareAndSet(false, true)) {
            String next = queue.poll();
            if (next == null) {
                sending.set(false);
                if (queue.isEmpty()) {
                    return;
                }
                continue;
            }
            Thread thread = Thread.currentThread();
            ClassLoader context = thread.getContextClassLoader();
            pumping = thread;
            // Tyrus re-arms the socket's idle timer on every send through Payara's managed scheduler,
            // whose context capture looks up service files with the thread's context class loader;
            // with the application's loader that scan of every jar in the WAR was half the CPU of
            // fan-out (JFR; docs/BENCHMARKS.md). The send itself needs no application context.
            thread.setContextClassLoader(PLATFORM);
            try {
                session.getAsyncRemote().sendText(next, result -> sent(next, result));
            } catch (RuntimeException e) {
                // the socket is closing; its close handler unregisters it
                sending.set(false);
                return;
            } finally {
                thread.setContextClassLoader(context);
                pumping = null;
            }
        }
    }

    private void sent(String frame, SendResult result) {
        queuedChars.addAndGet(-frame.length());
        sending.set(false);
        if (result.isOK()) {
            pump();
        }
    }
}
