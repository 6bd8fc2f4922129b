package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dynport.check.acquire.Section;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.model.State;
import dev.dynport.check.render.NagiosText;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Values no Windows command prints, in one section of an otherwise protected host: UNKNOWN naming the command,
 * the line and the value, never an internal error (which would hide every other finding behind one line).
 */
class ImpossibleValuesTest {
    private static final String NETSTAT_HEAD = "\r\nActive Connections\r\n\r\n"
            + "  Proto  Local Address          Foreign Address        State           PID\r\n"
            + "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       888\r\n";

    private static CheckResult judgeWith(Section section, String text) throws Exception {
        Snapshot good = GarbageSnapshotTest.good();
        Map<Section, String> sections = new EnumMap<>(good.sections());
        sections.put(section, text);
        return DynportCheck.judge(new Snapshot(new byte[0], sections, "constructed"), CheckOptions.defaults());
    }

    @Test
    void anOwnerListeningOnLocalPortZeroIsUnknownNamingTheNetstatLine() throws Exception {
        // PID 5100 hosts MSExchangeIMAP4BE in the good snapshot: its listeners are discovered as watched ports
        CheckResult r = judgeWith(Section.NETSTAT, NETSTAT_HEAD
                + "  TCP    0.0.0.0:0              0.0.0.0:0              LISTENING       5100\r\n");
        assertEquals(State.UNKNOWN, r.state());
        assertEquals(List.of("output of 'netstat -ano' line 6: local port 0: netstat never prints it for a TCP socket"
                + " [TCP    0.0.0.0:0              0.0.0.0:0              LISTENI...]"), r.problems());
    }

    @Test
    void aPortCountOfThirteenDigitsIsUnknownNamingTheValue() throws Exception {
        CheckResult r = judgeWith(Section.DYNAMICPORT_TCP_IPV4, "\r\nProtocol tcp Dynamic Port Range\r\n"
                + "---------------------------------\r\nStart Port      : 6005\r\nNumber of Ports : 9999999999999\r\n\r\n");
        assertEquals(State.UNKNOWN, r.state());
        assertEquals(1, r.problems().size(), r.problems()::toString);
        String p = r.problems().get(0);
        assertEquals("output of 'netsh int ipv4 show dynamicport tcp' line 5: number has 13 digits, no port or count"
                + " has more than 5 [Number of Ports : 9999999999999]", p);
        assertFalse(NagiosText.statusLine(r).contains("internal error"), NagiosText.statusLine(r));
    }
}
