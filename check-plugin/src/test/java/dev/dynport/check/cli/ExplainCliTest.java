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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Black-box {@code --explain PORT}: "why can't I bind PORT?" on real captures, constructed hosts and bad input. */
class ExplainCliTest {
    @TempDir
    Path dir;

    private Run explain(Map<String, String> sections, String port, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "--snapshot";
        args[1] = FixtureSnapshot.write(dir, sections);
        args[2] = "--explain";
        args[3] = port;
        System.arraycopy(extra, 0, args, 4, extra.length);
        return run(args);
    }

    /** The daily question: a dev server's port inside a Hyper-V/WSL block of a real exclusion table. */
    @Test
    void portInsideAWinnatBlockIsAccessDeniedWithTheWinnatFix() {
        Run r = explain(FixtureSnapshot.DEFAULT_RANGE_HOST, "49700");
        assertEquals(2, r.exit(), r.out());
        assertEquals("DYNPORT CRITICAL - port 49700: cannot be bound (WSAEACCES 10013), inside a system reservation"
                + " [ipv4, ipv6]", r.firstLine());
        assertTrue(r.out().contains("[CRITICAL] ipv4: 49700 is inside the system reservation 49673-49772, a"
                + " WinNAT/HNS-style block (Hyper-V, containers, WSL). Windows refuses every bind inside it: WSAEACCES"
                + " (10013) \"An attempt was made to access a socket in a way forbidden by its access permissions\""),
                r.out());
        assertTrue(r.out().contains("Fix:\n  net stop winnat\n"
                + "  netsh int ipv4 add excludedportrange protocol=tcp startport=49700 numberofports=1\n"
                + "  netsh int ipv6 add excludedportrange protocol=tcp startport=49700 numberofports=1\n"
                + "  net start winnat\n"), r.out());
    }

    @Test
    void httpSysReservationNamesSystemAndTheReservationNotWinnat() {
        Run r = explain(FixtureSnapshot.DEFAULT_RANGE_HOST, "47001");
        assertEquals(2, r.exit());
        assertTrue(r.out().contains("ipv4: 47001 is inside the system reservation 47001, reserved by the system"
                + " (http.sys/port reservation API)."), r.out());
        assertTrue(r.out().contains("System (PID 4: kernel, http.sys) listening on 0.0.0.0:47001 holds it through that"
                + " reservation."), r.out());
        assertFalse(r.out().contains("net stop winnat"), r.out());
        assertTrue(r.out().contains("Note: Port 47001 (ipv4) is reserved by the system (http.sys/port reservation API),"
                + " not WinNAT's: find what reserved it (netsh http show urlacl"), r.out());
    }

    @Test
    void listenerOutsideTheRangeIsAddressInUseNamingTheProcess() {
        Run r = explain(FixtureSnapshot.DEFAULT_RANGE_HOST, "3307");
        assertEquals(2, r.exit());
        assertEquals("DYNPORT CRITICAL - port 3307: cannot be bound (WSAEADDRINUSE 10048), held by mysqld.exe (PID 1516)"
                + " [ipv4, ipv6]", r.firstLine());
        assertTrue(r.out().contains("[CRITICAL] ipv4: 3307 is held by mysqld.exe (PID 1516: MySQL) listening on"
                + " 0.0.0.0:3307: a bind gets WSAEADDRINUSE (10048) \"Only one usage of each socket address"), r.out());
        assertTrue(r.out().contains("Stop that process or use another port."), r.out());
        assertFalse(r.out().contains("Fix:"), "nothing to exclude outside the range: " + r.out());
    }

    @Test
    void kernelListenerIsNotCalledAProcessToStop() {
        Run r = explain(FixtureSnapshot.DEFAULT_RANGE_HOST, "445");
        assertEquals(2, r.exit());
        assertTrue(r.out().contains("held by System (PID 4: kernel, http.sys) listening on 0.0.0.0:445"), r.out());
        assertTrue(r.out().contains("PID 4 is the kernel: a driver listens there for a service (SMB on 139 and 445;"),
                r.out());
        assertFalse(r.out().contains("Stop that process"), r.out());
    }

