package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.AcquisitionException;
import dev.dynport.check.acquire.Section;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.acquire.SnapshotFileSource;
import dev.dynport.check.acquire.SnapshotReader;
import dev.dynport.check.model.State;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A snapshot file's netstat section is streamed from the file (SnapshotFileScan), the same bytes given as an
 * array are held (SnapshotReader): both must give the same sections, the same refusals and the same facts, for
 * every bundled snapshot and for every netstat and garbage fixture put into a netstat section.
 */
class StreamedNetstatTest {
    private static final Charset CP850 = Charset.forName("IBM850");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    static Stream<Path> snapshots() throws IOException {
        return Stream.of("/snapshots", "/fuzz-regressions").flatMap(StreamedNetstatTest::files)
                .filter(p -> p.toString().endsWith(".snapshot"));
    }

    static Stream<Path> netstatBodies() throws IOException {
        return Stream.of("/fixtures/netstat", "/fixtures/garbage").flatMap(StreamedNetstatTest::files)
                .filter(p -> p.toString().endsWith(".txt"));
    }

    private static Stream<Path> files(String resource) {
        try (Stream<Path> walk = Files.walk(Path.of(StreamedNetstatTest.class.getResource(resource).toURI()))) {
            return walk.filter(Files::isRegularFile).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("snapshots")
    void aSnapshotFileReadsAsItsBytesDo(Path file) throws Exception {
        assertSameReading(file);
    }

    @ParameterizedTest
    @MethodSource("netstatBodies")
    void aNetstatSectionStreamedFromTheFileParsesAsTheHeldText(Path body) throws Exception {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("#@section netstat-ano\r\n".getBytes(StandardCharsets.US_ASCII));
        raw.writeBytes(Files.readAllBytes(body));
        raw.writeBytes("#@section tasklist-svc-csv\r\n\"a.exe\",\"1\",\"N/A\"\r\n".getBytes(StandardCharsets.US_ASCII));
        Path file = dir.resolve("netstat-constructed.snapshot");
        Files.write(file, raw.toByteArray());
        assertSameReading(file);
    }

    private static void assertSameReading(Path file) throws IOException {
        String held;
        Snapshot heldSnapshot = null;
        try {
            heldSnapshot = SnapshotReader.read(Files.readAllBytes(file), CP850, file.toString());
            held = "read";
        } catch (AcquisitionException e) {
            held = e.getMessage();
        }
        String streamed;
        Snapshot streamedSnapshot = null;
        try {
            streamedSnapshot = new SnapshotFileSource(file, CP850).acquire(TIMEOUT);
            streamed = "read";
        } catch (AcquisitionException e) {
            streamed = e.getMessage();
        }
        assertEquals(held, streamed, "acquisition");
        if (heldSnapshot == null) {
            return;
        }
        assertEquals(heldSnapshot.sections(), streamedSnapshot.sections());
        SnapshotParsing.Parsed a = SnapshotParsing.parse(heldSnapshot, java.util.Set.of(9933, 9955));
        SnapshotParsing.Parsed b = SnapshotParsing.parse(streamedSnapshot, java.util.Set.of(9933, 9955));
        assertEquals(a.problems(), b.problems());
        assertEquals(a.facts().netstat(), b.facts().netstat());
        assertEquals(a.facts().netstat().tcpRows(), b.facts().netstat().tcpRows());
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        streamedSnapshot.writeRaw(saved);
        assertEquals(List.of(Files.readAllBytes(file).length), List.of(saved.size()), "--save-snapshot bytes");
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(file), saved.toByteArray()), "--save-snapshot bytes");
    }

    /** Rewritten between the scan and the parse: UNKNOWN naming the file, never rows of two captures. */
    @Test
    void aFileRewrittenAfterTheScanIsUnknownNamingIt() throws Exception {
        Path file = dir.resolve("rewritten-constructed.snapshot");
        Path source = Path.of(getClass().getResource("/snapshots/exchange-protected-constructed.snapshot").toURI());
        Files.copy(source, file);
        Snapshot snapshot = new SnapshotFileSource(file, CP850).acquire(TIMEOUT);
        Files.writeString(file, "appended\r\n", java.nio.file.StandardOpenOption.APPEND);
        CheckResult result = DynportCheck.judge(snapshot, CheckOptions.defaults());
        assertEquals(State.UNKNOWN, result.state());
        assertTrue(result.problems().contains("output of 'netstat -ano' could not be read: snapshot [" + file
                + "] changed while being read (" + Files.size(source) + " bytes before, " + Files.size(file)
                + " now; still being written?)"), result.problems().toString());
    }

    /** Changed between the first reading and the second (ports found later): a problem, not an exception or OK. */
    @Test
    void aFileChangedBeforeTheSecondReadingIsAProblem() throws Exception {
        Path file = dir.resolve("changed-later-constructed.snapshot");
        Files.copy(Path.of(getClass().getResource("/snapshots/exchange-protected-constructed.snapshot").toURI()), file);
        Snapshot snapshot = new SnapshotFileSource(file, CP850).acquire(TIMEOUT);
        SnapshotParsing.Parsed first = SnapshotParsing.parse(snapshot, java.util.Set.of(9933));
        assertTrue(first.problems().isEmpty(), first.problems().toString());
        Files.writeString(file, "appended\r\n", java.nio.file.StandardOpenOption.APPEND);
        List<String> problems = new java.util.ArrayList<>();
        var facts = SnapshotParsing.coverNetstat(snapshot, first.facts(), java.util.Set.of(9933, 4444), problems);
        assertEquals(List.of("output of 'netstat -ano' could not be read: snapshot [" + file + "] changed while being"
                + " read (" + (Files.size(file) - 10) + " bytes before, " + Files.size(file) + " now; still being"
                + " written?) (read again for the ports found later)"), problems);
        assertTrue(facts.netstat().endpoints().isEmpty());
    }

    @Test
    void theNetstatSectionOfAFileIsNotHeld() throws Exception {
        Path source = Path.of(getClass().getResource("/snapshots/exchange-protected-constructed.snapshot").toURI());
        Snapshot snapshot = new SnapshotFileSource(source, CP850).acquire(TIMEOUT);
        assertTrue(snapshot.toString().contains("streamed=[" + Section.NETSTAT + "]"), snapshot.toString());
    }
}
