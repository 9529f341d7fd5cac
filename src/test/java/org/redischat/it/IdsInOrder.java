package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;

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
}
