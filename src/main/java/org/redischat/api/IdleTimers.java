package org.redischat.api;

import java.lang.reflect.Field;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tyrus, the WebSocket implementation of Payara, re-arms a session's idle timer for every frame
 * sent or received by scheduling a task on the server's managed scheduler — also when the session
 * has no idle timeout, where the task does nothing. Each such task captures and restores the
 * application's context on its way through the managed scheduler (a class-path scan for context
 * providers); at 10,000 deliveries a second that was most of the server's CPU (docs/BENCHMARKS.md).
 * Tyrus's server container gets a scheduler of its own kind instead, which every session it creates
 * takes: it drops those empty tasks (scheduled with no delay) and runs any other (a real idle
 * timeout, a heartbeat) on a plain daemon thread. Other containers are left alone.
 */
final class IdleTimers {

    private static final Logger LOG = Logger.getLogger(IdleTimers.class.getName());
    private static final ScheduledExecutorService SKIPPING = new Skipping();

    private IdleTimers() {
    }

    /**
     * Gives the Tyrus server container the skipping scheduler in place of the managed one, so the
     * sessions it creates use it from their first moment (a Tyrus session arms its idle timer in its
     * constructor already). Does nothing elsewhere.
     */
    static void install(Object container) {
        for (Class<?> c = container == null ? null : container.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("org.glassfish.tyrus.core.BaseContainer")) {
                try {
                    Field f = c.getDeclaredField("managedScheduledExecutorService");
                    f.setAccessible(true);
                    if (f.get(container) instanceof ScheduledExecutorService) {
                        f.set(container, SKIPPING);
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    LOG.log(Level.INFO, "Tyrus's container scheduler left as it is", e);
                }
                return;
            }
        }
    }

    /** Runs what is scheduled with a delay; drops what is scheduled to run at once (the empty re-arms). */
    private static final class Skipping extends ScheduledThreadPoolExecutor {

        Skipping() {
            super(1, r -> {
                Thread t = new Thread(r, "chat-socket-timers");
                t.setDaemon(true);
                return t;
            });
            setRemoveOnCancelPolicy(true);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return delay <= 0 ? Done.INSTANCE : super.schedule(command, delay, unit);
        }
    }

    /** A task that is over before it began. */
    private static final class Done implements ScheduledFuture<Object> {
        static final Done INSTANCE = new Done();

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
