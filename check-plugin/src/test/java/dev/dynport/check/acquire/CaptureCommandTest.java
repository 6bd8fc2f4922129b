package dev.dynport.check.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.WindowsShellEmulator.Outcome;
import dev.dynport.check.acquire.WindowsShellEmulator.Shell;
import dev.dynport.check.model.BackendSettings;
import dev.dynport.check.parse.BackendSettingsParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureCommandTest {
    private static final Path TEMPLATE = Paths.get("..", "templates", "windows", "capture-snapshot.cmd");

    @Test
    void sshCommandLineIsOneCmdInvocationWithEverySectionInOrder() {
        assertEquals("cmd /d /c \"chcp 65001 >nul & "
                + "echo #@section capture-info& powershell -NoProfile -NonInteractive -InputFormat None -Command"
                + " hostname;Get-Date -Format o;[Environment]::OSVersion.VersionString 2>&1 & "
                + "echo #@section netsh-dynamicport-tcp-ipv4& netsh int ipv4 show dynamicport tcp 2>&1 & "
                + "echo #@section netsh-dynamicport-tcp-ipv6& netsh int ipv6 show dynamicport tcp 2>&1 & "
                + "echo #@section netsh-excludedportrange-tcp-ipv4& netsh int ipv4 show excludedportrange protocol=tcp 2>&1 & "
                + "echo #@section netsh-excludedportrange-tcp-ipv6& netsh int ipv6 show excludedportrange protocol=tcp 2>&1 & "
                + "echo #@section netstat-ano& netstat -ano 2>&1 & "
                + "echo #@section tasklist-svc-csv& tasklist /svc /fo csv /nh 2>&1 & "
                + "echo #@section sc-qc-msexchangepop3be& sc.exe qc MSExchangePOP3BE 2>&1 & "
                + "echo #@section sc-queryex-msexchangepop3be& sc.exe queryex MSExchangePOP3BE 2>&1 & "
                + "echo #@section sc-qc-msexchangeimap4be& sc.exe qc MSExchangeIMAP4BE 2>&1 & "
                + "echo #@section sc-queryex-msexchangeimap4be& sc.exe queryex MSExchangeIMAP4BE 2>&1 & "
                + "exit /b 0\"",
                CaptureCommand.sshCommandLine());
    }

    @Test
    void bodyHoldsNothingEitherShellWouldExpandOrRequote() {
        String body = CaptureCommand.cmdBody();

        for (char c : CaptureCommand.FORBIDDEN_IN_BODY.toCharArray()) {
            assertEquals(-1, body.indexOf(c), "found [" + c + "]");
        }
    }

    @Test
    void cmdAndPowerShellDefaultShellsPrintTheSameBytes() {
        Outcome cmd = WindowsShellEmulator.run(Shell.CMD, CaptureCommand.sshCommandLine(), FakeWindowsHost.realPrograms());
        Outcome ps = WindowsShellEmulator.run(Shell.POWERSHELL, CaptureCommand.sshCommandLine(), FakeWindowsHost.realPrograms());

        assertEquals(0, cmd.exitCode());
        assertEquals(new String(cmd.stdout(), StandardCharsets.UTF_8), new String(ps.stdout(), StandardCharsets.UTF_8));
        assertEquals(0, ps.stderr().length);
        assertTrue(new String(cmd.stdout(), StandardCharsets.UTF_8).startsWith("#@section capture-info\r\nEXCH01\r\n"
                + "2024-05-02T14:03:07.1234567+02:00\r\nMicrosoft Windows NT 10.0.17763.0\r\n"
                + "#@section netsh-dynamicport-tcp-ipv4\r\nProtocol tcp Dynamic Port Range\r\n"));
    }

    /**
     * sc.exe exits 1060 for a service that is not installed, and sc is the last command: without its own exit
     * status the line would end with 1060 and SSH would report a failed capture on every host without IMAP4.
     */
    @Test
    void aNotInstalledServiceInTheLastCommandStillEndsTheCaptureWithStatusZero() {
        for (Shell shell : List.of(Shell.CMD, Shell.POWERSHELL)) {
            Outcome o = WindowsShellEmulator.run(shell, CaptureCommand.sshCommandLine(), FakeWindowsHost.realPrograms());

            assertEquals(0, o.exitCode(), shell.name());
            assertTrue(new String(o.stdout(), StandardCharsets.UTF_8).endsWith("#@section sc-queryex-msexchangeimap4be\r\n"
                    + "[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\n"
                    + "The specified service does not exist as an installed service.\r\n\r\n"), shell.name());
        }
    }

    /** Guards the emulator itself: the bare cmd syntax is what a PowerShell default shell refuses. */
    @Test
    void powerShellDefaultShellRefusesTheBodyWithoutTheCmdWrapper() {
        Outcome ps = WindowsShellEmulator.run(Shell.POWERSHELL, CaptureCommand.cmdBody(), FakeWindowsHost.realPrograms());

        assertEquals(1, ps.exitCode());
        assertEquals(0, ps.stdout().length);
        assertTrue(new String(ps.stderr(), StandardCharsets.ISO_8859_1).startsWith("The ampersand (&) character is not allowed."));
    }

    /**
     * {@code .\\capture-snapshot.cmd > snap.txt} in Windows PowerShell 5.1: PowerShell decodes the script's
     * output in the console code page it cached at start (not the 65001 the script switched to) and writes
     * UTF-16LE with a BOM. The reader takes the UTF-16; ASCII sections come through exactly, non-ASCII text
     * (German netstat states) arrives mangled: the documented reason to pass the file name as an argument.
     */
    @Test
    void powerShellRedirectOfTheCaptureIsReadableWithAsciiExactAndUmlautsMangled() throws Exception {
        var programs = new java.util.HashMap<>(FakeWindowsHost.realPrograms());
        programs.put(Section.NETSTAT.argv(), WindowsShellEmulator.Program.of(
                FakeWindowsHost.fixture("netstat-ano-de-01-cp850-constructed.txt", FakeWindowsHost.CP850)));
        byte[] printed = WindowsShellEmulator.run(Shell.CMD, CaptureCommand.sshCommandLine(), programs).stdout();
        String asPowerShellSawIt = new String(printed, FakeWindowsHost.CP850);
        byte[] utf16 = ("\uFEFF" + asPowerShellSawIt).getBytes(StandardCharsets.UTF_16LE);

        Snapshot direct = SnapshotReader.read(printed, FakeWindowsHost.CP850, "direct");
        Snapshot redirected = SnapshotReader.read(utf16, FakeWindowsHost.CP850, "powershell");

        for (Section ascii : List.of(Section.EXCLUDED_TCP_IPV4, Section.DYNAMICPORT_TCP_IPV6, Section.TASKLIST)) {
            assertEquals(direct.section(ascii).orElseThrow(), redirected.section(ascii).orElseThrow(),
                    ascii.sectionName());
        }
        assertTrue(direct.section(Section.NETSTAT).orElseThrow().contains("ABH\u00d6REN"));
        assertTrue(redirected.section(Section.NETSTAT).orElseThrow().contains("ABH\u251c\u00fbREN"),
                redirected.section(Section.NETSTAT).orElseThrow());
    }

    private static final String SYSTEM32 = "%SystemRoot%\\System32\\";

    /**
     * The script runs each program by its full path: cmd searches a bare name in the current directory first,
     * where a planted netstat.exe would run instead (a scheduled task's start folder, a download folder).
     */
    private static String fullPath(String program) {
        return SYSTEM32 + switch (program) {
            case "powershell" -> "WindowsPowerShell\\v1.0\\powershell.exe";
            case "sc.exe" -> "sc.exe";
            default -> program + ".exe";
        };
    }

    @Test
    void templateRunsTheSameCommandsInTheSameOrderAfterChcp65001() throws Exception {
        byte[] bytes = Files.readAllBytes(TEMPLATE);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        List<String> lines = List.of(text.split("\r\n", -1));

        assertTrue(text.endsWith("\r\n") && text.replace("\r\n", "").indexOf('\n') < 0, "CRLF line ends only");
        assertEquals("@echo off", lines.get(0));
        int chcp = lines.indexOf(SYSTEM32 + "chcp.com 65001 >nul");
        int capture = lines.indexOf(":capture");
        assertTrue(chcp > 0 && chcp < capture, "chcp 65001 before the capture");
        List<String> expected = new ArrayList<>();
        for (Section s : CaptureCommand.sections()) {
            expected.add("echo " + Section.MARKER_PREFIX + s.sectionName());
            expected.add(fullPath(s.argv().get(0)) + s.commandLine().substring(s.argv().get(0).length()) + " 2>&1");
        }
        expected.add("echo " + Section.MARKER_PREFIX + Section.EXCHANGE_POPIMAP_SETTINGS.sectionName());
        assertEquals(expected, lines.subList(capture + 1, capture + 1 + expected.size()));
        int after = capture + 1 + expected.size();
        assertEquals(List.of(Section.EXCHANGE_POPIMAP_SETTINGS), CaptureCommand.scriptSections().stream()
                .filter(Section::captureScriptOnly).toList(), "each script-only section needs its lines checked here");
        assertTrue(lines.get(after).startsWith("if not defined ExchangeInstallPath echo "
                + BackendSettingsParser.UNAVAILABLE + " "), lines.get(after));
        assertTrue(lines.get(after + 1).startsWith("if defined ExchangeInstallPath " + fullPath("powershell") + " -NoProfile -NonInteractive"
                + " -InputFormat None -Command \""), lines.get(after + 1));
        assertTrue(lines.get(after + 1).endsWith("\" 2>&1"), lines.get(after + 1));
        assertEquals(CaptureCommand.END, lines.stream().skip(after + 2).filter(l -> !l.startsWith("rem ")).findFirst()
                .orElseThrow(), "the capture ends with status 0");
    }

    /**
     * The PowerShell line of the settings section prints what {@link BackendSettingsParser} reads, and survives
     * cmd: inside its double quotes cmd still expands {@code %} (and {@code !} under delayed expansion), and a
     * {@code "} would end the quoting and expose {@code |} and {@code >} to cmd.
     */
    @Test
    void templateSettingsLinePrintsTheParsersPrefixesAndSurvivesCmdQuoting() throws Exception {
        String text = new String(Files.readAllBytes(TEMPLATE), StandardCharsets.US_ASCII);
        String line = List.of(text.split("\r\n")).stream()
                .filter(l -> l.startsWith("if defined ExchangeInstallPath " + fullPath("powershell") + " ")).findFirst().orElseThrow();
        String script = line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));

        for (char c : "%!\"\r\n".toCharArray()) {
            assertEquals(-1, script.indexOf(c), "found [" + c + "] in " + script);
        }
        assertTrue(script.contains("'" + BackendSettings.POP3_BACKEND + " " + BackendSettingsParser.PROXY_TARGET_PORT
                + " ' + (Get-PopSettings -Server $env:COMPUTERNAME).ProxyTargetPort"), script);
        assertTrue(script.contains("'" + BackendSettings.IMAP4_BACKEND + " " + BackendSettingsParser.PROXY_TARGET_PORT
                + " ' + (Get-ImapSettings -Server $env:COMPUTERNAME).ProxyTargetPort"), script);
        assertTrue(script.contains("{ '" + BackendSettingsParser.ERROR + " "), script);
    }

    @Test
    void sshAndLocalCaptureLeaveOutTheScriptOnlySettingsSection() {
        assertFalse(CaptureCommand.sections().contains(Section.EXCHANGE_POPIMAP_SETTINGS));
        assertFalse(CaptureCommand.cmdBody().contains(Section.EXCHANGE_POPIMAP_SETTINGS.sectionName()));
        assertTrue(CaptureCommand.scriptSections().contains(Section.EXCHANGE_POPIMAP_SETTINGS));
        assertEquals(List.of(), Section.EXCHANGE_POPIMAP_SETTINGS.argv());
    }
}
