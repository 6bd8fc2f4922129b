package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dynport.check.model.DynamicRange;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(HostileLocales.class)
class DynamicPortParserTest {
    static Stream<Arguments> fixtures() {
        return HostileLocales.cross(Fixtures.load("dynamicport"));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("fixtures")
    void readsEveryFixtureAsItsExpectationSays(String tag, Fixture f, Locale locale) throws Exception {
        HostileLocales.use(locale);
        String text = f.text();
        Expectation x = f.expect();
        if (x.error()) {
            x.assertFails(DynamicPortParser.COMMAND, () -> DynamicPortParser.parse(text));
            return;
        }
        assertEquals(Set.of("start", "count"), x.items().keySet());
        DynamicRange r = DynamicPortParser.parse(text);
        assertEquals(new DynamicRange(Integer.parseInt(x.one("start")), Integer.parseInt(x.one("count"))), r);
    }

    @Test
    void readsNumbersByPositionWhateverTheLabelsSay() throws Exception {
        String text = "Protocole tcp Plage de ports dynamique\n-----\nNombre de ports : 6005\nPort de début : 59530\n";
        // labels are deliberately swapped: the first number is the start, always
        assertEquals(new DynamicRange(6005, 59530), DynamicPortParser.parse(text));
    }

    @Test
    void acceptsFullWidthColonAndUpperCaseProtocol() throws Exception {
        String text = "\uFEFF协议 TCP 动态端口范围\r---------------------------------\r启动端口\uFF1A1024\r端口数\uFF1A64511\r";
        assertEquals(new DynamicRange(1024, 64511), DynamicPortParser.parse(text));
    }

    @Test
    void acceptsTheWidestRangeNetshPrints() throws Exception {
        // 1024 + 64511 is a real capture (Visual Studio installer); one more port is the widest there is
        assertEquals(new DynamicRange(1024, 64512), DynamicPortParser.parse(tcp("1024", "64512")));
        assertEquals(65535, DynamicPortParser.parse(tcp("1024", "64512")).end());
    }

    @Test
    void rejectsStartPortZero() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> DynamicPortParser.parse(tcp("0", "300")));
        assertEquals("netsh show dynamicport: line 3: start port 0 is below 1024, the lowest start netsh prints"
                + " [Start Port : 0]", e.getMessage());
    }

    @Test
    void rejectsAStartBelow1024ButAcceptsTheStart1024RealCapturesShow() throws Exception {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> DynamicPortParser.parse(tcp("1023", "16384")));
        assertEquals("netsh show dynamicport: line 3: start port 1023 is below 1024, the lowest start netsh prints"
                + " [Start Port : 1023]", e.getMessage());
        assertEquals(new DynamicRange(1024, 13977), DynamicPortParser.parse(tcp("1024", "13977")));
        // KB929851 says 1025 is the lowest start that can be set; 1025 itself is of course a range too
        assertEquals(new DynamicRange(1025, 3976), DynamicPortParser.parse(tcp("1025", "3976")));
    }

    @Test
    void rejectsZeroPorts() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> DynamicPortParser.parse(tcp("49152", "0")));
        assertEquals(4, e.line());
        assertEquals("number of ports 0 is below netsh's minimum of 255 (KB929851)", e.reason());
    }

    @Test
    void rejectsACountBelow255NamingLineAndValue() {
        // 6005 + 30 would put every Exchange back-end port outside the range: a damaged count must not read as OK
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> DynamicPortParser.parse(tcp("6005", "30")));
        assertEquals("netsh show dynamicport: line 4: number of ports 30 is below netsh's minimum of 255 (KB929851)"
                + " [Number of Ports : 30]", e.getMessage());
        OutputFormatException one = assertThrows(OutputFormatException.class,
                () -> DynamicPortParser.parse(tcp("6005", "254")));
        assertEquals("number of ports 254 is below netsh's minimum of 255 (KB929851)", one.reason());
    }

    @Test
    void acceptsTheSmallestRange() throws Exception {
        assertEquals(new DynamicRange(10000, 255), DynamicPortParser.parse(tcp("10000", "255")));
    }

    @Test
    void rejectsAValueThatIsNotANumber() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> DynamicPortParser.parse(tcp("49152", "16k")));
        assertEquals("netsh show dynamicport: line 4: expected 'label : number' under the rule [Number of Ports : 16k]",
                e.getMessage());
    }

    @Test
    void rejectsACountWithTwoSeparatorsRatherThanReadingItsLastNumber() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> DynamicPortParser.parse(tcp("6005", "59:530")));
        assertEquals("netsh show dynamicport: line 4: two ':' separators in one value line: a damaged number or two lines"
                + " run together [Number of Ports : 59:530]", e.getMessage());
    }

    @Test
    void rejectsValueLinesRunTogether() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> DynamicPortParser.parse(tcp("6005", "1 Start Port : 7 Number of Ports : 3500")));
        assertEquals(4, e.line());
        assertEquals("two ':' separators in one value line: a damaged number or two lines run together", e.reason());
    }

    @Test
    void rejectsAFullWidthAndAnAsciiSeparatorInOneLine() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> DynamicPortParser.parse(tcp("6005", "\uFF1A59530")));
        assertEquals(4, e.line());
    }

    @Test
    void rejectsADigitInTheLabel() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> DynamicPortParser.parse("Protocol tcp Dynamic Port Range\n-----\nStart Port : 6005\nNumber of Ports 5 : 9530\n"));
        assertEquals("a digit in the label: where the number begins is ambiguous", e.reason());
    }

    @Test
    void rejectsAValueLineWithoutALabel() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> DynamicPortParser.parse("Protocol tcp Dynamic Port Range\n-----\n: 6005\n-- : 59530\n"));
        assertEquals(3, e.line());
        assertEquals("expected 'label : number' under the rule", e.reason());
    }

    @Test
    void rejectsACountOfThirteenDigitsNamingIt() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> DynamicPortParser.parse(tcp("6005", "9999999999999")));
        assertEquals("netsh show dynamicport: line 4: number has 13 digits, no port or count has more than 5"
                + " [Number of Ports : 9999999999999]", e.getMessage());
    }

    @Test
    void rejectsAStartAbove65535() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> DynamicPortParser.parse(tcp("65536", "1")));
        assertEquals("number 65536 above 65535", e.reason());
    }

    @Test
    void acceptsTheHighestSmallestRangeAndRefusesOnePortMore() throws Exception {
        assertEquals(new DynamicRange(65281, 255), DynamicPortParser.parse(tcp("65281", "255")));
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> DynamicPortParser.parse(tcp("65282", "255")));
        assertEquals("netsh show dynamicport: line 4: last port 65282 + 255 - 1 = 65536 exceeds 65535"
                + " [Number of Ports : 255]", e.getMessage());
    }

    @Test
    void rejectsTheLastPortAlone() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> DynamicPortParser.parse(tcp("65535", "1")));
        assertEquals("number of ports 1 is below netsh's minimum of 255 (KB929851)", e.reason());
    }

    @Test
    void rejectsNonAsciiDigitsThatIntegerParseIntWouldAccept() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> DynamicPortParser.parse(tcp("\u0664\u0669\u0661\u0665\u0662", "16384")));
        assertEquals(3, e.line());
    }

    @Test
    void rejectsExclusionTableNamingTheCommandItIs() {
        String text = "Protocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n----------    --------\n\n* - Administered port exclusions.\n";
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> DynamicPortParser.parse(text));
        assertEquals(4, e.line());
        assertEquals("two-column rule: this is 'show excludedportrange' output, not 'show dynamicport'", e.reason());
    }

    @Test
    void rejectsARuleWithoutTitle() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> DynamicPortParser.parse("-----------\nStart Port : 49152\nNumber of Ports : 16384\n"));
        assertEquals("no title line above the dashed rule", e.reason());
    }

    @Test
    void rejectsATitleThatNamesNoProtocol() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> DynamicPortParser.parse("Dynamic Port Range\n-----------\nStart Port : 49152\nNumber of Ports : 16384\n"));
        assertEquals("title does not name protocol tcp", e.reason());
    }

    @Test
    void rejectsNull() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> DynamicPortParser.parse(null));
        assertEquals("netsh show dynamicport: empty output", e.getMessage());
    }

    private static String tcp(String start, String count) {
        return "Protocol tcp Dynamic Port Range\n---------------------------------\nStart Port : " + start
                + "\nNumber of Ports : " + count + "\n";
    }
}
