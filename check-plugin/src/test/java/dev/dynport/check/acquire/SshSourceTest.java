package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.AcquisitionException.Failure;
import dev.dynport.check.acquire.WindowsShellEmulator.Program;
import dev.dynport.check.acquire.WindowsShellEmulator.Shell;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What an SSH acquisition returns: the capture's sections and bytes, and how a failed or odd capture is told. */
class SshSourceTest extends SshSourceFixture {
    @Test
    void readsEverySectionOfTheRealCapturesOverOneExecChannel() throws Exception {
        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        assertEquals(List.of(CaptureCommand.sshCommandLine()), host.commands);
        assertEquals(CaptureCommand.sections().size(), s.sections().size());
        assertEquals("ssh://monitor@127.0.0.1:" + host.port(), s.origin());
        String dyn = s.section(Section.DYNAMICPORT_TCP_IPV4).orElseThrow();
        assertEquals("Protocol tcp Dynamic Port Range\r\n---------------------------------\r\n"
                + "Start Port      : 49152\r\nNumber of Ports : 16384\r\n", dyn);
        assertTrue(s.section(Section.EXCLUDED_TCP_IPV4).orElseThrow().contains("     55679       55679     *"));
        assertTrue(s.section(Section.NETSTAT).orElseThrow().contains("  TCP    [::]:80                [::]:0                 LISTENING       1424"));
        assertTrue(s.section(Section.TASKLIST).orElseThrow().startsWith("\"System Idle Process\",\"0\",\"N/A\"\r\n"));
    }

    @Test
    void keepsTheBytesTheHostPrintedSoSaveSnapshotReplaysIdentically() throws Exception {
        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        byte[] printed = host.expectedOutcome().stdout();
        assertArrayEquals(printed, s.raw());
        Path saved = dir.resolve("saved-snapshot.txt");
        Files.write(saved, s.raw());
        assertArrayEquals(printed, Files.readAllBytes(saved));
        Snapshot replayed = new SnapshotFileSource(saved, CP850).acquire(TIMEOUT);
        assertEquals(s.sections(), replayed.sections());
    }

    @ParameterizedTest
    @EnumSource(value = Shell.class, names = {"CMD", "POWERSHELL"})
    void sameSnapshotWhateverTheAccountsDefaultShell(Shell shell) throws Exception {
        host.shell(shell);

        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        byte[] viaCmd = WindowsShellEmulator.run(Shell.CMD, CaptureCommand.sshCommandLine(),
                FakeWindowsHost.realPrograms()).stdout();
        assertArrayEquals(viaCmd, s.raw());
        assertEquals(CaptureCommand.sections().size(), s.sections().size());
    }

    @Test
    void nonZeroExitReportsTheFirstLineOfStderr() throws Exception {
        host.shell(Shell.POSIX_SH);

        AcquisitionException e = assertThrows(AcquisitionException.class, () -> keySource(ed25519, null).acquire(TIMEOUT));

        assertEquals(Failure.REMOTE_COMMAND_FAILED, e.failure());
        assertEquals("ssh [monitor@127.0.0.1:" + host.port() + "]: remote command exited with status 127: sh: 1: cmd: not found",
                e.getMessage());
    }

    @Test
    void missingWindowsCommandShowsItsErrorInsideItsSection() throws Exception {
        host.withoutProgram(Section.DYNAMICPORT_TCP_IPV6.argv());

        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        assertEquals("'netsh' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n",
                s.section(Section.DYNAMICPORT_TCP_IPV6).orElseThrow());
    }

    @Test
    void germanNetstatInUtf8AfterChcpIsDecodedAsUtf8() throws Exception {
        host.program(Section.NETSTAT.argv(), Program.of(FakeWindowsHost.fixture("netstat-ano-de-01-cp850-constructed.txt", CP850)));

        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        assertTrue(indexOf(s.raw(), "ABH\u00d6REN".getBytes(StandardCharsets.UTF_8)) >= 0, "UTF-8 bytes on the wire");
        assertTrue(s.section(Section.NETSTAT).orElseThrow().contains("0.0.0.0:0              ABH\u00d6REN         10520"));
    }

    @Test
    void germanNetstatInOemCodePageIsDecodedWithTheFallbackCharset() throws Exception {
        host.program(Section.NETSTAT.argv(), new Program(
                FakeWindowsHost.fixture("netstat-ano-de-01-cp850-constructed.txt", CP850), CP850, 0));

        Snapshot s = keySource(ed25519, null).acquire(TIMEOUT);

        assertTrue(indexOf(s.raw(), new byte[] {'A', 'B', 'H', (byte) 0x99, 'R'}) >= 0, "CP850 bytes on the wire");
        assertTrue(s.section(Section.NETSTAT).orElseThrow().contains("ABH\u00d6REN         10520"));
        assertTrue(s.section(Section.DYNAMICPORT_TCP_IPV4).orElseThrow().startsWith("Protocol tcp"));
    }

