package dev.dynport.check.cli;

import static dev.dynport.check.cli.CheckDynportTest.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.cli.CheckDynportTest.Run;
import org.junit.jupiter.api.Test;

/**
 * Black-box: which ports a server really uses, on constructed snapshots with the sc.exe and settings sections
 * (make_constructed.py). Every downgrade to OK sits beside the counter-case that keeps the port judged.
 */
class PortsInUseSituationsTest {

    @Test
    void fresh2019ServerWithPopAndImapOffIsOkWhateverHolds9955() {
        Run r = check("exchange2019-pop-off");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.statusText().startsWith("DYNPORT OK - 4 watched ports safe: 1993 not in use, 1995 not in use,"
                + " 9933 not in use, 9955 not in use"), r.statusText());
        assertTrue(r.perfdata().contains(" not_in_use=4 "), r.perfdata());
        assertTrue(r.out().contains("[OK] NOT_IN_USE: 9955/tcp POP3 back-end (ipv4) is not in use: MSExchangePOP3BE is"
                + " Manual and stopped and MSExchangePOP3 is not running: POP3 is off (Exchange's default); set both to"
                + " Automatic when you offer POP3; held by svchost.exe (PID 1240: Dnscache, NlaSvc) ESTABLISHED, which"
                + " harms nothing here"), r.out());
        assertFalse(r.out().contains("Remediation:"), r.out());
    }

    @Test
    void counterCaseAPop3FrontEndRunningKeepsTheBackEndsPortsJudged() {
        Run r = check("exchange2019-pop-frontend-running");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.statusText().startsWith("DYNPORT CRITICAL - 9955/tcp POP3 back-end held by svchost.exe"), r.statusText());
        assertTrue(r.out().contains("Note: MSExchangePOP3BE: it is Manual, not listening and no ProxyTargetPort is known,"
                + " so which of 1995, 9955 it binds is not known: all judged"), r.out());
        assertTrue(r.out().contains("NOT_IN_USE: 9933/tcp IMAP4"), "IMAP4 stays off: " + r.out());
    }

    @Test
    void watchUnusedJudgesThePortsOfAServiceThatIsOff() {
        Run r = check("exchange2019-pop-off", "--watch-unused");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("Note: --watch-unused: 1995, 9955 judged although MSExchangePOP3BE is Manual and"
                + " stopped"), r.out());
    }

    @Test
    void popOnWithProxyTargetPort1995Makes9955NotInUse() {
        Run r = check("exchange2019-pop-on-1995");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("[OK] NOT_IN_USE: 9955/tcp POP3 back-end (ipv4) is not in use: MSExchangePOP3BE"
                + " binds only its ProxyTargetPort: it listens on 1995, Get-PopSettings ProxyTargetPort is 1995; held by"
                + " svchost.exe (PID 1240: Dnscache, NlaSvc) ESTABLISHED"), r.out());
        assertTrue(r.statusText().contains("1995 outside range"), r.statusText());
    }

    @Test
    void exchange2013On9955WhoseBackEndCouldNotBindIsCritical() {
        // Automatic but stopped, settings say 9955, svchost holds it: the incident this check exists for.
        Run r = check("exchange2013-9955-taken");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.statusText().startsWith("DYNPORT CRITICAL - 9955/tcp POP3 back-end held by svchost.exe"), r.statusText());
        assertTrue(r.out().contains("NOT_IN_USE: 1995/tcp POP3 back-end (ipv4) is not in use: MSExchangePOP3BE binds"
                + " only its ProxyTargetPort: Get-PopSettings ProxyTargetPort is 9955"), r.out());
        assertTrue(r.out().contains("  net stop MSExchangeIMAP4BE\n  netsh int ipv4 add excludedportrange protocol=tcp"
                + " startport=9933 numberofports=1\n"), r.out());
    }

    @Test
    void exchange2013WithItsPortsExcludedIsOk() {
        Run r = check("exchange2013-protected");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.statusText().contains("1993 not in use, 1995 not in use, 9933 protected, 9955 protected"),
                r.statusText());
    }

    @Test
    void theAdminsBackendPortOptionWorksWithoutSettingsSection() {
        Run plain = check("exchange-foreign-holder");
        assertEquals(2, plain.exit(), "counter-case: nothing tells the port, 9955 judged: " + plain.out());
        Run r = check("exchange-foreign-holder", "--pop3-backend-port", "1995");
        assertTrue(r.out().contains("NOT_IN_USE: 9955/tcp POP3 back-end (ipv4) is not in use: MSExchangePOP3BE binds"
                + " only its ProxyTargetPort: --pop3-backend-port 1995"), r.out());
        assertFalse(r.out().contains("FOREIGN_HOLDER"), r.out());
    }

    @Test
    void disabledBackEndsIgnoreAWinNatBlockOverTheirPorts() {
        Run r = check("pop-disabled-hyperv-block");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("9955/tcp POP3 back-end (ipv4) is not in use: MSExchangePOP3BE is Disabled and"
                + " stopped"), r.out());
        Run hyperv = check("hyperv-reserved");
        assertEquals(2, hyperv.exit(), "counter-case: back-ends running and listening there: " + hyperv.out());
    }

    @Test
    void aServerWithoutPopImapBackEndsUsesNoneOfTheirPorts() {
        Run r = check("no-popimap-installed");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("is not in use: MSExchangePOP3BE is not installed (sc: error 1060)"), r.out());
    }

    @Test
    void scAccessDeniedKeepsEveryPortJudgedAndSaysWhy() {
        Run r = check("sc-access-denied");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("Note: MSExchangePOP3BE: sc failed with error 5 (access denied: the account may"
                + " not query this service), so which of 1995, 9955 it binds is not known: all judged"), r.out());
    }

    @Test
    void anUnreadableSettingsSectionIsNamedAndNothingIsDowngraded() {
        Run r = check("settings-error");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("Note: section exchange-popimap-settings not used, output of 'Get-PopSettings/"
                + "Get-ImapSettings ProxyTargetPort (Exchange Management Shell, capture-snapshot.cmd)' line 1"), r.out());
        assertFalse(r.out().contains("NOT_IN_USE"), r.out());
    }

    @Test
    void backendPortOptionsAreCheckedLikeEveryNumber() {
        Run r = check("exchange2019-pop-off", "--pop3-backend-port", "0");
        assertEquals(3, r.exit());
        assertEquals("DYNPORT UNKNOWN - --pop3-backend-port [0] must be a port number from 1 to 65535", r.out().strip());
        Run twice = check("exchange2019-pop-off", "--imap4-backend-port", "1993", "--imap4-backend-port", "9933");
        assertEquals(3, twice.exit());
        assertTrue(twice.out().contains("--imap4-backend-port is given 2 times"), twice.out());
    }
}
