package dev.dynport.check.cli;

import static dev.dynport.check.cli.CheckDynportTest.run;
import static dev.dynport.check.cli.CheckDynportTest.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.cli.CheckDynportTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Black-box: bad arguments and unusable sources are refused in one line with exit 3; help and version exit 0. */
class CliArgumentsTest {
    @Test
    void snapshotThatIsNotOneIsUnknown(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello\r\n");
        Run r = run("--snapshot", file.toString());
        assertEquals(3, r.exit());
        assertTrue(r.firstLine().startsWith("DYNPORT UNKNOWN - not a dynport snapshot: no '#@section NAME' marker line"),
                r.firstLine());
    }

    @Test
    void missingSnapshotFileIsUnknownNamingIt() {
        Run r = run("--snapshot", "/nonexistent/x.snapshot");
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - cannot read snapshot [/nonexistent/x.snapshot]: no such file", r.firstLine());
    }

    @Test
    void localModeOutsideWindowsAndLinuxIsUnknown() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = CheckDynport.run(new String[] {"--local"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of(), "Mac OS X");
        assertEquals(3, exit);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("DYNPORT UNKNOWN - --local runs netsh, netstat,"
                + " tasklist and sc.exe on Windows, or reads /proc and runs ss on Linux; this is [Mac OS X]"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void localModeOnLinuxNeedsAPortBecauseTheProfilesAreWindowsOnes() {
        Run r = run("--local");
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - nothing to watch on a Linux target: give --port PORT[:LABEL[:PROCESS,...]]"
                + " or -w/-c for the dynamic port usage (docs/linux.md)", r.firstLine());
        Run p = run("--local", "--profile", "exchange", "--port", "40000");
        assertEquals(3, p.exit());
        assertEquals("DYNPORT UNKNOWN - --profile [exchange] is for Exchange on Windows; a Linux target watches the"
                + " --port ports only (docs/linux.md)", p.firstLine());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "--profile;foo;--profile [foo] must be one of exchange, exchange-popimap, none",
        "--port;70000;--port [70000]: PORT must be a number from 1 to 65535",
        "--port;x:y;--port [x:y]: PORT must be a number from 1 to 65535",
        "--timeout;0;--timeout [0] must be whole seconds from 1 to 3600",
        "--exposed-state;ok;--exposed-state [ok] must be one of critical, warning",
        "--format;xml;--format [xml] must be one of json, nagios, nrpe",
        "--charset;nope-42;--charset [nope-42] is not a charset this Java knows (e.g. IBM850, IBM437, 932, 936)",
        "--unreachable-state;maybe;--unreachable-state [maybe] must be one of critical, unknown, warning",
        "--unreachable-state;ok;--unreachable-state [ok] must be one of critical, unknown, warning",
        "--unreachable-state;OK;--unreachable-state [OK] must be one of critical, unknown, warning",
        "--port;٩٩٣٣;--port [٩٩٣٣]: PORT must be a number from 1 to 65535",
        "--port;９９３３:IMAP;--port [９９３３:IMAP]: PORT must be a number from 1 to 65535",
        "--port;+9710;--port [+9710]: PORT must be a number from 1 to 65535",
        "--port;12995:\u001b[31mred:x.exe;--port [12995:?[31mred:x.exe] contains a control character",
        "--port;-9710;--port [-9710]: PORT must be a number from 1 to 65535",
        "--port;' 9710';--port [ 9710]: PORT must be a number from 1 to 65535",
        "--port;'';--port []: PORT must be a number from 1 to 65535",
        "--port;99999999999999999999;--port [99999999999999999999]: PORT must be a number from 1 to 65535",
        "--timeout;+5;--timeout [+5] must be whole seconds from 1 to 3600",
        "--timeout;٥;--timeout [٥] must be whole seconds from 1 to 3600",
        "--timeout;3601;--timeout [3601] must be whole seconds from 1 to 3600",
        "--timeout;'';--timeout [] must be whole seconds from 1 to 3600",
        "--timeout;1.5;--timeout [1.5] must be whole seconds from 1 to 3600",
        "--profile;'';--profile [] must be one of exchange, exchange-popimap, none",
        "--save-snapshot;'';--save-snapshot [] is empty: give the path of the file to write",
    })
    void badArgumentIsOneLineNamingTheValue(String option, String value, String message) {
        Run r = run("--snapshot", snapshot("exchange-protected"), option, value);
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - " + message + "\n", r.out());
    }

    @Test
    void profileNoneWithoutPortsIsRefused() {
        Run r = run("--snapshot", snapshot("exchange-protected"), "--profile", "none");
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - --profile [none] watches no port: add at least one --port, or -w/-c for the"
                + " dynamic port usage\n", r.out());
    }

    @Test
    void noInputOrTwoInputsAreRefused() {
        assertEquals("DYNPORT UNKNOWN - no input: give --snapshot FILE, --local or -H HOST (see --help)\n", run().out());
        Run two = run("--snapshot", snapshot("exchange-protected"), "--local");
        assertEquals(3, two.exit());
        assertEquals("DYNPORT UNKNOWN - give only one of --snapshot, --local and -H (given: --snapshot ["
                + snapshot("exchange-protected") + "], --local)\n", two.out());
    }

    @Test
    void unknownOptionIsOneLine() {
        Run r = run("--bogus");
        assertEquals(3, r.exit());
        assertEquals(1, r.out().lines().count());
        assertTrue(r.out().contains("--bogus"), r.out());
    }

    @Test
    void timeoutBoundsTheWholeCheck(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("never-written.snapshot");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        long start = System.nanoTime();
        Run r = run("--snapshot", fifo.toString(), "-t", "1");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - check timed out after 1 s (-t)", r.firstLine());
        assertTrue(millis < 5_000, "took " + millis + " ms");
    }

    @Test
    void helpAndVersionExitZero() {
        Run help = run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--expect-listening"));
        Run version = run("-V");
        assertEquals(0, version.exit());
        assertTrue(version.out().matches("check_dynport \\d+\\.\\d+\\.\\d+.*\\n"), version.out());
    }
}