    @Test
    void timeWaitWithPidZeroIsExplained() {
        Run r = explain(FixtureSnapshot.DEFAULT_RANGE_HOST, "62032");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("[WARNING] ipv4: 62032 is held by no process, but 1 closed connection used it as its"
                + " local port moments ago (TIME_WAIT, PID 0: "), r.out());
        assertTrue(r.out().contains("The dynamic port allocator is handing it out"), r.out());
        assertTrue(r.out().contains("[WARNING] ipv6: 62032 is free now and in no reservation, so it should bind now."
                + " But it is inside the dynamic port range 49152-65535 without an exclusion"), r.out());
    }

    @Test
    void outboundConnectionHoldingAFixedPortIsTheCu5Incident() {
        Run r = check("exchange-foreign-holder", "--explain", "9955");
        assertEquals(2, r.exit());
        assertTrue(r.firstLine().startsWith("DYNPORT CRITICAL - port 9955 (POP3 back-end): cannot be bound"
                + " (WSAEADDRINUSE 10048), held by svchost.exe (PID 1240) [ipv4]; free now, but inside the dynamic"
                + " range without an exclusion [ipv6]"), r.firstLine());
        assertTrue(r.out().contains("held by svchost.exe (PID 1240: Dnscache, NlaSvc) as the local end of"
                + " 10.0.0.25:9955 -> 10.0.0.10:389 ESTABLISHED"), r.out());
        assertTrue(r.out().contains("Note: Port 9955 is held by another process: it must release the port first"), r.out());
    }

    @ParameterizedTest
    @CsvSource({
        "50010, 0, 'free, protected by an administered exclusion [ipv4, ipv6]'",
        "5173, 0, 'free, outside the dynamic range [ipv4, ipv6]'",
        "55555, 1, 'free now, but inside the dynamic range without an exclusion [ipv4, ipv6]'"})
    void freePortsSayWhetherTheyStayFree(String port, int exit, String verdict) {
        Run r = explain(FixtureSnapshot.DEFAULT_RANGE_HOST, port);
        assertEquals(exit, r.exit(), r.out());
        assertEquals("DYNPORT " + (exit == 0 ? "OK" : "WARNING") + " - port " + port + ": " + verdict, r.firstLine());
    }

    @Test
    void familiesAreAnsweredSeparately() {
        Run r = explain(FixtureSnapshot.EXCHANGE_HOST, "49750");
        assertEquals(2, r.exit());
        assertEquals("DYNPORT CRITICAL - port 49750: free now, but inside the dynamic range without an exclusion [ipv4];"
                + " cannot be bound (WSAEACCES 10013), inside a system reservation [ipv6]", r.firstLine());
    }

    @Test
    void jsonCarriesEachFamilysAnswer() throws IOException {
        Run r = explain(FixtureSnapshot.EXCHANGE_HOST, "9933", "--format", "json");
        assertEquals(2, r.exit());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertAll(
                () -> assertEquals("explain", json.get("mode").asText()),
                () -> assertEquals(9933, json.get("port").asInt()),
                () -> assertEquals("HELD", json.at("/answers/0/verdict").asText()),
                () -> assertEquals("WSAEADDRINUSE (10048)", json.at("/answers/0/bind_error").asText()),
                () -> assertEquals(7788, json.at("/answers/0/holders/0/pid").asInt()),
                () -> assertEquals("MSExchangeIMAP4BE", json.at("/answers/0/holders/0/services/0").asText()),
                // the worker's connection to a Global Catalog uses 9933 as its local port too
                () -> assertEquals("Microsoft.Exchange.Imap4.exe", json.at("/answers/0/holders/1/image").asText()),
                () -> assertEquals("ESTABLISHED", json.at("/answers/0/holders/1/tcp_state").asText()),
                () -> assertEquals("ipv6", json.at("/answers/1/family").asText()),
                () -> assertTrue(json.at("/answers/1/text").asText().contains("administered exclusion 9933")));
    }

    @Test
    void missingSectionIsUnknownForThatFamilyNeverFree() {
        Run r = run("--snapshot", CheckDynportTest.snapshot("missing-ipv6-exclusions"), "--explain", "5173");
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.firstLine().startsWith("DYNPORT UNKNOWN - port 5173: free, outside the dynamic range [ipv4];"
                + " cannot tell [ipv6]; section netsh-excludedportrange-tcp-ipv6 missing"), r.firstLine());
        assertTrue(r.out().contains("[UNKNOWN] ipv6: 5173: cannot tell, the exclusions of this family could not be read"),
                r.out());
    }

    @Test
    void snapshotOfAnotherHostIsUnknownWhateverTheAnswer() {
        Run r = check("exchange-foreign-holder", "--explain", "9955", "--expect-host", "EXCH02");
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.firstLine().startsWith("DYNPORT UNKNOWN - port 9955 (POP3 back-end): cannot be bound"), r.firstLine());
    }

    @Test
    void listenerMissingFromTasklistIsNamedByPid() {
        // another host's tasklist: the netstat's PIDs are not in it
        Run r = run("--snapshot", FixtureSnapshot.write(dir, FixtureSnapshot.DEFAULT_RANGE_HOST,
                Map.of("tasklist-svc-csv", "tasklist/svc-csv-en-constructed-exchange-01.txt")), "--explain", "3307");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("[CRITICAL] ipv4: 3307 is held by PID 1516 (not in tasklist) listening on"
                + " 0.0.0.0:3307"), r.out());
        assertTrue(r.out().contains("    PID 1516 (not in tasklist: ended or started between the commands?)"
                + " 0.0.0.0:3307 LISTENING\n"), r.out());
    }

    @Test
    void garbageNetstatIsUnknownNamingTheCommand() {
        Run r = run("--snapshot", FixtureSnapshot.write(dir, FixtureSnapshot.EXCHANGE_HOST,
                Map.of("netstat-ano", "garbage/truncated-mid-row-netstat-constructed.txt")), "--explain", "5173");
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains("[UNKNOWN] output of 'netstat -ano' "), r.out());
        assertFalse(r.out().contains("should bind"), r.out());
    }
}
