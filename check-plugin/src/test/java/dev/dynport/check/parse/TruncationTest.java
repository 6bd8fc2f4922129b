package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.NetstatTable;
import dev.dynport.check.model.ProcessTable;
import dev.dynport.check.model.SocketsAndProcesses;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A text cut anywhere must never read as something else. For every accepted fixture, every prefix of its text
 * (cut after each character) gives {@link OutputFormatException} or:
 * <ul>
 * <li>dynamicport, excludedportrange, settings: exactly the full result (the count line needs its line end; the
 * exclusion table needs its footer; the settings need both back-end lines, the last with its line end);</li>
 * <li>netstat, tasklist, ss, /proc/net/tcp: the full result's first rows, intact (these formats have no footer, so a cut exactly at a
 * row boundary is indistinguishable from a shorter table: a documented limit), never a row with a cut value.</li>
 * </ul>
 */
class TruncationTest {
    static Stream<Fixture> accepted() {
        return Stream.of("dynamicport", "excludedportrange", "netstat", "tasklist", "settings", "sc/qc", "sc/queryex",
                "linux/port-range", "linux/reserved-ports", "linux/ss", "linux/proc-net-tcp")
                .flatMap(d -> Fixtures.load(d).stream().filter(f -> !f.expect().error()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void noPrefixOfAValidOutputReadsAsADifferentOne(Fixture f) throws Exception {
        GarbageTest.Parser parser = GarbageTest.parserFor(f);
        String text = f.text();
        Object full = parser.parse(text);
        int accepted = 0;
        for (int cut = 0; cut < text.length(); cut++) {
            Object partial;
            try {
                partial = parser.parse(text.substring(0, cut));
            } catch (OutputFormatException e) {
                continue;
            }
            accepted++;
            String at = f.name() + " cut at " + cut;
            if (partial instanceof SocketsAndProcesses s) {
                // ss has no footer either: a cut at a line boundary gives the first sockets, intact
                List<?> all = ((SocketsAndProcesses) full).netstat().endpoints();
                assertEquals(all.subList(0, s.netstat().endpoints().size()), s.netstat().endpoints(), at);
                assertTrue(((SocketsAndProcesses) full).processes().processes()
                        .containsAll(s.processes().processes()), at);
            } else if (partial instanceof NetstatTable n) {
                List<?> all = ((NetstatTable) full).endpoints();
                assertEquals(all.subList(0, n.endpoints().size()), n.endpoints(), at);
            } else if (partial instanceof ProcessTable p) {
                List<?> all = ((ProcessTable) full).processes();
                assertEquals(all.subList(0, p.processes().size()), p.processes(), at);
            } else {
                assertEquals(full, partial, at);
            }
        }
        assertTrue(accepted < text.length(), "some prefix must be rejected");
    }
}
