package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --max-age} and {@code --expect-host} through the CLI, on a constructed snapshot with capture-info. */
class FreshnessCliTest {
    static final Clock NOW = Clock.fixed(Instant.parse("2024-05-09T12:00:00Z"), ZoneOffset.UTC);

    static CheckDynportTest.Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CheckDynport.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), "Linux", NOW);
        return new CheckDynportTest.Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The protected scenario captured on EXCH01 a week before {@link #NOW}. */
    static String captured(Path dir) throws Exception {
        Path file = dir.resolve("exch01-week-old-constructed.snapshot");
        byte[] body = Files.readAllBytes(Path.of(CheckDynportTest.snapshot("exchange-protected")));
        Files.write(file, ("#@section capture-info\r\nEXCH01\r\n2024-05-02T14:03:07.1234567+02:00\r\n"
                + "Microsoft Windows NT 10.0.17763.0\r\n").getBytes(StandardCharsets.US_ASCII));
        Files.write(file, body, java.nio.file.StandardOpenOption.APPEND);
        return file.toString();
    }

    @Test
    void weekOldCaptureIsUnknownPastTwoDaysAndOkWithinEightDays(@TempDir Path dir) throws Exception {
        String file = captured(dir);

        CheckDynportTest.Run stale = run("--snapshot", file, "--max-age", "2d");
        CheckDynportTest.Run fresh = run("--snapshot", file, "--max-age", "8d", "--expect-host", "exch01");

        assertEquals(3, stale.exit());
        assertEquals("DYNPORT UNKNOWN - snapshot is stale: captured 2024-05-02T12:03:07Z, 6d 23h ago, more than the"
                + " allowed 2d", stale.statusText());
        assertEquals(0, fresh.exit(), fresh.out());
        assertTrue(fresh.out().contains("Captured: EXCH01 at 2024-05-02T12:03:07Z"), fresh.out());
    }

    @Test
    void otherHostIsUnknown(@TempDir Path dir) throws Exception {
        CheckDynportTest.Run r = run("--snapshot", captured(dir), "--expect-host", "EXCH02.contoso.example");

        assertEquals(3, r.exit());
        assertTrue(r.statusText().startsWith("DYNPORT UNKNOWN - snapshot is from host [EXCH01], expected"
                + " [EXCH02.contoso.example]"), r.out());
    }

    @Test
    void oldSnapshotWithoutCaptureInfoIsUnknownOnlyWhenFreshnessIsAskedFor() {
        assertEquals(0, run("--snapshot", CheckDynportTest.snapshot("exchange-protected")).exit());
        CheckDynportTest.Run r = run("--snapshot", CheckDynportTest.snapshot("exchange-protected"), "--max-age", "1d");

        assertEquals(3, r.exit());
        assertTrue(r.statusText().contains("snapshot has no capture-info section, so its age cannot be checked"), r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--max-age|0h|--max-age [0h] must be a whole number and a unit s, m, h or d (e.g. 26h), from 1s to 3650d",
        "--max-age|1.5h|--max-age [1.5h] must be a whole number and a unit s, m, h or d (e.g. 26h), from 1s to 3650d",
        "--max-age|26|--max-age [26] must be a whole number and a unit s, m, h or d (e.g. 26h), from 1s to 3650d",
        "--max-age|3651d|--max-age [3651d] must be a whole number and a unit s, m, h or d (e.g. 26h), from 1s to 3650d",
        "--expect-host|exch 01|--expect-host [exch 01] must be a host name (letters, digits, '-', '_', labels separated by dots)",
        "--expect-host|exch01..contoso|--expect-host [exch01..contoso] must be a host name (letters, digits, '-', '_', labels separated by dots)",
    })
    void badValuesAreOneLineExitThreeWithTheValueInBrackets(String option, String value, String message) {
        CheckDynportTest.Run r = run("--snapshot", CheckDynportTest.snapshot("exchange-protected"), option, value);

        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - " + message + "\n", r.out());
    }
}
