package dev.dynport.check.cli;

import static dev.dynport.check.cli.CheckDynportTest.check;
import static dev.dynport.check.cli.CheckDynportTest.run;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynport.check.cli.CheckDynportTest.Run;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box {@code --audit}: what a user sees for real captures, a constructed mixed host, and bad input. */
class AuditCliTest {
    @TempDir
    Path dir;

    private Run audit(Map<String, String> sections, String... extra) {
        String[] args = new String[extra.length + 3];
        args[0] = "--snapshot";
        args[1] = FixtureSnapshot.write(dir, sections);
        args[2] = "--audit";
        System.arraycopy(extra, 0, args, 3, extra.length);
        return run(args);
    }

    /**
     * Real netstat of a Server 2012-era host (RPC listeners 49152-49174, http.sys on 5985/47001) with the real
     * exclusions of a Hyper-V host (5985/47001 single ports, WinNAT blocks from 49673): nothing to fix, and the RPC
     * endpoints are told apart instead of being reported as exposed.
     */
    @Test
    void tellsRpcEndpointsApartOnARealDefaultRangeHost() {
        Run r = audit(FixtureSnapshot.DEFAULT_RANGE_HOST);
        assertEquals(0, r.exit(), r.out());
        assertEquals("DYNPORT OK - audit: no listening port exposed to the dynamic range or inside a system reservation,"
                + " 6 RPC dynamic endpoints (expected to move)", r.statusText());
        assertEquals("exposed_listeners=0 reserved_listeners=0 rpc_dynamic_listeners=6 protected_listeners=0"
                + " outside_range_listeners=6", r.perfdata());
        assertAll(
                () -> assertTrue(r.out().contains("\n  wininit.exe (PID 688): 49152 [ipv4, ipv6]\n"), r.out()),
                () -> assertTrue(r.out().contains("\n  lsass.exe (PID 756: KeyIso, Netlogon, SamSs): 49174 [ipv4, ipv6]\n"),
                        r.out()),
                () -> assertTrue(r.out().contains("Expected: System (http.sys) on its own port reservation:\n"
                        + "  System (PID 4: kernel, http.sys): 5985 [ipv4, ipv6] (system reservation 5985, a system"
                        + " (http.sys) port reservation), 47001 [ipv4, ipv6]"), r.out()),
                () -> assertFalse(r.out().contains("Fix"), r.out()));
    }

    @Test
    void listsAStaticRpcPortNamedWithPortAsExposed() {
        Run r = audit(FixtureSnapshot.DEFAULT_RANGE_HOST, "--port", "49174:AD replication");
        assertEquals(0, r.exit());
        assertTrue(r.firstLine().startsWith("DYNPORT OK - audit: 1 listening port exposed to the dynamic range"
                + " (1 process), 5 RPC dynamic endpoints"), r.firstLine());
        assertTrue(r.out().contains("Exposed: inside the dynamic range without an administered exclusion"), r.out());
        assertTrue(r.out().contains("\n  lsass.exe (PID 756: KeyIso, Netlogon, SamSs): 49174 AD replication [ipv4, ipv6]\n"),
                r.out());
        // lsass hosts three services: which one owns the port is not shown, so no "net stop" guess.
        assertTrue(r.out().contains("Fix (only for the ports that must stay fixed):\n"
                + "  netsh int ipv4 add excludedportrange protocol=tcp startport=49174 numberofports=1\n"
                + "  netsh int ipv6 add excludedportrange protocol=tcp startport=49174 numberofports=1\n"), r.out());
        assertTrue(r.out().contains("Note: lsass.exe (PID 756: KeyIso, Netlogon, SamSs) listens on 49174: netsh refuses"
                + " an exclusion for a port in use, so stop it first"), r.out());
    }

