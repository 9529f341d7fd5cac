package org.redischat.fanout;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.concurrent.Daemons;
import org.redischat.connection.Catchup;
import org.redischat.connection.Connection;
import org.redischat.history.MessageLog;
import org.redischat.metrics.Metrics;
import org.redischat.wire.Message;

/**
 * Reads from Redis the messages a socket missed (a gap in what the bus brought, or a room it started
 * following late), off the fan-out thread. A read that fails is tried once more after 500 ms; then the
 * socket is closed rather than left with a gap.
 */
@ApplicationScoped
public class CatchUpReader implements Catchup {

    private static final Logger LOG = Logger.getLogger(CatchUpReader.class.getName());
    private static final int ATTEMPTS = 2;
    private static final long RETRY_MILLIS = 500;

    @Inject
    MessageLog log;

    @Inject
    Metrics metrics;

    /** At most 16 reads at once: a burst of gaps queues here instead of opening a thread each. */
    private final ExecutorService readers = Executors.newFixedThreadPool(16, Daemons.named("chat-catchup"));

    @Override
    public void fetch(Connection c, String room, long from, long to) {
        String epoch = c.epochOf(room);
        metrics.caughtUp();
        readers.execute(() -> {
            List<Message> missing = null;
            for (int attempt = 1; missing == null && attempt <= ATTEMPTS; attempt++) {
                try {
                    missing = log.range(room, from, to);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "catch-up of room " + room + " failed (attempt " + attempt + ")", e);
                    if (attempt < ATTEMPTS) {
                        pause(RETRY_MILLIS);
                    }
                }
            }
            if (missing == null) {
                c.catchUpFailed(room);
            } else {
                c.caughtUp(room, epoch, missing, to);
            }
        });
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        readers.shutdownNow();
    }
}
