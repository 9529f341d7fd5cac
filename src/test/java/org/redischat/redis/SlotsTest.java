package org.redischat.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SlotsTest {

    @Test
    void slotsAreRedisClustersCrc16OfTheHashTag() {
        assertEquals(0x31C3, Slots.crc16("123456789".getBytes()), "the CRC16/XMODEM check value");
        assertEquals(12182, Slots.of("foo"), "as CLUSTER KEYSLOT foo answers");
        assertEquals(Slots.of("room-1"), Slots.of("chat:{room-1}:events"), "a room's channel is in its keys' slot");
        assertEquals(Slots.of(Keys.log("general")), Slots.of(Keys.channel("general")));
        assertEquals(Slots.of("{}x"), Slots.of("{}x"), "an empty tag hashes the whole name");
    }
}
