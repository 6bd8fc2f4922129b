package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Black-box: the CLI entry point with arguments and captured streams, on the constructed scenario snapshots: one
 * verdict per scenario. {@link Run}, {@link #run}, {@link #check} and {@link #snapshot} are what the other CLI tests
 * use.
 */
class CheckDynportTest {

    record Run(int exit, String out, String err) {
        String firstLine() {
            return out.lines().findFirst().orElse("");
        }

        String perfdata() {
            String first = firstLine();
            int bar = first.indexOf(" | ");
            return bar < 0 ? "" : first.substring(bar + 3);
        }

        String statusText() {
            String first = firstLine();
            int bar = first.indexOf(" | ");
            return bar < 0 ? first : first.substring(0, bar);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CheckDynport.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), "Linux");
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String snapshot(String name) {
        try {
            return Path.of(CheckDynportTest.class.getResource("/snapshots/" + name + "-constructed.snapshot").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Run check(String scenario, String... extra) {
        List<String> args = new ArrayList<>(List.of("--snapshot", snapshot(scenario)));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    @Test
    void reportsProtectedExchangeAsOk() {
        Run r = check("exchange-protected");
        assertEquals(0, r.exit());
        assertTrue(r.firstLine().startsWith("DYNPORT OK - 4 watched ports safe: 1993 outside range, 1995 outside range,"
                + " 9933 protected, 9955 protected"), r.firstLine());
        assertTrue(r.perfdata().contains("exposed=0 foreign=0 system_reserved=0"), r.perfdata());
        assertTrue(r.perfdata().contains("protected=2"), r.perfdata());
        assertTrue(r.perfdata().contains("ipv4_dynamic_start=6005 ipv4_dynamic_count=59530 ipv4_exclusions=5"));
        assertTrue(r.perfdata().contains("ipv6_dynamic_start=6005 ipv6_dynamic_count=59530 ipv6_exclusions=2"));
        assertFalse(r.out().contains("Remediation"), "nothing to fix, nothing to run");
    }

    @Test
    void warnsAboutBackendPortsExposedToTheExchangeRange() {
        Run r = check("exchange-exposed");
        assertEquals(1, r.exit());
        assertEquals("DYNPORT WARNING - 9933/tcp IMAP4 back-end exposed to the dynamic port range [ipv4+ipv6];"
                + " 9955/tcp POP3 back-end exposed to the dynamic port range [ipv4+ipv6]", r.statusText());
        assertTrue(r.perfdata().contains("exposed=2"));
        for (String family : List.of("ipv4", "ipv6")) {
            for (String port : List.of("9933", "9955")) {
                assertTrue(r.out().contains("\n  netsh int " + family + " add excludedportrange protocol=tcp startport="
                        + port + " numberofports=1\n"), family + " " + port);
            }
        }
        assertTrue(r.out().contains("while the port is free"));
        assertTrue(r.out().contains("KB2665809") && r.out().contains("KB3039044"));
    }

    @Test
    void exposedStateCriticalRaisesExposedPorts() {
        assertEquals(2, check("exchange-exposed", "--exposed-state", "critical").exit());
    }

    @Test
    void reportsForeignHolderOfPop3BackendPort() {
        Run r = check("exchange-foreign-holder");
        assertEquals(2, r.exit());
        assertTrue(r.statusText().startsWith("DYNPORT CRITICAL - 9955/tcp POP3 back-end held by svchost.exe"
                + " (PID 1240: Dnscache, NlaSvc) [ipv4]"), r.statusText());
        assertTrue(r.out().contains("[CRITICAL] FOREIGN_HOLDER: 9955/tcp POP3 back-end (ipv4) held by svchost.exe"
                + " (PID 1240: Dnscache, NlaSvc) as local end of 10.0.0.25:9955 -> 10.0.0.10:389 ESTABLISHED"), r.out());
        assertTrue(r.perfdata().contains("foreign=1"));
        assertTrue(r.out().contains("then start MSExchangePOP3BE"));
    }

    @Test
    void expectListeningAddsNotListeningWhenTheOwnerIsDown() {
        Run r = check("exchange-foreign-holder", "--expect-listening");
        assertEquals(2, r.exit());
        assertTrue(r.out().contains("[CRITICAL] NOT_LISTENING: 9955/tcp POP3 back-end (ipv4) has no listener owned by MSExchangePOP3BE"));
        assertTrue(r.out().contains("[CRITICAL] NOT_LISTENING: 9955/tcp POP3 back-end (ipv6)"));
        assertFalse(r.out().contains("NOT_LISTENING: 9933/tcp"), "IMAP4BE listens on 9933");
    }

    @Test
    void hyperVReservationOnIpv4IsCriticalWithWinnatRemediation() {
        Run r = check("hyperv-reserved");
        assertEquals(2, r.exit());
        assertEquals("DYNPORT CRITICAL - 9933/tcp IMAP4 back-end blocked by a WinNAT/HNS port reservation block [ipv4];"
                + " 9955/tcp POP3 back-end blocked by a WinNAT/HNS port reservation block [ipv4]", r.statusText());
        assertTrue(r.out().contains("[OK] PROTECTED: 9933/tcp IMAP4 back-end (ipv6)"));
        assertTrue(r.perfdata().contains("system_reserved=2"));
        String remediation = r.out().substring(r.out().indexOf("Remediation:"));
        assertTrue(remediation.startsWith("Remediation:\n  net stop winnat\n"
                + "  netsh int ipv4 add excludedportrange protocol=tcp startport=9933 numberofports=1\n"
                + "  netsh int ipv4 add excludedportrange protocol=tcp startport=9955 numberofports=1\n"
                + "  net start winnat\n"), remediation);
    }

    @Test
    void ipv6ExposureIsReportedEvenWhenIpv4IsProtected() {
        Run r = check("ipv6-only-exposed");
        assertEquals(1, r.exit());
        assertEquals("DYNPORT WARNING - 9933/tcp IMAP4 back-end exposed to the dynamic port range [ipv6];"
                + " 9955/tcp POP3 back-end exposed to the dynamic port range [ipv6]", r.statusText());
        assertFalse(r.out().contains("netsh int ipv4 add"), "IPv4 is already excluded");
        assertTrue(r.out().contains("netsh int ipv6 add excludedportrange protocol=tcp startport=9955 numberofports=1"));
    }

    @Test
    void timeWaitOnAPortNobodyListensOnIsRecentEphemeralUse() {
        Run r = check("ephemeral-reuse");
        assertEquals(1, r.exit());
        assertTrue(r.statusText().startsWith("DYNPORT WARNING - 9933/tcp IMAP4 back-end was recently handed out as an"
                + " ephemeral port [ipv4]"), r.statusText());
        assertTrue(r.perfdata().contains("recent_ephemeral=1"));
    }

    @Test
    void windowsDefaultRangeLeavesProfilePortsOutside() {
        Run r = check("default-range");
        assertEquals(0, r.exit());
        assertTrue(r.firstLine().contains("dynamic range ipv4 49152-65535, ipv6 49152-65535"));
    }

    @Test
    void exchangeProfileWatchesReplicationPortsInsideTheDefaultRange() {
        Run r = check("default-range", "--profile", "exchange");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.statusText().contains("64327/tcp DAG log copier exposed to the dynamic port range [ipv4+ipv6]"));
        assertTrue(r.statusText().contains("64337/tcp HA web service exposed"));
        assertTrue(r.out().contains("9710/tcp Diagnostics (ipv4) is outside the dynamic port range 49152-65535"));
    }

    @Test
    void discoversBackendListeningOnACustomProxyTargetPort() {
        Run r = check("custom-proxy-port");
        assertEquals(1, r.exit());
        assertTrue(r.statusText().startsWith("DYNPORT WARNING - 12995/tcp POP3 back-end exposed"), r.statusText());
        assertTrue(r.out().contains("Note: port 12995 added: MSExchangePOP3BE listens on it"));
        assertTrue(r.perfdata().startsWith("watched=5 "));
    }

    @Test
    void userPortWithOwnerIsJudgedLikeProfilePorts() {
        Run r = check("exchange-protected", "--port", "12995:custom POP3:MSExchangePOP3BE", "--port", "135:RPC:svchost.exe");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("[WARNING] EXPOSED: 12995/tcp custom POP3 (ipv4)"));
        assertTrue(r.out().contains("[OK] OUTSIDE_RANGE: 135/tcp RPC (ipv4)"), "svchost.exe owns 135");
        assertFalse(r.out().contains("FOREIGN_HOLDER: 135"));
    }

    @Test
    void userPortWithoutOwnersTreatsEveryHolderAsForeign() {
        Run r = check("exchange-protected", "--profile", "none", "--port", "445:SMB");
        assertEquals(2, r.exit());
        assertTrue(r.statusText().contains("445/tcp SMB held by System (PID 4: kernel, http.sys) [ipv4+ipv6]"), r.statusText());
    }

    @Test
    void missingSectionIsUnknownNamingIt() {
        Run r = check("missing-ipv6-exclusions");
        assertEquals(3, r.exit());
        assertTrue(r.statusText().startsWith("DYNPORT UNKNOWN - section netsh-excludedportrange-tcp-ipv6 missing:"
                + " no output of 'netsh int ipv6 show excludedportrange protocol=tcp'"), r.statusText());
    }

    @Test
    void garbledSectionIsUnknownNamingTheCommandAndText() {
        Run r = check("garbled-dynamicport");
        assertEquals(3, r.exit());
        assertTrue(r.statusText().startsWith("DYNPORT UNKNOWN - output of 'netsh int ipv4 show dynamicport tcp'"), r.statusText());
        assertTrue(r.statusText().contains("'netsh' is not recognized"), r.statusText());
        assertFalse(r.perfdata().contains("ipv4_dynamic_start"), "no value invented for the unreadable family");
    }

    @Test
    void germanOemNetstatIsReadWithTheDefaultCodePage() {
        Run r = check("german-cp850-foreign-holder");
        assertEquals(2, r.exit());
        assertTrue(r.statusText().startsWith("DYNPORT CRITICAL - 9933/tcp IMAP4 back-end held by svchost.exe (PID 1240"));
        Run verbose = check("german-cp850-foreign-holder", "-v");
        assertTrue(verbose.out().contains("ABHÖREN"), "CP850 0x99 decoded as Ö");
    }
}
