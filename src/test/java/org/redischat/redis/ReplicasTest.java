package org.redischat.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.redischat.metrics.Metrics;

/**
 * What an ack waits for when a master has fewer replicas in sync than asked (the Redis side, a real
 * failover, is ClusterIT's and SentinelIT's): by default the chat keeps taking messages, counted.
 */
class ReplicasTest {

    private static final String ROOM_A = "chat:{a}:log";
    private static final String ROOM_B = "chat:{b}:log";

    private static Replicas replicas(boolean required) {
        Replicas r = new Replicas();
        r.setting = "1";
        r.required = required;
        r.metrics = new Metrics();
        return r;
    }

    private static boolean counted(Replicas r) {
        return r.metrics.prometheus().contains("chat_acks_unreplicated_total 1");
    }

    @Test
    void aMasterWithoutReplicasGetsItsMessagesAckedCountedAndNoLongerWaitedFor() {
        Replicas r = replicas(false);
        assertEquals(1, r.waitFor(ROOM_A), "nothing known yet: wait for the one asked");
        assertTrue(r.acked(ROOM_A, 0, 0, "m1"), "no replica in sync when it was stored: acked");
        assertTrue(counted(r), "and counted");
        assertEquals(0, r.waitFor(ROOM_A), "the next send of that master waits for nothing (no WAIT timeout paid)");

        r.acked(ROOM_A, 0, 1, "m1"); // a send that did not wait learns that a replica is in sync again
        assertEquals(1, r.waitFor(ROOM_A), "its sends wait for it again");
    }

    @Test
    void aReplicaInSyncThatDidNotConfirmInTimeRefusesTheAck() {
        Replicas r = replicas(false);
        assertFalse(r.acked(ROOM_A, 0, 1, "m1"));
        assertTrue(r.acked(ROOM_A, 1, 1, "m1"));
        assertFalse(r.acked(ROOM_A, 0, -1, "m1"), "unknown (INFO refused): the strict rule");
        assertFalse(counted(r));
    }

    @Test
    void aFailoverSeenOnOneSlotMovesTheOtherSlotsOfThatMasterToo() {
        Replicas r = replicas(false);
        r.acked(ROOM_A, 1, 1, "old");
        r.acked(ROOM_B, 1, 1, "old");
        assertEquals(1, r.waitFor(ROOM_B));
        r.acked(ROOM_A, 0, 0, "promoted"); // the replica took over, without a replica of its own
        assertEquals(0, r.waitFor(ROOM_B), "room B's slot followed its master's successor");
    }

    @Test
    void requiredReplicasRefuseTheAckAndAreAlwaysWaitedFor() {
        Replicas r = replicas(true);
        assertFalse(r.acked(ROOM_A, 0, 0, "m1"));
        assertEquals(1, r.waitFor(ROOM_A));
        assertFalse(counted(r));
    }
}
