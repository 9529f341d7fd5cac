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

import org.redischat.concurrent.Daemons;

/**
 * Finds dead peers: a socket whose peer has sent nothing for {@code chat.socket.ping-seconds} is
 * pinged; one that still has sent nothing, not even the pong, {@code chat.socket.pong-timeout-seconds}
 * later is closed, so a client whose network vanished without a FIN goes offline for the others
 * instead of staying online for as long as the kernel's keep-alive. The pings also keep idle sockets
 * alive through proxies and load balancers that cut idle connections.
 *
 * <p>A socket the server closes (1013, 1012, 1001, ...) gets {@code chat.socket.close-grace-seconds}
 * to read up to its close frame and answer it; if the container has not reported the end of the
 * connection by then, the socket leaves the registry and its user's presence, and the connection is
 * ended.
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

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Daemons.named("chat-keepalive"));

    @Inject
    @ConfigProperty(name = "chat.socket.close-grace-seconds", defaultValue = "10")
    long closeGraceSeconds;

    void start(@Observes @Initialized(ApplicationScoped.class) Object boot) {
        long shortest = Math.min(pingSeconds > 0 ? Math.min(pingSeconds, pongTimeoutSeconds) : Long.MAX_VALUE,
                closeGraceSeconds > 0 ? closeGraceSeconds : Long.MAX_VALUE);
        if (shortest != Long.MAX_VALUE) {
            long every = Math.max(1, shortest / 4);
            timer.scheduleWithFixedDelay(this::check, every, every, TimeUnit.SECONDS);
        }
    }

    void check() {
        check(System.nanoTime());
    }

    void check(long now) {
        long ping = TimeUnit.SECONDS.toNanos(pingSeconds);
        long dead = ping + TimeUnit.SECONDS.toNanos(pongTimeoutSeconds);
        long grace = TimeUnit.SECONDS.toNanos(closeGraceSeconds);
        for (Connection c : sessions.all()) {
            try {
                long quiet = now - c.lastHeard();
                if (grace > 0 && c.closingLongerThan(grace, now)) {
                    // closed by the server (1013, 1012, ...) and the peer has not answered the close
                    // frame within the grace: it is not reading; it stops counting, and the connection ends
                    sessions.close(c);
                    c.abort(CloseReason.CloseCodes.GOING_AWAY, "no answer to the close");
                } else if (ping > 0 && quiet > dead) {
                    // a peer that answers nothing will not answer a close either: the socket leaves this
                    // node's registry (and its user's presence) now, and its connection ends
                    sessions.close(c);
                    c.abort(CloseReason.CloseCodes.GOING_AWAY, "no answer to ping");
                } else if (ping > 0 && quiet > ping) {
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
