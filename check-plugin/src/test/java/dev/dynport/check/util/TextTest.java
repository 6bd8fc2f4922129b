package dev.dynport.check.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void clipKeepsTheStartAndSaysItCut() {
        assertEquals("abc", Text.clip("abc", 3));
        assertEquals("ab...", Text.clip("abc", 2));
        assertEquals("a...", Text.clip("a\uD83D\uDE00b", 2), "a surrogate pair is never cut in half");
    }

    @Test
    void fitStaysWithinTheLimitEllipsisIncluded() {
        assertEquals("x".repeat(10), Text.fit("x".repeat(10), 10));
        assertEquals("x".repeat(7) + "...", Text.fit("x".repeat(11), 10));
    }

    @Test
    void oneLineTurnsEveryLineBreakIntoASpace() {
        assertEquals("a b  c d e", Text.oneLine("a\nb\r\nc\u2028d\u2029e"));
        assertEquals("", Text.oneLine(null));
    }
}
