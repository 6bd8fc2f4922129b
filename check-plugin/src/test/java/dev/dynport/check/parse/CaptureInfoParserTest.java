package dev.dynport.check.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dynport.check.model.CaptureInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Constructed outputs: the shape of hostname.exe, Get-Date -Format o and .NET's OSVersion.VersionString. */
class CaptureInfoParserTest {
    @Test
    void hostLocalTimeWithOffsetIsReadAsTheExactInstant() throws Exception {
        CaptureInfo info = CaptureInfoParser.parse(
                "EXCH01\r\n2024-05-02T14:03:07.1234567+02:00\r\nMicrosoft Windows NT 10.0.17763.0\r\n");

        assertEquals("EXCH01", info.host());
        assertEquals(Instant.parse("2024-05-02T12:03:07.1234567Z"), info.capturedAt());
        assertEquals(ZoneOffset.ofHours(2), info.hostOffset());
        assertEquals("10.0.17763.0", info.osVersion());
    }

    @Test
    void utcTimeAndBlankLinesAroundAreAccepted() throws Exception {
        CaptureInfo info = CaptureInfoParser.parse(
                "\r\nmbx-2016_a\r\n\r\n2024-12-31T23:59:59Z\r\nMicrosoft Windows NT 10.0.14393.0\r\n\r\n");

        assertEquals("mbx-2016_a", info.host());
        assertEquals(Instant.parse("2024-12-31T23:59:59Z"), info.capturedAt());
        assertEquals(ZoneOffset.UTC, info.hostOffset());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "powershell missing|'powershell' is not recognized as an internal or external command,\\noperable program or batch file.\\n|line 1: first line is not a host name as hostname prints it ['powershell' is not recognized",
        "host name with a dot|exch01.contoso.com\\n2024-05-02T14:03:07+02:00\\nMicrosoft Windows NT 10.0.17763.0\\n|line 1: first line is not a host name",
        "time without offset (local, ambiguous)|EXCH01\\n2024-05-02T14:03:07\\nMicrosoft Windows NT 10.0.17763.0\\n|line 2: second line is not an ISO-8601 time with a UTC offset",
        "localized date|EXCH01\\n02.05.2024 14:03:07\\nMicrosoft Windows NT 10.0.17763.0\\n|line 2: second line is not an ISO-8601 time",
        "impossible date|EXCH01\\n2024-02-30T14:03:07+02:00\\nMicrosoft Windows NT 10.0.17763.0\\n|line 2: second line is not a real date and time",
        "impossible offset|EXCH01\\n2024-05-02T14:03:07+25:00\\nMicrosoft Windows NT 10.0.17763.0\\n|line 2: second line is not a real date and time",
        "statement blocked|EXCH01\\n2024-05-02T14:03:07+02:00\\nCannot invoke method. Method invocation is supported only on core types in this language mode.\\n|line 3: third line is not [Microsoft Windows NT a.b.c.d]",
        "two lines only|EXCH01\\n2024-05-02T14:03:07+02:00\\n|line 2: only 2 of three lines",
        "two captures run together|EXCH01\\n2024-05-02T14:03:07+02:00\\nMicrosoft Windows NT 10.0.17763.0\\nEXCH01\\n|line 4: more than three lines",
        "cut in the last line|EXCH01\\n2024-05-02T14:03:07+02:00\\nMicrosoft Windows NT 10.0.17|line 3: truncated: the last line has no line end",
    })
    void anythingElseIsRefusedNamingTheLine(String what, String text, String expected) {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> CaptureInfoParser.parse(text.replace("\\n", "\r\n")));

        assertEquals(true, e.getMessage().startsWith(CaptureInfoParser.COMMAND + ": " + expected), e.getMessage());
    }

    @Test
    void overLongLineIsRefusedBeforeItIsScanned() {
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> CaptureInfoParser.parse("A".repeat(100_000) + "\r\n"));

        assertEquals(1, e.line());
        assertEquals(true, e.reason().startsWith("line of 100000 characters"), e.reason());
    }
}
