package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.ServiceRunState;
import dev.dynport.check.model.ServiceStatus;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(HostileLocales.class)
class ScQueryExParserTest {
    static Stream<Arguments> fixtures() {
        return HostileLocales.cross(Fixtures.load("sc/queryex"));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("fixtures")
    void readsEveryFixtureAsItsExpectationSays(String tag, Fixture f, Locale locale) throws Exception {
        HostileLocales.use(locale);
        String text = f.text();
        Expectation x = f.expect();
        String service = x.one("service");
        if (x.error()) {
            x.assertFails(ScQueryExParser.command(service), () -> ScQueryExParser.parse(text, service));
            return;
        }
        ServiceStatus expected = x.items().containsKey("error")
                ? ServiceStatus.failed(service, Integer.parseInt(x.one("error")))
                : ServiceStatus.found(service, ServiceRunState.valueOf(x.one("state")), Integer.parseInt(x.one("pid")));
        assertEquals(expected, ScQueryExParser.parse(text, service));
    }

    private static String queryex(String state, String pid) {
        return "\r\nSERVICE_NAME: MSExchangeIMAP4BE\r\n        TYPE               : 10  WIN32_OWN_PROCESS  \r\n"
                + "        STATE              : " + state + " \r\n"
                + "        WIN32_EXIT_CODE    : 0  (0x0)\r\n        CHECKPOINT         : 0x0\r\n"
                + (pid == null ? "" : "        PID                : " + pid + "\r\n")
                + "        FLAGS              : \r\n";
    }

    @Test
    void readsEveryStateByItsNumberAndConstant() throws Exception {
        for (ServiceRunState s : ServiceRunState.values()) {
            ServiceStatus status = ScQueryExParser.parse(queryex(s.code() + "  " + s.symbol(), "99"), "MSExchangeIMAP4BE");
            assertEquals(s, status.state());
            assertEquals(s == ServiceRunState.RUNNING ? 99 : 0, status.pid(), s.name());
        }
    }

    @Test
    void runningWithoutAPidFieldIsRefusedAsCut() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ScQueryExParser.parse(queryex("4  RUNNING", null), "MSExchangeIMAP4BE"));
        assertEquals("sc.exe queryex MSExchangeIMAP4BE: line 7: truncated: no process id field after the RUNNING"
                + " state ('PID : 4711', label in any language) [FLAGS              :]", e.getMessage());
    }

    @Test
    void stoppedWithoutAPidFieldHasPidZero() throws Exception {
        assertEquals(ServiceStatus.found("MSExchangeIMAP4BE", ServiceRunState.STOPPED, 0),
                ScQueryExParser.parse(queryex("1  STOPPED", null), "MSExchangeIMAP4BE"));
    }

    @Test
    void refusesTextAfterTheStateConstant() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ScQueryExParser.parse(queryex("4  RUNNING  STOPPED", "99"), "MSExchangeIMAP4BE"));
        assertEquals("sc.exe queryex MSExchangeIMAP4BE: line 4: unexpected text after the state RUNNING"
                + " [STATE              : 4  RUNNING  STOPPED]", e.getMessage());
    }

    @Test
    void refusesTheQcOutputOfTheSameService() {
        String qc = "[SC] QueryServiceConfig SUCCESS\r\n\r\nSERVICE_NAME: MSExchangeIMAP4BE\r\n"
                + "        START_TYPE         : 2   AUTO_START\r\n";
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ScQueryExParser.parse(qc, "MSExchangeIMAP4BE"));
        assertTrue(e.reason().startsWith("expected the service name line"), e.getMessage());
    }

    @Test
    void refusesAnOutputThatNamesNoServiceBeforeTheState() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ScQueryExParser.parse("        STATE              : 4  RUNNING \r\n", "MSExchangeIMAP4BE"));
        assertEquals("names service [4  RUNNING], expected [MSExchangeIMAP4BE]: the output of another command",
                e.reason());
    }
}
