package org.redischat.tyrus;

import java.lang.reflect.Field;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;

import org.eclipse.microprofile.config.ConfigProvider;

import org.redischat.concurrent.Daemons;

/**
 * One of the two container-specific parts of this server (see the package), for Tyrus (the WebSocket
 * implementation of Payara): its idle timers.
 *
 * <p>Tyrus re-arms a session's idle timer for every frame sent or received by scheduling a task on
 * the server's managed scheduler, also when the session has no idle timeout, where the task does
 * nothing. Each such task captures and restores the application's context on its way through the
 * managed scheduler (a class-path scan for context providers); at 10,000 deliveries a second that was
 * most of the server's CPU (docs/BENCHMARKS.md). At start-up Tyrus's server container is given a
 * scheduler of its own kind instead, which every session it creates takes: it drops those empty tasks
 * (scheduled with no delay) and runs any other (a real idle timeout, a heartbeat) on one daemon
 * thread. The container's field is found by reflection ({@code BaseContainer.managedScheduledExecutorService},
 * Tyrus 2.x).
 *
 * <p>{@code chat.tyrus.idle-timer-patch=false} leaves Tyrus alone. On undeploy the container gets its
 * scheduler back and the patch's thread ends. Other containers (WildFly's Undertow) are left alone.
 * {@link #state()} says what happened; the liveness check shows it, and the tests assert it, so a
 * Tyrus upgrade that renames the field is noticed instead of silently costing the CPU again.
 */
@WebListener
public class TyrusIdleTimerPatch implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(TyrusIdleTimerPatch.class.getName());
    static final String CONTAINER = "org.glassfish.tyrus.core.BaseContainer";
    static final String FIELD = "managedScheduledExecutorService";

    /** What the patch did at start-up. */
    public enum State {
        /** Tyrus's container takes the skipping scheduler. */
        INSTALLED,
        /** Turned off by {@code chat.tyrus.idle-timer-patch=false}. */
        OFF,
        /** The container is not Tyrus: nothing to patch. */
        NOT_TYRUS,
        /** Tyrus, but its field was not found or not accepted: the patch does not work with this version. */
        REFUSED,
        /** Not started yet, or undeployed. */
        NONE
    }

    private static volatile State state = State.NONE;
    private Field field;
    private Object container;
    private Object original;
    private Skipping skipping;

    /** What the patch did at start-up. */
    public static State state() {
        return state;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        boolean on = ConfigProvider.getConfig().getOptionalValue("chat.tyrus.idle-timer-patch", Boolean.class)
                .orElse(true);
        state = on ? install(event.getServletContext().getAttribute(ServerContainer.class.getName())) : State.OFF;
        LOG.info("Tyrus idle-timer patch: " + state);
    }

    /**
     * Gives the Tyrus server container the skipping scheduler in place of the managed one, so the
     * sessions it creates use it from their first moment (a Tyrus session arms its idle timer in its
     * constructor already).
     */
    State install(Object serverContainer) {
        for (Class<?> c = serverContainer == null ? null : serverContainer.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(CONTAINER)) {
                try {
                    Field f = c.getDeclaredField(FIELD);
                    f.setAccessible(true);
                    Object before = f.get(serverContainer);
                    if (!(before instanceof ScheduledExecutorService)) {
                        return State.REFUSED;
                    }
                    Skipping s = new Skipping();
                    f.set(serverContainer, s);
                    field = f;
                    container = serverContainer;
                    original = before;
                    skipping = s;
                    return State.INSTALLED;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    LOG.log(Level.WARNING, "Tyrus's container scheduler could not be replaced", e);
                    return State.REFUSED;
                }
            }
        }
        return State.NOT_TYRUS;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        uninstall();
    }

    /** Gives the container its own scheduler back and ends the patch's thread. */
    void uninstall() {
        if (skipping != null) {
            try {
                field.set(container, original);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.FINE, "Tyrus's container scheduler not restored", e);
            }
            skipping.shutdownNow();
            skipping = null;
        }
        state = State.NONE;
    }

    /** Runs what is scheduled with a delay; drops what is scheduled to run at once (the empty re-arms). */
    static final class Skipping extends ScheduledThreadPoolExecutor {

        Skipping() {
            super(1, Daemons.named("chat-socket-timers"));
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