    /**
     * The real 1024-start range of a Windows 10 1909 host (dynamicport v4-zh-02) puts Remote Desktop and MySQL inside
     * it: svchost.exe is an RPC host, but 3389 is TermService's fixed port, never "dynamic by design".
     */
    @Test
    void lowRangeListsRemoteDesktopAsExposedNotAsRpc() {
        Run r = run("--snapshot", FixtureSnapshot.write(dir, FixtureSnapshot.DEFAULT_RANGE_HOST, Map.of(
                "netsh-dynamicport-tcp-ipv4", "dynamicport/v4-zh-02.txt",
                "netsh-dynamicport-tcp-ipv6", "dynamicport/v4-zh-02.txt")), "--audit");
        assertEquals(0, r.exit(), r.out());
        assertEquals("DYNPORT OK - audit: 2 listening ports exposed to the dynamic range (2 processes)", r.statusText());
        assertTrue(r.out().contains("  svchost.exe (PID 2296: TermService): 3389 Remote Desktop (TermService) [ipv4,"
                + " ipv6]\n"), r.out());
        assertTrue(r.out().contains("  net stop TermService\n"), r.out());
    }

    /** http.sys on its own reservation is expected, but not on the POP3 back-end's port: that service cannot bind. */
    @Test
    void httpSysReservationOnAProfilePortIsBlockedNotExpected() {
        Run r = check("httpsys-reserved", "--audit");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Blocked for a re-bind: inside a system reservation (when the process restarts, its"
                + " bind fails with WSAEACCES 10013):\n  System (PID 4: kernel, http.sys): 9955 POP3 back-end [ipv4,"
                + " ipv6] (system reservation 9955, a system (http.sys) port reservation)\n"), r.out());
        assertFalse(r.out().contains("Expected:"), r.out());
    }

    /** Exchange range, no IPv4 exclusions: every fixed Exchange listener is the next victim on IPv4. */
    @Test
    void findsExchangeListenersExposedOnIpv4Only() {
        Run r = audit(FixtureSnapshot.EXCHANGE_HOST);
        assertEquals(0, r.exit(), r.out());
        assertEquals("DYNPORT OK - audit: 4 listening ports exposed to the dynamic range (4 processes), 2 protected",
                r.statusText());
        assertAll(
                () -> assertTrue(r.out().contains("  Microsoft.Exchange.Pop3Service.exe (PID 7820: MSExchangePOP3BE):"
                        + " 9955 POP3 back-end [ipv4]\n"), r.out()),
                () -> assertTrue(r.out().contains("  msexchangerepl.exe (PID 5540: MSExchangeRepl): 64327 DAG log copier"
                        + " [ipv4]\n"), r.out()),
                () -> assertTrue(r.out().contains("  Microsoft.Exchange.Imap4Service.exe (PID 7788: MSExchangeIMAP4BE):"
                        + " 9933 IMAP4 back-end [ipv6] (administered exclusion 9933)\n"), r.out()),
                () -> assertTrue(r.out().contains("  net stop MSExchangePOP3BE\n"
                        + "  netsh int ipv4 add excludedportrange protocol=tcp startport=9955 numberofports=1\n"
                        + "  net start MSExchangePOP3BE\n"), r.out()));
    }

    @Test
    void groupsAConstructedMixedHostByKindAndProcess() {
        Run r = check("audit-edge-mixed", "--audit");
        assertEquals(0, r.exit(), r.out());
        assertEquals("DYNPORT OK - audit: 3 listening ports exposed to the dynamic range (2 processes), 1 listening"
                + " port inside a system reservation, 2 RPC dynamic endpoints (expected to move), 1 protected",
                r.statusText());
        String out = r.out();
        assertAll(
                () -> assertTrue(out.contains("  node.exe (PID 6200): 8080 [ipv4]\n"), out),
                () -> assertTrue(out.contains("  dsamain.exe (PID 3120: ADAM_MSExchange): 50389 [ipv4, ipv6], 50636"
                        + " [ipv4, ipv6]\n"), out),
                () -> assertTrue(out.contains("Blocked for a re-bind: inside a system reservation (when the process"
                        + " restarts, its bind fails with WSAEACCES 10013):\n  com.docker.backend.exe (PID 6300): 9000"
                        + " [ipv4] (system reservation 9000-9099, a WinNAT/HNS port reservation block)\n"), out),
                () -> assertTrue(out.contains("  lsass.exe (PID 700: KeyIso, Netlogon, SamSs): 6010 [ipv4, ipv6]\n"), out),
                // an outbound connection's local port is not a listener: never listed
                () -> assertFalse(out.contains("6012"), out),
                () -> assertTrue(out.contains("  net stop winnat\n  netsh int ipv4 add excludedportrange protocol=tcp"
                        + " startport=9000 numberofports=1\n  net start winnat\n"), out),
                () -> assertTrue(out.contains("  net stop ADAM_MSExchange\n"), out));
    }

    @Test
    void jsonCarriesTheGroups() throws IOException {
        Run r = check("audit-edge-mixed", "--audit", "--format", "json");
        assertEquals(0, r.exit());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("audit", json.get("mode").asText());
        assertEquals("OK", json.get("state").asText());
        JsonNode first = json.at("/groups/0");
        assertAll(
                () -> assertEquals("EXPOSED", first.get("kind").asText()),
                () -> assertEquals(6200, first.get("pid").asInt()),
                () -> assertEquals("node.exe", first.get("image").asText()),
                () -> assertEquals(0, first.get("services").size()),
                () -> assertEquals(8080, first.at("/listeners/0/port").asInt()),
                () -> assertEquals("0.0.0.0:8080", first.at("/listeners/0/addresses/0").asText()),
                () -> assertTrue(first.at("/listeners/0/label").isNull()),
                () -> assertEquals(3, json.at("/perfdata/exposed_listeners").asInt()),
                () -> assertEquals(6005, json.at("/dynamic_ranges/ipv6/start").asInt()),
                () -> assertTrue(json.get("capture").isNull()));
    }

    @Test
    void unreadableNetstatIsUnknownNamingTheCommandNotAnAllClear() {
        Run broken = run("--snapshot", FixtureSnapshot.write(dir, FixtureSnapshot.EXCHANGE_HOST,
                Map.of("netstat-ano", "garbage/binary-noise-constructed.txt")), "--audit");
        assertEquals(3, broken.exit(), broken.out());
        assertTrue(broken.firstLine().startsWith("DYNPORT UNKNOWN - audit incomplete: output of 'netstat -ano' "),
                broken.firstLine());
        assertFalse(broken.firstLine().contains(" | "), "no perfdata that could not be determined: " + broken.firstLine());
        assertFalse(broken.out().contains("no listening port exposed"), broken.out());
    }

    /** German netstat in CP850 (ABHÖREN): listeners are found by their wildcard foreign end whatever the word. */
    @Test
    void readsTranslatedListenersOfAGermanHost() {
        Run r = check("german-cp850-foreign-holder", "--audit");
        assertEquals(0, r.exit(), r.out());
        assertEquals("DYNPORT OK - audit: 1 listening port exposed to the dynamic range (1 process)", r.statusText());
        assertTrue(r.out().contains("  Microsoft.Exchange.Pop3Service.exe (PID 5300: MSExchangePOP3BE): 9955 POP3"
                + " back-end [ipv4, ipv6]\n"), r.out());
    }

    /** Case mapping and number formats of the default locale never reach the output (tr: dotless i). */
    @Test
    void outputIsTheSameUnderHostileDefaultLocales() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.US);
            String text = check("audit-edge-mixed", "--audit").out();
            String json = check("audit-edge-mixed", "--audit", "--format", "json").out();
            String explain = check("exchange-foreign-holder", "--explain", "9955", "--format", "json").out();
            for (Locale l : List.of(Locale.forLanguageTag("tr-TR"), Locale.GERMANY, Locale.SIMPLIFIED_CHINESE)) {
                Locale.setDefault(l);
                assertEquals(text, check("audit-edge-mixed", "--audit").out(), l.toLanguageTag());
                assertEquals(json, check("audit-edge-mixed", "--audit", "--format", "json").out(), l.toLanguageTag());
                assertEquals(explain, check("exchange-foreign-holder", "--explain", "9955", "--format", "json").out(),
                        l.toLanguageTag());
            }
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void garbageFileIsUnknownNotAStackTrace() {
        Run r = run("--snapshot", FixtureSnapshot.write(dir, Map.of()), "--audit");
        assertEquals(3, r.exit());
        assertTrue(r.firstLine().startsWith("DYNPORT UNKNOWN - "), r.firstLine());
        assertFalse(r.out().contains("Exception"), r.out());
        Run json = run("--snapshot", FixtureSnapshot.write(dir, Map.of()), "--audit", "--format", "json");
        assertEquals(3, json.exit());
        assertTrue(json.out().contains("\"acquisition_failure\" : \"input_unreadable\""), json.out());
    }
}
