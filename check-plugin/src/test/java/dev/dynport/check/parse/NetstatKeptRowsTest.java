package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.NetstatTable;
import org.junit.jupiter.api.Test;

/** The streaming read keeps listeners and rows on watched ports, and no more than a heap can hold (constructed). */
class NetstatKeptRowsTest {
    private static final String HEADER = "\r\nActive Connections\r\n\r\n  Proto  Local Address          Foreign Address"
            + "        State           PID\r\n";

    private static String listeners(int n) {
        StringBuilder b = new StringBuilder(HEADER);
        for (int i = 0; i < n; i++) {
            b.append(String.format("  TCP    10.0.%d.%d:%-14d0.0.0.0:0              LISTENING       %d\r\n",
                    i / 65536 % 256, i / 256 % 256, 1 + i % 65535, 100 + i % 1000));
        }
        return b.toString();
    }

    @Test
    void aTableOfOnlyListenersBeyondTheBoundIsRefusedNamingTheLine() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> NetstatParser.parse(listeners(NetstatParser.MAX_KEPT_ROWS + 1), port -> false));
        assertTrue(e.reason().startsWith("more than 65536 listening sockets"), e.reason());
        assertEquals(4 + NetstatParser.MAX_KEPT_ROWS + 1, e.line());
    }

    @Test
    void rowsOnUnwatchedPortsAreCountedNotKept() throws OutputFormatException {
        StringBuilder b = new StringBuilder(listeners(1));
        for (int i = 0; i < 100_000; i++) {
            b.append("  TCP    10.0.0.25:" + (20000 + i % 40000) + "        10.0.0.10:443          ESTABLISHED     1240\r\n");
        }
        NetstatTable t = NetstatParser.parse(b.toString(), port -> false);
        assertEquals(100_001, t.tcpRows());
        assertEquals(1, t.listeners().size());
    }
}
