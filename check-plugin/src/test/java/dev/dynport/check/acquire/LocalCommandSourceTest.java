package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.judge.CheckOptions;
import dev.dynport.check.judge.CheckResult;
import dev.dynport.check.judge.DynportCheck;
import dev.dynport.check.render.NagiosText;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --local} on this (Linux) machine with stand-in programs (constructed: shell scripts that print the
 * sections of a scenario snapshot), told it runs on Windows: the same verdict as reading the snapshot.
 */
class LocalCommandSourceTest {
    static final Charset CP850 = Charset.forName("IBM850");

    static Path scenario(String name) throws Exception {
        return Path.of(LocalCommandSourceTest.class.getResource("/snapshots/" + name + "-constructed.snapshot").toURI());
    }

    /** What the constructed capture-info stand-in prints when the scenario snapshot has none (they predate it). */
    static final String CAPTURE_INFO = "EXCH01\r\n2024-05-02T14:03:07.1234567+02:00\r\nMicrosoft Windows NT 10.0.17763.0\r\n";

    /**
     * The scenario's sections, with {@link #CAPTURE_INFO} and sc's "not installed" where it has none (the
     * scenarios predate them): what the stand-ins print.
     */
    static Snapshot withCaptureInfo(Snapshot snapshot) {
        java.util.Map<Section, String> sections = new java.util.EnumMap<>(Section.class);
        sections.put(Section.CAPTURE_INFO, CAPTURE_INFO);
        for (Section sc : Section.values()) {
            // the scenarios predate the sc sections: the stand-in prints a not-installed failure, as sc.exe does
            sc.service().ifPresent(name -> sections.put(sc, "[SC] OpenService FAILED 1060:\r\n\r\n"
                    + "The specified service does not exist as an installed service.\r\n\r\n"));
        }
        sections.putAll(snapshot.sections());
        return new Snapshot(new byte[0], sections, snapshot.origin());
    }

    /** One script per program; each prints the section its arguments ask for. */
    static void standIns(Path dir, Snapshot scenario) throws IOException {
        Snapshot snapshot = withCaptureInfo(scenario);
        for (Section section : CaptureCommand.sections()) {
            Files.write(dir.resolve(section.sectionName() + ".out"),
                    snapshot.section(section).orElseThrow().getBytes(StandardCharsets.UTF_8));
        }
        for (String program : new String[] {"powershell", "netsh", "netstat", "tasklist", "sc.exe"}) {
            Files.createDirectories(program(dir, program).getParent());
            StringBuilder script = new StringBuilder("#!/bin/sh\ncase \"$*\" in\n");
            for (Section section : CaptureCommand.sections()) {
                if (section.argv().get(0).equals(program)) {
                    String args = String.join(" ", section.argv().subList(1, section.argv().size()));
                    script.append("  \"").append(args).append("\") cat \"").append(dir.resolve(section.sectionName() + ".out"))
                            .append("\" ;;\n");
                }
            }
            script.append("  *) echo \"unexpected arguments: $*\"; exit 1 ;;\nesac\n");
            executable(program(dir, program), script.toString());
        }
    }

    /** Where a program's stand-in lives under the System32 stand-in: the layout of the real System32. */
    static Path program(Path system32, String name) {
        return switch (name) {
            case "powershell" -> system32.resolve("WindowsPowerShell/v1.0/powershell.exe");
            case "sc.exe" -> system32.resolve("sc.exe");
            default -> system32.resolve(name + ".exe");
        };
    }

    /** {@code --local} told it runs on Windows, its System32 pointed at the stand-ins through the test seam. */
    static LocalCommandSource local(String osName, Path system32) {
        return new LocalCommandSource(CP850, osName, Map.of(LocalCommandSource.SYSTEM32_SEAM, system32.toString()));
    }

