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

/** Black-box: the CLI entry point with arguments and captured streams, on the constructed scenario snapshots. */
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

    @Test
    void jsonCarriesTheSameVerdict() throws IOException {
        Run r = check("exchange-foreign-holder", "--format", "json");
        assertEquals(2, r.exit());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertAll(
                () -> assertEquals("CRITICAL", json.get("state").asText()),
                () -> assertEquals(2, json.get("exit_code").asInt()),
                () -> assertEquals(6005, json.at("/dynamic_ranges/ipv4/start").asInt()),
                () -> assertEquals(59530, json.at("/dynamic_ranges/ipv6/count").asInt()),
                () -> assertEquals(65534, json.at("/dynamic_ranges/ipv6/end").asInt()),
                () -> assertEquals(3, json.at("/exclusions/ipv4").size()),
                () -> assertEquals(0, json.at("/exclusions/ipv6").size()),
                () -> assertFalse(json.at("/exclusions/ipv4/0/administered").asBoolean()),
                () -> assertEquals(1, json.at("/perfdata/foreign").asInt()));
        JsonNode pop3 = null;
        for (JsonNode port : json.get("ports")) {
            if (port.get("port").asInt() == 9955) {
                pop3 = port;
            }
        }
        assertEquals("POP3 back-end", pop3.get("label").asText());
        assertEquals("FOREIGN_HOLDER", pop3.at("/findings/0/code").asText());
        assertEquals("ipv4", pop3.at("/findings/0/family").asText());
        assertEquals("CRITICAL", pop3.at("/findings/0/state").asText());
        assertEquals(1240, pop3.at("/holders/0/pid").asInt());
        assertEquals("svchost.exe", pop3.at("/holders/0/image").asText());
        assertEquals("Dnscache", pop3.at("/holders/0/services/0").asText());
        assertEquals("10.0.0.25:9955", pop3.at("/holders/0/local_address").asText());
        assertEquals("ESTABLISHED", pop3.at("/holders/0/tcp_state").asText());
        assertTrue(json.get("remediation").toString().contains(
                "netsh int ipv6 add excludedportrange protocol=tcp startport=9955 numberofports=1"));
    }

    @Test
    void jsonOfAnUnreadableFamilyIsNullNotInvented() throws IOException {
        JsonNode json = new ObjectMapper().readTree(check("garbled-dynamicport", "--format", "json").out());
        assertTrue(json.at("/dynamic_ranges/ipv4").isNull());
        assertEquals("UNKNOWN", json.get("state").asText());
        assertEquals(1, json.get("problems").size());
    }

    @Test
    void humanTextNeverCarriesThePerfdataSeparator(@TempDir Path dir) throws IOException {
        String text = Files.readString(Path.of(snapshot("exchange-foreign-holder")), StandardCharsets.UTF_8)
                .replace("\"svchost.exe\",\"1240\"", "\"evil|name.exe\",\"1240\"");
        Path file = dir.resolve("pipe-in-image-constructed.snapshot");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Run r = run("--snapshot", file.toString(), "-v");
        assertEquals(2, r.exit());
        assertEquals(1, r.firstLine().chars().filter(c -> c == '|').count(), r.firstLine());
        r.out().lines().skip(1).forEach(line -> assertFalse(line.contains("|"), line));
        assertTrue(r.statusText().contains("evil/name.exe"));
    }

    @Test
    void saveSnapshotKeepsTheBytesAndReplaysToTheSameVerdict(@TempDir Path dir) throws IOException {
        Path saved = dir.resolve("saved.snapshot");
        Run first = check("german-cp850-foreign-holder", "--save-snapshot", saved.toString());
        assertArrayEquals(Files.readAllBytes(Path.of(snapshot("german-cp850-foreign-holder"))), Files.readAllBytes(saved));
        Run replay = run("--snapshot", saved.toString());
        assertEquals(first.exit(), replay.exit());
        assertEquals(first.out(), replay.out());
    }

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
    void localModeOutsideWindowsIsUnknown() {
        Run r = run("--local");
        assertEquals(3, r.exit());
        assertTrue(r.firstLine().startsWith("DYNPORT UNKNOWN - --local runs netsh, netstat, tasklist and sc.exe and needs Windows;"
                + " this is [Linux]"), r.firstLine());
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
        assertEquals("DYNPORT UNKNOWN - --profile [none] watches no port: add at least one --port\n", r.out());
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

    @ParameterizedTest
    @CsvSource({"tr", "de", "zh-CN"})
    void outputDoesNotDependOnTheDefaultLocale(String tag) {
        java.util.Locale saved = java.util.Locale.getDefault();
        Run reference;
        Run hostile;
        try {
            java.util.Locale.setDefault(java.util.Locale.ROOT);
            reference = check("german-cp850-foreign-holder", "-v", "--profile", "exchange-popimap", "--port", "9933:IMAP:MSEXCHANGEIMAP4BE");
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag(tag));
            hostile = check("german-cp850-foreign-holder", "-v", "--profile", "EXCHANGE-POPIMAP", "--port", "9933:IMAP:MSEXCHANGEIMAP4BE");
        } finally {
            java.util.Locale.setDefault(saved);
        }
        assertEquals(reference.out(), hostile.out());
        assertEquals(reference.exit(), hostile.exit());
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
