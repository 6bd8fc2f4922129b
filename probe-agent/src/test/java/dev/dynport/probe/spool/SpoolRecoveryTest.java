package dev.dynport.probe.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reopening after a crash or damage: torn and corrupt records, segments and cursors are quarantined or removed,
 * the rest is delivered (duplicates rather than losses), and the agent goes on.
 */
class SpoolRecoveryTest extends SpoolFixture {
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
}
