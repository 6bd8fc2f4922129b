package dev.dynport.probe.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Writing and delivering: order, per-sink cursors, segment deletion, caps and refusals. */
class SpoolTest extends SpoolFixture {
    @Test
    void recordsSurviveReopenInOrderAndPeekDoesNotConsume() throws IOException {
        try (Spool s = open("a")) {
            for (int i = 0; i < 5; i++) {
                s.append(payload(i));
            }
            assertEquals("{\"n\":0}", new String(s.peek("a").orElseThrow().payload(), StandardCharsets.UTF_8));
            assertEquals("{\"n\":0}", new String(s.peek("a").orElseThrow().payload(), StandardCharsets.UTF_8));
        }
        try (Spool s = open("a")) {
            assertEquals(5, s.depth("a"));
            assertEquals(List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"), drain(s, "a"));
        }
    }

    @Test
    void eachSinkKeepsItsOwnCursorAcrossRestart() throws IOException {
        try (Spool s = open("fast", "slow")) {
            for (int i = 0; i < 4; i++) {
                s.append(payload(i));
            }
            assertEquals(4, drain(s, "fast").size());
            Spool.Entry first = s.peek("slow").orElseThrow();
            s.advance("slow", first.seq());
        }
        try (Spool s = open("fast", "slow")) {
            assertEquals(0, s.depth("fast"));
            assertEquals(3, s.depth("slow"));
            assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), drain(s, "slow"));
        }
    }

    @Test
    void segmentsConsumedByAllSinksAreDeletedAndSequenceContinues() throws IOException {
        long lastSeq;
        try (Spool s = open("a", "b")) {
            for (int i = 0; i < 400; i++) {
                s.append(payload(i)); // ~23 bytes each, 4 KiB segments: several segments
            }
            assertTrue(s.segmentCount() > 2, "segments: " + s.segmentCount());
            drain(s, "a");
            assertTrue(s.segmentCount() > 2, "b still needs them");
            drain(s, "b");
            assertEquals(1, s.segmentCount(), "only the active segment remains");
            lastSeq = s.append(payload(400));
            drain(s, "a");
            drain(s, "b");
        }
        try (Spool s = open("a", "b")) {
            long seq = s.append(payload(401));
            assertEquals(lastSeq + 1, seq, "sequence numbers are never reused");
            assertEquals(List.of("{\"n\":401}"), drain(s, "a"));
        }
    }

    @Test
    void capDropsOldestUndeliveredForTheSlowestSinkAndCountsPerSink() throws IOException {
        try (Spool s = Spool.open(options(1 << 20, 5, 4096), List.of("fast", "slow"))) {
            for (int i = 0; i < 5; i++) {
                s.append(payload(i));
            }
            drain(s, "fast");
            for (int i = 5; i < 8; i++) {
                s.append(payload(i));
            }
            assertEquals(3, s.dropped("slow"));
            assertEquals(0, s.dropped("fast"), "fast had already consumed the dropped records");
            assertEquals(5, s.depth("slow"));
            assertEquals(List.of("{\"n\":3}", "{\"n\":4}", "{\"n\":5}", "{\"n\":6}", "{\"n\":7}"), drain(s, "slow"));
            assertEquals(List.of("{\"n\":5}", "{\"n\":6}", "{\"n\":7}"), drain(s, "fast"));
        }
    }

    @Test
    void byteCapCountsOnDiskRecordBytes() throws IOException {
        int rec = SpoolFormat.RECORD_OVERHEAD + payload(0).length;
        try (Spool s = Spool.open(options(3L * rec, 1000, 4096), List.of("a"))) {
            for (int i = 0; i < 5; i++) {
                s.append(payload(i));
            }
            assertEquals(2, s.dropped("a"));
            assertEquals(3L * rec, s.depthBytes("a"));
        }
    }

    @Test
    void tooLargeEventIsRefusedWithSizesInTheMessage() throws IOException {
        try (Spool s = Spool.open(options(4096, 1000, 4096), List.of("a"))) {
            IOException e = assertThrows(IOException.class, () -> s.append(new byte[5000]));
            assertTrue(e.getMessage().startsWith("event too large for the spool (5000 bytes"), e.getMessage());
        }
    }

    @Test
    void secondAgentOnTheSameDirectoryIsRefused() throws IOException {
        try (Spool s = open("a")) {
            IOException e = assertThrows(IOException.class, () -> open("a"));
            assertTrue(e.getMessage().contains("in use by another agent [" + dir + "]"), e.getMessage());
            assertTrue(s.depth("a") >= 0);
        }
    }

    @Test
    void newSinkStartsAtTheOldestRetainedRecordAndRemovedSinkDoesNotPinSegments() throws IOException {
        try (Spool s = open("a", "gone")) {
            for (int i = 0; i < 3; i++) {
                s.append(payload(i));
            }
            s.advance("a", s.peek("a").orElseThrow().seq());
        }
        try (Spool s = open("a", "new")) {
            assertEquals(2, s.depth("a"));
            assertEquals(2, s.depth("new"), "a new sink gets what is still retained");
            assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), drain(s, "new"));
        }
    }

    @Test
    void awaitDrainedReturnsOnceEveryCursorCaughtUp() throws Exception {
        try (Spool s = open("a")) {
            s.append(payload(1));
            assertFalse(s.awaitDrained(1_000_000));
            Thread t = new Thread(() -> {
                try {
                    drain(s, "a");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            assertTrue(s.awaitDrained(5_000_000_000L));
            t.join(5000);
        }
    }

    @Test
    void payloadRoundTripsByteForByte() throws IOException {
        byte[] p = "{\"summary\":\"Port 9955 – Dnscache \\u00fc \\\"quoted\\\"\"}".getBytes(StandardCharsets.UTF_8);
        try (Spool s = open("a")) {
            s.append(p);
            assertArrayEquals(p, s.peek("a").orElseThrow().payload());
        }
    }
}
