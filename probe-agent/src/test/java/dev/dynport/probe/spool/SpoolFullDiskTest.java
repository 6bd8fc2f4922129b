package dev.dynport.probe.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.probe.spool.SpoolIo.Op;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool on a constructed full disk ({@link FullDisk}): nothing here mounts anything. */
class SpoolFullDiskTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T03:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final FullDisk disk = new FullDisk();

    private Spool open(long maxRecords, String... sinks) throws IOException {
        return Spool.open(new Spool.Options(dir, 1 << 20, maxRecords, 4096), List.of(sinks), disk, CLOCK);
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

    private static List<String> numbers(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("{\"n\":" + i + "}");
        }
        return out;
    }

    @Test
    void opensOnAFullDiskDeliversWhatIsSpooledAndWritesAgainWhenSpaceReturns() throws IOException {
        try (Spool s = open(10_000, "a")) {
            for (int i = 0; i < 3; i++) {
                s.append(payload(i));
            }
        }
        disk.failAll();
        try (Spool s = open(10_000, "a", "new")) {
            assertEquals(3, s.depth("a"));
            assertEquals(numbers(0, 3), drain(s, "a"));
            SpoolWriteException e = assertThrows(SpoolWriteException.class, () -> s.append(payload(3)));
            assertEquals("spool cannot write [" + dir + "]: No space left on device", e.getMessage());
            assertEquals(List.of("new", "a"), s.cursorProblem().orElseThrow().sinks());
            disk.heal();
            assertEquals(4, s.append(payload(3)), "the failed append used no sequence number");
            assertTrue(s.saveCursors());
            assertEquals(Optional.empty(), s.cursorProblem());
        }
        try (Spool s = Spool.open(new Spool.Options(dir, 1 << 20, 10_000, 4096), List.of("a", "new"))) {
            assertEquals(List.of("{\"n\":3}"), drain(s, "a"));
            assertEquals(numbers(0, 4), drain(s, "new"));
            assertEquals(0, s.quarantined());
        }
    }

    @Test
    void unwritableCursorFilesDoNotMakeDeliverySendTheSameRecordAgain() throws IOException {
        try (Spool s = open(10_000, "a")) {
            for (int i = 0; i < 3; i++) {
                s.append(payload(i));
            }
            disk.fail(Op.CREATE, Op.WRITE, Op.FORCE, Op.RENAME);
            assertEquals(numbers(0, 3), drain(s, "a"), "each record once, then nothing more");
            Spool.CursorProblem p = s.cursorProblem().orElseThrow();
            assertEquals(List.of("a"), p.sinks());
            assertEquals(FullDisk.ENOSPC, p.reason());
            assertEquals(CLOCK.instant(), p.since());
        }
        // a restart before the file could be saved sends them once more (at-least-once), and then no more
        disk.heal();
        try (Spool s = open(10_000, "a")) {
            assertEquals(numbers(0, 3), drain(s, "a"));
        }
        try (Spool s = open(10_000, "a")) {
            assertEquals(0, s.depth("a"));
        }
    }

    @Test
    void failedAppendsLeaveNoTornBytesAndDropNothingForTheCap() throws IOException {
        try (Spool s = open(3, "a")) {
            for (int i = 0; i < 3; i++) {
                s.append(payload(i));
            }
            disk.fail(Op.WRITE); // writes half of each record, then fails
            for (int i = 0; i < 5; i++) {
                assertThrows(SpoolWriteException.class, () -> s.append(payload(99)));
            }
            assertEquals(0, s.dropped("a"), "a retried append that fails must not push records out");
            assertEquals(3, s.depth("a"));
            disk.heal();
            assertEquals(4, s.append(payload(3)));
            assertEquals(1, s.dropped("a"));
        }
        try (Spool s = open(3, "a")) {
            assertEquals(0, s.quarantined(), "the half-written records were truncated away");
            assertEquals(numbers(1, 4), drain(s, "a"));
        }
    }

    @Test
    void aSegmentThatCannotBeStartedLeavesNoFileThatWouldBlockTheNextTry() throws IOException {
        try (Spool s = open(10_000, "a")) {
            disk.fail(Op.WRITE); // the new segment's header cannot be written
            assertThrows(SpoolWriteException.class, () -> s.append(payload(0)));
            try (Stream<Path> files = Files.list(dir.resolve("segments"))) {
                assertEquals(List.of(), files.toList());
            }
            disk.heal();
            assertEquals(1, s.append(payload(0)));
            assertEquals(numbers(0, 1), drain(s, "a"));
        }
    }

    @Test
    void corruptionFoundOnAFullDiskIsLeftInPlaceAndTheGoodRecordsAreDelivered() throws IOException {
        try (Spool s = open(10_000, "a")) {
            for (int i = 0; i < 5; i++) {
                s.append(payload(i));
            }
        }
        Path seg;
        try (Stream<Path> files = Files.list(dir.resolve("segments"))) {
            seg = files.findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(seg);
        int second = SpoolFormat.HEADER_BYTES + SpoolFormat.RECORD_OVERHEAD + payload(0).length;
        b[second + 13] ^= 0x20; // a payload byte of record n=1
        Files.write(seg, b);
        disk.failAll();
        try (Spool s = open(10_000, "a")) {
            assertEquals(0, s.quarantined(), "no copy could be made");
            assertEquals(List.of("{\"n\":0}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"), drain(s, "a"));
        }
        disk.heal();
        try (Spool s = open(10_000, "a")) {
            assertEquals(1, s.quarantined(), "found again and quarantined once there is space");
        }
    }
}
