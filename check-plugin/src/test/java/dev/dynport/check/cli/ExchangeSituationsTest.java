package dev.dynport.check.cli;

import static dev.dynport.check.cli.CheckDynportTest.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.cli.CheckDynportTest.Run;
import org.junit.jupiter.api.Test;

/**
 * Black-box: situations an Exchange admin meets on a real server, each staged in a constructed snapshot (see
 * make_constructed.py), with the verdict the situation table of docs/situations.md promises.
 */
class ExchangeSituationsTest {

    @Test
    void portOptionOnAProfilePortKeepsTheProfileOwner() {
        // Before: --port 9955 replaced the profile's port, so MSExchangePOP3BE's own listener became foreign.
        Run plain = check("exchange-exposed");
        Run r = check("exchange-exposed", "--port", "9955");
        assertEquals(1, r.exit(), r.out());
        assertEquals(plain.statusText(), r.statusText());
        assertFalse(r.out().contains("FOREIGN_HOLDER"), r.out());
        assertTrue(r.out().contains("Note: --port 9955: already watched as POP3 back-end; owners MSExchangePOP3BE"),
                r.out());
    }

    @Test
    void portOptionOnAProfilePortMergesExtraOwnersAndKeepsTheLabel() {
        Run r = check("exchange-exposed", "--port", "9955:my label:svchost.exe");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.statusText().contains("9955/tcp POP3 back-end exposed"), r.statusText());
        assertTrue(r.out().contains("owners MSExchangePOP3BE/svchost.exe"), r.out());
    }

    @Test
    void portOptionOnAProfilePortStillReportsAForeignHolder() {
        Run r = check("exchange-foreign-holder", "--port", "9955:POP3:MSExchangePOP3BE");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.statusText().startsWith("DYNPORT CRITICAL - 9955/tcp POP3 back-end held by svchost.exe"
                + " (PID 1240: Dnscache, NlaSvc) [ipv4]"), r.statusText());
    }

    @Test
    void extraOwnerOnAProfilePortIsNoLongerForeign() {
        // The counter-case of the merge: the user's owner is really merged, the profile's kept.
        Run r = check("exchange-foreign-holder", "--port", "9955::svchost.exe");
        assertEquals(1, r.exit(), r.out());
        assertFalse(r.out().contains("FOREIGN_HOLDER"), r.out());
    }

    @Test
    void discoveryIgnoresReplicationAndServiceHostRpcEndpoints() {
        // Before: 6744, 6790 and 49800 (RPC dynamic endpoints) were added and reported as exposed.
        Run r = check("exchange-rpc-listeners", "--profile", "exchange");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.perfdata().startsWith("watched=7 "), r.perfdata());
        assertFalse(r.out().contains("6744") || r.out().contains("6790") || r.out().contains("49800"), r.out());
    }

    @Test
    void discoveryStillFindsTheBackendOnACustomPortWithTheExchangeProfile() {
        Run r = check("custom-proxy-port", "--profile", "exchange");
        assertTrue(r.out().contains("Note: port 12995 added: MSExchangePOP3BE listens on it"), r.out());
        assertTrue(r.statusText().contains("12995/tcp POP3 back-end exposed"), r.statusText());
    }

    @Test
    void blindServiceColumnNeverCallsTheBackendsOwnListenerForeign() {
        // Before: every back-end listener had no service name and was a FOREIGN_HOLDER CRITICAL.
        Run r = check("blind-tasklist");
        assertEquals(3, r.exit(), r.out());
        assertFalse(r.out().contains("FOREIGN_HOLDER"), r.out());
        assertTrue(r.statusText().contains("1995/tcp POP3 back-end holder undecided: tasklist shows no service names"),
                r.statusText());
        assertTrue(r.out().contains("[UNKNOWN] OWNER_UNKNOWN: 9955/tcp POP3 back-end (ipv4): cannot tell whether"
                + " Microsoft.Exchange.Pop3Service.exe (PID 5300) listening on 0.0.0.0:9955 is MSExchangePOP3BE"), r.out());
        assertTrue(r.out().contains("SC_MANAGER_ENUMERATE_SERVICE"), r.out());
    }

    @Test
    void blindServiceColumnNamesPopImapListenersDiscoveryCannotSee() {
        // 110/995 (front-end or a back-end's custom ProxyTargetPort: same image) are not watched: UNKNOWN, not OK.
        Run r = check("blind-tasklist");
        assertTrue(r.statusText().startsWith("DYNPORT UNKNOWN - tasklist shows no service names (the account may not"
                + " enumerate services, see Note): Microsoft.Exchange.Imap4Service.exe listens on 143, 993;"
                + " Microsoft.Exchange.Pop3Service.exe listens on 110, 995; whether one of them is a back-end's"
                + " ProxyTargetPort cannot be told"), r.statusText());
        assertTrue(r.out().contains("Note: tasklist /svc shows no service names"), r.out());
    }

    @Test
    void blindServiceColumnStillReportsAHolderWhoseImageCannotBeTheOwner() {
        Run r = check("blind-tasklist-foreign-holder");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.statusText().contains("9955/tcp POP3 back-end held by svchost.exe (PID 1240) [ipv4]"),
                r.statusText());
        assertTrue(r.out().contains("(decided by image name: it cannot be MSExchangePOP3BE)"), r.out());
    }

    @Test
    void singleUnmarkedPortWithSystemListeningIsAnHttpSysReservationWithoutWinnat() {
        // Before: called Hyper-V/WinNAT and wrapped in net stop winnat, which cannot release it.
        Run r = check("httpsys-reserved");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.statusText().contains("9955/tcp POP3 back-end blocked by a system (http.sys) port reservation"
                + " [ipv4+ipv6]"), r.statusText());
        assertTrue(r.out().contains("is inside the system-reserved exclusion 9955, reserved by the system"
                + " (http.sys/port reservation API)"), r.out());
        assertFalse(r.out().contains("winnat"), r.out());
        assertFalse(r.out().contains("Hyper-V"), r.out());
    }

    @Test
    void singleUnmarkedPortWithoutAListenerIsAnUnknownReservation() {
        Run r = check("unknown-single-reserved");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.statusText().contains("9955/tcp POP3 back-end blocked by an unknown system port reservation"),
                r.statusText());
        assertFalse(r.out().contains("winnat"), r.out());
    }

    @Test
    void aHundredPortBlockStillGetsTheWinnatRemediation() {
        Run r = check("hyperv-reserved");
        assertTrue(r.out().contains("9900-9999, a WinNAT/HNS-style block"), r.out());
        assertTrue(r.out().contains("\n  net stop winnat\n"), r.out());
    }

    @Test
    void anOwnerListeningOnAnExposedPortIsStoppedAroundTheExclusion() {
        // Before: only the netsh lines, which fail with "being used by another process" while the owner listens.
        Run r = check("exchange-exposed");
        String remediation = r.out().substring(r.out().indexOf("Remediation:"));
        assertTrue(remediation.startsWith("Remediation:\n  net stop MSExchangeIMAP4BE\n"
                + "  netsh int ipv4 add excludedportrange protocol=tcp startport=9933 numberofports=1\n"
                + "  netsh int ipv6 add excludedportrange protocol=tcp startport=9933 numberofports=1\n"
                + "  net start MSExchangeIMAP4BE\n  net stop MSExchangePOP3BE\n"), remediation);
        assertFalse(remediation.contains("winnat"), remediation);
    }

    @Test
    void aForeignHolderIsNotStoppedAroundTheExclusionButMustReleaseThePortFirst() {
        Run r = check("exchange-foreign-holder");
        String remediation = r.out().substring(r.out().indexOf("Remediation:"));
        assertFalse(remediation.contains("net stop MSExchangePOP3BE"), remediation);
        assertTrue(r.out().contains("it must release the port first (wait until its connection closes, or stop that"
                + " process or service)"), r.out());
    }

    @Test
    void theKbNotesPrintOnceAndOnlyAsAConditionalNote() {
        Run r = check("exchange-exposed");
        assertEquals(1, r.out().split("KB2665809", -1).length - 1, r.out());
        assertTrue(r.out().contains("Only on Windows Server 2008 R2/2012 R2 (the snapshot does not show the OS"
                + " version)"), r.out());
    }
}
