package org.redischat.connection;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A node that is stopped (SIGTERM, undeploy) says it is not ready first, then closes its sockets
 * with 1001 spread over {@code chat.shutdown.drain-seconds}, so that its clients reconnect to the
 * other nodes a few at a time rather than all in the same second. Runs before any of the
 * application's beans is destroyed, so the sockets' last events and presence still work. Then it
 * waits, at most {@code chat.socket.close-grace-seconds}, for the peers to answer their close frames:
 * the container ends every connection once this returns, and a close frame still queued behind a
 * socket's last events would be lost with it (the client would see 1006, not 1001).
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class.getName());

    @Inject
    LocalSessions sessions;

    @Inject
    @ConfigProperty(name = "chat.shutdown.drain-seconds", defaultValue = "10")
    long drainSeconds;

    @Inject
    @ConfigProperty(name = "chat.socket.close-grace-seconds", defaultValue = "10")
    long closeGraceSeconds;

    private volatile boolean draining;

    /** True once the node is going away: readiness turns down. */
    public boolean draining() {
        return draining;
    }

    void stopping(@Observes @BeforeDestroyed(ApplicationScoped.class) Object shutdown) {
        draining = true;
        List<Connection> all = sessions.all();
        LOG.info("stopping: closing " + all.size() + " socket(s) over " + drainSeconds + " s");
        long start = System.nanoTime();
        long window = drainSeconds * 1_000_000_000L;
        for (int i = 0; i < all.size(); i++) {
            long due = start + (all.size() <= 1 ? 0 : window * i / all.size());
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            all.get(i).closeLater(CloseReason.CloseCodes.GOING_AWAY, "server stopping; reconnect");
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, closeGraceSeconds));
        int open = open(all);
        while (open > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            open = open(all);
        }
        if (open > 0) {
            LOG.info("stopping: " + open + " socket(s) did not answer their close in " + closeGraceSeconds + " s");
        }
    }

    private static int open(List<Connection> all) {
        int open = 0;
        for (Connection c : all) {
            if (!c.isGone()) {
                open++;
            }
        }
        return open;
    }
}
