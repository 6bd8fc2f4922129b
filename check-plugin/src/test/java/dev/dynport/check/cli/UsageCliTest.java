package dev.dynport.check.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** -w/--warning and -c/--critical through the entry point. */
class UsageCliTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-w         | abc   | -w/--warning [abc] is not a threshold range: expected a port count",
        "--critical | 20:10 | -c/--critical [20:10] is not a threshold range: start greater than end",
        "-c         | 120%  | -c/--critical [120%] is not a threshold range: a percentage over 100",
    })
    void aBadRangeIsOneLineNamingItAndExit3(String option, String value, String start) {
        CheckDynportTest.Run r = CheckDynportTest.check("usage-known-count", option, value);
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.firstLine().startsWith("DYNPORT UNKNOWN - " + start), r.firstLine());
        assertEquals(1, r.out().lines().count(), r.out());
    }

    @Test
    void aControlCharacterInTheValueIsMasked() {
        CheckDynportTest.Run r = CheckDynportTest.check("usage-known-count", "-w", "1\u001b[2J");
        assertEquals(3, r.exit());
        assertTrue(r.firstLine().startsWith("DYNPORT UNKNOWN - -w/--warning [1?[2J] is not a threshold range"),
                r.firstLine());
    }

    @Test
    void usageOverTheWarningRangeIsWarningWithItsPerfdata() {
        CheckDynportTest.Run r = CheckDynportTest.check("usage-known-count", "-w", "10", "-c", "90%");
        assertEquals(1, r.exit(), r.out());
        assertEquals("DYNPORT WARNING - ipv4 dynamic ports 16 of 59527 in use (0.0%), warning range 10", r.statusText());
        assertTrue(r.perfdata().endsWith(" ipv4_dynamic_used=16;10;53574;0;59527 ipv6_dynamic_used=2;10;53575;0;59528"),
                r.perfdata());
        assertTrue(r.out().contains("\nDynamic ports in use ipv4: 16 of 59527 (0.0%; range 6005-65534, 3 excluded)"
                + " [WARNING]; most by: PID 6100 EdgeTransport.exe 10, PID 0 (TIME_WAIT) 6,"), r.out());
    }

    @Test
    void withoutThresholdsUsageIsReportedButTheStateStaysOk() {
        CheckDynportTest.Run r = CheckDynportTest.check("usage-known-count");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.perfdata().endsWith(" ipv4_dynamic_used=16;;;0;59527 ipv6_dynamic_used=2;;;0;59528"), r.perfdata());
    }

    @Test
    void jsonCarriesUsageAndTopConsumers() {
        CheckDynportTest.Run r = CheckDynportTest.check("usage-known-count", "--format", "json", "-c", "15");
        assertEquals(2, r.exit(), r.out());
        String compact = r.out().replaceAll("\\s+", "");
        assertTrue(compact.contains("\"dynamic_usage\":{\"ipv4\":{\"used\":16,\"available\":59527,\"excluded\":3,"
                + "\"range_start\":6005,\"range_end\":65534,\"state\":\"CRITICAL\",\"warning\":null,\"critical\":\"15\","
                + "\"top_consumers\":[{\"pid\":6100,\"image\":\"EdgeTransport.exe\",\"services\":[],\"ports\":10}"),
                r.out());
        assertTrue(compact.contains("\"ipv4_dynamic_used\":16"), r.out());
    }
}
