package dev.dynport.check.cli;

import static dev.dynport.check.cli.CheckDynportTest.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.cli.CheckDynportTest.Run;
import org.junit.jupiter.api.Test;

/**
 * Black-box: situations an Exchange admin meets on a real server, each staged in a constructed snapshot (see
 * make_constructed.py), with the verdict the README's situation table promises.
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
}
