package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Black-box: hostile command lines (repeats, non-ASCII digits, empty values, unsafe files) end in one line, exit 3. */
class CliInputTest {
    static CheckDynportTest.Run run(String... args) {
        return CheckDynportTest.run(args);
    }

    static CheckDynportTest.Run check(String scenario, String... extra) {
        return CheckDynportTest.check(scenario, extra);
    }

    static String snapshot(String name) {
        return CheckDynportTest.snapshot(name);
    }

    @Test
    void saveSnapshotRefusesASymbolicLinkAndLeavesItAndItsTarget(@TempDir Path dir) throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me");
        Path link = Files.createSymbolicLink(dir.resolve("link.snapshot"), victim);
        CheckDynportTest.Run r = check("exchange-protected", "--save-snapshot", link.toString());
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - --save-snapshot [" + link + "] is a symbolic link: refusing to replace it; give"
                + " the path it points to", r.firstLine());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("keep me", Files.readString(victim));
    }

    @Test
    void saveSnapshotRefusesAFifoInsteadOfRenamingOverIt(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe.snapshot");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        CheckDynportTest.Run r = check("exchange-protected", "--save-snapshot", fifo.toString());
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - --save-snapshot [" + fifo + "] exists and is not a regular file (a device, FIFO"
                + " or socket): refusing to replace it", r.firstLine());
        assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class).isOther(), "still a FIFO");
    }

    @Test
    void saveSnapshotRefusesADirectoryAndAMissingDirectory(@TempDir Path dir) {
        CheckDynportTest.Run r = check("exchange-protected", "--save-snapshot", dir.toString());
        assertEquals("DYNPORT UNKNOWN - --save-snapshot [" + dir + "] is a directory: give a file path", r.firstLine());
        Path orphan = dir.resolve("no-such-dir").resolve("x.snapshot");
        CheckDynportTest.Run missing = check("exchange-protected", "--save-snapshot", orphan.toString());
        assertEquals(3, missing.exit());
        assertEquals("DYNPORT UNKNOWN - --save-snapshot [" + orphan + "]: directory " + orphan.getParent()
                + " does not exist", missing.firstLine());
    }

    @Test
    void saveSnapshotReplacesARegularFileAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path saved = Files.writeString(dir.resolve("saved.snapshot"), "yesterday");
        CheckDynportTest.Run r = check("exchange-protected", "--save-snapshot", saved.toString());
        assertEquals(0, r.exit(), r.out());
        assertArrayEquals(Files.readAllBytes(Path.of(snapshot("exchange-protected"))), Files.readAllBytes(saved));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(saved), files.toList());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "--snapshot;B.snapshot;--snapshot is given 2 times [A.snapshot] [B.snapshot]: give it once",
        "-t;10;-t/--timeout is given 2 times [5] [10]: give it once",
        "--timeout;10;-t/--timeout is given 2 times [5] [10]: give it once",
        "--unreachable-state;warning;--unreachable-state is given 2 times [critical] [warning]: give it once",
        "--format;json;--format is given 2 times [nagios] [json]: give it once",
    })
    void repeatedSingleValuedOptionIsRefusedNamingIt(String option, String value, String message) {
        CheckDynportTest.Run r = run("--snapshot", "A.snapshot", "-t", "5", "--unreachable-state", "critical", "--format", "nagios",
                option, value);
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - " + message + "\n", r.out());
    }

    @Test
    void samePortGivenTwiceIsRefusedNotResolvedByPosition() {
        CheckDynportTest.Run r = check("exchange-protected", "--port", "12995:A:x.exe", "--port", "12995:B:y.exe");
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - --port [12995:B:y.exe] repeats port 12995 (given as [12995:A:x.exe]): give each"
                + " port once", r.firstLine());
    }

    @Test
    void emptySnapshotPathSaysEmptyNotDirectory() {
        CheckDynportTest.Run r = run("--snapshot", "");
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - --snapshot [] is empty: give the path of a snapshot file", r.firstLine());
    }

    @Test
    void abbreviatedOptionIsNotGuessed() {
        CheckDynportTest.Run r = run("--snap", snapshot("exchange-protected"));
        assertEquals(3, r.exit());
        assertTrue(r.firstLine().startsWith("DYNPORT UNKNOWN - [--snap] is not an option of check_dynport"), r.firstLine());
    }

    /** -H with a readable password file, so that the option under test is the first thing refused. */
    private static CheckDynportTest.Run ssh(Path dir, String option, String value) throws IOException {
        Path password = Files.writeString(dir.resolve("password.txt"), "pw");
        List<String> args = new ArrayList<>(List.of("-H", "127.0.0.1"));
        if (!option.equals("-l")) {
            args.addAll(List.of("-l", "nagios"));
        }
        if (option.equals("--identity-passphrase-file")) {
            args.addAll(List.of("-i", "/nonexistent/key"));
        } else if (!option.equals("--password-file")) {
            args.addAll(List.of("--password-file", password.toString()));
        }
        args.addAll(List.of(option, value));
        return run(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @CsvSource({"--password-file", "--identity-passphrase-file", "-i", "--known-hosts"})
    void secretOrKeyFileThatIsADeviceIsRefusedNotRead(String option, @TempDir Path dir) throws IOException {
        CheckDynportTest.Run r = ssh(dir, option, "/dev/zero");
        assertEquals(3, r.exit());
        assertTrue(r.firstLine().matches("DYNPORT UNKNOWN - (--password-file|--identity-passphrase-file|-i/--identity"
                + "|--known-hosts) is not a regular file( \\(a FIFO, device or socket\\))? \\[/dev/zero\\]"), r.firstLine());
    }

    @Test
    // A hang detector, not a timing assertion: before the fix open() blocked forever (not interruptible).
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void secretFileThatIsAFifoIsRefusedWithoutBlocking(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("password");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        CheckDynportTest.Run r = run("-H", "127.0.0.1", "-l", "nagios", "--password-file", fifo.toString());
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - --password-file is not a regular file (a FIFO, device or socket) [" + fifo + "]",
                r.firstLine());
    }

    @Test
    void oversizedSecretFileIsRefusedWithoutShowingTheSecret(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("password"), "hunter2-".repeat(9000));
        CheckDynportTest.Run r = run("-H", "127.0.0.1", "-l", "nagios", "--password-file", file.toString());
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - --password-file is too large for a key or secret file (72000 bytes, at most 65536)"
                + " [" + file + "]", r.firstLine());
        assertFalse(r.out().contains("hunter2") || r.err().contains("hunter2"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "--password-file;--password-file [] is empty: give a file path",
        "--known-hosts;--known-hosts [] is empty: give a file path",
        "-l;-l/--logname [] is empty: give the remote user",
        "-p;-p/--ssh-port must be a number from 1 to 65535 []",
    })
    void emptySshOptionValueSaysEmpty(String option, String message, @TempDir Path dir) throws IOException {
        CheckDynportTest.Run r = ssh(dir, option, "");
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - " + message, r.firstLine());
    }

    @ParameterizedTest
    @CsvSource({"+22", "٢٢", "' 22'", "-22"})
    void sshPortTakesAsciiDigitsOnly(String port) {
        CheckDynportTest.Run r = run("-H", "127.0.0.1", "-l", "nagios", "-p", port);
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - -p/--ssh-port must be a number from 1 to 65535 [" + port + "]", r.firstLine());
    }

    @Test
    void captureAppendedToAnOldSnapshotIsRefusedNotReadAsTheOldVerdict(@TempDir Path dir) throws IOException {
        byte[] old = Files.readAllBytes(Path.of(snapshot("exchange-protected")));
        byte[] today = Files.readAllBytes(Path.of(snapshot("exchange-foreign-holder")));
        Path file = dir.resolve("appended-constructed.snapshot");
        Files.write(file, concat(old, today));
        int secondMarker = (int) new String(old, StandardCharsets.ISO_8859_1).lines().count() + 1;
        CheckDynportTest.Run r = run("--snapshot", file.toString());
        assertEquals(3, r.exit(), r.out());
        assertEquals("DYNPORT UNKNOWN - section netsh-dynamicport-tcp-ipv4 appears twice in " + file + " (marker lines 1"
                + " and " + secondMarker + "): refusing to guess which output is current; write each capture to its"
                + " own file (> not >>)", r.firstLine());
    }

    @Test
    void powershellAppendedCaptureInUtf16IsRefusedToo(@TempDir Path dir) throws IOException {
        String old = Files.readString(Path.of(snapshot("exchange-protected")), StandardCharsets.UTF_8);
        String today = Files.readString(Path.of(snapshot("exchange-foreign-holder")), StandardCharsets.UTF_8);
        Path file = dir.resolve("appended-utf16-constructed.snapshot");
        // PowerShell 5.1 '>>' appends in UTF-16LE without a second BOM.
        Files.write(file, concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, (old + today).getBytes(StandardCharsets.UTF_16LE)));
        CheckDynportTest.Run r = run("--snapshot", file.toString());
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.firstLine().startsWith("DYNPORT UNKNOWN - section netsh-dynamicport-tcp-ipv4 appears twice in "
                + file + " (marker lines 1 and "), r.firstLine());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
