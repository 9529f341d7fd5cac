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

    @Test
    void aUserInTheMostRoomsIsMadeAMemberOfNoOtherButStaysInTheirs() {
        members.maxRooms = 2;
        String dan = TestRedis.unique("dan");
        String a = TestRedis.unique("r");
        String b = TestRedis.unique("r");
        members.add(a, dan);
        members.add(b, dan);
        String c = TestRedis.unique("r");
        org.redischat.redis.RoomCap.Reached e = org.junit.jupiter.api.Assertions.assertThrows(
                org.redischat.redis.RoomCap.Reached.class, () -> members.add(c, dan));
        assertEquals(dan, e.user());
        assertFalse(members.isMember(c, dan), "nothing changed");
        assertFalse(members.add(a, dan).changed(), "one of his rooms is no new room");
        assertTrue(members.remove(a, dan, "s").changed());
        assertTrue(members.add(c, dan).changed(), "a room left makes room");
    }

    @Test
    void blocksAreKeptOnBothSidesAndBounded() {
        Blocks blocks = new Blocks();
        blocks.redis = TestRedis.client();
        blocks.maxPerUser = 2;
        String eve = TestRedis.unique("eve");
        String x = TestRedis.unique("x");
        String y = TestRedis.unique("y");
        assertTrue(blocks.set(eve, x, true));
        assertFalse(blocks.set(eve, x, true), "once");
        assertTrue(blocks.set(eve, y, true));
        org.junit.jupiter.api.Assertions.assertThrows(Blocks.FullException.class, () -> blocks.set(eve, TestRedis.unique("z"), true));
        assertTrue(blocks.blocks(eve, x));
        assertFalse(blocks.blocks(x, eve));
        assertEquals(new Blocks.Both(java.util.Set.of(x, y), java.util.Set.of()), blocks.of(eve));
        assertEquals(new Blocks.Both(java.util.Set.of(), java.util.Set.of(eve)), blocks.of(x));
        assertTrue(blocks.set(eve, x, false));
        assertEquals(java.util.Set.of(), blocks.of(x).blockedBy());
    }
}
