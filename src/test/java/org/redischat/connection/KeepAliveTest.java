package org.redischat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.websocket.CloseReason;

import org.junit.jupiter.api.Test;
import org.redischat.wire.ServerFrame;

/**
 * The keep-alive's rules on a node's registry, with the clock passed in: an idle socket is pinged,
 * a silent one closed with 1001 and dropped, and one the server closed whose container never
 * reports the end (its peer reads nothing) is dropped after the close grace.
 */
class KeepAliveTest {

    private final List<String> presenceChanges = new ArrayList<>();
    private final LocalSessions sessions = TestSessions.create(presenceChanges::add);
    private final KeepAlive keepAlive = new KeepAlive();

    KeepAliveTest() {
        keepAlive.sessions = sessions;
        keepAlive.pingSeconds = 20;
        keepAlive.pongTimeoutSeconds = 20;
        keepAlive.closeGraceSeconds = 10;
    }

    private Connection open(String user, FakeSession s) {
        Connection c = sessions.open(user, "hash-" + user, s.session);
        c.welcome(new ServerFrame.Welcome(user, List.of()), Map.of());
        presenceChanges.clear(); // the open's own
        return c;
    }

    private static long after(long start, Duration d) {
        return start + d.toNanos();
    }

    @Test
    void aSocketClosedByTheServerLeavesTheRegistryAfterTheGraceEvenIfTheContainerNeverReportsIt() throws Exception {
        FakeSession slow = new FakeSession();
        Connection c = open("sly", slow);
        long start = System.nanoTime();
        c.closeLater(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too slow: outbound queue full");
        for (int i = 0; i < 100 && slow.closes.isEmpty(); i++) {
            Thread.sleep(10); // the close runs on the background executor
        }
        assertEquals(1013, slow.closes.get(0).getCloseCode().getCode());

        keepAlive.check(after(start, Duration.ofSeconds(9)));
        assertEquals(List.of(c), sessions.all(), "still counted within the grace");
        assertTrue(presenceChanges.isEmpty());

        keepAlive.check(after(start, Duration.ofSeconds(11)));
        assertEquals(List.of(), sessions.all());
        assertEquals(List.of("sly"), presenceChanges, "its user's presence is recomputed");
        assertTrue(c.isGone());
    }

    @Test
    void anIdleSocketIsPingedAndASilentOneClosedWithGoingAway() throws Exception {
        FakeSession quiet = new FakeSession();
        Connection c = open("quinn", quiet);
        long start = System.nanoTime();

        keepAlive.check(after(start, Duration.ofSeconds(21)));
        assertEquals(1, quiet.pings.size(), "pinged once idle for longer than ping-seconds");
        assertEquals(List.of(c), sessions.all());

        keepAlive.check(after(start, Duration.ofSeconds(41)));
        assertEquals(List.of(), sessions.all(), "dropped without waiting for the container");
        for (int i = 0; i < 100 && quiet.closes.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertEquals(1001, quiet.closes.get(0).getCloseCode().getCode());
    }
}