    static void executable(Path file, String script) throws IOException {
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void localRunGivesTheSameVerdictAsTheSnapshot(@TempDir Path dir) throws Exception {
        Snapshot reference = withCaptureInfo(
                new SnapshotFileSource(scenario("exchange-foreign-holder"), CP850).acquire(Duration.ofSeconds(5)));
        standIns(dir, reference);
        Snapshot local = local("Windows Server 2019", dir).acquire(Duration.ofSeconds(10));
        assertEquals(reference.sections(), local.sections());
        CheckResult fromLocal = DynportCheck.judge(local, CheckOptions.defaults());
        CheckResult fromFile = DynportCheck.judge(reference, CheckOptions.defaults());
        assertEquals(NagiosText.render(fromFile, false), NagiosText.render(fromLocal, false));
        assertTrue(new String(local.raw(), StandardCharsets.UTF_8).startsWith("#@section capture-info\r\nEXCH01\r\n"));
    }

    /** The e2e seam: DYNPORT_SYSTEM32 makes --local run the stand-ins on this Linux machine. */
    @Test
    void standInFolderFromTheEnvironmentRunsOnAnyOs(@TempDir Path dir) throws Exception {
        Snapshot reference = withCaptureInfo(
                new SnapshotFileSource(scenario("exchange-exposed"), CP850).acquire(Duration.ofSeconds(5)));
        standIns(dir, reference);
        Snapshot local = LocalCommandSource.forEnvironment(CP850, "Linux",
                java.util.Map.of(LocalCommandSource.SYSTEM32_SEAM, dir.toString())).acquire(Duration.ofSeconds(10));
        assertEquals(reference.sections(), local.sections());
    }

    /** Without the variable nothing changes: --local outside Windows stays UNKNOWN, never a run of stand-ins. */
    @Test
    void withoutTheStandInVariableLocalStillNeedsWindows(@TempDir Path dir) throws Exception {
        standIns(dir, new SnapshotFileSource(scenario("exchange-protected"), CP850).acquire(Duration.ofSeconds(5)));
        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> LocalCommandSource.forEnvironment(CP850, "Linux", java.util.Map.of("DYNPORT_SYSTEM32", ""))
                        .acquire(Duration.ofSeconds(10)));
        assertEquals(AcquisitionException.Failure.UNSUPPORTED_PLATFORM, e.failure());
    }

