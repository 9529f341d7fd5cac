package org.redischat.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.redischat.connection.Connection;
import org.redischat.connection.FakeSession;
import org.redischat.connection.LocalSessions;
import org.redischat.connection.TestSessions;
import org.redischat.history.MessageLog;
import org.redischat.wire.ServerFrame;

/**
 * The periodic comparison waits for the probes: heads read before they all passed are not compared,
 * because messages published before the read may still be on their way to the sockets.
 */
class ResyncTest {

    private final LocalSessions sessions = TestSessions.create(user -> {
    });
    private final FakeSession amy = new FakeSession();
    private final Resync resync = new Resync();

    ResyncTest() {
        resync.sessions = sessions;
        resync.log = new MessageLog() {
            @Override
            public Map<String, Head> heads(Collection<String> rooms, String user) {
                return Map.of("g", new Head(5, "e2", 0, true, 1, 0)); // the room's history began anew
            }
        };
        Connection c = sessions.open("amy", "hash", amy.session);
        c.welcome(new ServerFrame.Welcome("amy", List.of(new ServerFrame.RoomState("g", 3, 0))), Map.of("g", "e1"));
        sessions.subscribe(c, "g");
    }

    private int closes() throws InterruptedException {
        for (int i = 0; i < 50 && amy.closes.isEmpty(); i++) {
            Thread.sleep(10);
        }
        return amy.closes.size();
    }

    @Test
    void headsAreComparedOnlyOnceTheProbeSentAfterTheReadPassedEveryChannel() throws Exception {
        resync.read(7);
        resync.probesPassed(Map.of("p1", 7L), List.of("p1", "p2"));
        resync.probesPassed(Map.of("p1", 7L, "p2", 6L), List.of("p1", "p2"));
        assertEquals(0, closes(), "p2 has not passed probe 7 yet");
        resync.probesPassed(Map.of("p1", 7L, "p2", 7L), List.of("p1", "p2"));
        assertEquals(1, closes());
        assertEquals(1012, amy.closes.get(0).getCloseCode().getCode(), "another epoch: the socket restarts");
    }
}
