package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar through the real launcher ({@code bin/check_dynport}, {@code -Xmx64m}): input that does not fit
 * the heap ends in UNKNOWN naming the file and its size, never in OutOfMemoryError; input the bound accepts
 * completes. Row shapes are those measured in {@code InputBudget}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang detector for the whole class, not a timing assertion
class LauncherHeapIT {
    private static final Path LAUNCHER = Path.of("bin", "check_dynport");
    private static final String NETSTAT_ROW = "  TCP    10.0.12.25:60000       10.0.0.101:443         ESTABLISHED     3333\r\n";

    @TempDir
    Path dir;

    record Run(int exit, String firstLine) {
    }

    static Run launch(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        return new Run(exit, out.lines().findFirst().orElse(""));
    }

    /** The constructed OK scenario with {@code extra} inserted at the end of one section. */
    private Path scenario(String name, String beforeMarker, ExtraWriter extra) throws IOException {
        String base = Files.readString(Path.of(CheckDynportTest.snapshot("exchange-protected")), StandardCharsets.UTF_8);
        int at = base.indexOf(beforeMarker);
        Path file = dir.resolve(name + "-constructed.snapshot");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(base.substring(0, at).getBytes(StandardCharsets.UTF_8));
            extra.write(out);
            out.write(base.substring(at).getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    @FunctionalInterface
    interface ExtraWriter {
        void write(OutputStream out) throws IOException;
    }

    private Path netstatRows(String name, int rows) throws IOException {
        byte[] row = NETSTAT_ROW.getBytes(StandardCharsets.US_ASCII);
        return scenario(name, "#@section tasklist-svc-csv", out -> {
            for (int i = 0; i < rows; i++) {
                out.write(row);
            }
        });
    }

    @Test
    void devZeroIsRefusedAsTooLargeNotOutOfMemory() throws Exception {
        Run r = launch("--snapshot", "/dev/zero");
        assertEquals(3, r.exit(), r.firstLine());
        assertTrue(r.firstLine().startsWith("DYNPORT UNKNOWN - cannot read snapshot [/dev/zero]: too large (more than "),
                r.firstLine());
    }

    @Test
    void fileOverTheSnapshotFileLimitIsRefusedBeforeItIsRead() throws Exception {
        Path file = dir.resolve("zeros-constructed.snapshot");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(256L * 1024 * 1024 + 1); // sparse: costs no disk
        }
        Run r = launch("--snapshot", file.toString());
        assertEquals(3, r.exit(), r.firstLine());
        assertEquals("DYNPORT UNKNOWN - cannot read snapshot [" + file + "]: too large (268435457 bytes); this check"
                + " reads at most 268435456 bytes from a snapshot file", r.firstLine());
    }

    /** 64 MiB was the limit while a file was held whole; a file that size is now scanned and judged for what it is. */
    @Test
    void fileOfTheOld64MiBLimitIsScannedNotRefusedForItsSize() throws Exception {
        Path file = dir.resolve("zeros-constructed.snapshot");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(64L * 1024 * 1024 - 1);
        }
        Run r = launch("--snapshot", file.toString());
        assertEquals(3, r.exit(), r.firstLine());
        assertEquals("DYNPORT UNKNOWN - not a dynport snapshot: no '#@section NAME' marker line in " + file
                + " (67108863 bytes)", r.firstLine());
    }

    /** A netstat section of a snapshot file is streamed: 500,000 rows (37 MB, refused before) are judged. */
    @Test
    void netstatOfHalfAMillionRowsIsJudgedInTheLaunchersHeap() throws Exception {
        Path file = netstatRows("netstat-500000-rows", 500_000);
        Run r = launch("--snapshot", file.toString());
        assertEquals(0, r.exit(), r.firstLine());
        assertTrue(r.firstLine().startsWith("DYNPORT OK - 4 watched ports safe"), r.firstLine());
    }

    /** A busy Exchange front-end: 200,000 rows were refused (and before the budget, OutOfMemoryError). */
    @Test
    void netstatOfABusyFrontEndIsJudged() throws Exception {
        Run r = launch("--snapshot", netstatRows("netstat-200000-rows", 200_000).toString(), "-v");
        assertEquals(0, r.exit(), r.firstLine());
        assertTrue(r.firstLine().startsWith("DYNPORT OK - 4 watched ports safe"), r.firstLine());
    }

    /**
     * One character beyond Latin-1 doubled the held text and the decoder's peak (150,000 such rows were refused);
     * streamed, the section costs one line of it.
     */
    @Test
    void wideDecodedNetstatIsJudgedNotRefused() throws Exception {
        byte[] row = NETSTAT_ROW.getBytes(StandardCharsets.US_ASCII);
        Path file = scenario("netstat-wide", "#@section tasklist-svc-csv", out -> {
            out.write("  TCP    0.0.0.0:135  0.0.0.0:0  ABH\u2500REN  888\r\n".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 150_000; i++) {
                out.write(row);
            }
        });
        Run r = launch("--snapshot", file.toString());
        assertEquals(0, r.exit(), r.firstLine());
        assertTrue(r.firstLine().startsWith("DYNPORT OK - 4 watched ports safe"), r.firstLine());
    }

    @Test
    void millionsOfBlankLinesAreRefusedNotOutOfMemory() throws Exception {
        byte[] blank = "\n".repeat(2_000_000).getBytes(StandardCharsets.US_ASCII);
        // In the tasklist section, whose parser still keeps a line object each (netstat streams them).
        Path file = scenario("blank-lines", "\"lsass.exe\"", out -> out.write(blank));
        Run r = launch("--snapshot", file.toString());
        assertEquals(3, r.exit(), r.firstLine());
        assertTrue(r.firstLine().contains(" is too large for this check's heap: "), r.firstLine());
    }

    @Test
    void oneLineOfMillionsOfWordsIsRefusedNotOutOfMemory() throws Exception {
        Path file = scenario("long-line", "#@section tasklist-svc-csv",
                out -> out.write(("TCP " + "a ".repeat(3_000_000) + "\r\n").getBytes(StandardCharsets.US_ASCII)));
        Run r = launch("--snapshot", file.toString());
        assertEquals(3, r.exit(), r.firstLine());
        assertTrue(r.firstLine().contains("(section netstat-ano) is longer than 65536 characters"), r.firstLine());
    }

    @Test
    void tasklistOfManyServiceRowsIsRefusedNotOutOfMemory() throws Exception {
        Path file = scenario("tasklist-rows", "\"lsass.exe\"", out -> {
            for (int i = 0; i < 103_783; i++) {
                out.write(("\"svchost.exe\",\"" + (10_000 + i) + "\",\"AeLookupSvc,Appinfo,AppMgmt,BITS,CertPropSvc,gpsvc\"\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        });
        Run r = launch("--snapshot", file.toString());
        assertEquals(3, r.exit(), r.firstLine());
        assertTrue(r.firstLine().contains(" is too large for this check's heap: "), r.firstLine());
    }
}
