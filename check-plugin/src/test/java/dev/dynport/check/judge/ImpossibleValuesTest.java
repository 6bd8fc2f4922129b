package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dynport.check.acquire.Section;
import dev.dynport.check.acquire.Snapshot;
import dev.dynport.check.model.State;
import dev.dynport.check.render.NagiosText;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Values no Windows command prints, in one section of an otherwise protected host: UNKNOWN naming the command,
 * the line and the value, never an internal error (which would hide every other finding behind one line).
 */
class ImpossibleValuesTest {
    private static CheckResult judgeWith(Section section, String text) throws Exception {
        Snapshot good = GarbageSnapshotTest.good();
        Map<Section, String> sections = new EnumMap<>(good.sections());
        sections.put(section, text);
        return DynportCheck.judge(new Snapshot(new byte[0], sections, "constructed"), CheckOptions.defaults());
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
