package org.redischat.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** When a missing token counts as ended: missing at two checks at least 20 s apart, not before. */
class TokenWatchTest {

    private final TokenWatch watch = new TokenWatch();

    private static long at(int seconds) {
        return Duration.ofSeconds(seconds).toNanos();
    }

    @Test
    void aTokenEndsOnceItHasBeenMissingForTheConfirmationTime() {
        assertEquals(Set.of(), watch.ended(Set.of("a"), at(0)), "first found missing: not yet");
        assertEquals(Set.of(), watch.ended(Set.of("a", "b"), at(10)));
        assertEquals(Set.of("a"), watch.ended(Set.of("a", "b"), at(20)), "a missing for 20 s");
        assertEquals(Set.of("a", "b"), watch.ended(Set.of("a", "b"), at(30)));
    }

    @Test
    void aTokenNotMissingAtACheckStartsAgain() {
        watch.ended(Set.of("a"), at(0));
        assertEquals(Set.of(), watch.ended(Set.of(), at(10)), "its sockets are gone, or Redis answered otherwise");
        assertEquals(Set.of(), watch.ended(Set.of("a"), at(20)), "found missing afresh");
        assertEquals(Set.of("a"), watch.ended(Set.of("a"), at(40)));
    }
}