    @Test
    void relativeStandInFolderIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalCommandSource.forEnvironment(CP850, "Linux", java.util.Map.of("DYNPORT_SYSTEM32", "winbin")));
        assertEquals("DYNPORT_SYSTEM32 [winbin] must be an absolute folder of stand-in programs (a test seam: unset it"
                + " in production)", e.getMessage());
    }

    @Test
    void missingProgramIsNamed(@TempDir Path dir) throws Exception {
        standIns(dir, new SnapshotFileSource(scenario("exchange-protected"), CP850).acquire(Duration.ofSeconds(5)));
        Files.delete(program(dir, "netstat"));
        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> local("Windows 10", dir).acquire(Duration.ofSeconds(10)));
        assertEquals(AcquisitionException.Failure.REMOTE_COMMAND_FAILED, e.failure());
        assertTrue(e.getMessage().startsWith("cannot run [netstat -ano]"), e.getMessage());
    }

    @Test
    void hangingProgramEndsAtTheDeadline(@TempDir Path dir) throws Exception {
        standIns(dir, new SnapshotFileSource(scenario("exchange-protected"), CP850).acquire(Duration.ofSeconds(5)));
        executable(program(dir, "tasklist"), "#!/bin/sh\nexec sleep 30\n");
        long start = System.nanoTime();
        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> local("Windows 10", dir).acquire(Duration.ofSeconds(2)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(AcquisitionException.Failure.TIMEOUT, e.failure());
        assertEquals("timed out running [tasklist /svc /fo csv /nh]", e.getMessage());
        assertTrue(millis < 4_000, "took " + millis + " ms");
    }

    /**
     * A bare program name lets Windows run a netstat.exe from java.exe's or the current directory before
     * System32's: every program runs by its full path under %SystemRoot%\\System32.
     */
    @Test
    void runsEveryProgramByItsFullPathUnderSystemRoot() throws Exception {
        LocalCommandSource source = new LocalCommandSource(CP850, "Windows Server 2019", Map.of("SystemRoot", "D:\\WINNT"));
        assertEquals(List.of("D:\\WINNT\\System32\\netstat.exe", "-ano"), source.argv(Section.NETSTAT));
        assertEquals(List.of("D:\\WINNT\\System32\\netsh.exe", "int", "ipv4", "show", "dynamicport", "tcp"),
                source.argv(Section.DYNAMICPORT_TCP_IPV4));
        assertEquals("D:\\WINNT\\System32\\tasklist.exe", source.argv(Section.TASKLIST).get(0));
        assertEquals("D:\\WINNT\\System32\\sc.exe", source.argv(Section.SC_QC_POP3BE).get(0));
        assertEquals("D:\\WINNT\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                source.argv(Section.CAPTURE_INFO).get(0));
        for (Section section : CaptureCommand.sections()) {
            assertTrue(source.argv(section).get(0).startsWith("D:\\WINNT\\System32\\"), section.name());
        }
    }

    @Test
    void withoutSystemRootUsesTheDefaultWindowsFolderNotTheCurrentDirectory() throws Exception {
        LocalCommandSource source = new LocalCommandSource(CP850, "Windows 10", Map.of("PATH", "."));
        assertEquals("C:\\Windows\\System32\\netstat.exe", source.argv(Section.NETSTAT).get(0));
        // Windows names its variables case-insensitively; a trailing backslash adds no empty path element
        LocalCommandSource upper = new LocalCommandSource(CP850, "Windows 10", Map.of("SYSTEMROOT", "E:\\Win\\"));
        assertEquals("E:\\Win\\System32\\netstat.exe", upper.argv(Section.NETSTAT).get(0));
    }

    @Test
    void relativeSystemRootIsRefusedAndNamed() {
        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> new LocalCommandSource(CP850, "Windows 10", Map.of("SystemRoot", "Windows"))
                        .acquire(Duration.ofSeconds(5)));
        assertEquals("--local runs its programs from %SystemRoot%\\System32, and SystemRoot is not an absolute path"
                + " [Windows]", e.getMessage());
    }

    @Test
    void testSeamReplacesSystem32WithTheSameLayout(@TempDir Path dir) throws Exception {
        LocalCommandSource source = local("Windows 10", dir);
        assertEquals(dir.resolve("WindowsPowerShell/v1.0/powershell.exe").toString(),
                source.argv(Section.CAPTURE_INFO).get(0));
        assertEquals(dir.resolve("netstat.exe").toString(), source.argv(Section.NETSTAT).get(0));
    }

    /** Spins until the stand-in has written its pid file; the pid of a process it runs. */
    private static long awaitPid(Path file) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String text = Files.readString(file).strip();
                if (!text.isEmpty()) {
                    return Long.parseLong(text);
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("hang guard: no pid in " + file);
    }

    /** Hang guard: the process ends (it was killed); destroys it and fails if it does not. */
    private static void assertEnds(long pid, String what) throws Exception {
        ProcessHandle p = ProcessHandle.of(pid).orElse(null);
        if (p == null) {
            return;
        }
        try {
            p.onExit().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly();
            throw new AssertionError(what + " (pid " + pid + ") still runs");
        }
    }

    @Test
    void endlessOutputIsCutAtTheCaptureLimitAndTheProgramKilled(@TempDir Path dir) throws Exception {
        standIns(dir, new SnapshotFileSource(scenario("exchange-protected"), CP850).acquire(Duration.ofSeconds(5)));
        Path pid = dir.resolve("netstat.pid");
        executable(program(dir, "netstat"), "#!/bin/sh\necho $$ > '" + pid + "'\nexec cat /dev/zero\n");
        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> local("Windows 10", dir).acquire(Duration.ofSeconds(30)));
        assertEquals("output of [netstat -ano] passed the capture limit of " + SnapshotFileSource.MAX_BYTES
                + " bytes; not a dynport capture", e.getMessage());
        assertEquals(AcquisitionException.Failure.REMOTE_COMMAND_FAILED, e.failure());
        assertEnds(awaitPid(pid), "the endless program");
    }

    @Test
    void interruptKillsTheProgramAndWhatItStartedAndSaysSo(@TempDir Path dir) throws Exception {
        standIns(dir, new SnapshotFileSource(scenario("exchange-protected"), CP850).acquire(Duration.ofSeconds(5)));
        Path childPid = dir.resolve("child.pid");
        executable(program(dir, "tasklist"), "#!/bin/sh\nsleep 600 &\necho $! > '" + childPid + "'\nwait\n");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread probe = new Thread(() -> {
            try {
                local("Windows 10", dir).acquire(Duration.ofMinutes(10));
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "test-probe");
        probe.start();
        long child = awaitPid(childPid);
        // The child can write its pid before the reader thread is started: wait for the thread (hang guard only).
        long seen = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("dynport-local-read ") && t.isDaemon())
                && System.nanoTime() < seen) {
            Thread.sleep(10);
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("dynport-local-read ") && t.isDaemon()),
                "the output is read on a named daemon thread, not the common pool");
        probe.interrupt();
        probe.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(probe.isAlive(), "hang guard: acquire did not return after the interrupt");
        AcquisitionException e = assertInstanceOf(AcquisitionException.class, thrown.get());
        assertEquals("interrupted running [tasklist /svc /fo csv /nh]", e.getMessage());
        assertEnds(child, "the program's child");
    }
}
