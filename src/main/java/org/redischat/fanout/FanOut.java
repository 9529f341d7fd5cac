package org.redischat.fanout;

import java.util.concurrent.ThreadPoolExecutor;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node's one fan-out thread: every event the subscriber client hears is handed to it and turned
 * into frames for the local sockets in the order it came. At most {@code chat.bus.fanout-queue}
 * events wait; past it the Redis listener waits for room (see {@link OrderedExecutor}).
 */
@ApplicationScoped
public class FanOut {

    @Inject
    @ConfigProperty(name = "chat.bus.fanout-queue", defaultValue = "50000")
    int capacity;

    private ThreadPoolExecutor thread;

    @PostConstruct
    void init() {
        thread = OrderedExecutor.singleThread("chat-fanout", capacity);
    }

    void execute(Runnable task) {
        thread.execute(task);
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
