package org.redischat.fanout;

import java.util.concurrent.ThreadPoolExecutor;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.connection.Batch;

/**
 * The node's one fan-out thread: every event the subscriber client hears is handed to it and turned
 * into frames for the local sockets in the order it came. At most {@code chat.bus.fanout-queue}
 * events wait; past it the Redis listener waits for room (see {@link OrderedExecutor}).
 */
@ApplicationScoped
public class FanOutThread {

    @Inject
    @ConfigProperty(name = "chat.bus.fanout-queue", defaultValue = "50000")
    int capacity;

    /** Events of a backlog turned into frames before the sockets are pumped. */
    static final int FLUSH_EVERY = 64;

    private ThreadPoolExecutor thread;
    /** Events since the last flush; touched by the fan-out thread only. */
    private int sinceFlush;

    @PostConstruct
    void init() {
        thread = OrderedExecutor.singleThread("chat-fanout", capacity);
    }

    /**
     * Runs the event's task on the fan-out thread; the sockets it gave frames to are pumped when no
     * event waits behind it, or after {@link #FLUSH_EVERY} events of a backlog ({@link Batch}).
     */
    void execute(Runnable task) {
        thread.execute(() -> {
            Batch.open();
            try {
                task.run();
            } finally {
                if (++sinceFlush >= FLUSH_EVERY || thread.getQueue().isEmpty()) {
                    sinceFlush = 0;
                    Batch.flush();
                }
            }
        });
    }

    /** Events waiting for the fan-out thread. */
    int waiting() {
        return thread.getQueue().size();
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