    @Test
    void printsNothingOnStdoutWhetherItWorksOrFails() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            keySource(ed25519, null).acquire(TIMEOUT);
            host.password("x");
            assertThrows(AcquisitionException.class,
                    () -> source(password("wrong"), new HostKeyPolicy(knownHosts, false)).acquire(TIMEOUT));
        } finally {
            System.setOut(original);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void exitZeroWithoutEverySectionIsTruncatedNamingTheMissingOnes() {
        byte[] partial = ("#@section netsh-dynamicport-tcp-ipv4\r\nProtocol tcp Dynamic Port Range\r\n"
                + "#@section netstat-ano\r\n").getBytes(StandardCharsets.US_ASCII);
        SshSource s = source(password("unused"), new HostKeyPolicy(knownHosts, false));

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> s.interpret(new SshExchange.Received(partial, new byte[0], 0, false)));

        assertEquals(Failure.OUTPUT_TRUNCATED, e.failure());
        // ten names pass the one-line limit of 240 characters: the message keeps the first ones
        assertTrue(e.getMessage().contains("output truncated: section(s) [capture-info, netsh-dynamicport-tcp-ipv6,"
                + " netsh-excludedportrange-tcp-ipv4, netsh-excludedportrange-tcp-ipv6, tasklist-svc-csv,"
                + " sc-qc-msexchangepop3be, "), e.getMessage());
        byte[] withoutSc = ("#@section capture-info\r\nEXCH01\r\n#@section netsh-dynamicport-tcp-ipv4\r\nx\r\n"
                + "#@section netsh-dynamicport-tcp-ipv6\r\nx\r\n#@section netsh-excludedportrange-tcp-ipv4\r\nx\r\n"
                + "#@section netsh-excludedportrange-tcp-ipv6\r\nx\r\n#@section netstat-ano\r\nx\r\n"
                + "#@section tasklist-svc-csv\r\n").getBytes(StandardCharsets.US_ASCII);
        AcquisitionException cut = assertThrows(AcquisitionException.class,
                () -> s.interpret(new SshExchange.Received(withoutSc, new byte[0], 0, false)));
        assertTrue(cut.getMessage().endsWith("output truncated: section(s) [sc-qc-msexchangepop3be,"
                + " sc-queryex-msexchangepop3be, sc-qc-msexchangeimap4be, sc-queryex-msexchangeimap4be] missing from "
                + withoutSc.length + " bytes"), cut.getMessage());
    }

    @Test
    void exitZeroWithoutMarkersIsARemoteCommandFailure() {
        byte[] banner = "Welcome to exch01\r\nThis account may not run commands.\r\n".getBytes(StandardCharsets.US_ASCII);
        SshSource s = source(password("unused"), new HostKeyPolicy(knownHosts, false));

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> s.interpret(new SshExchange.Received(banner, new byte[0], 0, false)));

        assertEquals(Failure.REMOTE_COMMAND_FAILED, e.failure());
        assertTrue(e.getMessage().endsWith("remote command printed no section markers (" + banner.length
                + " bytes): Welcome to exch01 / This account may not run commands."), e.getMessage());
    }

    @Test
    void aCaptureTheReaderRefusesIsReportedInTheReadersWordsNotAsMissingMarkers() {
        byte[] twice = ("#@section netsh-dynamicport-tcp-ipv4\r\nProtocol tcp Dynamic Port Range\r\n"
                + "#@section netsh-dynamicport-tcp-ipv4\r\nProtocol tcp Dynamic Port Range\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        SshSource s = source(password("unused"), new HostKeyPolicy(knownHosts, false));

        AcquisitionException e = assertThrows(AcquisitionException.class,
                () -> s.interpret(new SshExchange.Received(twice, new byte[0], 0, false)));

        assertEquals(Failure.INPUT_UNREADABLE, e.failure());
        assertTrue(e.getMessage().contains("section netsh-dynamicport-tcp-ipv4 appears twice"), e.getMessage());
        assertFalse(e.getMessage().contains("no section markers"), e.getMessage());
    }

    @Test
    void toStringMasksSecrets() {
        SshSource s = source(password("Winter2026!"), new HostKeyPolicy(knownHosts, false));

        assertFalse(s.toString().contains("Winter2026"), s.toString());
        assertTrue(s.toString().contains("password=<masked>"), s.toString());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
