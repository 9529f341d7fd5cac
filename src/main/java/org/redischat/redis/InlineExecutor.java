package org.redischat.redis;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs each task on the thread that hands it over. The bus's subscriber client gets one as its
 * executor ({@link RedissonProducer#newClient()}): Redisson then calls the room listeners on the I/O
 * thread that read the event, in the order the connection carried them, instead of queueing each
 * event (without bound) for a thread of its pool. So a listener that waits (the fan-out queue full)
 * stops the subscription's reads, as {@code chat.bus.fanout-queue} promises; the hand-off it saves
 * did not show as CPU saved (docs/BENCHMARKS.md). One per client, so that shutting one client's
 * executor down cannot stop the next subscriber's listeners.
 */
final class InlineExecutor extends AbstractExecutorService {

    private volatile boolean shutdown;

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
