package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.ExcludedRange;
import dev.dynport.check.model.ExcludedRanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(HostileLocales.class)
class ExcludedPortRangeParserTest {
    private static final Set<String> KEYS = Set.of("rows", "count", "administered", "has");

    static Stream<Arguments> fixtures() {
        return HostileLocales.cross(Fixtures.load("excludedportrange"));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("fixtures")
    void readsEveryFixtureAsItsExpectationSays(String tag, Fixture f, Locale locale) throws Exception {
        HostileLocales.use(locale);
        String text = f.text();
        Expectation x = f.expect();
        if (x.error()) {
            x.assertFails(ExcludedPortRangeParser.COMMAND, () -> ExcludedPortRangeParser.parse(text));
            return;
        }
        assertTrue(KEYS.containsAll(x.items().keySet()), () -> "unknown key in " + x.items());
        ExcludedRanges r = ExcludedPortRangeParser.parse(text);
        if (x.items().containsKey("rows")) {
            assertEquals(ranges(x.one("rows")), r.ranges());
        }
        if (x.items().containsKey("count")) {
            assertEquals(Integer.parseInt(x.one("count")), r.ranges().size());
        }
        if (x.items().containsKey("administered")) {
            assertEquals(Integer.parseInt(x.one("administered")), r.ranges().stream().filter(ExcludedRange::administered).count());
        }
        for (String has : x.all("has")) {
            assertTrue(r.ranges().contains(ranges(has).get(0)), () -> "missing " + has + " in " + r);
        }
    }

    static List<ExcludedRange> ranges(String spec) {
        List<ExcludedRange> out = new ArrayList<>();
        if (spec.equals("none")) {
            return out;
        }
        for (String s : spec.split(",")) {
            boolean admin = s.endsWith("*");
            String[] se = (admin ? s.substring(0, s.length() - 1) : s).split("-");
            out.add(new ExcludedRange(Integer.parseInt(se[0]), Integer.parseInt(se[1]), admin));
        }
        return out;
    }

    @Test
    void marksOnlyStarredRowsAsAdministeredWhateverTheAlignment() throws Exception {
        String text = table("        80          80      \n     50000       50059     *\n     50060 50159 *\n 1 2\n\n* - x\n");
        assertEquals(ranges("80-80,50000-50059*,50060-50159*,1-2"), ExcludedPortRangeParser.parse(text).ranges());
    }

    @Test
    void rejectsTheAdministeredMarkGluedToTheEndPort() {
        // netsh always separates it; a glued mark is not its row, whatever it would read as
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ExcludedPortRangeParser.parse(table("     50060       50159*\n\n* - x\n")));
        assertEquals("netsh show excludedportrange: line 5: expected a row 'start end [*]' or the footer starting with '*'"
                + " [50060       50159*]", e.getMessage());
    }

    @Test
    void rejectsTwoRowsRunTogether() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ExcludedPortRangeParser.parse(table("        80          80        5985        5985\n\n* - x\n")));
        assertEquals(5, e.line());
    }

    @Test
    void rejectsALineStartingWithAStarThatIsNotTheFooter() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ExcludedPortRangeParser.parse(table("        80          80\n*     9933        9933\n\n* - x\n")));
        assertEquals("netsh show excludedportrange: line 6: a line starting with '*' that is not the footer '* - text'"
                + " [*     9933        9933]", e.getMessage());
    }

    @Test
    void acceptsTheFooterDirectlyAfterTheRule() throws Exception {
        assertEquals(List.of(), ExcludedPortRangeParser.parse(table("* - Administered port exclusions.")).ranges());
    }

    @Test
    void rejectsATableCutAfterTheRuleRatherThanReportingNoExclusions() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ExcludedPortRangeParser.parse("Protocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n----------    --------\n"));
        assertEquals("netsh show excludedportrange: line 4: truncated: no footer line starting with '*' after the rows"
                + " [----------    --------]", e.getMessage());
    }

    @Test
    void rejectsPortZero() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ExcludedPortRangeParser.parse(table("0 10\n\n* - x")));
        assertEquals("port out of range 1..65535", e.reason());
        assertEquals(5, e.line());
    }

    @Test
    void rejectsDynamicPortOutputNamingTheCommandItIs() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> ExcludedPortRangeParser.parse(
                "Protocol tcp Dynamic Port Range\n---------------------------------\nStart Port : 1\nNumber of Ports : 2\n"));
        assertEquals(2, e.line());
        assertTrue(e.reason().contains("'show dynamicport' output"), e::getMessage);
    }

    @Test
    void rejectsAHeaderNamingUdpEvenWhenTheTitleIsMissing() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> ExcludedPortRangeParser.parse(
                "C:\\>netsh int ipv4 show excludedportrange protocol=tcp\nProtocol udp Port Exclusion Ranges\n----------    --------\n\n* - x\n"));
        assertEquals(2, e.line());
        assertEquals("title names protocol udp; expected the tcp output", e.reason());
    }

    @Test
    void rejectsTextBetweenRowsSuchAsAPagerPrompt() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ExcludedPortRangeParser.parse(table("80 80\n-- More --\n90 90\n\n* - x")));
        assertEquals(6, e.line());
        assertEquals("expected a row 'start end [*]' or the footer starting with '*'", e.reason());
    }

    private static String table(String rowsAndFooter) {
        return "Protocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n----------    --------\n" + rowsAndFooter;
    }
}
