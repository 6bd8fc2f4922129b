package dev.dynport.probe.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    private Spool.Options options(long maxBytes, long maxRecords, long segmentBytes) {
        return new Spool.Options(dir, maxBytes, maxRecords, segmentBytes);
    }

    private Spool open(String... sinks) throws IOException {
        return Spool.open(options(1 << 20, 10_000, 4096), List.of(sinks));
    }

    private static byte[] payload(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> drain(Spool s, String sink) throws IOException {
        List<String> out = new ArrayList<>();
        for (Optional<Spool.Entry> e = s.peek(sink); e.isPresent(); e = s.peek(sink)) {
            out.add(new String(e.get().payload(), StandardCharsets.UTF_8));
            s.advance(sink, e.get().seq());
        }
        return out;
    }

    private List<Path> files(String sub) throws IOException {
        if (!Files.isDirectory(dir.resolve(sub))) {
            return List.of(); // created when first needed
        }
        try (Stream<Path> s = Files.list(dir.resolve(sub))) {
            return s.sorted().toList();
        }
    }

    private List<Path> segmentFiles() throws IOException {
        return files("segments").stream().filter(p -> p.toString().endsWith(".seg")).toList();
    }

    private long quarantineBadFiles() throws IOException {
        return files("quarantine").stream().filter(p -> p.toString().endsWith(".bad")).count();
    }

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
    void tornLastRecordAfterCrashIsQuarantinedAndEarlierRecordsSurvive() throws IOException {
        try (Spool s = open("a")) {
            for (int i = 0; i < 10; i++) {
                s.append(payload(i));
            }
        }
        Path seg = segmentFiles().get(0);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(f.length() - 5); // a write cut short by SIGKILL or power loss
        }
        try (Spool s = open("a")) {
            assertEquals(1, s.quarantined());
            List<String> got = drain(s, "a");
            assertEquals(9, got.size());
            assertEquals("{\"n\":8}", got.get(8));
            s.append(payload(10));
            assertEquals(List.of("{\"n\":10}"), drain(s, "a"), "the agent goes on");
        }
        assertEquals(1, quarantineBadFiles());
        try (Spool s = open("a")) {
            assertEquals(0, s.quarantined(), "the repaired segment is not reported again");
        }
    }

    @Test
    void flippedByteInsideOneRecordQuarantinesOnlyThatRecord() throws IOException {
        try (Spool s = open("a")) {
            for (int i = 0; i < 10; i++) {
                s.append(payload(i));
            }
        }
        Path seg = segmentFiles().get(0);
        byte[] b = Files.readAllBytes(seg);
        int recordBytes = SpoolFormat.RECORD_OVERHEAD + payload(0).length;
        int third = SpoolFormat.HEADER_BYTES + 3 * recordBytes; // record n=3
        b[third + 12 + 2] ^= 0x20; // a payload byte
        Files.write(seg, b);
        try (Spool s = open("a")) {
            assertEquals(1, s.quarantined());
            List<String> got = drain(s, "a");
            assertEquals(9, got.size());
            assertFalse(got.contains("{\"n\":3}"));
            assertEquals("{\"n\":4}", got.get(3));
        }
        String reason = Files.readString(files("quarantine").stream()
                .filter(p -> p.toString().endsWith(".reason")).findFirst().orElseThrow());
        assertTrue(reason.contains("CRC mismatch"), reason);
    }

    @Test
    void garbageLengthQuarantinesTheRestOfTheSegmentButKeepsTheStart() throws IOException {
        try (Spool s = open("a")) {
            for (int i = 0; i < 10; i++) {
                s.append(payload(i));
            }
        }
        Path seg = segmentFiles().get(0);
        byte[] b = Files.readAllBytes(seg);
        int recordBytes = SpoolFormat.RECORD_OVERHEAD + payload(0).length;
        int at = SpoolFormat.HEADER_BYTES + 6 * recordBytes;
        b[at] = (byte) 0x7f; // length field of record n=6 becomes ~2 GiB
        Files.write(seg, b);
        try (Spool s = open("a")) {
            assertEquals(6, drain(s, "a").size());
            assertEquals(1, s.quarantined());
        }
        String reason = Files.readString(files("quarantine").stream()
                .filter(p -> p.toString().endsWith(".reason")).findFirst().orElseThrow());
        assertTrue(reason.contains("implausible record length"), reason);
    }

    @Test
    void segmentWithBadMagicIsQuarantinedWholeAndOthersAreDelivered() throws IOException {
        try (Spool s = Spool.open(options(1 << 20, 10_000, 4096), List.of("a"))) {
            for (int i = 0; i < 400; i++) {
                s.append(payload(i));
            }
        }
        List<Path> segs = segmentFiles();
        assertTrue(segs.size() >= 3);
        byte[] b = Files.readAllBytes(segs.get(1));
        b[0] = 'X';
        Files.write(segs.get(1), b);
        try (Spool s = open("a")) {
            assertEquals(1, s.quarantined());
            List<String> got = drain(s, "a");
            assertTrue(got.size() < 400 && got.size() > 200, "got " + got.size());
            assertEquals("{\"n\":0}", got.get(0));
            assertEquals("{\"n\":399}", got.get(got.size() - 1));
        }
        assertTrue(Files.exists(dir.resolve("quarantine").resolve(segs.get(1).getFileName() + ".bad")));
    }

    @Test
    void corruptCursorFileRestartsThatSinkAtTheOldestRecord() throws IOException {
        try (Spool s = open("a", "b")) {
            for (int i = 0; i < 3; i++) {
                s.append(payload(i));
            }
            drain(s, "a");
            s.advance("b", s.peek("b").orElseThrow().seq());
        }
        Files.write(dir.resolve("cursors").resolve("b.cursor"), new byte[] {1, 2, 3});
        try (Spool s = open("a", "b")) {
            assertEquals(1, s.quarantined());
            assertEquals(0, s.depth("a"));
            assertEquals(3, s.depth("b"), "duplicates rather than losses");
        }
    }

    @Test
    void cursorWithAGoodChecksumPointingPastTheLastRecordIsQuarantinedAndTheSinkGetsEverythingAgain()
            throws IOException {
        try (Spool s = open("a", "b")) {
            for (int i = 0; i < 3; i++) {
                s.append(payload(i));
            }
            s.advance("a", s.peek("a").orElseThrow().seq());
        }
        Path b = dir.resolve("cursors").resolve("b.cursor");
        java.nio.ByteBuffer c = java.nio.ByteBuffer.allocate(CursorStore.BYTES);
        c.putInt(CursorStore.MAGIC).putInt(SpoolFormat.VERSION).putLong(1000);
        c.putInt(SpoolIo.crc(c.array(), 0, 16));
        Files.write(b, c.array());
        try (Spool s = open("a", "b")) {
            assertEquals(1, s.quarantined());
            assertEquals(List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}"), drain(s, "b"), "duplicates, not losses");
            assertEquals(2, s.depth("a"));
            assertEquals(4, s.append(payload(3)), "the bad cursor does not move the sequence either");
        }
        String reason = Files.readString(dir.resolve("quarantine").resolve("b.cursor.bad.reason"));
        assertTrue(reason.startsWith("cursor file for sink [b] points at sequence 1000, but the last sequence written"
                + " is 3"), reason);
    }

    @Test
    void cursorsOfAFullyDeliveredSpoolStayValidAcrossRestarts() throws IOException {
        try (Spool s = open("a")) {
            for (int i = 0; i < 3; i++) {
                s.append(payload(i));
            }
            drain(s, "a");
        }
        for (int restart = 0; restart < 2; restart++) {
            try (Spool s = open("a")) {
                assertEquals(0, s.quarantined(), "the newest segment keeps the last sequence number");
                assertEquals(0, s.depth("a"));
            }
        }
        try (Spool s = open("a")) {
            assertEquals(4, s.append(payload(3)));
            assertEquals(List.of("{\"n\":3}"), drain(s, "a"));
        }
    }

    @Test
    void directoryNamedLikeASegmentIsMovedAsideWithItsPathLoggedAndTheAgentStarts() throws IOException {
        try (Spool s = open("a")) {
            s.append(payload(0));
        }
        Path stray = Files.createDirectories(dir.resolve("segments").resolve("00000000000000000099.seg"));
        Files.writeString(stray.resolve("note.txt"), "not a segment");
        List<String> logged = new ArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Quarantine.class.getName());
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try (Spool s = open("a")) {
            assertEquals(1, s.quarantined());
            assertEquals(List.of("{\"n\":0}"), drain(s, "a"));
            assertEquals(2, s.append(payload(1)));
        } finally {
            log.removeHandler(h);
        }
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("spool: quarantined " + stray + " to "), logged.get(0));
        assertTrue(logged.get(0).endsWith(": not a regular file (a directory) but named like a segment"),
                logged.get(0));
        assertFalse(Files.exists(stray));
    }

    @Test
    void emptySegmentLeftByAStopBetweenCreateAndFirstWriteIsRemovedWithoutQuarantine() throws IOException {
        try (Spool s = open("a")) {
            for (int i = 0; i < 3; i++) {
                s.append(payload(i));
            }
        }
        Path empty = Files.createFile(dir.resolve("segments").resolve(SpoolFormat.segmentName(4)));
        Path halfHeader = dir.resolve("segments").resolve(SpoolFormat.segmentName(5));
        Files.write(halfHeader, java.util.Arrays.copyOf(SpoolFormat.header(5).array(), 7));
        try (Spool s = open("a")) {
            assertEquals(0, s.quarantined());
            assertFalse(Files.exists(empty));
            assertFalse(Files.exists(halfHeader));
            assertEquals(List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}"), drain(s, "a"));
            assertEquals(5, s.append(payload(3)), "no record ever had the leftovers' first numbers");
        }
        assertEquals(0, quarantineBadFiles());
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
