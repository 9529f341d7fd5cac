package org.redischat.connection;

import java.util.List;
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
 * application's beans is destroyed, so the sockets' last events and presence still work.
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class.getName());

    @Inject
    LocalSessions sessions;

    @Inject
    @ConfigProperty(name = "chat.shutdown.drain-seconds", defaultValue = "10")
    long drainSeconds;

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
    }
}
