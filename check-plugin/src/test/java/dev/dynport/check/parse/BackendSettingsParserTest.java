package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.BackendSettings;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The exchange-popimap-settings section: constructed outputs of the capture script's own shape. */
@ExtendWith(HostileLocales.class)
class BackendSettingsParserTest {
    static Stream<Arguments> fixtures() {
        return HostileLocales.cross(Fixtures.load("settings"));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("fixtures")
    void readsEveryFixtureAsItsExpectationSays(String tag, Fixture f, Locale locale) throws Exception {
        HostileLocales.use(locale);
        String text = f.text();
        Expectation x = f.expect();
        if (x.error()) {
            x.assertFails(BackendSettingsParser.COMMAND, () -> BackendSettingsParser.parse(text));
            return;
        }
        BackendSettings s = BackendSettingsParser.parse(text);
        if (x.items().containsKey("none")) {
            assertSame(BackendSettings.NONE, s);
            return;
        }
        assertEquals(Set.of("pop", "imap"), x.items().keySet());
        assertEquals(new BackendSettings(Map.of(BackendSettings.POP3_BACKEND, Integer.parseInt(x.one("pop")),
                BackendSettings.IMAP4_BACKEND, Integer.parseInt(x.one("imap")))), s);
    }

    @Test
    void lfLineEndsAndPaddingAreRead() throws Exception {
        BackendSettings s = BackendSettingsParser.parse(
                "  MSExchangePOP3BE   ProxyTargetPort\t1995  \nMSExchangeIMAP4BE ProxyTargetPort 1993\n");

        assertEquals(1995, s.proxyTargetPort(BackendSettings.POP3_BACKEND).orElseThrow());
        assertEquals(1993, s.proxyTargetPort(BackendSettings.IMAP4_BACKEND).orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "port 0|MSExchangePOP3BE ProxyTargetPort 0\\nMSExchangeIMAP4BE ProxyTargetPort 1993\\n|line 1: port outside 1..65535",
        "port 65536|MSExchangePOP3BE ProxyTargetPort 1995\\nMSExchangeIMAP4BE ProxyTargetPort 65536\\n|line 2: port outside 1..65535",
        "huge port|MSExchangePOP3BE ProxyTargetPort 99999999999999999999\\nMSExchangeIMAP4BE ProxyTargetPort 1993\\n|line 1: port outside 1..65535",
        "negative port|MSExchangePOP3BE ProxyTargetPort -1995\\nMSExchangeIMAP4BE ProxyTargetPort 1993\\n|line 1: port is not a number",
        "full-width digits|MSExchangePOP3BE ProxyTargetPort \uff11\uff19\uff19\uff15\\nMSExchangeIMAP4BE ProxyTargetPort 1993\\n|line 1: port is not a number",
        "two ports (array)|MSExchangePOP3BE ProxyTargetPort 1995 9955\\nMSExchangeIMAP4BE ProxyTargetPort 1993\\n|line 1: not [SERVICE ProxyTargetPort PORT]",
        "other property|MSExchangePOP3BE ProxyPort 1995\\nMSExchangeIMAP4BE ProxyTargetPort 1993\\n|line 1: not [SERVICE ProxyTargetPort PORT]",
        "lower-case service|msexchangepop3be ProxyTargetPort 1995\\nMSExchangeIMAP4BE ProxyTargetPort 1993\\n|line 1: unknown service",
        "duplicate IMAP4|MSExchangeIMAP4BE ProxyTargetPort 1993\\nMSExchangeIMAP4BE ProxyTargetPort 1993\\n|line 2: MSExchangeIMAP4BE twice (lines 1 and 2)",
        "UNAVAILABLE twice|UNAVAILABLE a\\nUNAVAILABLE b\\n|line 2: UNAVAILABLE must be the only line",
        "UNAVAILABLE after ports|MSExchangePOP3BE ProxyTargetPort 1995\\nUNAVAILABLE a\\n|line 2: UNAVAILABLE must be the only line",
        "UNAVAILABLE cut|UNAVAILABLE ExchangeInstallPath is not|line 1: truncated",
        "netstat row|  TCP    0.0.0.0:1995           0.0.0.0:0              LISTENING       5300\\n|line 1: not [SERVICE ProxyTargetPort PORT]",
    })
    void anythingElseIsRefusedNamingTheLine(String what, String text, String expected) {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> BackendSettingsParser.parse(text.replace("\\n", "\r\n")));

        assertTrue(e.getMessage().startsWith(BackendSettingsParser.COMMAND + ": " + expected), e.getMessage());
    }

    @Test
    void refusalQuotesTheScriptsErrorLineForTheUser() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> BackendSettingsParser.parse(
                "ERROR the Exchange Management Shell did not connect: Access is denied.\r\n"));

        assertEquals(BackendSettingsParser.COMMAND + ": line 1: the capture script could not read the settings"
                + " [ERROR the Exchange Management Shell did not connect: Access is denied.]", e.getMessage());
    }

    @Test
    void emptySectionIsRefused() {
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> BackendSettingsParser.parse("\r\n"));

        assertEquals(BackendSettingsParser.COMMAND + ": output holds only blank lines", e.getMessage());
    }

    @Test
    void overLongLineIsRefusedBeforeItIsScanned() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> BackendSettingsParser.parse("MSExchangePOP3BE ProxyTargetPort " + "9".repeat(1 << 20) + "\r\n"));

        assertEquals(1, e.line());
        assertTrue(e.reason().startsWith("line of " + (33 + (1 << 20)) + " characters"), e.reason());
    }

    /** Linear: a megabyte of blank lines and then the two lines is read, not refused or slowed to a crawl. */
    @Test
    void readsTheTwoLinesAfterAMegabyteOfBlankLines() throws Exception {
        BackendSettings s = BackendSettingsParser.parse(" \r\n".repeat(1 << 19)
                + "MSExchangePOP3BE ProxyTargetPort 1995\r\nMSExchangeIMAP4BE ProxyTargetPort 1993\r\n");

        assertEquals(2, s.proxyTargetPorts().size());
    }
}
