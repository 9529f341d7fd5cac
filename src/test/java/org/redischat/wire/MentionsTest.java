package org.redischat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which names a text may mention (protocol 1.3). */
class MentionsTest {

    @Test
    void namesAfterAnAtSignAreMentionsButNotInsideWordsOrAddresses() {
        assertEquals(List.of("bob", "carol"), Mentions.in("hi @Bob and @carol!", "amy"));
        assertEquals(List.of(), Mentions.in("write to bob@example.com", "amy"));
        assertEquals(List.of(), Mentions.in("no one here", "amy"));
        assertEquals(List.of("bob"), Mentions.in("@bob @BOB @bob", "amy"), "each once");
        assertEquals(List.of(), Mentions.in("@amy talking to myself", "amy"), "never the sender");
    }

    @Test
    void punctuationAfterANameIsAlsoTriedWithout() {
        assertEquals(List.of("bob", "bob."), Mentions.in("thanks @bob.", "amy"));
        assertEquals(List.of("j.doe"), Mentions.in("cc @j.doe", "amy"));
    }

    @Test
    void atMostTwentyNamesCount() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            text.append("@u").append(i).append(' ');
        }
        List<String> names = Mentions.in(text.toString(), "amy");
        assertEquals(Mentions.MAX, names.size());
        assertEquals("u0", names.get(0));
    }
}
