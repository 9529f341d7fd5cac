package org.redischat.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.redischat.connection.Connection;
import org.redischat.connection.FakeSession;
import org.redischat.connection.LocalSessions;
import org.redischat.connection.TestSessions;
import org.redischat.history.Changes;
import org.redischat.history.MessageLog;
import org.redischat.wire.Message;
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
    /** The epoch and newest change number the stub's heads report. */
    private volatile String epoch = "e2";
    private final AtomicLong change = new AtomicLong();
    private final List<Long> changesReadAfter = new CopyOnWriteArrayList<>();

    ResyncTest() {
        resync.sessions = sessions;
        resync.log = new MessageLog() {
            @Override
            public Map<String, Head> heads(Collection<String> rooms, String user) {
                return Map.of("g", new Head(3, epoch, 0, true, 1, 0, change.get(), 0));
            }
        };
        resync.changes = new Changes() {
            @Override
            public Page after(String room, long after, int limit) {
                changesReadAfter.add(after);
                return new Page(List.of(new Message("g", 2, "bob", "edited", 1, 5L, null, null, change.get(), null, null, null)), change.get(), false);
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

    private void compare() {
        resync.read(1);
        resync.probesPassed(Map.of("p1", 1L), List.of("p1"));
    }

    @Test
    void changesASubscriptionMissedAreReadAndSentAsChangedFrames() throws Exception {
        epoch = "e1";
        change.set(4);
        compare(); // the first comparison only learns where the room's changes stand
        resync.changeSeen("g", 5); // passed on live
        change.set(5);
        compare();
        Thread.sleep(200);
        assertEquals(List.of(), changesReadAfter, "nothing missed: nothing read");

        change.set(7); // two changes the subscription never brought
        compare();
        for (int i = 0; i < 100 && amy.sent.stream().noneMatch(f -> f.contains("\"changed\"")); i++) {
            Thread.sleep(10);
        }
        assertEquals(List.of(5L), changesReadAfter);
        String frame = amy.sent.stream().filter(f -> f.contains("\"changed\"")).findFirst().orElseThrow();
        assertTrue(frame.contains("\"text\":\"edited\"") && frame.contains("\"change\":7"), frame);
        Thread.sleep(200); // the reader records how far it read just after sending (a clean run once compared before that)
        compare();
        Thread.sleep(200);
        assertEquals(List.of(5L), changesReadAfter, "caught up: not read again");
        assertEquals(0, amy.closes.size());
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
