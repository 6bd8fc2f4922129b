package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dynport.check.judge.CheckOptions;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.DynportCheck;
import dev.dynport.check.judge.Profile;
import dev.dynport.check.judge.WatchedPort;
import dev.dynport.check.model.State;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The SSH capture line for Linux targets: its shape, and its output on this machine read back. */
class LinuxCaptureTest {
    @Test
    void theExecRequestIsOneSingleQuotedShLine() {
        String line = LinuxCapture.sshCommandLine();
        assertTrue(line.startsWith("/bin/sh -c 'LC_ALL=C; export LC_ALL; echo \"#@section linux-capture-info\"; "),
                line);
        assertTrue(line.endsWith("; fi; exit 0'"), line);
        assertEquals(2, line.chars().filter(c -> c == '\'').count(), "only the outer quotes: " + line);
        assertTrue(line.contains("if command -v ss >/dev/null 2>&1; then echo \"#@section linux-ss-tanpH\"; ss -tanpH"
                + " 2>&1; else echo \"#@section linux-proc-net-tcp\"; cat /proc/net/tcp 2>&1; "), line);
    }

    @Test
    void theLineRunOnThisMachineIsACompleteCaptureThatReadsWithoutProblems() throws Exception {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"), "not Linux");
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh");
        Process p = new ProcessBuilder("/bin/sh", "-c", LinuxCapture.shBody()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        Snapshot s = SnapshotReader.read(out, StandardCharsets.UTF_8, "sh");
        assertEquals(List.of(), LinuxCapture.missing(s), new String(out, StandardCharsets.UTF_8));
        // a port nothing on a build machine listens on: judged, never refused
        CheckOptions options = new CheckOptions(Profile.NONE, List.of(new WatchedPort(1, "tcpmux", List.of(),
                WatchedPort.Origin.USER)), State.WARNING, false);
        CheckResult r = DynportCheck.judge(s, options);
        assertEquals(List.of(), r.problems(), new String(out, StandardCharsets.UTF_8));
        assertEquals(State.OK, r.state(), r.summary());
    }

    @Test
    void anSshLinuxCaptureWithoutSocketsIsTruncatedNamingWhatIsMissing() throws Exception {
        SshSource s = new SshSource(new SshTarget("127.0.0.1", 22, "monitor"),
                new SshCredentials(List.of(), "unused".getBytes(StandardCharsets.UTF_8)), new HostKeyPolicy(Path.of("/nonexistent"), false),
                StandardCharsets.UTF_8, dev.dynport.check.model.Platform.LINUX);
        byte[] partial = ("#@section linux-capture-info\nvm\n2026-12-01T05:00:00+0000\nLinux 6.1.0\n"
                + "#@section linux-ip_local_port_range\n32768\t60999\n#@section linux-ip_local_reserved_ports\n\n"
                + "#@section linux-proc-net-tcp\n  sl  local_address\n").getBytes(StandardCharsets.US_ASCII);
        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> s.interpret(new SshExchange.Received(partial, new byte[0], 0, false)));
        assertEquals(AcquisitionException.Failure.OUTPUT_TRUNCATED, e.failure());
        assertTrue(e.getMessage().endsWith("output truncated: section(s) [linux-proc-net-tcp6] missing from "
                + partial.length + " bytes"), e.getMessage());
        byte[] complete = ("#@section linux-capture-info\nvm\n2026-12-01T05:00:00+0000\nLinux 6.1.0\n"
                + "#@section linux-ip_local_port_range\n32768\t60999\n#@section linux-ip_local_reserved_ports\n\n"
                + "#@section linux-ss-tanpH\nLISTEN 0 1 0.0.0.0:22 0.0.0.0:*\n").getBytes(StandardCharsets.US_ASCII);
        assertEquals(4, s.interpret(new SshExchange.Received(complete, new byte[0], 0, false)).sections().size());
    }
}
