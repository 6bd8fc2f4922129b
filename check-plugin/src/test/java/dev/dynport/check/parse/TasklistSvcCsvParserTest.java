package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.ProcessTable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(HostileLocales.class)
class TasklistSvcCsvParserTest {
    private static final Set<String> KEYS = Set.of("processes", "pid");

    static Stream<Arguments> fixtures() {
        return HostileLocales.cross(Fixtures.load("tasklist"));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("fixtures")
    void readsEveryFixtureAsItsExpectationSays(String tag, Fixture f, Locale locale) throws Exception {
        HostileLocales.use(locale);
        String text = f.text();
        Expectation x = f.expect();
        if (x.error()) {
            x.assertFails(TasklistSvcCsvParser.COMMAND, () -> TasklistSvcCsvParser.parse(text));
            return;
        }
        assertTrue(KEYS.containsAll(x.items().keySet()), () -> "unknown key in " + x.items());
        ProcessTable t = TasklistSvcCsvParser.parse(text);
        if (x.items().containsKey("processes")) {
            assertEquals(Integer.parseInt(x.one("processes")), t.processes().size());
        }
        for (String spec : x.all("pid")) {
            String[] p = spec.split("\\|", -1);
            int pid = Integer.parseInt(p[0]);
            List<String> services = p[2].isEmpty() ? List.of() : Arrays.asList(p[2].split(","));
            assertEquals(Optional.of(new ProcessInfo(pid, p[1], services)), t.byPid(pid));
        }
    }

    @Test
    void learnsTheNoServiceWordFromSystemProcesses() throws Exception {
        ProcessTable t = TasklistSvcCsvParser.parse("\"System Idle Process\",\"0\",\"不适用\"\n\"System\",\"4\",\"不适用\"\n"
                + "\"java.exe\",\"23052\",\"不适用\"\n\"svchost.exe\",\"968\",\"RpcSs\"\n");
        assertEquals(List.of(), t.byPid(23052).orElseThrow().services());
        assertEquals(List.of("RpcSs"), t.byPid(968).orElseThrow().services());
    }

    @Test
    void readsAnyWordWithASlashAsNoServicesEvenWithoutSystemRows() throws Exception {
        ProcessTable t = TasklistSvcCsvParser.parse("\"a.exe\",\"100\",\"N/A\"\n\"b.exe\",\"104\",\"N/D\"\n\"c.exe\",\"108\",\"n/v\"\n");
        assertTrue(t.processes().stream().allMatch(p -> p.services().isEmpty()), t::toString);
    }

    @Test
    void keepsAServiceNameWithSpaces() throws Exception {
        ProcessTable t = TasklistSvcCsvParser.parse("\"System\",\"4\",\"N/A\"\n\"mDNSResponder.exe\",\"2200\",\"Bonjour Service\"\n");
        assertEquals(List.of("Bonjour Service"), t.byPid(2200).orElseThrow().services());
    }

    @Test
    void skipsOnlyTheFirstNonNumericPidAsHeader() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> TasklistSvcCsvParser.parse(
                "\"Image Name\",\"PID\",\"Services\"\n\"System\",\"4\",\"N/A\"\n\"Image Name\",\"PID\",\"Services\"\n"));
        assertEquals("tasklist /svc /fo csv: line 3: PID is not a number in 0..2147483647 [PID]"
                + " [\"Image Name\",\"PID\",\"Services\"]", e.getMessage());
    }

    @Test
    void rejectsAHeaderAlone() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> TasklistSvcCsvParser.parse("\"Abbildname\",\"PID\",\"Dienste\"\r\n"));
        assertEquals("no process record: not 'tasklist /svc /fo csv' output", e.reason());
    }

    @Test
    void rejectsTextAfterAClosingQuote() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> TasklistSvcCsvParser.parse("\"System\"x,\"4\",\"N/A\"\n"));
        assertEquals("text after a closing quote at column 9", e.reason());
    }

    @Test
    void rejectsAPaddedPid() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> TasklistSvcCsvParser.parse("\"System\",\"4\",\"N/A\"\n\"svchost.exe\",\" 968\",\"RpcSs\"\n"));
        assertEquals(2, e.line());
        assertEquals("PID is not a number in 0..2147483647 [ 968]", e.reason());
    }

    @Test
    void rejectsAnEmptyNameInTheServicesList() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> TasklistSvcCsvParser.parse("\"System\",\"4\",\"N/A\"\n\"svchost.exe\",\"968\",\"RpcEptMapper,,RpcSs\"\n"));
        assertEquals("tasklist /svc /fo csv: line 2: empty service name in the"
                + " services list: a damaged list [\"svchost.exe\",\"968\",\"RpcEptMapper,,RpcSs\"]", e.getMessage());
    }

    @Test
    void rejectsTwoRecordsRunTogether() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> TasklistSvcCsvParser.parse("\"System\",\"4\",\"N/A\"\"svchost.exe\",\"968\",\"RpcSs\"\n"));
        assertEquals(1, e.line());
    }

    @Test
    void rejectsAnEmptyImageName() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> TasklistSvcCsvParser.parse("\"\",\"4\",\"N/A\"\n"));
        assertEquals("empty image name", e.reason());
    }

    @Test
    void rejectsANonCsvLineAmongTheRecords() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> TasklistSvcCsvParser.parse("\"System\",\"4\",\"N/A\"\nERROR: Access denied\n"));
        assertEquals(2, e.line());
    }
}
