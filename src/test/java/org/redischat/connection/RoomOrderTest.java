package org.redischat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The per-socket order of room events on its own: what it sends, holds, reads and refuses. */
class RoomOrderTest {

    private final List<String> sent = new ArrayList<>();
    private final List<String> fetched = new ArrayList<>();
    private final List<String> restarted = new ArrayList<>();
    private final RoomOrder order = new RoomOrder(new RoomOrder.Sink() {
        @Override
        public void send(OutFrame frame) {
            sent.add(frame.text());
        }

        @Override
        public void fetch(String room, long from, long to) {
            fetched.add(room + ":" + from + ".." + to);
        }

        @Override
        public void restarted(String room) {
            restarted.add(room);
        }
    });

    private static RoomOrder.Event message(String room, String epoch, long id) {
        return new RoomOrder.Event(room, epoch, id, OutFrame.of("m" + id));
    }

    private static RoomOrder.Event signal(String room, String frame) {
        return new RoomOrder.Event(room, null, 0, OutFrame.of(frame));
    }

    private void welcome(String room, long lastId, String epoch) {
        order.welcomed(Map.of(room, lastId), Map.of(room, epoch));
    }

    @Test
    void nothingGoesOutBeforeWelcomeThenOnlyWhatFollowsItsLastId() {
        order.offer(message("g", "e1", 4));
        order.offer(message("g", "e1", 5));
        assertEquals(List.of(), sent);
        welcome("g", 4, "e1");
        assertEquals(List.of("m5"), sent, "4 was already counted in the welcome");
    }

    @Test
    void messagesGoOnceInIdOrderAndOtherEventsAsTheyCome() {
        welcome("g", 0, "e1");
        order.offer(message("g", "e1", 1));
        order.offer(signal("g", "typing"));
        order.offer(message("g", "e1", 1));
        order.offer(message("g", "e1", 2));
        assertEquals(List.of("m1", "typing", "m2"), sent);
    }

    @Test
    void aGapHoldsTheRoomUntilTheMissingMessagesAreRead() {
        welcome("g", 1, "e1");
        order.offer(message("g", "e1", 4));
        order.offer(signal("g", "typing"));
        assertEquals(List.of("g:2..3"), fetched);
        assertEquals(List.of(), sent, "held while 2 and 3 are read");
        order.caughtUp("g", "e1", List.of(message("g", "e1", 2), message("g", "e1", 3)), 3);
        assertEquals(List.of("m2", "m3", "m4", "typing"), sent);
    }

    @Test
    void whatACatchUpDidNotFindWasTrimmedAwayAndTheRoomGoesOnAfterIt() {
        welcome("g", 1, "e1");
        order.offer(message("g", "e1", 5));
        order.caughtUp("g", "e1", List.of(message("g", "e1", 4)), 4); // 2 and 3 trimmed meanwhile
        assertEquals(List.of("m4", "m5"), sent);
        order.offer(message("g", "e1", 5)); // the room went on after 5: a copy of it is dropped, 6 follows
        order.offer(message("g", "e1", 6));
        assertEquals(List.of("m4", "m5", "m6"), sent);
    }

    @Test
    void idsOfAnotherEpochRestartTheSocketInsteadOfMixing() {
        welcome("g", 7, "e1");
        order.offer(message("g", "e2", 1));
        assertEquals(List.of("g"), restarted);
        assertEquals(List.of(), sent);
        assertFalse(order.joined("g", "e2", 1), "a rejoin into the new epoch is refused as well");
    }

    @Test
    void aJoinHoldsTheRoomUntilItsAnswerWentOut() {
        welcome("h", 0, "e0");
        order.joining("g");
        order.offer(message("g", "e1", 3));
        assertTrue(order.joined("g", "e1", 2));
        assertEquals(List.of(), sent, "the caller sends the answer, then releases");
        order.release("g");
        assertEquals(List.of("m3"), sent);
    }

    @Test
    void aHeadReadBeforeTheEpochWasLearnedSaysNothingALaterOneFindsGapsAndLosses() {
        long before = System.nanoTime();
        welcome("g", 3, "e1");
        order.compare("g", "e2", 9, before);
        assertEquals(List.of(), restarted, "read before this socket knew the room");
        order.compare("g", "e1", 5, System.nanoTime());
        assertEquals(List.of("g:4..5"), fetched);
        order.caughtUp("g", "e1", List.of(message("g", "e1", 4), message("g", "e1", 5)), 5);
        order.compare("g", "e2", 1, System.nanoTime());
        assertEquals(List.of("g"), restarted);
    }

    @Test
    void aRoomFollowedLateReadsWhatCameBeforeTheSubscription() {
        welcome("h", 0, "e0");
        order.startAt("g", "e1", 2, 5);
        order.offer(message("g", "e1", 6));
        assertEquals(List.of("g:3..5"), fetched);
        order.caughtUp("g", "e1", List.of(message("g", "e1", 3), message("g", "e1", 4), message("g", "e1", 5)), 5);
        assertEquals(List.of("m3", "m4", "m5", "m6"), sent);
    }

    @Test
    void membershipChangesApplyOnceAndNeverAnOlderAfterANewerEvenAfterForgetting() {
        assertTrue(order.advanceMembership("g", 2));
        assertFalse(order.advanceMembership("g", 2));
        order.forget("g");
        assertFalse(order.advanceMembership("g", 1), "a late copy of an older change");
        assertTrue(order.advanceMembership("g", 3));
        assertEquals(3, order.membershipVersion("g"));
    }

    @Test
    void anEventOfARoomTheSocketDoesNotFollowIsDroppedNotStarted() {
        welcome("h", 0, "e0");
        order.offer(message("p", "e1", 1));
        order.offer(signal("p", "typing"));
        assertEquals(List.of(), sent, "no cursor is made by an event");
        assertFalse(order.follows("p"));
    }

    @Test
    void aRefusedJoinDropsWhatWasHeldAndWhatWasStillOnItsWay() {
        welcome("h", 0, "e0");
        order.joining("p");
        order.offer(message("p", "e1", 3)); // arrived while the join's script ran
        order.forget("p"); // refused: the registry forgets the room
        order.release("p");
        order.offer(message("p", "e1", 4)); // the fan-out thread had the socket in the room's set already
        order.offer(signal("p", "typing"));
        assertEquals(List.of(), sent);
        assertEquals(List.of(), fetched);
    }

    @Test
    void eventsThatWaitedForTheWelcomeGoOnlyForTheRoomsItNames() {
        order.offer(message("p", "e1", 5)); // subscribed at open, then found not to be a member
        order.offer(message("g", "e1", 5));
        order.offer(signal("p", "typing"));
        welcome("g", 4, "e1");
        assertEquals(List.of("m5"), sent);
        assertFalse(order.follows("p"));
    }

    @Test
    void aRoomForgottenBeforeTheWelcomeLosesWhatWaitedForIt() {
        order.offer(message("g", "e1", 5));
        order.forget("g");
        welcome("g", 4, "e1"); // even if a stale list of rooms named it
        assertEquals(List.of(), sent);
    }
}
