package org.redischat.fanout;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.redischat.concurrent.Daemons;

/**
 * One thread that runs tasks in the order they came, with a bounded queue. When the queue is full the
 * caller waits for room instead of the queue growing without end: for the bus, the caller is the
 * Redis listener, so a node whose fan-out falls behind stops reading its subscription; its probes,
 * on the same connection, stop coming back, and the node replaces the subscriber and catches up from
 * Redis (the path a lost subscription already takes).
 */
final class OrderedExecutor {

    private OrderedExecutor() {
    }

    static ThreadPoolExecutor singleThread(String name, int capacity) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(capacity), Daemons.named(name),
                OrderedExecutor::waitForRoom);
    }

    /** The queue is full: the caller waits for room (nothing is dropped), unless the executor is stopping. */
    private static void waitForRoom(Runnable task, ThreadPoolExecutor executor) {
        if (executor.isShutdown()) {
            return; // the application is stopping: nothing more is delivered
        }
        try {
            executor.getQueue().put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
