package org.redischat.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

class KeysTest {

    private static String hashTag(String key) {
        int open = key.indexOf('{');
        return key.substring(open + 1, key.indexOf('}', open));
    }

    @Test
    void theKeysOfOneRoomShareOneHashTag() {
        for (String room : List.of("general", "dm:alice:bob")) {
            List<String> keys = List.of(Keys.log(room), Keys.seq(room), Keys.epoch(room), Keys.members(room),
                    Keys.ref(room, "bob", "c-1"));
            keys.forEach(k -> assertEquals(room, hashTag(k), k));
            assertEquals(keys.size(), keys.stream().distinct().count());
        }
    }

    @Test
    void tokensAreKeptUnderTheirHashNotThemselves() {
        String key = Keys.token(org.redischat.accounts.Tokens.hash("secret-token"));
        assertFalse(key.contains("secret-token"));
        assertEquals("chat:token:" + org.redischat.accounts.Tokens.hash("secret-token"), key);
    }

    @Test
    void userKeysDoNotCollideWithRoomKeys() {
        assertFalse(Keys.account("general").equals(Keys.members("general")));
        assertFalse(Keys.roomsOf("bob").equals(Keys.account("bob")));
    }
}
