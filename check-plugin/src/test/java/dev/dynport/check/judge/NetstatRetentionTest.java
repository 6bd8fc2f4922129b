package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.acquire.SnapshotReader;
import dev.dynport.check.model.Family;
import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.State;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The judge reads netstat keeping only listeners and rows on the ports it knows before reading; a port found
 * later (a back-end listening on a non-default ProxyTargetPort) must still have its foreign holders judged,
 * even when their rows come before the listener that makes the port watched.
 */
class NetstatRetentionTest {
    /** IPv6, where the back-end does not listen (its IPv6 listener is removed below): a foreign holder there. */
    private static final String FOREIGN = "  TCP    [fe80::1%12]:12995     [fe80::2%12]:389       ESTABLISHED     888\r\n";

    private static Snapshot customProxyPortWithForeignRowFirst() throws Exception {
        Path file = Path.of(NetstatRetentionTest.class.getResource("/snapshots/custom-proxy-port-constructed.snapshot").toURI());
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        int firstRow = text.indexOf("  TCP    0.0.0.0:135");
        String changed = text.substring(0, firstRow) + FOREIGN + text.substring(firstRow)
                .replace("  TCP    [::]:12995             [::]:0                 LISTENING       5300\r\n", "");
        return SnapshotReader.read(changed.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1,
                "custom-proxy-port-foreign-first-constructed");
    }

    @Test
    void foreignHolderOnADiscoveredPortIsCriticalThoughItsRowPrecedesTheListener() throws Exception {
        CheckResult result = DynportCheck.judge(customProxyPortWithForeignRowFirst(), CheckOptions.defaults());
        assertEquals(State.CRITICAL, result.state(), result.summary());
        assertTrue(result.ports().stream().filter(p -> p.port().port() == 12995)
                .flatMap(p -> p.findings().stream())
                .anyMatch(f -> f.code() == FindingCode.FOREIGN_HOLDER && f.state() == State.CRITICAL
                        && f.text().contains("svchost.exe")), () -> result.ports().toString());
    }

    @Test
    void aTableRefusesAPortWhoseRowsItDropped() throws Exception {
        NetstatTable table = SnapshotParsing.parse(customProxyPortWithForeignRowFirst(), Set.of(9955)).facts().netstat();
        assertFalse(table.covers(12995));
        assertEquals(1, table.listenersOn(12995, Family.IPV4).size());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> table.onLocalPort(12995, Family.IPV6));
        assertEquals("netstat rows on port 12995 were not kept", e.getMessage());
        assertEquals(22, table.tcpRows()); // every TCP row counted, kept or not
    }
}
