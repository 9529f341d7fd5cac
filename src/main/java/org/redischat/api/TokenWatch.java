package org.redischat.api;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.redischat.accounts.Tokens;
import org.redischat.concurrent.Daemons;
import org.redischat.connection.Connection;
import org.redischat.connection.LocalSessions;

/**
 * A socket does not outlive its token. Sign-out closes the token's sockets at once (a revocation on
 * the node channel); a token that expires, or disappears with Redis's data, is found by this check:
 * every {@code chat.socket.token-check-seconds} a node asks Redis, in one round trip, which of its
 * sockets' tokens still exist, and closes the sockets of a token still missing {@link #CONFIRM} after
 * it was first found missing with 1008: 20–40 s after the token ended, at the default period. The
 * wait lets the room's 1012 come first when the token vanished with all of Redis's data (the protocol
 * closes a room's sockets with 1012 within 20 s of such a loss). If Redis cannot be asked, nothing is
 * closed; the next check asks again.
 */
@ApplicationScoped
public class TokenWatch {

    private static final Logger LOG = Logger.getLogger(TokenWatch.class.getName());

    @Inject
    LocalSessions sessions;

    @Inject
    Tokens tokens;

    @Inject
    @ConfigProperty(name = "chat.socket.token-check-seconds", defaultValue = "10")
    long checkSeconds;

    /** How long a token must have been missing before its sockets are closed. */
    static final Duration CONFIRM = Duration.ofSeconds(20);

    /** Token hashes found missing, with when they were first found so (System.nanoTime). */
    private final Map<String, Long> missingSince = new HashMap<>();

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Daemons.named("chat-token-watch"));

    void start(@Observes @Initialized(ApplicationScoped.class) Object boot) {
        if (checkSeconds > 0) {
            timer.scheduleWithFixedDelay(this::check, checkSeconds, checkSeconds, TimeUnit.SECONDS);
        }
    }

    void check() {
        try {
            List<Connection> open = sessions.all();
            Set<String> hashes = new HashSet<>();
            open.forEach(c -> hashes.add(c.tokenHash()));
            Set<String> ended = ended(tokens.missing(hashes), System.nanoTime());
            for (Connection c : open) {
                if (ended.contains(c.tokenHash())) {
                    c.closeLater(CloseReason.CloseCodes.VIOLATED_POLICY, "token expired");
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "token check failed; the next one asks again", e);
        }
    }

    /** Of the hashes missing now, those missing for at least {@link #CONFIRM}; forgets the others. */
    Set<String> ended(Set<String> missingNow, long now) {
        missingSince.keySet().retainAll(missingNow);
        Set<String> ended = new HashSet<>();
        for (String h : missingNow) {
            long since = missingSince.computeIfAbsent(h, k -> now);
            if (now - since >= CONFIRM.toNanos()) {
                ended.add(h);
            }
        }
        return ended;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
