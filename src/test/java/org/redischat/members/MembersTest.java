package org.redischat.members;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.redischat.redis.TestRedis;

class MembersTest {

    private final Members members = new Members();

    MembersTest() {
        members.redis = TestRedis.client();
        members.channels = TestRedis.channels();
    }

    @Test
    void membershipIsKeptPerRoomAndPerUser() {
        String room = TestRedis.unique("r");
        String other = TestRedis.unique("r");
        String bob = TestRedis.unique("bob");
        String amy = TestRedis.unique("amy");
        assertTrue(members.add(room, bob).changed());
        assertFalse(members.add(room, bob).changed(), "a second join adds nothing");
        assertTrue(members.add(other, bob).changed());
        assertTrue(members.add(room, amy).changed());
        assertEquals(List.of(amy, bob), members.of(room));
        assertEquals(List.of(room, other).stream().sorted().toList(), members.roomsOf(bob));
        assertTrue(members.isMember(room, bob));

        assertTrue(members.remove(room, bob, "s-1").changed());
        assertFalse(members.remove(room, bob, "s-1").changed());
        assertFalse(members.isMember(room, bob));
        assertEquals(List.of(other), members.roomsOf(bob));
        assertEquals(List.of(amy), members.of(room));
    }
}
