package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * Linearity by counting, not timing: every scan over a line or a whole text reads its characters through a
 * {@link CharSequence} that counts {@code charAt} calls, and the count must stay within a small multiple of the
 * length for megabyte inputs shaped against each scan. With {@link Lines#split} linear and refusing any line over
 * the parser's bound before anything looks inside it, and every other per-line step bounded by that line's
 * length, a whole parse is linear in its input.
 */
class ScanStepsTest {
    private static final int N = 1 << 20;
    private static final int STEPS_PER_CHAR = 3;

    /** A text that counts how often its characters are read, shared by every sub-sequence cut from it. */
    static final class CountingChars implements CharSequence {
        private final String text;
        private final int from;
        private final int to;
        private final long[] reads;

        CountingChars(String text) {
            this(text, 0, text.length(), new long[1]);
        }

        private CountingChars(String text, int from, int to, long[] reads) {
            this.text = text;
            this.from = from;
            this.to = to;
            this.reads = reads;
        }

        long reads() {
            return reads[0];
        }

        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= length()) {
                throw new IndexOutOfBoundsException(index);
            }
            reads[0]++;
            return text.charAt(from + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new CountingChars(text, from + start, from + end, reads);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(length());
            for (int i = 0; i < length(); i++) {
                sb.append(charAt(i));
            }
            return sb.toString();
        }
    }

    private static void assertLinear(String what, CountingChars chars) {
        assertTrue(chars.reads() <= (long) STEPS_PER_CHAR * chars.length(),
                () -> what + ": " + chars.reads() + " reads for " + chars.length() + " characters");
    }

    @Test
    void splittingAMegabyteReadsEachCharacterAFewTimes() throws Exception {
        for (String text : List.of("x".repeat(N), " x \r\n".repeat(N / 5), "\r".repeat(N) + "x", "a\u3000".repeat(N / 2) + "\n")) {
            CountingChars chars = new CountingChars(text);
            List<Lines.Line> lines = Lines.split("test", chars, N);
            assertTrue(!lines.isEmpty());
            assertLinear("split", chars);
        }
    }

    @Test
    void aLineOverTheBoundIsMeasuredOnceAndQuotedByItsStart() {
        CountingChars chars = new CountingChars("ok\r\n" + "y".repeat(N) + "\r\nmore\r\n");
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> Lines.split("test", chars, 1024));
        assertEquals("test: line 2: line of " + N + " characters, longer than any line of this output (at most 1024) ["
                + "y".repeat(Lines.CLIP) + "]", e.getMessage());
        assertLinear("refusal", chars);
    }

    @Test
    void theValueLineScanReadsEachCharacterAFewTimes() {
        List<String> lines = List.of(
                "Number of Ports : " + "5 ".repeat(N / 2) + "ports",           // no number at the end
                "Number of Ports " + "a".repeat(N) + " : 59530",               // a long label, accepted
                "Number of Ports " + "a : ".repeat(N / 4) + "59530",           // separators everywhere
                "Number of Ports : " + "5".repeat(N),                          // a megabyte of digits
                "Number of Ports " + " ".repeat(N) + ":" + " ".repeat(N) + "1");
        for (String line : lines) {
            CountingChars chars = new CountingChars(line);
            try {
                DynamicPortParser.value(chars, 1);
            } catch (OutputFormatException e) {
                assertTrue(e.getMessage().length() < 300, e::getMessage);
            }
            assertLinear(line.substring(0, 20), chars);
        }
    }

    @Test
    void ruleAndTokenScansReadEachCharacterAFewTimes() {
        List<ToIntFunction<CharSequence>> scans = List.of(
                s -> Lines.ruleRuns(s, '-'), s -> Lines.ruleRuns(s, '='), s -> Lines.tokens(s).size());
        for (String line : List.of("-".repeat(N), "--- ".repeat(N / 4) + "---", "-".repeat(N) + "x", "=== ".repeat(N / 4),
                "a ".repeat(N / 2) + "a", "-- ".repeat(N / 3))) {
            for (ToIntFunction<CharSequence> scan : scans) {
                CountingChars chars = new CountingChars(line);
                scan.applyAsInt(chars);
                assertLinear(line.substring(0, 8), chars);
            }
        }
    }
}
