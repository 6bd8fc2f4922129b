package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.ServiceConfig;
import dev.dynport.check.model.ServiceStartType;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(HostileLocales.class)
class ScQcParserTest {
    static Stream<Arguments> fixtures() {
        return HostileLocales.cross(Fixtures.load("sc/qc"));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("fixtures")
    void readsEveryFixtureAsItsExpectationSays(String tag, Fixture f, Locale locale) throws Exception {
        HostileLocales.use(locale);
        String text = f.text();
        Expectation x = f.expect();
        String service = x.one("service");
        if (x.error()) {
            x.assertFails(ScQcParser.command(service), () -> ScQcParser.parse(text, service));
            return;
        }
        ServiceConfig expected = x.items().containsKey("error")
                ? ServiceConfig.failed(service, Integer.parseInt(x.one("error")))
                : ServiceConfig.found(service, ServiceStartType.valueOf(x.one("start")));
        assertEquals(expected, ScQcParser.parse(text, service));
    }

    private static String qc(String startType) {
        return "[SC] QueryServiceConfig SUCCESS\r\n\r\nSERVICE_NAME: MSExchangePOP3BE\r\n"
                + "        TYPE               : 10  WIN32_OWN_PROCESS \r\n"
                + "        START_TYPE         : " + startType + "\r\n"
                + "        ERROR_CONTROL      : 1   NORMAL\r\n"
                + "        DISPLAY_NAME       : MSExchangePOP3BE\r\n";
    }

    @Test
    void readsEveryStartTypeByItsNumberAndConstant() throws Exception {
        for (ServiceStartType t : ServiceStartType.values()) {
            assertEquals(ServiceConfig.found("MSExchangePOP3BE", t),
                    ScQcParser.parse(qc(t.code() + "   " + t.symbol()), "MSExchangePOP3BE"), t.name());
        }
    }

    @Test
    void aDisplayNameEqualToTheServiceNameIsNoSecondNameLine() throws Exception {
        assertEquals(ServiceStartType.MANUAL, ScQcParser.parse(qc("3   DEMAND_START"), "MSExchangePOP3BE").startType());
    }

    @Test
    void refusesAnUnknownStartNumberWithAKnownConstantNamingLineAndText() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ScQcParser.parse(qc("7   DISABLED"), "MSExchangePOP3BE"));
        assertEquals("sc.exe qc MSExchangePOP3BE: line 5: start type number 7 disagrees with its constant DISABLED (4)"
                + " [START_TYPE         : 7   DISABLED]", e.getMessage());
    }

    @Test
    void delayedIsOnlyKnownAfterAutoStart() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ScQcParser.parse(qc("3   DEMAND_START  (DELAYED)"), "MSExchangePOP3BE"));
        assertEquals("unexpected text after the start type DEMAND_START", e.reason());
    }

    @Test
    void refusesEmptyAndBlankOutput() {
        assertEquals("empty output", assertThrows(OutputFormatException.class,
                () -> ScQcParser.parse("", "MSExchangePOP3BE")).reason());
        assertEquals("output holds only blank lines", assertThrows(OutputFormatException.class,
                () -> ScQcParser.parse("\r\n \r\n", "MSExchangePOP3BE")).reason());
    }

    @Test
    void refusesTheQueryExOutputOfTheSameService() {
        String queryex = "\r\nSERVICE_NAME: MSExchangePOP3BE\r\n        TYPE               : 10  WIN32_OWN_PROCESS  \r\n"
                + "        STATE              : 4  RUNNING \r\n        PID                : 4711\r\n";
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ScQcParser.parse(queryex, "MSExchangePOP3BE"));
        assertTrue(e.reason().startsWith("no start-type line"), e.getMessage());
    }

    @Test
    void refusesAHeaderWithNothingAfterIt() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ScQcParser.parse("[SC] QueryServiceConfig SUCCESS\r\n\r\n", "MSExchangePOP3BE"));
        assertEquals("sc.exe qc MSExchangePOP3BE: line 1: truncated: nothing after the [SC] line"
                + " [[SC] QueryServiceConfig SUCCESS]", e.getMessage());
    }
}
