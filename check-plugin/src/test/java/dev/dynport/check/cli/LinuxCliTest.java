package dev.dynport.check.cli;

import static dev.dynport.check.cli.CheckDynportTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.cli.CheckDynportTest.Run;
import org.junit.jupiter.api.Test;

/**
 * The CLI over real Linux snapshots, saved by {@code check_dynport --local --save-snapshot} inside a network
 * namespace on this project's Debian 12 machine (a python3 listener on 40000 with three connections and a
 * TIME-WAIT; the second after {@code echo 9100,40000 > ip_local_reserved_ports}).
 */
class LinuxCliTest {
    /** A real capture (CheckDynportTest.snapshot adds "-constructed"). */
    static String snapshot(String name) {
        try {
            return java.nio.file.Path.of(LinuxCliTest.class.getResource("/snapshots/" + name).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRealLinuxCaptureWithTheListenerExposedIsWarningNamingTheOwner() {
        Run r = run("--snapshot", snapshot("linux-netns-exposed-debian12.snapshot"), "--port", "40000:app:python3", "-v");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.firstLine().startsWith("DYNPORT WARNING - 40000/tcp app exposed to the dynamic port range"
                + " [ipv4+ipv6] | "), r.firstLine());
        assertTrue(r.out().contains("Captured: vm at 2026-12-01T05:26:34Z (host offset Z), Linux 6.18.44-fc-v857\n"),
                r.out());
        assertTrue(r.out().contains("owner python3 PID 15344 0.0.0.0:40000 LISTENING"), r.out());
        assertTrue(r.out().contains("Evidence: ss TCP rows 8, processes named 1\n"), r.out());
        assertTrue(r.out().contains("    ss ipv4 0.0.0.0:40000 -> 0.0.0.0:0 LISTEN PID 15344 python3\n"), r.out());
        assertTrue(r.out().contains("\n  sysctl -w net.ipv4.ip_local_reserved_ports=40000\n"), r.out());
        assertFalse(r.out().contains("netsh"), r.out());
    }

    @Test
    void theSameHostWithThePortReservedIsOk() {
        Run r = run("--snapshot", snapshot("linux-netns-reserved-debian12.snapshot"), "--port", "40000:app:python3");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.firstLine().startsWith("DYNPORT OK - 1 watched port safe: 40000 protected;"), r.firstLine());
    }

    @Test
    void anotherProcessNameOnThePortIsAForeignHolder() {
        Run r = run("--snapshot", snapshot("linux-netns-reserved-debian12.snapshot"), "--port", "40000:app:nginx");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.firstLine().contains("held by python3 (PID 15344)"), r.firstLine());
    }

    @Test
    void aHolderOnSeveralRowsOfOneFamilyNamesTheFamilyOnce() {
        // The listener and its three accepted connections are four ipv4 rows of one process: one [ipv4], not four.
        Run r = run("--snapshot", snapshot("linux-netns-exposed-debian12.snapshot"), "--port", "40000:app:nginx");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.firstLine().startsWith("DYNPORT CRITICAL - 40000/tcp app held by python3 (PID 15344) [ipv4]; "),
                r.firstLine());
    }

    @Test
    void theAuditOfALinuxHostGivesNoWindowsAdvice() {
        Run r = run("--snapshot", snapshot("linux-netns-exposed-debian12.snapshot"), "--audit");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("  python3 (PID 15344): 40000 [ipv4]\n"), r.out());
        assertTrue(r.out().contains("\n  sysctl -w net.ipv4.ip_local_reserved_ports=40000\n"), r.out());
        assertFalse(r.out().contains("netsh"), r.out());
    }

    @Test
    void usageThresholdsApplyToALinuxHost() {
        // 5 distinct local ports of 28,232 in use on ipv4 in this capture: the listener, its 3 accepted
        // connections' peer ports are not local to it, so 40000 plus the client ends and one TIME_WAIT.
        Run r = run("--snapshot", snapshot("linux-netns-exposed-debian12.snapshot"), "--port", "40000:app:python3",
                "-w", "4", "-c", "50%");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.firstLine().contains(" ipv4_dynamic_used=5;4;14116;0;28232 ipv6_dynamic_used=0;4;14116;0;28232"),
                r.firstLine());
        assertTrue(r.firstLine().contains("ipv4 dynamic ports 5 of 28232 in use"), r.firstLine());
    }

    @Test
    void aLinuxHostCanBeWatchedForUsageAlone() {
        Run r = run("--snapshot", snapshot("linux-netns-exposed-debian12.snapshot"), "-w", "4");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.firstLine().startsWith("DYNPORT WARNING - ipv4 dynamic ports 5 of 28232 in use"), r.firstLine());
        Run ok = run("--snapshot", snapshot("linux-netns-exposed-debian12.snapshot"), "-w", "10");
        assertEquals(0, ok.exit(), ok.out());
    }

    @Test
    void aLinuxSnapshotWithoutPortIsUnknownNotOk() {
        Run r = run("--snapshot", snapshot("linux-netns-reserved-debian12.snapshot"));
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.firstLine().startsWith("DYNPORT UNKNOWN - nothing to watch on a Linux host"), r.firstLine());
    }

    @Test
    void platformIsOnlyForSsh() {
        Run r = run("--snapshot", snapshot("linux-netns-reserved-debian12.snapshot"), "--platform", "linux");
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - --platform [linux] needs -H/--hostname", r.firstLine());
        Run bad = run("-H", "host.example", "-l", "u", "--platform", "solaris", "--port", "1");
        assertEquals(3, bad.exit());
        assertEquals("DYNPORT UNKNOWN - --platform [solaris] must be one of linux, windows", bad.firstLine());
    }
}
