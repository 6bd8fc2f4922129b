package dev.dynport.check.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dynport.check.fuzz.ReferenceFormats.Unreadable;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reference's reading of the optional sections: what it must take (or every OK the product gives from them is
 * flagged) and what it must refuse without throwing (a throw is a reference error, counted as a wrong OK).
 */
class ReferenceServicesTest {
    private static final String QC = "[SC] QueryServiceConfig SUCCESS\r\n\r\nSERVICE_NAME: MSExchangePOP3BE\r\n"
            + "        START_TYPE         : 3   DEMAND_START\r\n";

    @Test
    void readsTheStartTypeByNumberAndConstantAndTheFailureCode() throws Unreadable {
        assertEquals(new ReferenceServices.Sc(0, "DEMAND_START"), ReferenceServices.qc(QC, "MSExchangePOP3BE"));
        assertEquals(new ReferenceServices.Sc(1060, null), ReferenceServices.queryex(
                "[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist.\r\n",
                "MSExchangePOP3BE"));
        assertThrows(Unreadable.class, () -> ReferenceServices.qc(QC.replace("3   DEMAND", "2   DEMAND"), "MSExchangePOP3BE"));
        assertThrows(Unreadable.class, () -> ReferenceServices.qc(QC, "MSExchangeIMAP4BE"));
    }

    @Test
    void aSettingsLineCutAfterTheServiceNameIsUnreadableNotAThrow() throws Unreadable {
        // TRUNCATE_SECTION found it: the reference read the second token of a one-token line
        assertThrows(Unreadable.class, () -> ReferenceServices.settings("MSExchangePOP3BE\r\n"));
        assertEquals(Map.of("MSExchangePOP3BE", 1995, "MSExchangeIMAP4BE", 1993), ReferenceServices.settings(
                "MSExchangePOP3BE ProxyTargetPort 1995\r\nMSExchangeIMAP4BE ProxyTargetPort 1993\r\n"));
        assertThrows(Unreadable.class, () -> ReferenceServices.settings(
                "MSExchangePOP3BE ProxyTargetPort 1995\r\nMSExchangeIMAP4BE ProxyTargetPort 1993"));
    }
}
