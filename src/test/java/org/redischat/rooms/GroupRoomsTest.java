package org.redischat.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class GroupRoomsTest {

    @Test
    void bindingsAreGroupEqualsRoomAndABadEntryIsLeftOut() {
        assertEquals(Map.of("staff", "staff", "/Engineering/Backend", "backend"),
                GroupRooms.parse(" staff=staff , /Engineering/Backend=Backend,"), "room names normalised; group names as the provider writes them");
        assertEquals(Map.of("a=b", "c"), GroupRooms.parse("a=b=c"), "a group name may hold '='; the room name cannot");
        assertEquals(Map.of(), GroupRooms.parse("noroom, =room, g=, g=not a room!, g=@amy:bob"));
        assertEquals(Map.of(), GroupRooms.parse(""));
    }
}
