package org.redischat.connection;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Finds dead peers: a socket whose peer has sent nothing for {@code chat.socket.ping-seconds} is
 * pinged; one that still has sent nothing, not even the pong, {@code chat.socket.pong-timeout-seconds}
 * later is closed, so a client whose network vanished without a FIN goes offline for the others
 * instead of staying online for as long as the kernel's keep-alive. The pings also keep idle sockets
 * alive through proxies and load balancers that cut idle connections.
 */
@ApplicationScoped
public class KeepAlive {

    private static final Logger LOG = Logger.getLogger(KeepAlive.class.getName());

    @Inject
    LocalSessions sessions;

    @Inject
    @ConfigProperty(name = "chat.socket.ping-seconds", defaultValue = "20")
    long pingSeconds;

    @Inject
    @ConfigProperty(name = "chat.socket.pong-timeout-seconds", defaultValue = "20")
    long pongTimeoutSeconds;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chat-keepalive");
        t.setDaemon(true);
        return t;
    });

    void start(@Observes @Initialized(ApplicationScoped.class) Object boot) {
        if (pingSeconds > 0) {
            long every = Math.max(1, Math.min(pingSeconds, pongTimeoutSeconds) / 4);
            timer.scheduleWithFixedDelay(this::check, every, every, TimeUnit.SECONDS);
        }
    }

    void check() {
        long now = System.nanoTime();
        long ping = TimeUnit.SECONDS.toNanos(pingSeconds);
        long dead = ping + TimeUnit.SECONDS.toNanos(pongTimeoutSeconds);
        for (Connection c : sessions.all()) {
            try {
                long quiet = now - c.lastHeard();
                if (quiet > dead) {
                    // the close frame may never be read: the socket leaves this node's registry (and its
                    // user's presence) now, not when the container notices the connection is gone
                    c.closeLater(CloseReason.CloseCodes.GOING_AWAY, "no answer to ping");
                    sessions.close(c);
                } else if (quiet > ping) {
                    c.ping();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "keep-alive of socket " + c.id() + " failed", e);
            }
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
