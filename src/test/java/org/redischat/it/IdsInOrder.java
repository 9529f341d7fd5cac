package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redischat.it.Frames.of;

import java.net.URI;
import java.util.HashSet;
import java.util.Set;

import jakarta.json.JsonObject;

/**
 * The ids one reader of a room has seen: live messages come once, in order, without a gap; a page of
 * a join with since may repeat ids that already came live (docs/PROTOCOL.md), which are skipped.
 */
final class IdsInOrder {

    long last;
    final Set<Long> seen = new HashSet<>();

    void live(long id) {
        assertEquals(last + 1, id, "in order, once, without a gap");
        last = id;
        seen.add(id);
    }

    void fromPage(long id) {
        if (id > last) {
            live(id);
        }
    }

    /**
     * A reader whose socket closed connects again on {@code node} and joins with {@code since} its last
     * id and {@code epoch}: the answer must be recovered, and its page's ids are taken in.
     */
    ChatClient rejoin(URI node, String token, String room, String epoch) {
        ChatClient client = ChatClient.connect(node, token);
        JsonObject again = client.request(of("type", "join", "room", room, "since", last, "epoch", epoch),
                "joined");
        assertTrue(again.getBoolean("recovered"), again.toString());
        for (JsonObject m : again.getJsonArray("messages").getValuesAs(JsonObject.class)) {
            fromPage(m.getJsonNumber("id").longValue());
        }
        return client;
    }
}
